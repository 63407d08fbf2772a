import type { Element } from 'hast';
import { s } from 'hastscript';
import { type MeasureText, measureText } from '../assets/font-metrics.js';
import { chartWidth, leading, n, niceTicks, palette, type, wrapText } from './layout.js';
import { chartRoot, text } from './svg.js';

export interface Bar {
  label: string;
  /** A second, quieter line under the label (a year, a place). */
  detail?: string;
  value: number;
  /** The value as the reader sees it: `US$110 bn`. */
  valueText: string;
}

export interface BarChartInput {
  /** How its text is measured: in the shipped text face unless a template sets charts in its own. */
  measure?: MeasureText;
  /** The figure's id; the chart's own ids start with it. */
  id: string;
  bars: Bar[];
  /** Under the axis: the unit of its numbers (`US$ billion`). */
  axisTitle: string;
  /** Tick labels: `50`, `100`. */
  tickText: (value: number) => string;
  /** The change from one bar to another, drawn on the second bar. */
  change?: { from: number; to: number; text: string };
  /** Rows without a value, named under the chart so nothing is left out silently. */
  missing?: { heading: string; labels: string[] };
  title: string;
  description: string;
}

const labelColumn = 165;
const barHeight = 20;
const rowGap = 14;

/**
 * A horizontal bar chart: labels on the left (wrapped, so long names stay
 * readable), one bar per row with its value written at its end, and an
 * optional change between two bars shown as a hatched (or outlined) segment
 * with its own label. Only one colour carries data; values are labelled
 * directly, so the chart reads the same in greyscale and to colour-blind
 * readers.
 */
