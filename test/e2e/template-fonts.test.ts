import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toSfnt } from '../../src/assets/font-files.js';
import { epubEntries, epubFiles } from '../helpers/epub.js';
import { bookmarks, pageTexts, qpdfJson } from '../helpers/pdf.js';
import { contentsEntries, contentsProblems } from '../helpers/print-checks.js';
import { epubcheck, pdfFonts, pdfInfo, temporaryFolder } from '../helpers/tools.js';
import { connectSharedBrowser } from '../helpers/shared-browser.js';
import { buildInMemory } from '../helpers/build.js';

/**
 * A template folder that brings its own face and page size (test/templates/house-style: `@font-face` to
 * fonts/House.woff2, `@page { size: 170mm 240mm }`), in every edition of the default report, built once: the PDF
 * embeds the face (subset) and is printed on the template's paper with its contents page right; the HTML edition
 * carries the font inline; the EPUB holds it subset to the book's characters and passes epubcheck. And a paper
 * named in the front matter wins over the template's size.
 */
const manuscript = path.resolve(import.meta.dirname, '../../manuscript/report.md');
const templateDir = path.resolve(import.meta.dirname, '../templates/house-style');
const fontFile = path.join(templateDir, 'fonts/House.woff2');
/** The name the font file gives itself, which pdffonts shows (after the subset's tag). */
const houseName = /^[A-Z]{6}\+SourceCodeProExtraLight-ExtraLight$/;
const mm = 72 / 25.4;

function pageSize(info: Record<string, string>): { width: number; height: number } {
  const [width, height] = /([\d.]+) x ([\d.]+) pts/
    .exec(info['Page size'] ?? '')!
    .slice(1)
    .map(Number);
  return { width: width!, height: height! };
}

describe('a template folder with its own font and page size', () => {
  let html: string;
  let pdf: Uint8Array;
  let epub: Uint8Array;

  beforeAll(async () => {
    const result = await buildInMemory({
      manuscripts: [manuscript],
      formats: ['html', 'pdf', 'epub'],
      config: false,
      templateDir,
    });
    // No page-layout-mismatch either: the measuring pass had the template's page.
    expect(result.files.flatMap((file) => file.messages.map(String))).toEqual([]);
    const bytes = (format: string) => result.reports[0]!.editions.find((edition) => edition.format === format)!.bytes;
    html = new TextDecoder().decode(bytes('html'));
    pdf = bytes('pdf');
    epub = bytes('epub');
  }, 600_000);

  it('PDF: the face is embedded, subset, and sets the running heads and folios too', async () => {
    const fonts = await pdfFonts(pdf);
    expect(fonts.filter((font) => houseName.test(font.name))).toEqual([expect.objectContaining({ embedded: true })]);
    // On the contents page only the running head and the folio are set in it (the entries are in the text face).
    const contentsPage = (await pageTexts(pdf)).findIndex((text) => text.includes('Contents')) + 1;
    expect(contentsPage).toBeGreaterThan(1);
    expect((await pdfFonts(pdf, contentsPage)).map((font) => font.name)).toContainEqual(
      expect.stringMatching(houseName),
    );
  });

  it("PDF: printed on the template's page size, the contents page giving the pages the headings are on", async () => {
    const size = pageSize(await pdfInfo(pdf));
    expect(size.width / mm).toBeCloseTo(170, 0);
    expect(size.height / mm).toBeCloseTo(240, 0);
    const entries = contentsEntries(await pageTexts(pdf, true));
    expect(entries.length).toBeGreaterThan(3);
    expect(contentsProblems(entries, bookmarks(await qpdfJson(pdf)), await pageTexts(pdf))).toEqual([]);
  });

  it('HTML: the font is inlined whole as a data: URL, which the page policy allows', async () => {
    const font = await readFile(fontFile);
    expect(html).toContain(`font-family: "House";\n  src: url("data:font/woff2;base64,${font.toString('base64')}")`);
    expect(html).not.toContain('template-fonts/');
    expect(html).toContain('font-src data:');
  });

  it('EPUB: the font subset into the package, named by its style sheet, and epubcheck passes', async () => {
    const entries = await epubEntries(epub);
    const embedded = [...entries].filter(([name]) => /^OEBPS\/fonts\/template-[0-9a-f]+\.ttf$/.test(name));
    expect(embedded).toHaveLength(1);
    const [name, bytes] = embedded[0]!;
    // Smaller than the whole font, decompressed to the same format.
    expect(bytes.length).toBeLessThan((await toSfnt(await readFile(fontFile))).length);
    const files = await epubFiles(epub);
    const css = [...files].find(([file]) => file.endsWith('style.css'))![1];
    expect(css).toContain(`src: url("fonts/${path.basename(name)}")`);
    const opf = [...files].find(([file]) => file.endsWith('.opf'))![1];
    expect(opf).toContain(`href="fonts/${path.basename(name)}" media-type="font/ttf"`);
    expect(await epubcheck(epub)).toMatchObject({ fatals: 0, errors: 0, warnings: 0 });
  });

  it("charts: their text, measured in the template's chart face, stays inside each chart", async () => {
    const file = path.join(await temporaryFolder(), 'report.html');
    await writeFile(file, html);
    const browser = await connectSharedBrowser();
    const page = await browser.newPage();
    try {
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      const found = await page.evaluate(async () => {
        await document.fonts.ready;
        const charts = [...document.querySelectorAll('figure.chart svg')] as SVGSVGElement[];
        const outside: string[] = [];
        let texts = 0;
        for (const svg of charts) {
          const box = svg.viewBox.baseVal;
          for (const text of svg.querySelectorAll('text')) {
            texts++;
            const bounds = (text as SVGTextElement).getBBox();
            if (bounds.x < box.x - 1 || bounds.x + bounds.width > box.x + box.width + 1)
              outside.push(`${text.textContent}: ${bounds.x.toFixed(1)}–${(bounds.x + bounds.width).toFixed(1)}`);
          }
        }
        const family = charts[0] ? getComputedStyle(charts[0].querySelector('text')!).fontFamily : '';
        return { charts: charts.length, texts, outside, family, loaded: document.fonts.check('12px House') };
      });
      expect(found.charts).toBe(2);
      expect(found.texts).toBeGreaterThan(20);
      expect(found.loaded).toBe(true);
      expect(found.family).toMatch(/^House\b/);
      expect(found.outside).toEqual([]);
    } finally {
      await page.close();
      await browser.disconnect();
    }
  });

  it("a paper named in the front matter wins over the template's page size", async () => {
    const dir = await temporaryFolder();
    await writeFile(path.join(dir, 'r.md'), '---\ntitle: Named\npaper: letter\n---\n\n# One\n\nText.\n');
    const result = await buildInMemory({
      manuscripts: [path.join(dir, 'r.md')],
      formats: ['pdf'],
      config: false,
      templateDir,
    });
    expect(result.files.flatMap((file) => file.messages.map(String))).toEqual([]);
    const size = pageSize(await pdfInfo(result.reports[0]!.editions[0]!.bytes));
    expect(size).toEqual({ width: 612, height: 792 });
  });
});
