import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { writeLongManuscript } from '../../bench/long-manuscript.js';
import { build } from '../../src/api.js';
import { fontFaces } from '../../src/assets/fonts.js';
import { epubEntries, epubFiles, idsAndLinks, packageDocument, type PackageDocument } from '../helpers/epub.js';
import { squash } from '../helpers/text.js';
import { ace, calibreText, epubcheck, temporaryFolder } from '../helpers/tools.js';

/**
 * The long generated report (about 100,000 words in 12 chapters, footnotes,
 * a 400-row table, figures, Chinese and Japanese text), built once for the
 * whole file.
 */
describe('the EPUB of a long report', () => {
  let dir: string;
  let manuscript: string;
  let epub: Uint8Array;
  let opf: PackageDocument;
  let files: Map<string, string>;
  let entries: Map<string, Uint8Array>;

  beforeAll(async () => {
    dir = await temporaryFolder();
    manuscript = (await writeLongManuscript(dir)).manuscript;
    const result = await build({
      manuscripts: [manuscript],
      formats: ['epub'],
      write: false,
      sourceDateEpoch: 1499472000,
      browser: { wsEndpoint: inject('browserWSEndpoint') },
    });
    expect(result.files.flatMap((file) => file.messages.map(String))).toEqual([]);
    epub = result.reports[0]!.editions[0]!.bytes;
    opf = await packageDocument(epub);
    files = await epubFiles(epub);
    entries = await epubEntries(epub);
  });

  const chapters = () => opf.spine.filter((href) => href.startsWith('chapter-'));

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

  it('puts every note in the chapter that cites it, with working links both ways', () => {
    let references = 0;
    for (const href of chapters()) {
      const xhtml = files.get(opf.base + href)!;
      const { ids } = idsAndLinks(xhtml);
      for (const match of xhtml.matchAll(
        /<a href="#([^"]+)" id="([^"]+)"[^>]*epub:type="noteref" role="doc-noteref"[^>]*>(\d+)<\/a>/g,
      )) {
        references++;
        const [, note, reference, number] = match;
        expect(ids.has(note!), `${href}: note ${note}`).toBe(true);
        const aside = new RegExp(
          `<aside id="${note}" class="footnote" epub:type="footnote" role="doc-footnote"><p><span ` +
            `class="footnote-number">${number}\\.</span>`,
        );
        expect(xhtml).toMatch(aside);
        expect(xhtml).toContain(`<a href="#${reference}"`);
      }
    }
    expect(references).toBeGreaterThan(40);
    // No chapter holds a note it does not cite.
    for (const href of chapters()) {
      const xhtml = files.get(opf.base + href)!;
      for (const match of xhtml.matchAll(/<aside id="([^"]+)"/g)) expect(xhtml).toContain(`href="#${match[1]}"`);
    }
  });

  it('has every note of the manuscript, each once per chapter that cites it', async () => {
    const text = await readFile(manuscript, 'utf8');
    const definitions = [...text.matchAll(/^\[\^(n\d+)\]: (.+)$/gm)].map((match) => [match[1]!, match[2]!] as const);
    expect(definitions.length).toBeGreaterThan(40);
    const all = chapters()
      .map((href) => files.get(opf.base + href)!)
      .join('');
    for (const [id, sentence] of definitions) {
      expect(all, id).toContain(`<aside id="user-content-fn-${id}"`);
      expect(all).toContain(sentence);
    }
  });

  it('points every link at a file and an id that exist', () => {
    let links = 0;
    for (const [name, xhtml] of files) {
      if (!name.endsWith('.xhtml')) continue;
      for (const href of idsAndLinks(xhtml).hrefs) {
        if (href === 'style.css' || /^https?:/.test(href)) continue;
        links++;
        const [file, id] = href.split('#');
        const target = file === '' ? name : opf.base + file;
        expect(files.has(target) || entries.has(target), `${name}: ${href}`).toBe(true);
        if (id) expect(idsAndLinks(files.get(target)!).ids.has(id), `${name}: ${href}`).toBe(true);
      }
    }
    expect(links).toBeGreaterThan(300);
  });

  it('lists every heading in the nested contents, in order', async () => {
    const text = await readFile(manuscript, 'utf8');
    const headings = [...text.matchAll(/^(#+) (.+)$/gm)].map((match) => ({ depth: match[1]!.length, text: match[2]! }));
    const nav = files.get(`${opf.base}toc.xhtml`)!;
    const toc = /<nav id="toc"[\s\S]*?<\/nav>/.exec(nav)![0];
    // Depth of each entry: how many lists are open around it.
    const entries: Array<{ depth: number; text: string }> = [];
    let depth = 0;
    for (const token of toc.matchAll(/<ol>|<\/ol>|<a href="[^"]+">([^<]+)<\/a>/g)) {
      if (token[0] === '<ol>') depth++;
      else if (token[0] === '</ol>') depth--;
      else entries.push({ depth, text: token[1]! });
    }
    expect(entries).toEqual(headings);
    const ncx = files.get(`${opf.base}toc.ncx`)!;
    expect((ncx.match(/<navPoint /g) ?? []).length).toBe(headings.length);
    expect(ncx).toContain('<meta name="dtb:depth" content="3"/>');
  });

  it('packages the figures under names made from their content, with their text alternatives', () => {
    const images = opf.manifest.filter((item) => item.href.startsWith('images/'));
    expect(images.map((image) => image.mediaType).sort()).toEqual(['image/png', 'image/svg+xml', 'image/svg+xml']);
    for (const image of images) {
      expect(image.href).toMatch(/^images\/[0-9a-f]{16}\.(png|svg)$/);
      expect(entries.has(opf.base + image.href)).toBe(true);
    }
    const all = chapters()
      .map((href) => files.get(opf.base + href)!)
      .join('');
    const shown = [...all.matchAll(/<img src="([^"]+)" alt="([^"]+)"\/>/g)];
    expect(shown.map((match) => match[1]).sort()).toEqual(images.map((image) => image.href).sort());
    for (const match of shown) expect(match[2]).toMatch(/^Figure \d: a bar chart of eight yearly values/);
    expect(opf.metadata.get('schema:accessMode')).toEqual(['textual', 'visual']);
    expect(opf.metadata.get('schema:accessModeSufficient')).toEqual(['textual', 'textual,visual']);
    expect(opf.metadata.get('schema:accessibilityFeature')).toContain('alternativeText');
  });

  it('embeds the Chinese and Japanese faces, subset to the few characters the text uses', async () => {
    for (const name of ['noto-serif-sc-chinese-simplified-400-normal', 'noto-serif-jp-japanese-400-normal']) {
      const original = await readFile(fontFaces().find((face) => face.name === `${name}.woff2`)!.file);
      const subset = entries.get(`${opf.base}fonts/${name}.ttf`)!;
      expect(original.byteLength).toBeGreaterThan(1_000_000);
      expect(subset.byteLength).toBeLessThan(20_000);
    }
    const total = [...entries]
      .filter(([name]) => name.includes('/fonts/'))
      .reduce((sum, [, bytes]) => sum + bytes.byteLength, 0);
    expect(total).toBeLessThan(300_000);
    expect(files.get(`${opf.base}style.css`)).toContain("font-family: 'Noto Serif JP'");
  });

  it('keeps the 400-row table whole, with its header', () => {
    const chapter = chapters()
      .map((href) => files.get(opf.base + href)!)
      .find((xhtml) => xhtml.includes('id="tbl-long"'))!;
    const table = /<figure id="tbl-long"[\s\S]*?<\/figure>/.exec(chapter)![0];
    expect((table.match(/<tr>/g) ?? []).length).toBe(401);
    expect(table).toContain('<th scope="col">Date</th>');
  });

  it('reads in Calibre with every chapter, start to end, in reading order', async () => {
    const text = squash(await calibreText(epub));
    let position = 0;
    for (const href of chapters()) {
      const xhtml = files.get(opf.base + href)!;
      const paragraphs = [...xhtml.matchAll(/<p>([^<]{80,})<\/p>/g)].map((match) => squash(match[1]!));
      const heading = /<h2 id="[^"]+">([\s\S]*?)<\/h2>/.exec(xhtml)![1]!.replace(/<[^>]+>/g, '');
      for (const needle of [squash(heading), paragraphs[0]!, paragraphs[paragraphs.length - 1]!]) {
        const found = text.indexOf(needle, position);
        expect(found, `${href}: ${needle.slice(0, 40)}`).toBeGreaterThanOrEqual(position);
        position = found + needle.length;
      }
    }
  });
});
