import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuildResult } from '../../src/api.js';
import { epubFiles, packageDocument } from '../helpers/epub.js';
import { pageWords } from '../helpers/pdf.js';
import { epubcheck, temporaryFolder } from '../helpers/tools.js';
import { buildInMemory } from '../helpers/build.js';

/** An Arabic report with Latin words and numbers inside, a list, and chapters: right to left in every edition. */
const manuscript = `---
title: تقرير تجريبي
author: كاتب
date: 2026-01-01
lang: ar
chapters: true
---

# المقدمة

هذا نص عربي يحتوي على كلمة لاتينية :span[YouTube (2024)]{dir=ltr} وأرقام 123 و 45.6 داخل الجملة.

- البند الأول
- البند الثاني مع English words
- البند الثالث
`;

async function buildText(text: string): Promise<BuildResult> {
  const dir = await temporaryFolder();
  const file = path.join(dir, 'report.md');
  await writeFile(file, text);
  return buildInMemory({
    manuscripts: [file],
    formats: ['html', 'pdf', 'epub'],
  });
}

/** A4 width in points, and the template's side margins (20 mm). */
const pageWidth = 594.96;
const margin = (20 / 25.4) * 72;

describe('right to left', () => {
  let result: BuildResult;
  const edition = (format: string) =>
    result.reports[0]!.editions.find((candidate) => candidate.format === format)!.bytes;

  beforeAll(async () => {
    result = await buildText(manuscript);
  });

  it('sets the direction on the HTML page, and a span in the other direction apart', () => {
    expect(result.files.flatMap((file) => file.messages.map(String))).toEqual([]);
    const html = new TextDecoder().decode(edition('html'));
    expect(html).toMatch(/<html lang="ar" dir="rtl">/);
    expect(html).toContain('<span dir="ltr">YouTube (2024)</span>');
  });

  it(
    'sets headings against the right margin of the PDF, list items on the right, the short title ' +
      'right and the chapter left',
    async () => {
      const words = await pageWords(edition('pdf'));
      const page = words[2]!;
      const top = (22 / 25.4) * 72;
      // pdftotext cuts Arabic words into pieces, in drawing order: lines and sides are compared by their letters.
      const letters = (list: typeof page) =>
        [
          ...list
            .map((word) => word.text)
            .join('')
            .normalize('NFKC'),
        ]
          .filter((c) => c.trim() !== '')
          .sort()
          .join('');
      const of = (text: string) => [...text.replace(/\s+/g, '')].sort().join('');
      const body = page.filter((word) => (word.yMin + word.yMax) / 2 > top);
      // The heading is the first line of the body: it ends at the right margin and stays on the right half.
      const firstTop = Math.min(...body.map((word) => word.yMin));
      const heading = body.filter((word) => word.yMin < firstTop + 4);
      expect(letters(heading)).toBe(of('المقدمة'));
      expect(pageWidth - margin - Math.max(...heading.map((word) => word.xMax))).toBeLessThan(2);
      expect(Math.min(...heading.map((word) => word.xMin))).toBeGreaterThan(pageWidth / 2);
      // The list items are on the right half of the page.
      const items = body.filter(
        (word) => letters([word]).length > 0 && /البند|الأول|الثالث/.test(word.text.normalize('NFKC')),
      );
      for (const item of items) expect(item.xMin).toBeGreaterThan(pageWidth / 2);
      // Running heads: the short title on the right, the chapter's title on the left.
      const heads = page.filter((word) => word.yMax < top);
      expect(letters(heads.filter((word) => word.xMin > pageWidth / 2))).toBe(of('تقرير تجريبي'));
      expect(letters(heads.filter((word) => word.xMax < pageWidth / 2))).toBe(of('المقدمة'));
    },
  );

  it('turns the EPUB’s pages from right to left, with every document right to left, and passes epubcheck', async () => {
    const epub = edition('epub');
    const opf = await packageDocument(epub);
    expect(opf.xml).toContain('<spine toc="ncx" page-progression-direction="rtl">');
    const files = await epubFiles(epub);
    for (const href of opf.spine) expect(files.get(opf.base + href), href).toMatch(/<html [^>]*lang="ar" dir="rtl">/);
    const check = await epubcheck(epub);
    expect({ fatals: check.fatals, errors: check.errors, warnings: check.warnings }, check.output).toEqual({
      fatals: 0,
      errors: 0,
      warnings: 0,
    });
  });

  it('takes the direction from `dir` whatever the language', async () => {
    const rtl = await buildText(manuscript.replace('lang: ar', 'lang: en\ndir: rtl'));
    const html = new TextDecoder().decode(
      rtl.reports[0]!.editions.find((candidate) => candidate.format === 'html')!.bytes,
    );
    expect(html).toMatch(/<html lang="en" dir="rtl">/);
    const ltr = await buildText(manuscript.replace('lang: ar', 'lang: ar\ndir: ltr'));
    const epub = ltr.reports[0]!.editions.find((candidate) => candidate.format === 'epub')!.bytes;
    expect((await packageDocument(epub)).xml).toContain('<spine toc="ncx">');
  });
});
