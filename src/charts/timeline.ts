import type { Element } from 'hast';
import { s } from 'hastscript';
import type { PartialDate } from '../data/partial-date.js';
import { type MeasureText, measureText } from '../assets/font-metrics.js';
import { chartWidth, leading, n, palette, type, wrapText } from './layout.js';
import { chartRoot, text } from './svg.js';

export interface TimelineEvent {
  date: PartialDate;
  /** The date as the reader sees it: `8 July 2017`, `May 2017`. */
  dateText: string;
  label: string;
  /** A second, quieter line (a place). */
  detail?: string;
}

export interface TimelineInput {
  /** How its text is measured: in the shipped text face unless a template sets charts in its own. */
  measure?: MeasureText;
  id: string;
  /** In chronological order. */
  events: TimelineEvent[];
  title: string;
  description: string;
  /** `6 years later`, in the report's language. */
  gapText: (years: number) => string;
  /** Legend entries for the marker shapes: exact day, month only, year only. */
  legend: { day: string; month: string; year: string };
}

const markerRadius = 5;
const eventGap = 11;
/**
 * Two events further apart than this many months get a broken (dashed) axis with the time between them written on it.
 */
const breakMonths = 24;

/**
 * A vertical timeline: dates on the left, one marker per event on the axis,
 * the event's text wrapped on the right. Events are spaced evenly, so close
 * events stay legible; a long stretch of time between two events is drawn as
 * a dashed break labelled with its length ("39 years later"). The marker's
 * shape tells how precise the date is: filled circle (day), open circle
 * (month), open square (year), explained in a legend. Vertical, so it
 * narrows to an e-reader's screen without shrinking the text much.
 */
export function timeline(input: TimelineInput): Element {
  const measure = input.measure ?? measureText;
  const { id, events } = input;
  const dateWidth = Math.max(...events.map((event) => measure(event.dateText, type.strong)));
  const axisX = Math.ceil(dateWidth + 16);
  const textX = axisX + 14;
  const textWidth = chartWidth - textX;
  const lineHeight = type.body.size * leading;

  const marks: Element[] = [];
  const axis: Element[] = [];
  let y = 0;

  const precisions = new Set(events.map(precision));
  if (precisions.size > 1 || !precisions.has('day')) {
    const entries = (['day', 'month', 'year'] as const).filter((kind) => precisions.has(kind));
    let x = 0;
    const baseline = type.small.size;
    for (const kind of entries) {
      marks.push(marker(kind, x + markerRadius, baseline - 3.5));
      x += markerRadius * 2 + 4;
      marks.push(text(input.legend[kind], x, baseline, type.small, palette.muted));
      x += measure(input.legend[kind], type.small) + 14;
    }
    y = baseline + 12;
  }

  let previous: { event: TimelineEvent; markerY: number } | undefined;
  for (const event of events) {
    let broken = false;
    if (previous) {
      const months = monthsBetween(previous.event.date, event.date);
      if (months >= breakMonths) {
        broken = true;
        const gapBaseline = y + 6 + type.note.size;
        marks.push(
          text(input.gapText(event.date.year - previous.event.date.year), textX, gapBaseline, type.note, palette.muted),
        );
        y = gapBaseline + 10;
      } else {
        y += eventGap;
      }
    }
    const baseline = y + type.body.size * 0.95;
    const markerY = baseline - 3.5;
    marks.push(text(event.dateText, dateWidth, baseline, type.strong, palette.ink, 'end'));
    marks.push(marker(precision(event), axisX, markerY));
    if (previous) axis.push(segment(axisX, previous.markerY + markerRadius, markerY - markerRadius, broken));
    const lines = wrapText(event.label, textWidth, type.body, measure);
    lines.forEach((line, index) => {
      marks.push(text(line, textX, baseline + index * lineHeight, type.body));
    });
    y = baseline + (lines.length - 1) * lineHeight + type.body.size * 0.3;
    if (event.detail) {
      y += type.small.size * leading;
      marks.push(
        text(event.detail, textX, y - type.small.size * 0.3, { ...type.small, style: 'italic' }, palette.muted),
      );
    }
    previous = { event, markerY };
  }
  return chartRoot({
    id,
    height: Math.ceil(y + 6),
    title: input.title,
    description: input.description,
    children: [s('g', axis), ...marks],
  });
}

export function precision(event: { date: PartialDate }): 'day' | 'month' | 'year' {
  return event.date.day !== undefined ? 'day' : event.date.month !== undefined ? 'month' : 'year';
}

function monthsBetween(a: PartialDate, b: PartialDate): number {
  return (b.year - a.year) * 12 + (b.month ?? 1) - (a.month ?? 1);
}

function marker(kind: 'day' | 'month' | 'year', x: number, y: number): Element {
  if (kind === 'year') {
    const side = markerRadius * 1.7;
    return s('rect', {
      x: n(x - side / 2),
      y: n(y - side / 2),
      width: n(side),
      height: n(side),
      fill: palette.paper,
      stroke: palette.blue,
      strokeWidth: 1.8,
    });
  }
  return s('circle', {
    cx: n(x),
    cy: n(y),
    r: kind === 'day' ? markerRadius : markerRadius - 0.9,
    fill: kind === 'day' ? palette.blue : palette.paper,
    stroke: palette.blue,
    strokeWidth: kind === 'day' ? 0 : 1.8,
  });
}

function segment(x: number, from: number, to: number, dashed: boolean): Element {
  return s('line', {
    x1: n(x),
    x2: n(x),
    y1: n(from),
    y2: n(Math.max(from, to)),
    stroke: dashed ? palette.muted : palette.ink,
    strokeWidth: dashed ? 1 : 1.2,
    strokeDasharray: dashed ? '3 3' : undefined,
  });
}
