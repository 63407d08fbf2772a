import { z } from 'zod';
import type { Position } from 'unist';
import type { VFile } from 'vfile';
import { error } from '../diagnostics/report.js';
import { parseCsv } from './csv.js';
import { parseYaml, type YamlSource } from './yaml-source.js';

export type Cell = string | number | boolean | null;
export type Align = 'left' | 'right' | 'center';
export const columnFormats = ['text', 'number', 'currency', 'percent', 'date'] as const;
export type ColumnFormat = (typeof columnFormats)[number];

export interface DataColumn {
  key: string;
  label: string;
  align?: Align;
  format?: ColumnFormat;
}

/** Where a row's facts come from. */
export interface DataSource {
  citation: string;
  url?: string;
}

export interface DataRow {
  values: Record<string, Cell>;
  source: DataSource;
  /** The row's place in the data file. */
  place?: Position;
}

/** A data file read and checked: the single source of a generated table. */
export interface DataTable {
  file: VFile;
  title?: string;
  columns: DataColumn[];
  rows: DataRow[];
}

const text = z.string().trim().min(1, 'must not be empty');
const SourceSchema = z.object({ citation: text, url: z.url().optional() }).strict();
const ColumnSchema = z
  .object({
    key: text,
    label: text,
    align: z.enum(['left', 'right', 'center']).optional(),
    format: z.enum(columnFormats).optional(),
  })
  .strict();
const CellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** A table data file in YAML or JSON. */
export const TableFileSchema = z
  .object({
    title: text.optional(),
    sources: z.record(z.string(), SourceSchema).optional(),
    columns: z.array(ColumnSchema).min(1).optional(),
    rows: z.array(z.record(z.string(), CellSchema)).min(1, 'must list at least one row'),
  })
  .strict();
export type TableFile = z.infer<typeof TableFileSchema>;

/** Columns of a CSV file that hold the row's source rather than data. */
const csvSourceColumns = new Set(['source', 'source_url']);

export function dataKind(path: string): 'yaml' | 'json' | 'csv' | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv')) return 'csv';
  return undefined;
}

/**
 * Parse and check a data file already read into `file`. Every problem is
 * reported on `file` at its line and column; the result is undefined when
 * any problem stops the table from being built.
 */
export function readDataTable(file: VFile): DataTable | undefined {
  const kind = dataKind(file.path);
  if (kind === 'csv') return readCsv(file);
  if (kind === 'yaml' || kind === 'json') return readStructured(file);
  error(file, 'Unknown data file type: use .yaml, .yml, .json or .csv', {
    place: { line: 1, column: 1 },
    ruleId: 'data-syntax',
  });
  return undefined;
}

function readStructured(file: VFile): DataTable | undefined {
  const source = parseYaml(file, { syntaxRule: 'data-syntax' });
  if (source.value === undefined) return undefined;
  const parsed = TableFileSchema.safeParse(source.value, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      error(file, `\`${issue.path.join('.') || 'data'}\`: ${issue.message}`, {
        place: source.placeOf(issue.path),
        ruleId: 'data-schema',
      });
    }
    return undefined;
  }
  const data = parsed.data;
  const rows: DataRow[] = [];
  let ok = true;
  data.rows.forEach((values, index) => {
    const place = source.placeOf(['rows', index]);
    const key = values.source;
    if (typeof key !== 'string' || key.trim() === '') {
      error(file, `Row ${index + 1} has no \`source\`: every row names where its facts come from`, {
        place,
        ruleId: 'data-schema',
      });
      ok = false;
      return;
    }
    const defined = data.sources?.[key];
    const { source: _source, ...rest } = values;
    rows.push({ values: rest, source: defined ?? { citation: key }, ...(place ? { place } : {}) });
  });
  const columns = data.columns ?? deriveColumns(rows.map((row) => row.values));
  ok = checkColumns(file, columns, rows, source) && ok;
  if (!ok) return undefined;
  return { file, ...(data.title ? { title: data.title } : {}), columns, rows };
}

function readCsv(file: VFile): DataTable | undefined {
  const { rows: records, problems } = parseCsv(String(file.value));
  for (const problem of problems) {
    error(file, `Cannot parse ${file.basename}: ${problem.reason}`, { place: problem.place, ruleId: 'data-syntax' });
  }
  if (problems.length > 0) return undefined;
  const [header, ...body] = records;
  if (!header || body.length === 0) {
    error(file, 'A CSV data file needs a header row and at least one row of data', {
      place: { line: 1, column: 1 },
      ruleId: 'data-schema',
    });
    return undefined;
  }
  const keys = header.map((cell) => cell.value.trim());
  let ok = true;
  keys.forEach((key, index) => {
    const cell = header[index]!;
    if (key === '') {
      error(file, `Column ${index + 1} has no name in the header row`, { place: cell.start, ruleId: 'data-schema' });
      ok = false;
    } else if (keys.indexOf(key) !== index) {
      error(file, `Column \`${key}\` is named twice in the header row`, { place: cell.start, ruleId: 'data-schema' });
      ok = false;
    }
  });
  if (!keys.includes('source')) {
    error(file, 'The header row has no `source` column: every row names where its facts come from', {
      place: header[0]!.start,
      ruleId: 'data-schema',
    });
    return undefined;
  }
  const rows: DataRow[] = [];
  for (const record of body) {
    const first = record[0]!;
    const last = record[record.length - 1]!;
    const place = { start: first.start, end: last.end };
    if (record.length !== keys.length) {
      error(file, `Row has ${record.length} values, the header names ${keys.length} columns`, {
        place: first.start,
        ruleId: 'data-schema',
      });
      ok = false;
      continue;
    }
    const values: Record<string, Cell> = {};
    let citation = '';
    let url: string | undefined;
    record.forEach((cell, index) => {
      const key = keys[index]!;
      const value = cell.value.trim();
      if (key === 'source') citation = value;
      else if (key === 'source_url') url = value || undefined;
      else values[key] = value === '' ? null : value;
    });
    if (citation === '') {
      error(file, 'Row has an empty `source`: every row names where its facts come from', {
        place: first.start,
        ruleId: 'data-schema',
      });
      ok = false;
      continue;
    }
    if (url !== undefined && !URL.canParse(url)) {
      const cell = record[keys.indexOf('source_url')]!;
      error(file, `\`source_url\` is not a URL: ${url}`, { place: cell.start, ruleId: 'data-schema' });
      ok = false;
    }
    rows.push({ values, source: url ? { citation, url } : { citation }, place });
  }
  if (!ok) return undefined;
  const columns = keys.filter((key) => !csvSourceColumns.has(key)).map((key) => ({ key, label: labelOf(key) }));
  return { file, columns, rows };
}

function deriveColumns(rows: Array<Record<string, Cell>>): DataColumn[] {
  const keys: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!keys.includes(key)) keys.push(key);
  return keys.map((key) => ({ key, label: labelOf(key) }));
}

function checkColumns(file: VFile, columns: DataColumn[], rows: DataRow[], source: YamlSource): boolean {
  let ok = true;
  const present = new Set(rows.flatMap((row) => Object.keys(row.values)));
  columns.forEach((column, index) => {
    if (!present.has(column.key)) {
      error(file, `Column \`${column.key}\` is not a key of any row`, {
        place: source.placeOf(['columns', index, 'key']),
        ruleId: 'data-schema',
      });
      ok = false;
    }
  });
  return ok;
}

/** `led_by` → `Led by`. */
export function labelOf(key: string): string {
  const words = key.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
