import { isNumeric, type DataColumn } from './column-schema.js';
import type { DataRow, DataTable } from './table-data.js';

/**
 * Row selection and derived values shared by tables, charts and the
 * consistency check: a `where` filter, totals, and the change of a value
 * between two rows ("from year=2015 to year=2016"). Problems come back as
 * text for the caller to report at the directive.
 */

export interface Condition {
  key: string;
  /** `=`: equals, `!=`: differs, `has`: not empty. */
  test: '=' | '!=' | 'has';
  value?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

/** `led_by=Japan, amount_usd_bn` → [led_by equals Japan, amount_usd_bn not empty]. */
export function parseConditions(spec: string, table: DataTable): Parsed<Condition[]> {
  const conditions: Condition[] = [];
  for (const part of spec
    .split(',')
    .map((piece) => piece.trim())
    .filter(Boolean)) {
    const match = /^([^=!]+?)\s*(!=|=)\s*(.*)$/.exec(part);
    const key = (match ? match[1]! : part).trim();
    if (!table.columns.some((column) => column.key === key)) {
      return {
        ok: false,
        problem: `names \`${key}\`, which ${table.file.basename} does not have (it has: ${keysOf(table)})`,
      };
    }
    conditions.push(match ? { key, test: match[2] as '=' | '!=', value: match[3]!.trim() } : { key, test: 'has' });
  }
  return { ok: true, value: conditions };
}

export function matches(row: DataRow, conditions: readonly Condition[]): boolean {
  return conditions.every((condition) => {
    const cell = row.values[condition.key];
    const empty = cell === null || cell === undefined || cell === '';
    if (condition.test === 'has') return !empty;
    const equal = !empty && String(cell) === condition.value;
    return condition.test === '=' ? equal : !equal;
  });
}

export interface ChangeSpec {
  /** Columns whose change is shown; empty: the caller's default (a chart's value). */
  keys: string[];
  from?: Condition;
  to?: Condition;
}

/** `amount_usd_bn from year=2015 to year=2016`, `amount_usd_bn`, or (in a chart) `from year=2015 to year=2016`. */
export function parseChangeSpec(spec: string, table: DataTable): Parsed<ChangeSpec> {
  const match = /^(.*?)(?:(?:^|\s)from\s+(\S+?\s*=\s*.+?)\s+to\s+(\S+?\s*=\s*.+?))?\s*$/.exec(spec.trim());
  const keys = (match?.[1] ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  for (const key of keys) {
    const column = table.columns.find((candidate) => candidate.key === key);
    if (!column)
      return {
        ok: false,
        problem: `names \`${key}\`, which ${table.file.basename} does not have (it has: ${keysOf(table)})`,
      };
    if (!isNumeric(column.type) || column.type === 'year') {
      return {
        ok: false,
        problem:
          `names \`${key}\`, a ${column.type} column: a change is computed for money, number, ` +
          `integer or percent columns`,
      };
    }
  }
  if (!match?.[2] !== !match?.[3])
    return { ok: false, problem: 'needs both `from KEY=VALUE` and `to KEY=VALUE`, or neither' };
  const change: ChangeSpec = { keys };
  for (const [side, text] of [
    ['from', match?.[2]],
    ['to', match?.[3]],
  ] as const) {
    if (!text) continue;
    const parsed = parseConditions(text, table);
    if (!parsed.ok) return parsed;
    const condition = parsed.value[0];
    if (condition?.test !== '=')
      return { ok: false, problem: `\`${side}\` takes one KEY=VALUE, as in \`${side} year=2015\`` };
    change[side] = condition;
  }
  if (spec.trim() !== '' && keys.length === 0 && !change.from)
    return { ok: false, problem: 'names no column and no rows' };
  return { ok: true, value: change };
}

export interface Change {
  column: DataColumn;
  from: { row: DataRow; value: number };
  to: { row: DataRow; value: number };
  difference: number;
  /** Relative change in percent; undefined when the first value is 0. */
  percent?: number;
  /** Text of the rows' selectors, for labels: `2015`, `2016`. */
  fromLabel?: string;
  toLabel?: string;
}

/** The change of `key` from one row to another (by default the first and last rows that hold a value). */
export function computeChange(rows: readonly DataRow[], column: DataColumn, spec: ChangeSpec): Parsed<Change> {
  const holding = rows.filter((row) => typeof row.values[column.key] === 'number');
  const pick = (condition: Condition | undefined, fallback: DataRow | undefined, side: string): Parsed<DataRow> => {
    if (!condition)
      return fallback
        ? { ok: true, value: fallback }
        : { ok: false, problem: `no row has a value in \`${column.key}\`` };
    const found = rows.filter((row) => matches(row, [condition]));
    if (found.length === 0)
      return { ok: false, problem: `\`${side} ${condition.key}=${condition.value}\` matches no row` };
    const withValue = found.find((row) => typeof row.values[column.key] === 'number');
    if (!withValue)
      return { ok: false, problem: `the row where ${condition.key}=${condition.value} has no \`${column.key}\`` };
    return { ok: true, value: withValue };
  };
  const from = pick(spec.from, holding[0], 'from');
  if (!from.ok) return from;
  const to = pick(spec.to, holding[holding.length - 1], 'to');
  if (!to.ok) return to;
  if (from.value === to.value) return { ok: false, problem: 'compares a row with itself: name two different rows' };
  const a = from.value.values[column.key] as number;
  const b = to.value.values[column.key] as number;
  const difference = round(b - a);
  return {
    ok: true,
    value: {
      column,
      from: { row: from.value, value: a },
      to: { row: to.value, value: b },
      difference,
      percent: a === 0 ? undefined : ((b - a) / Math.abs(a)) * 100,
      fromLabel: spec.from?.value || undefined,
      toLabel: spec.to?.value || undefined,
    },
  };
}

/** The sum of a numeric column over `rows`, ignoring empty cells. */
export function computeTotal(rows: readonly DataRow[], column: DataColumn): number {
  return round(
    rows.reduce(
      (sum, row) => sum + (typeof row.values[column.key] === 'number' ? (row.values[column.key] as number) : 0),
      0,
    ),
  );
}

/** Floating-point noise off sums and differences (0.1 + 0.2). */
function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

function keysOf(table: DataTable): string {
  return table.columns.map((column) => column.key).join(', ');
}
