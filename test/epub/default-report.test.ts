import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { convert } from 'fontverter';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { fontFaces } from '../../src/assets/fonts.js';
import { bookIdentifier } from '../../src/writers/epub/epub.js';
import { imprint } from '../helpers/cli.js';
import {
  decodeEntities,
  epubEntries,
  epubFiles,
  idsAndLinks,
  packageDocument,
  type PackageDocument,
} from '../helpers/epub.js';
import { squash } from '../helpers/text.js';
import { ace, calibreText, epubcheck, pandocText, temporaryFolder } from '../helpers/tools.js';
import { buildInMemory } from '../helpers/build.js';

const root = path.resolve(import.meta.dirname, '../..');
const manuscript = path.join(root, 'manuscript/report.md');
/** 8 July 2017, 00:00 UTC: the day of the Hamburg meeting. */
const epoch = 1499472000;

/** The entries of two EPUBs that differ, each with the first difference: what a failed comparison shows. */
async function differingEntries(one: Uint8Array, other: Uint8Array): Promise<string[]> {
  const [a, b] = [await epubEntries(one), await epubEntries(other)];
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  return names.flatMap((name) => {
    const [x, y] = [Buffer.from(a.get(name) ?? []), Buffer.from(b.get(name) ?? [])];
    if (x.equals(y)) return [];
    let at = 0;
    while (at < x.length && x[at] === y[at]) at++;
    const around = (bytes: Buffer) => bytes.subarray(Math.max(0, at - 80), at + 80).toString('latin1');
    return [`${name} at byte ${at}: ${around(x)}\n  vs: ${around(y)}`];
  });
}

async function buildEpub(): Promise<Uint8Array> {
  const result = await buildInMemory({
    manuscripts: [manuscript],
    formats: ['epub'],
    sourceDateEpoch: epoch,
  });
  expect(result.files.flatMap((file) => file.messages.map(String))).toEqual([]);
  return result.reports[0]!.editions[0]!.bytes;
}

/** The characters a font maps to glyphs. */
async function charactersOf(font: Uint8Array): Promise<Set<string>> {
  const hb = await import('harfbuzzjs');
  const sfnt = await convert(Buffer.from(font), 'sfnt');
  return new Set(
    [...new hb.Face(new hb.Blob(new Uint8Array(sfnt))).collectUnicodes()].map((code) => String.fromCodePoint(code)),
  );
}

