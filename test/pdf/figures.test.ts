import type { ElementContent, Root } from 'hast';
import { h, s } from 'hastscript';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VFile } from 'vfile';
import { BrowserSession } from '../../src/browser/session.js';
import type { ReportDocument } from '../../src/document/report-document.js';
import { pdfEdition } from '../../src/writers/pdf/pdf.js';
import { loadTemplates } from '../../src/writers/print-page/templates.js';
import { pageTexts } from '../helpers/pdf.js';

/** A report with a chart (SVG, its caption below it) after `space` pixels of other content. */
function reportWithFigure(space: number): ReportDocument {
  const figure = h('figure', { id: 'fig-chart' }, [
    s('svg', { viewBox: '0 0 400 300', width: 400, height: 300, role: 'img', ariaLabel: 'A chart' }, [
      s('rect', { x: 0, y: 0, width: 400, height: 300, fill: '#eee' }),
      s('text', { x: 20, y: 40 }, 'Chart label'),
    ]),
    h('figcaption', 'Figure 1. The caption of the chart'),
  ]);
  const children: ElementContent[] = [
    h('section', { className: ['level-1'] }, [
      h('h2', { id: 'one' }, 'One'),
      h('p', 'Before the figure.'),
      h('div', { style: `height: ${space}px` }),
      figure,
      h('p', 'After the figure.'),
    ]),
  ];
  const tree: Root = { type: 'root', children };
  return {
    file: new VFile({ path: 'figures.md' }),
    dataFiles: [],
    metadata: {
      title: 'Figures',
      shortTitle: 'Figures',
      authors: ['A. Writer'],
      lang: 'en-GB',
      keywords: [],
      paper: 'a4',
      tocDepth: 2,
    },
    tree,
    outline: [{ id: 'one', depth: 1, text: 'One' }],
    targets: new Map(),
    images: new Map(),
  };
}

describe('figures in print', () => {
  let session: BrowserSession;
  beforeAll(async () => {
    session = await BrowserSession.open({ wsEndpoint: inject('browserWSEndpoint') });
  });
  afterAll(async () => {
    await session.close();
  });

  it('keeps a chart and its caption together on one page, wherever the figure falls', async () => {
    const templates = await loadTemplates();
    const problems: string[] = [];
    let straddled = 0;
    // Move the figure down a few pixels at a time across the foot of the first page: at some
    // point the chart still fits and its caption would not.
    for (let space = 540; space <= 630; space += 10) {
      const { bytes, pageMap } = await pdfEdition(reportWithFigure(space), templates, session);
      const pages = await pageTexts(bytes);
      const chart = pages.findIndex((page) => page.includes('Chart label'));
      const caption = pages.findIndex((page) => page.includes('Figure 1. The caption of the chart'));
      const before = pages.findIndex((page) => page.includes('Before the figure.'));
      if (chart !== caption) problems.push(`${space} px before: chart on page ${chart + 1}, caption on ${caption + 1}`);
      if (chart > before) straddled++;
      if (pageMap.pageOfId.get('fig-chart') !== chart + 1)
        problems.push(`${space} px before: the page map puts the figure on ${pageMap.pageOfId.get('fig-chart')}`);
    }
    expect(problems).toEqual([]);
    // The figure moved, whole, to the next page for the larger spaces, and stayed for the smaller.
    expect(straddled).toBeGreaterThan(0);
    expect(straddled).toBeLessThan(10);
  });
});
