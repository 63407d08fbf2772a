import path from 'node:path';
import { toHtml } from 'hast-util-to-html';
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fontBytes } from '../../src/assets/font-files.js';
import { fontFaceCss, fontFaces } from '../../src/assets/fonts.js';
import { loadTextMetrics, measureText } from '../../src/assets/font-metrics.js';
import { readManuscript } from '../../src/compile/read-manuscript.js';
import { diskReader } from '../../src/compile/resources.js';
import { compile } from '../../src/compile/pipeline.js';
import { connectSharedBrowser, type SharedBrowser } from '../helpers/shared-browser.js';

/**
 * The charts as Chromium sets them, in the shipped fonts: every label inside
 * the drawing, no two labels overlapping, and the widths the layout assumed
 * (from the fonts' metrics, without a browser) close to the real ones.
 */
const root = path.resolve(import.meta.dirname, '../..');
let browser: SharedBrowser;
let charts: Element[];

beforeAll(async () => {
  await loadTextMetrics();
  browser = await connectSharedBrowser();
  const manuscript = path.join(root, 'manuscript/report.md');
  const file = await readManuscript(manuscript, diskReader);
  const doc = (await compile(file, { reader: diskReader, projectRoot: path.dirname(manuscript) }))!;
  charts = [];
  visit(doc.tree as Root, 'element', (node) => {
    if (node.tagName === 'svg') charts.push(node);
  });
});

afterAll(async () => {
  await browser?.disconnect();
});

interface Label {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
  computed: number;
  size: number;
  weight: string;
  style: string;
}

describe('charts set in the shipped fonts', () => {
  it('keeps every label inside the drawing, apart from the others, at the width the layout assumed', async () => {
    expect(charts.map((chart) => chart.properties.ariaLabelledBy)).toEqual([
      ['fig-exchanges-title', 'fig-exchanges-desc'],
      ['fig-pledges-title', 'fig-pledges-desc'],
    ]);
    const faces = fontFaces().filter((face) => !face.cjk);
    const urls = new Map(
      await Promise.all(
        faces.map(
          async (face) =>
            [face.name, `data:font/woff2;base64,${Buffer.from(await fontBytes(face)).toString('base64')}`] as const,
        ),
      ),
    );
    const page = await browser.newPage();
    try {
      await page.setContent(
        `<!doctype html><html><head><style>${fontFaceCss(faces, (face) => urls.get(face.name)!)} body { margin: 0 }` +
          `</style></head><body>${charts.map((chart) => toHtml(chart)).join('')}</body></html>`,
      );
      await page.evaluate(async () => {
        await document.fonts.ready;
      });
      const drawings = await page.evaluate(() =>
        [...document.querySelectorAll('svg')].map((svg) => ({
          width: svg.viewBox.baseVal.width,
          height: svg.viewBox.baseVal.height,
          fonts: [...document.fonts].filter((face) => face.status === 'loaded').map((face) => face.family),
          labels: [...svg.querySelectorAll('text')].map((text) => {
            const box = text.getBBox();
            const style = getComputedStyle(text);
            return {
              text: text.textContent ?? '',
              x: box.x,
              y: box.y,
              width: box.width,
              height: box.height,
              computed: text.getComputedTextLength(),
              size: Number.parseFloat(style.fontSize),
              weight: style.fontWeight,
              style: style.fontStyle,
            };
          }),
        })),
      );
      for (const drawing of drawings) {
        expect(drawing.fonts).toContain('Source Serif 4');
        const labels: Label[] = drawing.labels;
        expect(labels.length).toBeGreaterThan(5);
        for (const label of labels) {
          expect(label.x, label.text).toBeGreaterThanOrEqual(-0.5);
          expect(label.x + label.width, label.text).toBeLessThanOrEqual(drawing.width + 0.5);
          expect(label.y, label.text).toBeGreaterThanOrEqual(-0.5);
          expect(label.y + label.height, label.text).toBeLessThanOrEqual(drawing.height + 0.5);
          const assumed = measureText(label.text, {
            size: label.size,
            weight: Number(label.weight) >= 600 ? 600 : 400,
            style: label.style === 'italic' ? 'italic' : 'normal',
          });
          expect(Math.abs(assumed - label.computed) / label.computed, label.text).toBeLessThan(0.03);
        }
        for (const [index, a] of labels.entries()) {
          for (const b of labels.slice(index + 1)) {
            const overlapX = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
            // Glyph boxes include the line's ascent and descent; lines of one label may touch, never cross.
            const overlapY = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
            expect(overlapX > 0.5 && overlapY > 3, `“${a.text}” and “${b.text}” overlap`).toBe(false);
          }
        }
      }
    } finally {
      await page.close();
    }
  });
});
