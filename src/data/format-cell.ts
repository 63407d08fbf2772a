import { numberFormat } from './intl-cache.js';
import { scales, type DataColumn, type DisplayFormat, type Cell, type Scale } from './column-schema.js';
import { comparePartialDates, formatPartialDate, parsePartialDate } from './partial-date.js';

/** Shown for an empty cell. */
export const emptyCell = '—';

/** The minus sign of signed values (U+2212), not a hyphen. */
const minus = '\u2212';

/** The text a reader sees for one value of a column. */
export function formatCell(
  value: Cell,
  column: DataColumn,
  lang: string,
  format: DisplayFormat | undefined = column.format,
): string {
  if (value === null || value === '') return emptyCell;
  switch (column.type) {
    case 'date': {
      const date = parsePartialDate(String(value));
      if (!date) return String(value);
      if (format === 'iso') return String(value);
      return formatPartialDate(date, lang, format === 'short' ? 'short' : 'long');
    }
    case 'money':
      return typeof value === 'number' ? formatMoney(value, column, lang, format) : String(value);
    case 'number':
      return typeof value === 'number'
        ? formatScaled(value, column.scale, lang, format ?? (column.scale === 'one' ? 'plain' : 'short'))
        : String(value);
    case 'integer':
      return typeof value === 'number' ? numberFormat(lang, { maximumFractionDigits: 0 }).format(value) : String(value);
    case 'year':
      return String(value);
    case 'percent':
      return typeof value === 'number' ? formatPercent(value, lang) : String(value);
    case 'boolean':
      return value === true ? 'yes' : value === false ? 'no' : String(value);
    case 'text':
    case 'url':
      return String(value);
  }
}

/** `US$110 bn` (short), `US$110 billion` (long) or `110` (plain), for an amount in the column's scale and currency. */
export function formatMoney(
  amount: number,
  column: Pick<DataColumn, 'currency' | 'scale'>,
  lang: string,
  format: DisplayFormat = 'short',
  signed = false,
): string {
  const currency = column.currency ?? 'USD';
  const number = formatScaled(Math.abs(amount), column.scale, lang, format);
  if (format === 'plain') return sign(amount, signed) + number;
  const parts = numberFormat(lang, { style: 'currency', currency, currencyDisplay: 'symbol' }).formatToParts(1);
  let placed = false;
  const text = parts
    .map((part) => {
      if (part.type === 'currency') return part.value;
      if (part.type === 'literal') return part.value;
      if (part.type === 'minusSign' || part.type === 'plusSign') return '';
      if (!placed) {
        placed = true;
        return number;
      }
      return '';
    })
    .join('');
  return sign(amount, signed) + text.trim();
}

/** A number in `scale` units: `110` (plain), `110 bn` (short), `110 billion` (long), in the language's words. */
export function formatScaled(value: number, scale: Scale, lang: string, format: DisplayFormat = 'plain'): string {
  const digits = { maximumFractionDigits: Math.abs(value) < 10 ? 2 : 1 };
  if (format === 'plain' || scale === 'one') return numberFormat(lang, digits).format(value);
  if (format === 'short' && isEnglish(lang)) {
    return `${numberFormat(lang, digits).format(value)}\u00a0${englishShort[scale]}`;
  }
  return numberFormat(lang, {
    notation: 'compact',
    compactDisplay: format === 'long' ? 'long' : 'short',
    ...digits,
  }).format(value * scales[scale]);
}

const englishShort: Record<Scale, string> = { one: '', thousand: 'k', million: 'm', billion: 'bn', trillion: 'tn' };

function isEnglish(lang: string): boolean {
  return /^en\b/i.test(lang);
}

/** `82%`; values are percentages (82.5 is 82.5 %). */
export function formatPercent(value: number, lang: string, signed = false): string {
  const digits = Math.abs(value) >= 10 || Number.isInteger(value) ? 0 : 1;
  const text = numberFormat(lang, { style: 'percent', maximumFractionDigits: digits }).format(Math.abs(value) / 100);
  return sign(value, signed) + text;
}

function sign(value: number, signed: boolean): string {
  if (value < 0) return minus;
  return signed && value > 0 ? '+' : '';
}

/** A change of a column's value, signed: `+US$90 bn`, `−3`, `+2.5 pp` (percentage points). */
export function formatDifference(difference: number, column: DataColumn, lang: string): string {
  switch (column.type) {
    case 'money':
      return formatMoney(difference, column, lang, column.format ?? 'short', true);
    case 'percent': {
      const points = numberFormat(lang, { maximumFractionDigits: 1 }).format(Math.abs(difference));
      return `${sign(difference, true)}${points}\u00a0pp`;
    }
    default:
      return (
        sign(difference, true) +
        formatScaled(
          Math.abs(difference),
          column.scale,
          lang,
          column.format ?? (column.scale === 'one' ? 'plain' : 'short'),
        )
      );
  }
}

/**
 * Order of two values of one column: dates by date, numbers by size, text by the language's collation; empty cells
 * last.
 */
export function compareCells(a: Cell, b: Cell, column: DataColumn, lang: string): number {
  if (a === null || a === '') return b === null || b === '' ? 0 : 1;
  if (b === null || b === '') return -1;
  if (column.type === 'date') {
    const left = parsePartialDate(String(a));
    const right = parsePartialDate(String(b));
    if (left && right) return comparePartialDates(left, right);
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), lang, { numeric: true });
}
