import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Theme } from '../../src/api.js';
import { epubFiles } from '../helpers/epub.js';
import { bookmarks, pageTexts, pageWords, pixelsOfColour, qpdfJson, type Word } from '../helpers/pdf.js';
import { contentsEntries, contentsProblems } from '../helpers/print-checks.js';
import { epubcheck, temporaryFolder } from '../helpers/tools.js';
import { buildInMemory } from '../helpers/build.js';

/**
 * The shipped themes (`theme: book`, `theme: brief`), each in every edition of the default report: the theme's
 * rules reach the HTML edition and the EPUB (which epubcheck passes), the PDF's contents page still gives the
 * pages the headings are printed on, and the page is set as the theme says: mirrored margins in the book, the
 * brief's narrower ones. And a house style whose margins only Chromium can resolve (`calc()`, `var()`) is
 * measured as Chromium lays it out.
 */
const manuscript = path.resolve(import.meta.dirname, '../../manuscript/report.md');
const mm = 72 / 25.4;

interface Editions {
  html: string;
  pdf: Uint8Array;
  epub: Uint8Array;
}

async function editions(theme: Theme | undefined): Promise<Editions> {
  const result = await buildInMemory({
    manuscripts: [manuscript],
    formats: ['html', 'pdf', 'epub'],
    config: false,
    ...(theme ? { theme } : {}),
  });
  expect(result.files.flatMap((file) => file.messages.map(String))).toEqual([]);
  const bytes = (format: string) => result.reports[0]!.editions.find((edition) => edition.format === format)!.bytes;
  return { html: new TextDecoder().decode(bytes('html')), pdf: bytes('pdf'), epub: bytes('epub') };
}

/** The left edge of the body text on each page after the contents: the leftmost word below the running head. */
function leftEdges(pages: Word[][]): number[] {
  return pages.slice(2).map((words) => Math.min(...words.filter((word) => word.yMin > 30 * mm).map((w) => w.xMin)));
}

