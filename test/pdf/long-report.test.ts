import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { toString } from 'hast-util-to-string';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { VFile } from 'vfile';
import { writeLongManuscript } from '../../bench/long-manuscript.js';
import { build } from '../../src/api.js';
import { pageBlocks, type PageMap } from '../../src/document/page-map.js';
import { diskReader } from '../../src/compile/resources.js';
import { compile, type CompiledDocument } from '../../src/compile/pipeline.js';
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
import { runningHead } from '../../src/writers/print-page/print-document.js';
import {
  bodyLines,
  contentsEntries,
  contentsProblems,
  runningHeadProblems,
  squash,
  widowProblems,
} from '../helpers/print-checks.js';
import { pdfFonts, pdfInfo, temporaryFolder } from '../helpers/tools.js';

/** A4 in points, and the template's page area (margins 22, 20, 24, 20 mm) from the top. */
const a4 = { width: 594.96, height: 841.92 };
const area = { top: (22 / 25.4) * 72, bottom: a4.height - (24 / 25.4) * 72 };

describe('a long report in print (about 100,000 words, 250 pages)', () => {
  let pdf: Uint8Array;
  let pageMap: PageMap;
  let doc: CompiledDocument;
  let csv: string;
  let texts: string[];
  let layout: string[];
  let words: Word[][];
  let marks: Bookmark[];
  let json: Awaited<ReturnType<typeof qpdfJson>>;

  beforeAll(async () => {
    const dir = await temporaryFolder();
    const { manuscript } = await writeLongManuscript(dir);
    const result = await build({
      manuscripts: [manuscript],
      formats: ['pdf'],
      write: false,
      sourceDateEpoch: 1499472000,
      browser: { wsEndpoint: inject('browserWSEndpoint') },
    });
    expect(result.files.flatMap((file) => file.messages.map(String))).toEqual([]);
    pdf = result.reports[0]!.editions[0]!.bytes;
    pageMap = result.reports[0]!.pageMap!;
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
      for (const name of fonts) expect(name).toMatch(/^[A-Z]{6}\+(SourceSerif4|SourceCodePro|NotoSerifSC|NotoSerifJP)/);
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