export function barChart(input: BarChartInput): Element {
  const measure = input.measure ?? measureText;
  const { id, bars } = input;
  const lineHeight = type.body.size * leading;
  const detailHeight = type.small.size * leading;
  const labels = bars.map((bar) => wrapText(bar.label, labelColumn, type.body, measure));
  const labelWidth = Math.min(
    labelColumn,
    Math.max(
      ...labels.flat().map((line) => measure(line, type.body)),
      ...bars.map((bar) => (bar.detail ? measure(bar.detail, type.small) : 0)),
    ),
  );
  const x0 = Math.ceil(labelWidth + 12);
  const valueSpace = Math.max(...bars.map((bar) => measure(bar.valueText, type.body))) + 10;
  const x1 = chartWidth - valueSpace;
  const ticks = niceTicks(Math.max(...bars.map((bar) => bar.value), 0));
  const top = ticks[ticks.length - 1]!;
  const x = (value: number) => x0 + ((x1 - x0) * Math.max(0, value)) / top;

  const marks: Element[] = [];
  const rows: Array<{ y: number; barY: number }> = [];
  let y = 6;
  bars.forEach((bar, index) => {
    const lines = labels[index]!;
    const block = lines.length * lineHeight + (bar.detail ? detailHeight : 0);
    const rowHeight = Math.max(block, barHeight) + (input.change?.to === index ? type.small.size * leading + 4 : 0);
    const barY = y;
    rows.push({ y, barY });
    lines.forEach((line, lineIndex) => {
      marks.push(text(line, 0, y + type.body.size * 0.95 + lineIndex * lineHeight, type.body));
    });
    if (bar.detail) {
      marks.push(
        text(bar.detail, 0, y + type.body.size * 0.95 + lines.length * lineHeight - 1, type.small, palette.muted),
      );
    }
    y += rowHeight + rowGap;
  });
  const plotBottom = y - rowGap / 2;

  // Grid first, so bars and labels lie over it.
  const grid: Element[] = ticks.map((tick) =>
    s('line', {
      x1: n(x(tick)),
      x2: n(x(tick)),
      y1: 0,
      y2: n(plotBottom),
      stroke: tick === 0 ? palette.ink : palette.grid,
      strokeWidth: tick === 0 ? 1 : 0.6,
    }),
  );
  const tickLabels = ticks.map((tick) =>
    text(input.tickText(tick), x(tick), plotBottom + 12, type.small, palette.muted, 'middle'),
  );

  const change = input.change;
  bars.forEach((bar, index) => {
    const { barY } = rows[index]!;
    if (change && index === change.to) {
      const before = bars[change.from]!.value;
      const low = Math.min(before, bar.value);
      const high = Math.max(before, bar.value);
      marks.push(rect(x(0), barY, x(bar.value) - x(0), barHeight, palette.blue));
      if (bar.value >= before) {
        marks.push(rect(x(low), barY, x(high) - x(low), barHeight, `url(#${id}-hatch)`, palette.blue));
      } else {
        marks.push(
          s('rect', {
            x: n(x(low)),
            y: n(barY + 0.5),
            width: n(x(high) - x(low)),
            height: n(barHeight - 1),
            fill: 'none',
            stroke: palette.blue,
            strokeWidth: 1,
            strokeDasharray: '3 2',
          }),
        );
      }
      const fromRow = rows[change.from]!;
      marks.push(
        s('line', {
          x1: n(x(before)),
          x2: n(x(before)),
          y1: n(Math.min(fromRow.barY, barY) + barHeight),
          y2: n(Math.max(fromRow.barY, barY)),
          stroke: palette.muted,
          strokeWidth: 0.8,
          strokeDasharray: '2 2',
        }),
      );
      const annotationWidth = measure(change.text, type.small);
      const centre = Math.min(
        Math.max((x(low) + x(high)) / 2, x0 + annotationWidth / 2),
        chartWidth - annotationWidth / 2,
      );
      marks.push(
        haloed(
          text(change.text, centre, barY + barHeight + type.small.size + 2, type.small, palette.ink, 'middle'),
          measure,
        ),
      );
    } else {
      marks.push(rect(x(0), barY, x(bar.value) - x(0), barHeight, palette.blue));
    }
    marks.push(
      haloed(text(bar.valueText, x(bar.value) + 5, barY + barHeight / 2 + type.body.size * 0.35, type.body), measure),
    );
  });

  let bottom = plotBottom + 12 + type.small.size * leading;
  const axisTitle = text(input.axisTitle, (x0 + x1) / 2, bottom, type.small, palette.muted, 'middle');
  const notes: Element[] = [];
  if (input.missing && input.missing.labels.length > 0) {
    bottom += 8;
    const lines = wrapText(
      `${input.missing.heading}: ${input.missing.labels.join('; ')}.`,
      chartWidth,
      type.note,
      measure,
    );
    for (const line of lines) {
      bottom += type.note.size * leading;
      notes.push(text(line, 0, bottom, type.note, palette.muted));
    }
  }
  const height = Math.ceil(bottom + 4);

  const defs = s('defs', [
    s(
      'pattern',
      { id: `${id}-hatch`, patternUnits: 'userSpaceOnUse', width: 5, height: 5, patternTransform: 'rotate(45)' },
      [
        s('rect', { width: 5, height: 5, fill: palette.paper }),
        s('line', { x1: 0, y1: 0, x2: 0, y2: 5, stroke: palette.blue, strokeWidth: 2.6 }),
      ],
    ),
  ]);
  return chartRoot({
    id,
    height,
    title: input.title,
    description: input.description,
    defs: change ? defs : undefined,
    children: [s('g', grid), ...marks, ...tickLabels, axisTitle, ...notes],
  });
}

function rect(x: number, y: number, width: number, height: number, fill: string, stroke?: string): Element {
  return s('rect', {
    x: n(x),
    y: n(y),
    width: n(Math.max(0, width)),
    height: n(height),
    fill,
    stroke: stroke || undefined,
    strokeWidth: stroke ? 1 : undefined,
  });
}

/**
 * A paper-coloured box behind text that may cross grid lines, so it stays
 * legible. (A stroked outline would do the same on screen, but Chromium prints
 * stroked text as Type 3 fonts instead of the shipped face.)
 */
function haloed(element: Element, measure: MeasureText): Element {
  const properties = element.properties;
  const size = Number(properties.fontSize);
  const value = element.children.map((child) => (child.type === 'text' ? child.value : '')).join('');
  const width = measure(value, { size });
  const anchor = properties.textAnchor;
  const x = Number(properties.x) - (anchor === 'middle' ? width / 2 : anchor === 'end' ? width : 0);
  const y = Number(properties.y);
  return s('g', [
    s('rect', {
      x: n(x - 1.5),
      y: n(y - size * 0.8),
      width: n(width + 3),
      height: n(size * 1.05),
      fill: palette.paper,
    }),
    element,
  ]);
}
