import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { imprint } from '../helpers/cli.js';
import {
  bookmarks,
  destinations,
  links,
  pageSizes,
  pageTexts,
  pageWords,
  qpdfCheck,
  qpdfJson,
} from '../helpers/pdf.js';
import { VFile } from 'vfile';
import { pageBlocks, type PageMap } from '../../src/document/page-map.js';
import { diskReader } from '../../src/compile/resources.js';
import { compile, type CompiledDocument } from '../../src/compile/pipeline.js';
import {
  bodyLines,
  contentsEntries,
  contentsProblems,
  runningHeadProblems,
  widowProblems,
} from '../helpers/print-checks.js';
import { pdfFonts, pdfInfo, temporaryFolder } from '../helpers/tools.js';
import { buildInMemory } from '../helpers/build.js';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Empty when two PDFs are the same bytes; else where they first differ, and how their laid-out text differs
 * (a different layout, or the same text written differently), so that a failure says which it was.
 */
async function difference(a: Uint8Array, b: Uint8Array): Promise<string> {
  if (Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0) return '';
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at++;
  const around = (bytes: Uint8Array) => JSON.stringify(Buffer.from(bytes.subarray(at, at + 60)).toString('latin1'));
  const [pagesA, pagesB] = await Promise.all([pageTexts(a, true), pageTexts(b, true)]);
  const pages: string[] = [];
  for (let page = 0; page < Math.max(pagesA.length, pagesB.length); page++) {
    const linesA = (pagesA[page] ?? '').split('\n');
    const linesB = (pagesB[page] ?? '').split('\n');
    const line = linesA.findIndex((text, index) => text !== linesB[index]);
    if (line >= 0 || linesA.length !== linesB.length) {
      const at = line >= 0 ? line : Math.min(linesA.length, linesB.length);
      pages.push(`page ${page + 1}, line ${at + 1}: ${JSON.stringify(linesA[at])} / ${JSON.stringify(linesB[at])}`);
    }
  }
  return (
    `${a.length} and ${b.length} bytes, first different at byte ${at}: ${around(a)} / ${around(b)}; ` +
    `${pagesA.length} and ${pagesB.length} pages; ` +
    (pages.length === 0 ? 'the same text on every page' : `text differs on ${pages.slice(0, 5).join('; ')}`)
  );
}
const manuscript = path.join(root, 'manuscript/report.md');
const shortTitle = 'Defrosting Sino-Japanese Relations';
const epoch = 1499472000; // 8 July 2017, 00:00 UTC

/** A4: 210 × 297 mm, as Chromium writes it (in points). */
const a4 = { width: 594.96, height: 841.92 };
/** The page area of the template's margins (22, 20, 24, 20 mm) in points from the top. */
const area = { top: (22 / 25.4) * 72, bottom: a4.height - (24 / 25.4) * 72 };

