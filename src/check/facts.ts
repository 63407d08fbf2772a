import type { Position } from 'unist';
import { scales, type DataColumn } from '../data/column-schema.js';
import { formatCell, formatDifference, formatPercent } from '../data/format-cell.js';
import { parsePartialDate, type PartialDate } from '../data/partial-date.js';
import type { Change } from '../data/summary.js';
import type { DataRow, DataTable } from '../data/table-data.js';
import { findQuotes } from './quotes.js';
import { wordsOf } from './words.js';

/** A number or date the data holds, with its place in the data file. */
export type Fact = MoneyFact | DateFact | PercentFact;

interface FactBase {
  row: RowFacts;
  column: DataColumn;
  /** The cell the fact is in. */
  place: Position | undefined;
  /** A typed cell (`money`, `date`, `year`, `percent` column), or a mention in a text cell. */
  typed: boolean;
  /** The value as a reader of the editions sees it: `US$200 bn`, `8 July 2017`. */
  shown: string;
  /** A change a table or chart computes, not a value of a cell. */
  derived?: boolean;
}

export interface MoneyFact extends FactBase {
  kind: 'money';
  /** In whole units of the currency. */
  value: number;
  currency: string;
}

export interface DateFact extends FactBase {
  kind: 'date';
  date: PartialDate;
}

export interface PercentFact extends FactBase {
  kind: 'percent';
  value: number;
}

/** One row of a data file, with the words that say what it is about and the facts it holds. */
export interface RowFacts {
  table: DataTable;
  row: DataRow;
  /** 0-based index of the row in its file. */
  index: number;
  /** What the reader would call the row: the value of its first text column. */
  name: string;
  words: Set<string>;
  facts: Fact[];
}

/**
 * The facts of every row of the data files a manuscript uses, and the changes
 * its tables and charts compute (the difference and the relative change count
 * as facts of the later row: "raised by US$90 billion, or 82 %").
 */
export function factsOf(
  tables: readonly DataTable[],
  lang: string,
  changes: ReadonlyArray<{ table: DataTable; change: Change }> = [],
): RowFacts[] {
  const rows: RowFacts[] = [];
  for (const table of tables) {
    table.rows.forEach((row, index) => {
      const entry: RowFacts = { table, row, index, name: nameOf(table, row), words: new Set(), facts: [] };
      const texts: string[] = [];
      for (const column of table.columns) {
        const value = row.values[column.key];
        if (value === null || value === undefined || value === '') continue;
        const place = row.cells[column.key];
        const base = {
          row: entry,
          column,
          place,
          typed: true,
          shown: formatCell(value, column, lang).replace(/\u00a0/g, ' '),
        };
        switch (column.type) {
          case 'money':
            if (typeof value === 'number') {
              entry.facts.push({
                ...base,
                kind: 'money',
                value: value * scales[column.scale],
                currency: column.currency ?? 'USD',
              });
            }
            break;
          case 'percent':
            if (typeof value === 'number') entry.facts.push({ ...base, kind: 'percent', value });
            break;
          case 'year':
            if (typeof value === 'number') entry.facts.push({ ...base, kind: 'date', date: { year: value } });
            break;
          case 'date': {
            const date = parsePartialDate(String(value));
            if (date) entry.facts.push({ ...base, kind: 'date', date });
            break;
          }
          case 'text':
            texts.push(String(value));
            for (const quote of findQuotes(String(value))) {
              const mention = { ...base, typed: false, shown: quote.text };
              if (quote.kind === 'money')
                entry.facts.push({ ...mention, kind: 'money', value: quote.value, currency: quote.currency });
              else if (quote.kind === 'percent') entry.facts.push({ ...mention, kind: 'percent', value: quote.value });
              else if (!quote.yearInferred) entry.facts.push({ ...mention, kind: 'date', date: quote.date });
            }
            break;
          default:
            break;
        }
      }
      entry.words = wordsOf(texts.join(' '));
      rows.push(entry);
    });
  }
  for (const { table, change } of changes) {
    const entry = rows.find((row) => row.table === table && row.row === change.to.row);
    if (!entry) continue;
    const place = change.to.row.cells[change.column.key];
    const base = { row: entry, column: change.column, place, typed: true, derived: true };
    const shown = formatDifference(change.difference, change.column, lang).replace(/\u00a0/g, ' ');
    const already = (kind: string, value: number) =>
      entry.facts.some((fact) => fact.kind === kind && 'value' in fact && fact.value === value);
    if (change.column.type === 'money') {
      const value = Math.abs(change.difference) * scales[change.column.scale];
      if (!already('money', value))
        entry.facts.push({ ...base, kind: 'money', value, currency: change.column.currency ?? 'USD', shown });
    }
    if (change.percent !== undefined) {
      const value = Math.abs(change.percent);
      if (!already('percent', value))
        entry.facts.push({ ...base, kind: 'percent', value, shown: formatPercent(change.percent, lang, true) });
    }
  }
  return rows;
}

function nameOf(table: DataTable, row: DataRow): string {
  const column = table.columns.find(
    (candidate) => candidate.type === 'text' && typeof row.values[candidate.key] === 'string',
  );
  const name = column ? String(row.values[column.key]) : `row ${table.rows.indexOf(row) + 1}`;
  return name.length > 60 ? `${name.slice(0, 57).trimEnd()}…` : name;
}
