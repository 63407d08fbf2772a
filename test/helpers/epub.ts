import JSZip from 'jszip';

/** The text files of an EPUB, by path inside the container. */
export async function epubFiles(epub: Uint8Array): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(epub);
  const files = new Map<string, string>();
  for (const [name, entry] of Object.entries(zip.files)) {
    if (entry.dir || !/\.(xhtml|opf|ncx|css|xml|html)$/.test(name)) continue;
    files.set(name, await entry.async('string'));
  }
  return files;
}

/** The text of the EPUB's chapters in spine order, tags removed. */
export async function epubText(epub: Uint8Array): Promise<string> {
  const files = await epubFiles(epub);
  const opf = [...files.entries()].find(([name]) => name.endsWith('.opf'));
  if (!opf) throw new Error('no package document');
  const base = opf[0].replace(/[^/]*$/, '');
  const hrefs = new Map([...opf[1].matchAll(/<item [^>]*id="([^"]+)"[^>]*href="([^"]+)"/g)].map((m) => [m[1]!, m[2]!]));
  const spine = [...opf[1].matchAll(/<itemref [^>]*idref="([^"]+)"/g)].map((m) => hrefs.get(m[1]!)!);
  return spine
    .map((href) => files.get(base + href) ?? '')
    .map((xhtml) => decodeEntities(xhtml.replace(/<head>[\s\S]*?<\/head>/, '').replace(/<[^>]+>/g, ' ')))
    .join('\n')
    .replace(/[ \t\r\n]+/g, ' ');
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
