import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { toString } from 'hast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { writeLongManuscript } from '../../bench/long-manuscript.js';
import type { BuildResult } from '../../src/api.js';
import { fontFaces } from '../../src/assets/fonts.js';
import { diskReader } from '../../src/compile/resources.js';
import { compile, type CompiledDocument } from '../../src/compile/pipeline.js';
import { pageBlocks, type PageMap } from '../../src/document/page-map.js';
import { runningHead } from '../../src/writers/print-page/print-document.js';
import { imprint } from '../helpers/cli.js';
import { epubEntries, epubFiles, idsAndLinks, packageDocument, type PackageDocument } from '../helpers/epub.js';
import { checkPages } from '../helpers/page-list.js';
import {
  bookmarks,
  destinations,
  links,
  pageSizes,
  pageTexts,
  pageWords,
  qpdfCheck,
  qpdfJson,
  type Bookmark,
  type Word,
} from '../helpers/pdf.js';
import {
  bodyLines,
  contentsEntries,
  contentsProblems,
  runningHeadProblems,
  widowProblems,
} from '../helpers/print-checks.js';
import { squash } from '../helpers/text.js';
import { ace, calibreText, epubcheck, pdfFonts, pdfInfo, temporaryFolder } from '../helpers/tools.js';
import { buildInMemory } from '../helpers/build.js';

/** A4 in points, and the template's page area (margins 22, 20, 24, 20 mm) from the top. */
const a4 = { width: 594.96, height: 841.92 };
const area = { top: (22 / 25.4) * 72, bottom: a4.height - (24 / 25.4) * 72 };
const sourceDateEpoch = 1499472000;

/**
 * The long generated report (about 100,000 words in 12 chapters, footnotes, a 400-row table, figures, Chinese and
 * Japanese text), built once for the whole file in print and as an EPUB, by one build as a release makes them; and
 * once more by the `imprint` command, which must make the same bytes. One file for all of it: a build of the long
 * report takes as long as many small tests together, and every check here reads the same one.
 */
