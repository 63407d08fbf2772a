import type { Element } from 'hast';
import { s } from 'hastscript';
import { chartWidth, fontFamily, n, palette } from './layout.js';

export interface ChartRootInput {
  id: string;
  height: number;
  /** Short name of the chart for assistive technology (`<title>`). */
  title: string;
  /** The chart's data in words (`<desc>`): its text alternative. */
  description: string;
  defs?: Element | undefined;
  children: Element[];
}

/**
 * The `<svg>` element of a chart, ready to be inlined in HTML and in XHTML:
 * SVG namespace, a viewBox that scales, `role="img"` named by its `<title>`
 * and described by its `<desc>`, text in the shipped serif with lining
 * figures. The drawing itself is hidden from assistive technology, which
 * reads the title, the description and the figure's caption instead.
 */
export function chartRoot(input: ChartRootInput): Element {
  const titleId = `${input.id}-title`;
  const descId = `${input.id}-desc`;
  return s(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${chartWidth} ${n(input.height)}`,
      width: chartWidth,
      height: n(input.height),
      role: 'img',
      ariaLabelledBy: `${titleId} ${descId}`,
      className: ['chart'],
      fontFamily,
      fill: palette.ink,
      style: 'font-variant-numeric: lining-nums tabular-nums',
    },
    [
      s('title', { id: titleId }, input.title),
      s('desc', { id: descId }, input.description),
      ...(input.defs ? [input.defs] : []),
      s('g', { ariaHidden: 'true' }, input.children),
    ],
  );
}

export function text(
  value: string,
  x: number,
  y: number,
  style: { size: number; weight?: number; style?: string },
  fill: string = palette.ink,
  anchor?: 'middle' | 'end',
): Element {
  return s(
    'text',
    {
      x: n(x),
      y: n(y),
      fontSize: style.size,
      ...(style.weight && style.weight !== 400 ? { fontWeight: style.weight } : {}),
      ...(style.style === 'italic' ? { fontStyle: 'italic' } : {}),
      ...(fill !== palette.ink ? { fill } : {}),
      ...(anchor ? { textAnchor: anchor } : {}),
    },
    value,
  );
}