describe('the shipped themes', () => {
  const built = new Map<string, Editions>();

  beforeAll(async () => {
    for (const theme of [undefined, 'book', 'brief'] as const) built.set(theme ?? 'default', await editions(theme));
  }, 600_000);

  for (const theme of ['book', 'brief'] as const) {
    it(`${theme}: its rules reach the HTML edition and the EPUB, which epubcheck passes`, async () => {
      const { html, epub } = built.get(theme)!;
      expect(html).toContain(`imprint theme "${theme}"`);
      expect(built.get('default')!.html).not.toContain('imprint theme');
      const css = [...(await epubFiles(epub))].find(([name]) => name.endsWith('style.css'))![1];
      expect(css).toContain(`imprint theme "${theme}"`);
      const checked = await epubcheck(epub);
      expect(checked).toMatchObject({ fatals: 0, errors: 0, warnings: 0 });
    });

    it(`${theme}: the contents page gives the pages the headings are printed on`, async () => {
      const { pdf } = built.get(theme)!;
      const layout = await pageTexts(pdf, true);
      const entries = contentsEntries(layout);
      expect(entries.length).toBeGreaterThan(3);
      expect(contentsProblems(entries, bookmarks(await qpdfJson(pdf)), await pageTexts(pdf))).toEqual([]);
    });
  }

  it('book: mirrored margins, the wider one on the inner edge, and the same text width on every page', async () => {
    const edges = leftEdges(await pageWords(built.get('book')!.pdf));
    expect(edges.length).toBeGreaterThan(2);
    // Page 3 is a right-hand page: its inner (left) margin is 24 mm; a left-hand page's is 14 mm.
    for (const [index, edge] of edges.entries()) {
      const page = index + 3;
      expect(edge / mm, `page ${page}`).toBeCloseTo(page % 2 === 1 ? 24 : 14, 0);
    }
  });

  it('book, right to left: the first page is a left-hand one, the inner margin on the right of odd pages', async () => {
    const dir = await temporaryFolder();
    const paragraph = 'هذه فقرة تجريبية باللغة العربية لاختبار اتجاه النص من اليمين إلى اليسار في التقرير. '.repeat(6);
    const sections = [1, 2, 3, 4, 5, 6].map((n) => `# القسم ${n}\n\n${Array(5).fill(paragraph).join('\n\n')}`);
    await writeFile(path.join(dir, 'ar.md'), `---\ntitle: تقرير\nlang: ar\n---\n\n${sections.join('\n\n')}\n`);
    const result = await buildInMemory({
      manuscripts: [path.join(dir, 'ar.md')],
      formats: ['pdf'],
      config: false,
      theme: 'book',
    });
    expect(result.files.flatMap((file) => file.messages.map(String))).toEqual([]);
    const edges = leftEdges(await pageWords(result.reports[0]!.editions[0]!.bytes));
    expect(edges.length).toBeGreaterThan(2);
    for (const [index, edge] of edges.entries()) {
      const page = index + 3;
      expect(edge / mm, `page ${page}`).toBeCloseTo(page % 2 === 1 ? 14 : 24, 0);
    }
  });

  it('brief: its charts drawn in its accent colour, taken from the custom property the charts read', async () => {
    const { html, pdf } = built.get('brief')!;
    expect(html).toMatch(/class="chart-fill-accent"|class="[^"]*chart-stroke-accent/);
    const plain = built.get('default')!.pdf;
    const chartPage = (await pageTexts(plain)).findIndex((text) => text.includes('Figure 1.')) + 1;
    expect(chartPage).toBeGreaterThan(2);
    const briefPage = (await pageTexts(pdf)).findIndex((text) => text.includes('Figure 1.')) + 1;
    // The default's Okabe–Ito blue, against the brief's darker one: each shows only its own.
    expect(await pixelsOfColour(plain, chartPage, '#0072b2', 50, 12)).toBeGreaterThan(50);
    expect(await pixelsOfColour(plain, chartPage, '#0b4f8a', 50, 12)).toBeLessThan(10);
    expect(await pixelsOfColour(pdf, briefPage, '#0b4f8a', 50, 12)).toBeGreaterThan(50);
    expect(await pixelsOfColour(pdf, briefPage, '#0072b2', 50, 12)).toBeLessThan(10);
  });

  it('brief: the narrower margins of its page, against the default 20 mm', async () => {
    const brief = leftEdges(await pageWords(built.get('brief')!.pdf));
    const plain = leftEdges(await pageWords(built.get('default')!.pdf));
    for (const edge of brief) expect(edge / mm).toBeCloseTo(18, 0);
    for (const edge of plain) expect(edge / mm).toBeCloseTo(20, 0);
  });
});

describe('a house style whose page margins are calc() and var()', () => {
  it('is measured as Chromium lays it out: printed once, the contents right, the margins as set', async () => {
    const dir = await temporaryFolder();
    const shipped = await readFile(path.resolve(import.meta.dirname, '../../templates/print.css'), 'utf8');
    await writeFile(
      path.join(dir, 'print.css'),
      `:root { --side: 15mm; }\n${shipped}\n` +
        '@page { margin: calc(20mm + 10mm) var(--side) calc(2 * 15mm) var(--side); }\n',
    );
    const result = await buildInMemory({
      manuscripts: [manuscript],
      formats: ['pdf'],
      config: false,
      templateDir: dir,
    });
    // No page-layout-mismatch: the measuring pass had the page area the PDF was printed with.
    expect(result.files.flatMap((file) => file.messages.map(String))).toEqual([]);
    const pdf = result.reports[0]!.editions[0]!.bytes;
    const entries = contentsEntries(await pageTexts(pdf, true));
    expect(contentsProblems(entries, bookmarks(await qpdfJson(pdf)), await pageTexts(pdf))).toEqual([]);
    for (const edge of leftEdges(await pageWords(pdf))) expect(edge / mm).toBeCloseTo(15, 0);
  });
});
