import JSZip from 'jszip';

/**
 * The number of chapters of an EPUB, read from the file itself: the content
 * documents of its reading order (the package's `<spine>`), leaving out the
 * navigation document and items marked `linear="no"`. Undefined when the
 * container or its package document cannot be read.
 */
export async function epubChapterCount(epub: Uint8Array): Promise<number | undefined> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(epub);
  } catch {
    return undefined;
  }
  const container = await zip.file('META-INF/container.xml')?.async('string');
  const packagePath = container && /<rootfile\b[^>]*\bfull-path="([^"]+)"/.exec(container)?.[1];
  const opf = packagePath ? await zip.file(packagePath)?.async('string') : undefined;
  if (!opf) return undefined;

  const navIds = new Set(
    [...opf.matchAll(/<item\b[^>]*>/g)]
      .map((match) => match[0])
      .filter((item) => /\bproperties="[^"]*\bnav\b[^"]*"/.test(item))
      .map((item) => /\bid="([^"]+)"/.exec(item)?.[1])
      .filter((id): id is string => id !== undefined),
  );
  const spine = /<spine\b[^>]*>([\s\S]*?)<\/spine>/.exec(opf)?.[1];
  if (spine === undefined) return undefined;
  return [...spine.matchAll(/<itemref\b[^>]*>/g)]
    .map((match) => match[0])
    .filter((itemref) => !/\blinear="no"/.test(itemref))
    .filter((itemref) => !navIds.has(/\bidref="([^"]+)"/.exec(itemref)?.[1] ?? '')).length;
}
