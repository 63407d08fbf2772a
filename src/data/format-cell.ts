import type { Cell, DataColumn } from './table-data.js';
import { comparePartialDates, formatPartialDate, parsePartialDate } from './partial-date.js';

/** Shown for an empty cell. */
export const emptyCell = '—';

/** The text a reader sees for one value of a column. */
export function formatCell(value: Cell, column: DataColumn, lang: string): string {
  if (value === null || value === '') return emptyCell;
  const format = column.format ?? (column.key === 'date' ? 'date' : 'text');
  switch (format) {
    case 'date': {
      const date = typeof value === 'string' || typeof value === 'number' ? parsePartialDate(String(value)) : undefined;
      return date ? formatPartialDate(date, lang) : String(value);
    }
    case 'number':
      return typeof value === 'number' ? new Intl.NumberFormat(lang).format(value) : String(value);
    case 'currency':
      return typeof value === 'number'
        ? new Intl.NumberFormat(lang, { style: 'currency', currency: 'USD', currencyDisplay: 'code' }).format(value)
        : String(value);
    case 'percent':
      return typeof value === 'number'
        ? new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(value)
        : String(value);
    case 'text':
      return String(value);
  }
}

/** Order of two values of one column: dates by date, numbers by size, text by the language's collation. */
export function compareCells(a: Cell, b: Cell, column: DataColumn, lang: string): number {
  if (a === null || a === '') return b === null || b === '' ? 0 : 1;
  if (b === null || b === '') return -1;
  const isDate = (column.format ?? (column.key === 'date' ? 'date' : undefined)) === 'date';
  if (isDate) {
    const left = parsePartialDate(String(a));
    const right = parsePartialDate(String(b));
    if (left && right) return comparePartialDates(left, right);
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), lang, { numeric: true });
}