describe('the long report (about 100,000 words)', () => {
  let dir: string;
  let manuscript: string;
  let result: BuildResult;
  let pdf: Uint8Array;
  let epub: Uint8Array;
  let pageMap: PageMap;

  beforeAll(async () => {
    dir = await temporaryFolder();
    manuscript = (await writeLongManuscript(dir)).manuscript;
    result = await buildInMemory({
      manuscripts: [manuscript],
      formats: ['pdf', 'epub'],
      sourceDateEpoch,
    });
    expect(result.files.flatMap((file) => file.messages.map(String))).toEqual([]);
    const editions = result.reports[0]!.editions;
    pdf = editions.find((edition) => edition.format === 'pdf')!.bytes;
    epub = editions.find((edition) => edition.format === 'epub')!.bytes;
    pageMap = result.reports[0]!.pageMap!;
  });

  describe('in print (some 250 pages)', () => {
    let doc: CompiledDocument;
    let csv: string;
    let texts: string[];
    let layout: string[];
    let words: Word[][];
    let marks: Bookmark[];
    let json: Awaited<ReturnType<typeof qpdfJson>>;

    beforeAll(async () => {
      doc = (await compile(new VFile({ path: manuscript, value: await readFile(manuscript, 'utf8') }), {
        reader: diskReader,
        projectRoot: dir,
      }))!;
      csv = await readFile(path.join(dir, 'data/long-table.csv'), 'utf8');
      [texts, layout, words, json] = await Promise.all([
        pageTexts(pdf),
        pageTexts(pdf, true),
        pageWords(pdf),
        qpdfJson(pdf),
      ]);
      marks = bookmarks(json);
    });

    /** The headings the print edition has: the notes are at the foot of their pages, not in a part of their own. */
    const printed = () => doc.outline.filter((entry) => entry.id !== 'footnote-label');
    /** The words of a page inside the page area, line by line. */
    const lines = (page: number) => bodyLines(words[page - 1]!, area.top, area.bottom);
    const lineText = (line: Word[]) => line.map((word) => word.text).join(' ');

    it('runs to some 250 pages, every one A4', async () => {
      expect(texts.length).toBeGreaterThan(200);
      expect(pageMap.pages).toBe(texts.length);
      expect(new Set((await pageSizes(pdf)).map((size) => `${size.width} x ${size.height}`))).toEqual(
        new Set([`${a4.width} x ${a4.height}`]),
      );
    });

    it('names on its contents pages the page every heading is printed on', () => {
      const entries = contentsEntries(layout);
      const listed = printed().filter((entry) => entry.depth <= 2);
      expect(entries.map((entry) => entry.title)).toEqual(listed.map((entry) => entry.text));
      expect(contentsProblems(entries, marks, layout)).toEqual([]);
      const dests = destinations(json);
      expect(entries.map((entry) => entry.page)).toEqual(listed.map((entry) => dests.get(entry.id)));
    });

    it('has bookmarks for every heading, nested as the headings are', () => {
      expect(marks.map((mark) => [mark.depth, mark.title])).toEqual([
        [0, 'A Long Report on Relations in East Asia'],
        [1, 'Contents'],
        ...printed().map((entry) => [entry.depth, entry.text]),
      ]);
    });

    it('begins each chapter on a new page, named in the running head; the cover has none, every page a folio', () => {
      const chapters = marks.filter((mark) => mark.depth === 1 && mark.title !== 'Contents');
      expect(chapters.map((chapter) => chapter.title)).not.toContain('Notes');
      expect(chapters).toHaveLength(12);
      const heads = new Map<number, string>();
      chapters.forEach((chapter, index) => {
        expect(lineText(lines(chapter.page)[0]!), chapter.title).toBe(chapter.title);
        const end = chapters[index + 1]?.page ?? texts.length + 1;
        for (let page = chapter.page; page < end; page++) heads.set(page, runningHead(chapter.title));
      });
      expect(runningHeadProblems(words, area, 'A Long Report', heads)).toEqual([]);
    });

    it('knows where every page of the body begins, in terms of the shared document tree', () => {
      const blocks = pageBlocks(doc.tree).map((block) => toString(block));
      const firstBody = pageMap.starts[0]!.page;
      expect(pageMap.starts.map((start) => start.page)).toEqual(
        Array.from({ length: texts.length - firstBody + 1 }, (_, index) => firstBody + index),
      );
      const header = 'Date Event Place Value';
      const problems: string[] = [];
      for (const start of pageMap.starts) {
        const body = lines(start.page);
        if (body.length === 0) {
          // A page with no text holds an image alone: the map must say it begins at a block with an image.
          const block = pageBlocks(doc.tree)[start.block]!;
          if (!JSON.stringify(block).includes('"tagName":"img"'))
            problems.push(`page ${start.page}: no text, and the map says it begins at a block without an image`);
          continue;
        }
        const first = lineText(body[0]!) === header ? body[1]! : body[0]!;
        const rest = squash(blocks[start.block]!.slice(start.offset));
        // A note's number is its list marker, drawn but not in the text.
        const word = /^\d+\.$/.test(first[0]!.text) && start.offset === 0 ? first[1]! : first[0]!;
        if (!rest.startsWith(squash(word.text)))
          problems.push(`page ${start.page}: begins “${lineText(first)}”, the map says “${rest.slice(0, 40)}”`);
      }
      expect(problems).toEqual([]);
      expect(pageMap.pageOfId.get('tbl-long')).toBe(
        texts.findIndex((text) => text.includes('Every recorded exchange, by date')) + 1,
      );
    });

    it('repeats the table’s header row on every page it spans, and never splits a row', () => {
      const header = 'Date Event Place Value';
      const month = /^(January|February|March|April|May|June|July|August|September|October|November|December)$/;
      const tablePages = Array.from({ length: texts.length }, (_, index) => index + 1).filter((page) =>
        lines(page).some((line) => lineText(line) === header),
      );
      // 400 rows at some twenty a page.
      expect(tablePages.length).toBeGreaterThan(12);
      expect(tablePages).toEqual(Array.from({ length: tablePages.length }, (_, index) => tablePages[0]! + index));
      const problems: string[] = [];
      for (const page of tablePages) {
        const body = lines(page);
        const at = body.findIndex((line) => lineText(line) === header);
        if (page !== tablePages[0] && at !== 0) problems.push(`page ${page}: the header row is not on top`);
        // Every row begins with its date at the left edge: a page that began inside a row would not.
        const first = body[at + 1]!;
        if (!month.test(first[0]!.text) || first[0]!.xMin > 60)
          problems.push(`page ${page}: the first row begins “${lineText(first)}”`);
      }
      expect(problems).toEqual([]);
      // And the rows are all there, each beginning a line.
      const rows = csv.trim().split('\n').length - 1;
      const starts = tablePages
        .flatMap((page) => lines(page))
        .filter((line) => month.test(line[0]!.text) && line[0]!.xMin < 60 && /^\d{4}$/.test(line[1]?.text ?? ''));
      expect(rows).toBe(400);
      expect(
        starts.length +
          tablePages
            .flatMap((page) => lines(page))
            .filter((line) => month.test(line[0]!.text) && line[0]!.xMin < 60 && !/^\d{4}$/.test(line[1]?.text ?? ''))
            .length,
      ).toBe(rows);
    });

    it('keeps every heading with at least two lines of what follows it', () => {
      const problems: string[] = [];
      for (const mark of marks.filter((mark) => mark.depth >= 1 && mark.title !== 'Contents')) {
        const body = lines(mark.page).map(lineText);
        const at = body.indexOf(mark.title);
        if (at < 0) problems.push(`“${mark.title}” is not on page ${mark.page}`);
        else if (body.length - at - 1 < 2) problems.push(`“${mark.title}” ends page ${mark.page}`);
      }
      expect(problems).toEqual([]);
    });

    it('leaves no widow or orphan: a paragraph broken across pages has two lines or more on each', () => {
      const { problems, broken } = widowProblems(pageMap, pageBlocks(doc.tree), lines);
      expect(broken).toBeGreaterThan(50);
      expect(problems).toEqual([]);
    });

    it('sets each note at the foot of the page of its reference, linked both ways', () => {
      const dests = destinations(json);
      const all = links(json);
      const notes = [...dests.keys()]
        .filter((id) => id.startsWith('user-content-fn-'))
        .map((id) => id.slice('user-content-fn-'.length));
      expect(notes.length).toBeGreaterThan(20);
      const problems: string[] = [];
      for (const note of notes) {
        const reference = all.find((link) => link.to === `user-content-fn-${note}`);
        const back = all.find((link) => link.to === `user-content-fnref-${note}`);
        if (!reference || !back) {
          problems.push(`note ${note}: no link ${reference ? 'back' : 'to it'}`);
          continue;
        }
        if (dests.get(`user-content-fn-${note}`) !== back.page)
          problems.push(
            `note ${note}: the reference leads to page ${dests.get(`user-content-fn-${note}`)}, the ` +
              `note is on ${back.page}`,
          );
        if (dests.get(`user-content-fnref-${note}`) !== reference.page)
          problems.push(
            `note ${note}: the note leads back to page ${dests.get(`user-content-fnref-${note}`)}, the ` +
              `reference is on ${reference.page}`,
          );
        if (pageMap.pageOfId.get(`user-content-fnref-${note}`) !== reference.page)
          problems.push(`note ${note}: the page map puts the reference elsewhere`);
        // The note begins on the page that cites it (`notes: page`, the default).
        if (dests.get(`user-content-fn-${note}`) !== reference.page)
          problems.push(
            `note ${note}: cited on page ${reference.page}, set on page ${dests.get(`user-content-fn-${note}`)}`,
          );
      }
      expect(problems).toEqual([]);
    });

    it(
      'sets Chinese and Japanese names in the shipped Noto Serif SC and JP, as text that can be ' +
        'extracted, and no font of the machine',
      async () => {
        const all = texts.join('\n');
        expect(all).toContain('Xi Jinping (习近平) met Shinzo Abe (安倍晋三)');
        const fonts = (await pdfFonts(pdf)).map((font) => font.name);
        expect(fonts.some((name) => /^[A-Z]{6}\+NotoSerifSC/.test(name))).toBe(true);
        // The Japanese face is used only by :lang(ja), so its presence shows the name took it.
        expect(fonts.some((name) => /^[A-Z]{6}\+NotoSerifJP/.test(name))).toBe(true);
        for (const name of fonts)
          expect(name).toMatch(/^[A-Z]{6}\+(SourceSerif4|SourceCodePro|NotoSerifSC|NotoSerifJP)/);
      },
    );

    it('is hyphenated, and its text extracts without soft hyphens', () => {
      const all = texts.join('\n');
      expect(all).not.toContain('\u00ad');
      const hyphenated = layout
        .join('\n')
        .split('\n')
        .filter((line) => /\p{Ll}-$/u.test(line.trim()));
      expect(hyphenated.length).toBeGreaterThan(100);
      expect(all).toContain('normalisation');
    });

    it('takes its document information from the front matter, stays tagged, and stays a sound PDF', async () => {
      const info = await pdfInfo(pdf);
      expect(info).toMatchObject({
        Title: 'A Long Report on Relations in East Asia',
        Author: 'Imprint Test Suite',
        Subject: 'A long generated manuscript for tests and benchmarks.',
        Keywords: 'test, benchmark',
        Tagged: 'yes',
      });
      expect(info.Creator).toMatch(/^imprint /);
      expect(await qpdfCheck(pdf)).toMatchObject({ ok: true });
    });
  });

  describe('as an EPUB', () => {
    let opf: PackageDocument;
    let files: Map<string, string>;
    let entries: Map<string, Uint8Array>;

    beforeAll(async () => {
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
      const headings = [...text.matchAll(/^(#+) (.+)$/gm)].map((match) => ({
        depth: match[1]!.length,
        text: match[2]!,
      }));
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

  it('prints in the book theme too, each note at the foot of the page of its reference or the next', async () => {
    // In this theme a note on page 38 once had no line of room left below its reference's page: the block of notes
    // ran onto the next page, pushed that page's text one page further, and the walk followed it page after page
    // until the browser's wait ran out. Now such a note begins at the foot of the next page.
    const book = await buildInMemory({
      manuscripts: [manuscript],
      formats: ['pdf'],
      theme: 'book',
    });
    expect(book.files.flatMap((file) => file.messages.map(String))).toEqual([]);
    const printed = book.reports[0]!.editions[0]!.bytes;
    const json = await qpdfJson(printed);
    const dests = destinations(json);
    const all = links(json);
    const notes = [...dests.keys()].filter((id) => id.startsWith('user-content-fn-'));
    expect(notes.length).toBeGreaterThan(20);
    const late: string[] = [];
    for (const id of notes) {
      const reference = all.find((link) => link.to === id);
      const page = dests.get(id)!;
      expect(reference, id).toBeDefined();
      expect(page - reference!.page, id).toBeGreaterThanOrEqual(0);
      expect(page - reference!.page, id).toBeLessThanOrEqual(1);
      if (page > reference!.page) late.push(id);
    }
    // Only where the page had no room: most notes are on the page of their reference.
    expect(late.length).toBeLessThan(notes.length / 10);
  });

  it('has an EPUB page list that follows the print over hundreds of pages, notes and a long table', async () => {
    const { entries } = await checkPages(result, 'A Long Report');
    expect(entries.length).toBeGreaterThan(150);
  });

  it(
    'is made again byte for byte, PDF and EPUB, by the command with its own Chromium, in another time zone, with ' +
      'SOURCE_DATE_EPOCH',
    async () => {
      // This process keeps the machine's time zone; the command runs in one that is 12 h 45 min from UTC.
      const zone = 'Pacific/Chatham';
      expect(Intl.DateTimeFormat().resolvedOptions().timeZone).not.toBe(zone);
      const out = path.join(dir, 'again');
      const run = await imprint(['build', manuscript, '--out', out, '--format', 'pdf,epub', '--quiet'], {
        env: { SOURCE_DATE_EPOCH: String(sourceDateEpoch), TZ: zone },
      });
      expect(run).toMatchObject({ code: 0, stderr: '' });
      const again = await readFile(path.join(out, 'long.pdf'));
      expect(again.byteLength).toBeGreaterThan(1_000_000);
      expect(Buffer.compare(again, Buffer.from(pdf))).toBe(0);
      expect(Buffer.compare(await readFile(path.join(out, 'long.epub')), Buffer.from(epub))).toBe(0);
      const info = await pdfInfo(pdf);
      expect(info.CreationDate).toMatch(/Jul\s+8 00:00:00 2017 UTC/);
      expect(info.ModDate).toBe(info.CreationDate);
    },
  );
});
