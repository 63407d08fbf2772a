import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { epubFiles, packageDocument } from '../helpers/epub.js';
import { pageTexts, pageWords, type Word } from '../helpers/pdf.js';
import { ace, epubcheck, pdfFonts, temporaryFolder } from '../helpers/tools.js';
import { buildInMemory } from '../helpers/build.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/apparatus');

/** Body paragraphs whose words the size check measures on every page. */
const filler = (count: number) =>
  Array.from(
    { length: count },
    (_, index) =>
      `Filler paragraph ${index + 1} of the body text, set at the size of the template, ` +
      'long enough to fill a line or two of the page so that every page holds some of it.',
  ).join('\n\n');

const wideContent = `
\`\`\`text
${'x'.repeat(200)}
\`\`\`

${filler(12)}

| ${Array.from({ length: 12 }, (_, index) => `Column${index + 1}`).join(' | ')} |
|${'---|'.repeat(12)}
| ${Array.from({ length: 12 }, (_, index) => `Unbreakablecellvaluenumber${index + 1}`).join(' | ')} |

${filler(12)}

A link: https://example.org/${'path'.repeat(75)}

${filler(12)}
`;

const manuscript = (body: string) => `---
title: Apparatus
author: A. Writer
lof: true
lot: true
---

# Formulas

Energy is $E = mc^2$.

$$
\\int_0^1 x^2\\,dx = \\frac{1}{3}
$$
:eq[#eq-area]

By :ref[#eq-area], and see :ref[#lst-greet], :ref[#fig-checks] and :ref[#tbl-regions].

# Code

\`\`\`python {#lst-greet caption="Greeting someone" .numberLines}
def greet(name):
    return f"Hello, {name}"  # the greeting
\`\`\`

> [!WARNING]
> Mind the gap.

:::callout{type=tip title="A hint"}
Short.
:::

# Figures

![A checkered test image](logo.png){#fig-checks width=60%}

| Region | Pledged |
|--------|--------:|
| North  | 12      |

: Pledges by region {#tbl-regions}

${body}`;

async function editions(body: string, formats: Array<'html' | 'pdf' | 'epub'>) {
  const dir = await temporaryFolder();
  await copyFile(path.join(fixtures, 'figures/logo.png'), path.join(dir, 'logo.png'));
  const file = path.join(dir, 'report.md');
  await writeFile(file, manuscript(body));
  const result = await buildInMemory({
    manuscripts: [file],
    formats,
  });
  expect(result.files.flatMap((f) => f.messages.map(String))).toEqual([]);
  const bytes = (format: string) => result.reports[0]!.editions.find((edition) => edition.format === format)?.bytes;
  return { html: bytes('html'), pdf: bytes('pdf'), epub: bytes('epub') };
}

/** The heights of the filler paragraphs' words, by page (pdftotext boxes grow with the font size). */
function fillerHeights(pages: Word[][]): Array<{ page: number; heights: number[] }> {
  return pages.map((words, index) => ({
    page: index + 1,
    heights: words
      .filter((word) => word.text === 'Filler')
      .map((word) => Math.round((word.yMax - word.yMin) * 100) / 100),
  }));
}

describe('math, code, figures, callouts and lists of them, in every edition', () => {
  let pdf: Uint8Array;
  let epub: Uint8Array;
  let html: string;

  beforeAll(async () => {
    const built = await editions(wideContent, ['html', 'pdf', 'epub']);
    pdf = built.pdf!;
    epub = built.epub!;
    html = new TextDecoder().decode(built.html!);
  });

  it(
    'prints a 200-character code line, a 12-column table and a 300-character URL without ' + 'scaling any page',
    async () => {
      const plain = await editions(filler(36), ['pdf']);
      const reference = fillerHeights(await pageWords(plain.pdf!)).flatMap((page) => page.heights);
      expect(reference.length).toBeGreaterThan(0);
      const size = reference[0]!;
      expect(reference.every((height) => height === size)).toBe(true);

      const pages = fillerHeights(await pageWords(pdf));
      const body = pages.filter((page) => page.page > 2);
      // Every page of the body has filler text, each word of it at the set size.
      expect(body.filter((page) => page.heights.length === 0).map((page) => page.page)).toEqual([]);
      expect(body.filter((page) => page.heights.some((height) => height !== size)).map((page) => page.page)).toEqual(
        [],
      );
      // No word runs past the right edge of the page area.
      const words = (await pageWords(pdf)).flat();
      expect(words.filter((word) => word.xMax > 595 - 50).map((word) => word.text)).toEqual([]);
    },
  );

  it('sets formulas in the shipped math face and code in the shipped mono faces', async () => {
    const fonts = (await pdfFonts(pdf)).map((font) => font.name);
    expect(fonts.some((name) => /NotoSansMath/.test(name))).toBe(true);
    expect(fonts.some((name) => /SourceCodePro.*-Bold/.test(name))).toBe(true);
    const text = (await pageTexts(pdf)).join('\n');
    expect(text).toContain('(1)');
    expect(text).toContain('By Equation 1, and see Listing 1, Figure 1 and Table 1.');
  });

  it('lists figures and tables after the contents, each with the page its caption is on', async () => {
    const pages = await pageTexts(pdf, true);
    const contents = pages[1]!;
    const entry = (label: string) => Number(new RegExp(`${label}\\.[^\\n]*?(\\d+)\\s*$`, 'm').exec(contents)?.[1]);
    const pageOf = (caption: string) => pages.findIndex((page, index) => index > 1 && page.includes(caption)) + 1;
    expect(contents).toContain('Figures');
    expect(contents).toContain('Tables');
    expect(entry('Figure 1')).toBe(pageOf('Figure 1. A checkered test image'));
    expect(entry('Table 1')).toBe(pageOf('Table 1. Pledges by region'));
  });

  it('writes MathML, highlighted code and asides into the HTML, without script', () => {
    expect(html).toContain('<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">');
    expect(html).toContain('<span class="hljs-keyword">def</span>');
    expect(html).toContain('<aside class="callout callout-warning" role="note">');
    expect(html).toContain('<nav class="toc figure-list list-of-figures"');
    expect(html).not.toMatch(/<script/i);
  });

  it('makes an EPUB that epubcheck and Ace pass, declaring MathML and listing figures and tables', async () => {
    const check = await epubcheck(epub);
    expect([check.fatals, check.errors, check.warnings]).toEqual([0, 0, 0]);
    const report = await ace(epub);
    expect(report.violations).toEqual([]);

    const opf = await packageDocument(epub);
    const files = await epubFiles(epub);
    const withMath = opf.manifest.filter((item) => /<math /.test(files.get(`${opf.base}${item.href}`) ?? ''));
    expect(withMath.length).toBeGreaterThan(0);
    for (const item of withMath) expect(item.properties).toContain('mathml');
    const nav = files.get(`${opf.base}toc.xhtml`) ?? '';
    expect(nav).toMatch(/<nav id="loi" epub:type="loi"[\s\S]*Figure 1\. A checkered test image/);
    expect(nav).toMatch(/<nav id="lot" epub:type="lot"[\s\S]*Table 1\. Pledges by region/);
    expect(nav).toContain('epub:type="page-list"');
    const chapters = [...files.values()].join('\n');
    expect(chapters).toContain('<aside class="callout callout-tip" role="note">');
    expect(chapters).not.toMatch(/<script/i);
  }, 600_000);
});
