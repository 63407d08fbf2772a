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

export function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Every file of an EPUB, by path inside the container, in the zip's order. */
export async function epubEntries(epub: Uint8Array): Promise<Map<string, Uint8Array>> {
  const zip = await JSZip.loadAsync(epub);
  const entries = new Map<string, Uint8Array>();
  for (const [name, entry] of Object.entries(zip.files)) {
    if (!entry.dir) entries.set(name, await entry.async('uint8array'));
  }
  return entries;
}

export interface ManifestItem {
  id: string;
  href: string;
  mediaType: string;
  properties: string[];
}

/** The package document, read with the few patterns imprint's own OPF needs. */
export interface PackageDocument {
  /** Folder of the package document inside the container (`OEBPS/`). */
  base: string;
  xml: string;
  lang: string | undefined;
  /** `<meta property>` and `dc:*` values, by name, in order. */
  metadata: Map<string, string[]>;
  manifest: ManifestItem[];
  /** Hrefs of the spine, in reading order. */
  spine: string[];
}

export async function packageDocument(epub: Uint8Array): Promise<PackageDocument> {
  const files = await epubFiles(epub);
  const container = files.get('META-INF/container.xml') ?? '';
  const opfPath = /full-path="([^"]+)"/.exec(container)?.[1] ?? '';
  const xml = files.get(opfPath) ?? '';
  const metadata = new Map<string, string[]>();
  const add = (name: string, value: string) =>
    metadata.set(name, [...(metadata.get(name) ?? []), decodeEntities(value)]);
  for (const match of xml.matchAll(/<(dc:[a-z]+)[^>]*>([^<]*)<\/\1>/g)) add(match[1]!, match[2]!);
  for (const match of xml.matchAll(/<meta (?:refines="[^"]*" )?property="([^"]+)"[^>]*>([^<]*)<\/meta>/g))
    add(match[1]!, match[2]!);
  for (const match of xml.matchAll(/<meta name="([^"]+)" content="([^"]*)"\/>/g)) add(match[1]!, match[2]!);
  const manifest = [...xml.matchAll(/<item ([^>]*)\/>/g)].map((match) => {
    const attribute = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(match[1]!)?.[1] ?? '';
    return {
      id: attribute('id'),
      href: attribute('href'),
      mediaType: attribute('media-type'),
      properties: attribute('properties').split(/\s+/).filter(Boolean),
    };
  });
  const spine = [...xml.matchAll(/<itemref idref="([^"]+)"/g)].map(
    (match) => manifest.find((item) => item.id === match[1])!.href,
  );
  return {
    base: opfPath.replace(/[^/]*$/, ''),
    xml,
    lang: /<package [^>]*xml:lang="([^"]+)"/.exec(xml)?.[1],
    metadata,
    manifest,
    spine,
  };
}

/** Ids and link targets of an XHTML document. */
export function idsAndLinks(xhtml: string): { ids: Set<string>; hrefs: string[] } {
  return {
    ids: new Set([...xhtml.matchAll(/\sid="([^"]+)"/g)].map((match) => decodeEntities(match[1]!))),
    hrefs: [...xhtml.matchAll(/\shref="([^"]+)"/g)].map((match) => decodeEntities(match[1]!)),
  };
}
