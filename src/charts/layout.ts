import { type MeasureText, measureText, type TextStyle } from '../assets/font-metrics.js';

/**
 * What every chart shares: sizes, colours and text layout. Sizes are in the
 * SVG's user units; a chart is drawn 480 units wide, set at the text width in
 * print (about 1 unit to 1 pt on A4, so labels print at 9 and 10 pt) and scaled to the screen on e-readers.
 */
export const chartWidth = 480;

export const type = {
  body: { size: 10 } satisfies TextStyle,
  strong: { size: 10, weight: 600 } satisfies TextStyle,
  small: { size: 9 } satisfies TextStyle,
  note: { size: 9, style: 'italic' } satisfies TextStyle,
};

/** Distance between baselines, as a multiple of the font size. */
export const leading = 1.3;

/**
 * The Okabe–Ito palette (Okabe and Ito, "Color Universal Design", 2002),
 * which readers with any common colour-vision deficiency can tell apart;
 * charts never rely on colour alone: every mark also has a direct label, a
 * shape or a pattern that survives greyscale printing.
 */
export const palette = {
  ink: '#1a1a1a',
  muted: '#555555',
  grid: '#c8c8c8',
  blue: '#0072B2',
  vermillion: '#D55E00',
  skyBlue: '#56B4E9',
  orange: '#E69F00',
  green: '#009E73',
  purple: '#CC79A7',
  yellow: '#F0E442',
  paper: '#ffffff',
} as const;

export const fontFamily = "'Source Serif 4', 'Noto Serif SC', serif";

/** Break `text` into lines no wider than `width` at `style`; a word longer than the line stands on its own line. */
export function wrapText(text: string, width: number, style: TextStyle, measure: MeasureText = measureText): string[] {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && measure(candidate, style) > width) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Round-number ticks from 0 to at least `max`: 0, 50, 100, 150, 200. */
export function niceTicks(max: number, wanted = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / wanted;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let value = 0; value < max + step * 1e-9; value += step) ticks.push(Math.round(value * 1e9) / 1e9);
  if (ticks[ticks.length - 1]! < max) ticks.push(Math.round((ticks[ticks.length - 1]! + step) * 1e9) / 1e9);
  return ticks;
}

/** A number for an SVG attribute: at most two decimals, no trailing zeros. */
export function n(value: number): string {
  return String(Math.round(value * 100) / 100);
}