describe('the default report in print', () => {
  let pdf: Uint8Array;
  let pageMapPages: number | undefined;
  let pageMap: PageMap;
  let compiled: CompiledDocument;

  beforeAll(async () => {
    const result = await buildInMemory({
      manuscripts: [manuscript],
      formats: ['pdf'],
      sourceDateEpoch: epoch,
    });
    expect(result.files.flatMap((file) => file.messages.map(String))).toEqual([]);
    pdf = result.reports[0]!.editions[0]!.bytes;
    pageMap = result.reports[0]!.pageMap!;
    pageMapPages = pageMap.pages;
    compiled = (await compile(new VFile({ path: manuscript, value: await readFile(manuscript, 'utf8') }), {
      reader: diskReader,
      projectRoot: path.dirname(manuscript),
    }))!;
  });

  it('names on its contents page the page each heading is printed on', async () => {
    const json = await qpdfJson(pdf);
    const entries = contentsEntries(await pageTexts(pdf, true));
    expect(entries.map((entry) => entry.title)).toEqual([
      'Synopsis',
      'Commentary',
      'Growing Warmth in Ties',
      'The Catalyst',
      'Road Ahead',
    ]);
    expect(contentsProblems(entries, bookmarks(json), await pageTexts(pdf, true))).toEqual([]);
    // The same pages as the links of the contents page go to.
    const dests = destinations(json);
    expect(entries.map((entry) => entry.page)).toEqual(
      ['synopsis', 'commentary', 'growing-warmth-in-ties', 'the-catalyst', 'road-ahead'].map((id) => dests.get(id)),
    );
    expect(pageMapPages).toBe(json.pages.length);
  });

  it(
    'has a cover without running head or folio, then the short title on top and “N / M” at the foot ' + 'of every page',
    async () => {
      expect(runningHeadProblems(await pageWords(pdf), area, shortTitle)).toEqual([]);
      const cover = (await pageTexts(pdf))[0]!.replace(/\s+/g, ' ');
      expect(cover).toContain('Defrosting Sino-Japanese Relations: What Now?');
      expect(cover).toContain('Amrita Jash');
      expect(cover).toContain('July 2017');
    },
  );

  it(
    'has bookmarks for the title, the contents and every heading, nested as the headings are, ' +
      'titled with their text',
    async () => {
      expect(bookmarks(await qpdfJson(pdf)).map((mark) => [mark.depth, mark.title])).toEqual([
        [0, 'Defrosting Sino-Japanese Relations: What Now?'],
        [1, 'Contents'],
        [1, 'Synopsis'],
        [1, 'Commentary'],
        [2, 'Growing Warmth in Ties'],
        [2, 'The Catalyst'],
        [2, 'Road Ahead'],
      ]);
    },
  );

  it('takes its document information from the front matter, stays tagged, and stays a sound PDF', async () => {
    const info = await pdfInfo(pdf);
    expect(info.Title).toBe('Defrosting Sino-Japanese Relations: What Now?');
    expect(info.Author).toBe('Amrita Jash');
    expect(info.Subject).toMatch(/^The recent commitment to dialogue between Xi Jinping and Shinzo Abe in Hamburg/);
    expect(info.Keywords).toBe(
      'China, Japan, Sino-Japanese relations, Belt and Road Initiative, Partnership for Quality ' +
        'Infrastructure, Xi Jinping, Shinzo Abe',
    );
    expect(info.Creator).toMatch(/^imprint \d+\.\d+\.\d+$/);
    expect(info.CreationDate).toMatch(/Jul\s+8 00:00:00 2017 UTC/);
    expect(info.Tagged).toBe('yes');
    expect(await qpdfCheck(pdf)).toMatchObject({ ok: true });
    const catalog = Buffer.from(pdf).toString('latin1');
    expect(catalog).toMatch(/\/StructTreeRoot \d+ 0 R/);
    expect(catalog).toContain('/Lang (en-GB)');
  });

  it('links every contents entry and source note to a destination in the file', async () => {
    const json = await qpdfJson(pdf);
    const dests = destinations(json);
    const all = links(json);
    expect(all.length).toBeGreaterThanOrEqual(5);
    for (const link of all) expect(dests.has(link.to), link.to).toBe(true);
  });

  it('sets every page on A4 in the fonts imprint ships, and no other', async () => {
    expect(new Set((await pageSizes(pdf)).map((size) => `${size.width} x ${size.height}`))).toEqual(
      new Set([`${a4.width} x ${a4.height}`]),
    );
    const fonts = await pdfFonts(pdf);
    for (const font of fonts) {
      expect(font.embedded).toBe(true);
      expect(font.name).toMatch(/^[A-Z]{6}\+(SourceSerif4|SourceCodePro|NotoSerifSC|NotoSerifJP)/);
      expect(font.name).not.toMatch(/DejaVu|Liberation/);
    }
  });

  it('prints on US Letter with --paper letter, the contents still right and no widow or orphan', async () => {
    const out = await temporaryFolder();
    const run = await imprint([
      'build',
      manuscript,
      '--out',
      out,
      '--format',
      'pdf',
      '--paper',
      'letter',
      '--browser-ws-endpoint',
      inject('browserWSEndpoint'),
      '--quiet',
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const letter = new Uint8Array(await readFile(path.join(out, 'report.pdf')));
    expect(new Set((await pageSizes(letter)).map((size) => `${size.width} x ${size.height}`))).toEqual(
      new Set(['612 x 792']),
    );
    expect((await pdfInfo(letter))['Page size']).toContain('letter');
    const entries = contentsEntries(await pageTexts(letter, true));
    expect(entries).toHaveLength(5);
    expect(contentsProblems(entries, bookmarks(await qpdfJson(letter)), await pageTexts(letter, true))).toEqual([]);
    // The same build through the API, for its page map: every paragraph broken across pages keeps two lines each side.
    const again = await buildInMemory({
      manuscripts: [manuscript],
      formats: ['pdf'],
      paper: 'letter',
    });
    const words = await pageWords(again.reports[0]!.editions[0]!.bytes);
    const letterArea = { top: area.top, bottom: 792 - (24 / 25.4) * 72 };
    const { problems } = widowProblems(again.reports[0]!.pageMap!, pageBlocks(compiled.tree), (page) =>
      bodyLines(words[page - 1]!, letterArea.top, letterArea.bottom),
    );
    expect(problems).toEqual([]);
  });

  it(
    'sets the timeline a little smaller to keep it on the page below its table, instead of leaving ' +
      'half that page empty',
    async () => {
      expect(pageMap.pageOfId.get('fig-exchanges')).toBe(pageMap.pageOfId.get('tbl-exchanges'));
      const text = (await pageTexts(pdf))[pageMap.pageOfId.get('fig-exchanges')! - 1]!;
      expect(text).toContain('Figure 1.');
      expect(text).toContain('Xi Jinping and Shinzo Abe meet on the sidelines');
    },
  );

  it(
    'fills every body page but the last to within 15 % of its foot, on A4 and on US Letter, ' +
      'deferring a figure that cannot fit',
    async () => {
      /**
       * Share of the page area below the lowest word of each page from the first body page to the one before the last.
       */
      const emptyShares = async (printed: Uint8Array, bottom: number) => {
        const words = await pageWords(printed);
        const first = pageMap.pageOfId.get('synopsis')!;
        return words.slice(first - 1, -1).map((page, index) => {
          const lowest = Math.max(
            ...page.filter((word) => word.yMin > area.top && word.yMax < bottom).map((word) => word.yMax),
          );
          return { page: first + index, empty: Math.round((100 * (bottom - lowest)) / (bottom - area.top)) };
        });
      };
      const a4Shares = await emptyShares(pdf, area.bottom);
      expect(a4Shares.length).toBeGreaterThan(2);
      expect(a4Shares.filter((share) => share.empty > 15)).toEqual([]);
      const letter = await buildInMemory({
        manuscripts: [manuscript],
        formats: ['pdf'],
        paper: 'letter',
      });
      const letterShares = await emptyShares(letter.reports[0]!.editions[0]!.bytes, 792 - (24 / 25.4) * 72);
      expect(letterShares.length).toBeGreaterThan(2);
      expect(letterShares.filter((share) => share.empty > 15)).toEqual([]);
      // On US Letter the timeline does not fit below its table even at 70 %: the next section's first
      // paragraphs fill that page, and the figure heads the page after, before the rest of the text.
      const letterMap = letter.reports[0]!.pageMap!;
      expect(letterMap.pageOfId.get('fig-exchanges')).toBe(letterMap.pageOfId.get('tbl-exchanges')! + 1);
      expect(letterMap.pageOfId.get('the-catalyst')).toBe(letterMap.pageOfId.get('tbl-exchanges'));
    },
  );

  it('leaves no widow or orphan on A4 either', async () => {
    const words = await pageWords(pdf);
    const { problems } = widowProblems(pageMap, pageBlocks(compiled.tree), (page) =>
      bodyLines(words[page - 1]!, area.top, area.bottom),
    );
    expect(problems).toEqual([]);
  });

  it('prints on US Letter when the front matter says `paper: letter`', async () => {
    const project = await temporaryFolder();
    await cp(path.join(root, 'manuscript'), project, { recursive: true });
    const copy = path.join(project, 'report.md');
    await writeFile(copy, (await readFile(copy, 'utf8')).replace('lang: en-GB\n', 'lang: en-GB\npaper: letter\n'));
    const result = await buildInMemory({
      manuscripts: [copy],
      formats: ['pdf'],
    });
    expect(result.ok).toBe(true);
    const letter = result.reports[0]!.editions[0]!.bytes;
    expect(new Set((await pageSizes(letter)).map((size) => `${size.width} x ${size.height}`))).toEqual(
      new Set(['612 x 792']),
    );
  });

  it('measures the page map for an EPUB-only build too, without printing', async () => {
    const result = await buildInMemory({
      manuscripts: [manuscript],
      formats: ['epub'],
    });
    const map = result.reports[0]!.pageMap!;
    expect(map.pages).toBe(pageMapPages);
    expect(map.starts[0]).toEqual({ page: 3, block: 0, offset: 0 });
    // Every heading on the page the printed PDF has it (its bookmark), though nothing was printed.
    const printed = bookmarks(await qpdfJson(pdf));
    for (const entry of compiled.outline) {
      expect(map.pageOfId.get(entry.id), entry.id).toBe(printed.find((mark) => mark.title === entry.text)?.page);
    }
  });

  it('prints again, with the contents right, when the layout is one the measuring pass cannot model', async () => {
    // Pages of another size in the middle of the report: columns of one size cannot follow them.
    const templates = await temporaryFolder();
    await cp(path.join(root, 'templates'), templates, { recursive: true });
    const css = path.join(templates, 'print.css');
    await writeFile(
      css,
      `${await readFile(css, 'utf8')}\n@page roomy { margin: 60mm 20mm; }\nsection.level-2 { page: roomy; }\n`,
    );
    const result = await buildInMemory({
      manuscripts: [manuscript],
      formats: ['pdf'],
      templateDir: templates,
    });
    expect(result.ok).toBe(true);
    expect(result.files[0]!.messages.map((message) => message.ruleId)).toEqual(['page-layout-mismatch']);
    const printed = result.reports[0]!.editions[0]!.bytes;
    const entries = contentsEntries(await pageTexts(printed, true));
    expect(entries).toHaveLength(5);
    expect(contentsProblems(entries, bookmarks(await qpdfJson(printed)), await pageTexts(printed, true))).toEqual([]);
  });

  it(
    'is byte for byte the same when built again with SOURCE_DATE_EPOCH, in another time zone, by ' + 'another Chromium',
    async () => {
      const builds = [];
      for (const zone of ['Asia/Tokyo', 'America/Los_Angeles']) {
        const out = await temporaryFolder();
        const run = await imprint(['build', manuscript, '--out', out, '--format', 'pdf', '--quiet'], {
          env: { SOURCE_DATE_EPOCH: String(epoch), TZ: zone },
        });
        expect(run).toMatchObject({ code: 0, stderr: '' });
        builds.push(new Uint8Array(await readFile(path.join(out, 'report.pdf'))));
      }
      expect(await difference(builds[0]!, builds[1]!)).toBe('');
      expect(await difference(builds[0]!, pdf)).toBe('');
    },
  );
});