/** The manuscript's headings and paragraphs, in order. */
async function manuscriptBlocks(): Promise<string[]> {
  const text = await readFile(manuscript, 'utf8');
  return text
    .replace(/^---[\s\S]*?\n---\n/, '')
    .split(/\n{2,}/)
    .map((block) => block.trim())
    .filter((block) => block !== '' && !block.startsWith('::'))
    .map((block) => block.replace(/^#+\s*/, ''));
}

/** Every block is found after the one before it. */
function inReadingOrder(text: string, blocks: string[]): { missing: string[]; outOfOrder: string[] } {
  const haystack = squash(text);
  const missing: string[] = [];
  const outOfOrder: string[] = [];
  let position = 0;
  for (const block of blocks) {
    const needle = squash(block);
    const found = haystack.indexOf(needle, position);
    if (found === -1) {
      (haystack.includes(needle) ? outOfOrder : missing).push(block.slice(0, 60));
    } else {
      position = found + needle.length;
    }
  }
  return { missing, outOfOrder };
}

describe('the EPUB of the default report', () => {
  let epub: Uint8Array;
  let opf: PackageDocument;
  let files: Map<string, string>;

  beforeAll(async () => {
    epub = await buildEpub();
    opf = await packageDocument(epub);
    files = await epubFiles(epub);
  });

  it('passes epubcheck with no errors and no warnings', async () => {
    const check = await epubcheck(epub);
    expect(check.output).not.toMatch(/^(FATAL|ERROR|WARNING)\(/m);
    expect([check.fatals, check.errors, check.warnings]).toEqual([0, 0, 0]);
  });

  it('passes Ace by DAISY with no violations', async () => {
    const report = await ace(epub);
    expect(report.violations).toEqual([]);
    expect(report.outcome).toBe('pass');
  });

  it('describes the book: language, a stable identifier, the modification time from SOURCE_DATE_EPOCH', async () => {
    const text = await readFile(manuscript, 'utf8');
    expect(text).toMatch(/^lang: en-GB$/m);
    expect(opf.lang).toBe('en-GB');
    expect(opf.metadata.get('dc:language')).toEqual(['en-GB']);
    for (const href of opf.spine)
      expect(files.get(opf.base + href)).toMatch(/<html [^>]*xml:lang="en-GB" lang="en-GB"/);
    expect(opf.metadata.get('dc:title')).toEqual(['Defrosting Sino-Japanese Relations: What Now?']);
    expect(opf.metadata.get('dc:creator')).toEqual(['Amrita Jash']);
    expect(opf.metadata.get('dc:date')).toEqual(['2017-07']);
    expect(opf.metadata.get('dcterms:modified')).toEqual(['2017-07-08T00:00:00Z']);
    const identifier = opf.metadata.get('dc:identifier')![0]!;
    expect(identifier).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(identifier).toBe(
      bookIdentifier({
        title: 'Defrosting Sino-Japanese Relations: What Now?',
        authors: ['Amrita Jash'],
        date: { year: 2017, month: 7 },
      } as never),
    );
    expect(files.get(`${opf.base}toc.ncx`)).toContain(`<meta name="dtb:uid" content="${identifier}"/>`);
    // The publisher is not in the front matter: none is made up.
    expect(opf.metadata.has('dc:publisher')).toBe(false);
  });

  it('declares accessibility metadata true to the book', () => {
    // Two charts, drawn as inline SVG, each labelled by its title and a description of its data.
    const chapter = files.get(`${opf.base}chapter-002.xhtml`)!;
    const charts = [...chapter.matchAll(/<svg [^>]*role="img" aria-labelledby="([^"]+)"/g)];
    expect(charts).toHaveLength(2);
    expect(opf.manifest.find((item) => item.href === 'chapter-002.xhtml')!.properties).toEqual(['svg']);
    expect(opf.metadata.get('schema:accessMode')).toEqual(['textual', 'visual']);
    expect(opf.metadata.get('schema:accessModeSufficient')).toEqual(['textual', 'textual,visual']);
    expect(opf.metadata.get('schema:accessibilityFeature')).toEqual(
      expect.arrayContaining([
        'tableOfContents',
        'structuralNavigation',
        'readingOrder',
        'alternativeText',
        'pageNavigation',
        'pageBreakMarkers',
      ]),
    );
    expect(opf.metadata.get('schema:accessibilityHazard')).toEqual(['none']);
    const summary = opf.metadata.get('schema:accessibilitySummary')![0]!;
    expect(summary).toContain('Its 2 tables are real tables');
    expect(summary).toContain('Both its figures have a text alternative.');
    expect(summary).toContain('page numbers of the PDF edition');
    expect(opf.metadata.get('dcterms:conformsTo')).toEqual(['EPUB Accessibility 1.1 - WCAG 2.2 Level AA']);
    // The page list's source: the PDF edition.
    expect(opf.metadata.get('dc:source')).toEqual(['Defrosting Sino-Japanese Relations: What Now?, PDF edition (A4)']);
  });

  it('has a nested table of contents of every heading, and landmarks for the cover, contents and body', () => {
    const nav = files.get(`${opf.base}toc.xhtml`)!;
    const toc = /<nav id="toc"[\s\S]*?<\/nav>/.exec(nav)![0];
    const entries = [...toc.matchAll(/<a href="([^"]+)">([^<]+)<\/a>/g)].map((match) => [match[2], match[1]]);
    expect(entries).toEqual([
      ['Synopsis', 'chapter-001.xhtml#synopsis'],
      ['Commentary', 'chapter-002.xhtml#commentary'],
      ['Growing Warmth in Ties', 'chapter-002.xhtml#growing-warmth-in-ties'],
      ['The Catalyst', 'chapter-002.xhtml#the-catalyst'],
      ['Road Ahead', 'chapter-002.xhtml#road-ahead'],
    ]);
    // The three sections of the commentary are nested under it.
    expect(toc.replace(/\s+/g, '')).toContain(
      '<li><ahref="chapter-002.xhtml#commentary">Commentary</a>' +
        '<ol><li><ahref="chapter-002.xhtml#growing-warmth-in-ties">',
    );
    const landmarks = /<nav epub:type="landmarks"[\s\S]*?<\/nav>/.exec(nav)![0];
    expect(
      [...landmarks.matchAll(/<a epub:type="([^"]+)" href="([^"]+)"/g)].map((match) => [match[1], match[2]]),
    ).toEqual([
      ['cover', 'cover.xhtml'],
      ['titlepage', 'title.xhtml'],
      ['toc', 'toc.xhtml#toc'],
      ['bodymatter', 'chapter-001.xhtml'],
    ]);
    expect(opf.spine).toEqual(['cover.xhtml', 'title.xhtml', 'toc.xhtml', 'chapter-001.xhtml', 'chapter-002.xhtml']);
  });

  it('points every link at a file and an id that exist', () => {
    for (const [name, xhtml] of files) {
      if (!name.endsWith('.xhtml')) continue;
      for (const href of idsAndLinks(xhtml).hrefs) {
        if (href === 'style.css' || /^https?:/.test(href)) continue;
        const [file, id] = href.split('#');
        const target = file === '' ? name : opf.base + file;
        expect(files.has(target), `${name}: ${href}`).toBe(true);
        if (id) expect(idsAndLinks(files.get(target)!).ids.has(id), `${name}: ${href}`).toBe(true);
      }
    }
  });

  it('has a cover image drawn from the metadata, declared as the cover, on a cover page', async () => {
    const cover = opf.manifest.find((item) => item.properties.includes('cover-image'))!;
    expect(cover).toMatchObject({ href: 'cover.svg', mediaType: 'image/svg+xml' });
    expect(opf.metadata.get('cover')).toEqual([cover.id]);
    const svg =
      files.get(opf.base + cover.href) ??
      new TextDecoder().decode((await epubEntries(epub)).get(opf.base + cover.href));
    expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<title>Cover: Defrosting Sino-Japanese Relations: What Now?, by Amrita Jash</title>');
    // The title, author and date are drawn as outlines in the project's fonts: no font or text element to go missing.
    expect(svg).not.toMatch(/<text|font-family|@font-face/);
    expect((svg.match(/<path d="M/g) ?? []).length).toBeGreaterThanOrEqual(5);
    const page = files.get(`${opf.base}cover.xhtml`)!;
    expect(page).toContain(
      '<img src="cover.svg" alt="Cover: Defrosting Sino-Japanese Relations: What Now?, by Amrita ' +
        'Jash" epub:type="cover" role="doc-cover"/>',
    );
  });

  it('embeds the shipped fonts, subset to the characters the book uses', async () => {
    const entries = await epubEntries(epub);
    const fonts = opf.manifest.filter((item) => item.href.startsWith('fonts/'));
    expect(fonts.map((font) => font.href)).toContain('fonts/source-serif-4-latin-400-normal.ttf');
    expect(new Set(fonts.map((font) => font.mediaType))).toEqual(new Set(['font/ttf']));
    // No CJK text in this report, so no CJK face.
    expect(fonts.some((font) => /noto-serif/.test(font.href))).toBe(false);
    const text = decodeEntities(
      [...files]
        .filter(([name]) => name.endsWith('.xhtml'))
        .map(([, xhtml]) => xhtml.replace(/<[^>]+>/g, ''))
        .join(''),
    );
    expect(text).toContain('China and Japan’s mutual commitment');
    const used = new Set(text);
    for (const font of fonts) {
      const face = fontFaces().find(
        (candidate) => candidate.name === font.href.replace(/^fonts\/(.+)\.ttf$/, '$1.woff2'),
      )!;
      const original = await charactersOf(await readFile(face.file));
      const subset = await charactersOf(entries.get(opf.base + font.href)!);
      // Every character of the text that the face has, the subset has (subsetting lost no glyph the text needs) ...
      const lost = [...used].filter((character) => original.has(character) && !subset.has(character));
      expect(lost, font.href).toEqual([]);
      // ... and little else: ASCII and a few marks reading systems add, at most.
      const extra = [...subset].filter((character) => !used.has(character) && character > '~');
      expect(extra.length, font.href).toBeLessThan(12);
      expect(subset.size, font.href).toBeLessThan(original.size / 2);
    }
    const css = files.get(`${opf.base}style.css`)!;
    expect(css).toContain(
      "@font-face { font-family: 'Source Serif 4'; font-style: normal; font-weight: 400; src: " +
        'url("fonts/source-serif-4-latin-400-normal.ttf") format(\'truetype\');',
    );
  });

  it('keeps the tables’ column alignment as classes the style sheet sets', () => {
    const chapter = files.get(`${opf.base}chapter-002.xhtml`)!;
    expect(chapter).toMatch(/<th scope="col" class="align-right numeric">Pledge<\/th>/);
    expect(chapter).toMatch(/<td class="align-right numeric">US\$110\s+bn<\/td>/u);
    expect(files.get(`${opf.base}style.css`)).toContain('.align-right { text-align: right; }');
  });

  it('is the same, byte for byte, when built again, whatever the time zone', async () => {
    const again = await buildEpub();
    expect(Buffer.from(again).equals(Buffer.from(epub))).toBe(true);
    const out = await temporaryFolder();
    const built: Buffer[] = [];
    for (const zone of ['Asia/Tokyo', 'America/Los_Angeles']) {
      const dir = path.join(out, zone.replace('/', '-'));
      const run = await imprint(
        [
          'build',
          manuscript,
          '--format',
          'epub',
          '--out',
          dir,
          '--quiet',
          '--browser-ws-endpoint',
          inject('browserWSEndpoint'),
        ],
        { env: { TZ: zone, SOURCE_DATE_EPOCH: String(epoch) } },
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      built.push(await readFile(path.join(dir, 'report.epub')));
    }
    for (const bytes of built) expect(await differingEntries(bytes, epub)).toEqual([]);
    expect(built[0]!.equals(Buffer.from(epub))).toBe(true);
    expect(built[1]!.equals(Buffer.from(epub))).toBe(true);
  });

  it('reads in Calibre and in Pandoc with every heading and paragraph, in reading order', async () => {
    const blocks = await manuscriptBlocks();
    expect(blocks.length).toBe(21);
    for (const text of [await calibreText(epub), await pandocText(epub)]) {
      expect(inReadingOrder(text, blocks)).toEqual({ missing: [], outOfOrder: [] });
    }
  });
});
