import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnBreakCss, pageArea } from '../../src/writers/pdf/page-css.js';
import { pageCss } from '../../src/writers/print-page/print-document.js';
import type { Metadata } from '../../src/document/metadata.js';

const printCss = () => readFile(path.resolve(import.meta.dirname, '../../templates/print.css'), 'utf8');
const metadata: Metadata = {
  title: 'T',
  shortTitle: 'T',
  authors: ['A'],
  lang: 'en',
  keywords: [],
  paper: 'a4',
  tocDepth: 2,
};

describe('what the measuring pass reads from the print style sheets', () => {
  it(
    'takes the page area from the paper and the template margins, in whole pixels rounded up as ' + 'Chromium lays out',
    async () => {
      const css = await printCss();
      // A4 less 20 mm at each side and 22 + 24 mm: 642.5 × 948.7 px.
      const a4 = pageArea([css], 'a4');
      expect(a4).toMatchObject({ width: 643, height: 949 });
      expect(a4.top).toBeCloseTo(83.15, 2);
      // US Letter: 664.8 × 882.1 px.
      expect(pageArea([css], 'letter')).toMatchObject({ width: 665, height: 883 });
      expect(pageArea(['@page { margin: 1in }', '@page :first { margin: 0 }'], 'a4')).toMatchObject({
        width: 602,
        height: 931,
      });
      expect(pageArea(['@page { margin: 10mm; margin-left: 30mm; @top-left { margin: 5mm } }'], 'a4')).toMatchObject({
        width: 643,
      });
    },
  );

  it('turns every forced page break that applies in print into a column break', async () => {
    const css = await printCss();
    const breaks = columnBreakCss([
      css,
      pageCss({ ...metadata, chapters: true }, [{ id: 'one', depth: 1, text: 'One' }]),
      '@media screen { .x { break-before: page } } @media print { .y { page-break-after: always } } ' +
        '.z { break-inside: avoid }',
      '@supports (display: grid) { .w { break-before: right } }',
    ]);
    expect(breaks.split('\n')).toEqual([
      '.title-page { break-after: column !important }',
      'nav.toc:not(:has(+ nav.figure-list)) { break-after: column !important }',
      'section:has(> h2[id="one"]) { break-before: column !important }',
      '[data-imprint-page-break] { break-before: column !important }',
      '[data-imprint-page-notes] { break-after: column !important }',
      '.y { break-after: column !important }',
      '.w { break-before: column !important }',
    ]);
  });
});
