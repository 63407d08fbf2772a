import { z } from 'zod';
import type { Position } from 'unist';
import type { VFile } from 'vfile';
import { error } from '../diagnostics/report.js';
import {
  cellSchema,
  ColumnSpecSchema,
  resolveColumn,
  type Cell,
  type ColumnSpec,
  type DataColumn,
} from './column-schema.js';
import { parseCsv } from './csv.js';
import { parseYaml, type YamlSource } from './yaml-source.js';

export type { Align, Cell, DataColumn } from './column-schema.js';
export { labelOf } from './column-schema.js';

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
  /** The place of each of the row's values in the data file, by column key. */
  cells: Record<string, Position>;
}

/** A data file read and checked: the single source of generated tables and charts. */
export interface DataTable {
  file: VFile;
  /** The schema file beside a data file, when there is one. */
  schemaFile?: VFile;
  title?: string;
  columns: DataColumn[];
  rows: DataRow[];
}

const text = z.string().trim().min(1, 'must not be empty');
const SourceSchema = z.object({ citation: text, url: z.url().optional() }).strict();

/** A table data file in YAML or JSON: rows, and optionally the columns' declarations and the sources rows cite. */
export const TableFileSchema = z
  .object({
    title: text.optional(),
    description: text.optional(),
    sources: z.record(z.string(), SourceSchema).optional(),
    columns: z.array(ColumnSpecSchema).min(1).optional(),
    rows: z.array(z.record(z.string(), z.unknown())).min(1, 'must list at least one row'),
  })
  .strict();
export type TableFile = z.infer<typeof TableFileSchema>;

/** The schema file beside a data file (`exchanges.schema.yaml` for `exchanges.csv`): its columns' declarations. */
export const SchemaFileSchema = z
  .object({
    title: text.optional(),
    description: text.optional(),
    columns: z.array(ColumnSpecSchema).min(1),
  })
  .strict();

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
 * The path of the schema file that may sit beside a data file: `data/exchanges.csv` →
 * `data/exchanges.schema.yaml`.
 */
export function schemaPathOf(dataPath: string): string {
  return `${dataPath.replace(/\.(ya?ml|json|csv)$/i, '')}.schema.yaml`;
}

interface Declared {
  specs: ColumnSpec[];
  /** Place of each declaration, by key, in the file that declares it. */
  placeOf: (index: number, field?: string) => Position | undefined;
  file: VFile;
  title?: string;
}

/**
 * Parse and check a data file already read into `file` (and its schema file,
 * when one sits beside it). Every problem is reported on the file it is in, at
 * its line and column, all in one pass; the result is undefined when any
 * problem stops the data from being used.
 */
export function readDataTable(file: VFile, schemaFile?: VFile): DataTable | undefined {
  const kind = dataKind(file.path);
  if (!kind) {
    error(file, 'Unknown data file type: use .yaml, .yml, .json or .csv', {
      place: { line: 1, column: 1 },
      ruleId: 'data-syntax',
    });
    return undefined;
  }
  let declared: Declared | undefined;
  let ok = true;
  if (schemaFile) {
    declared = readSchemaFile(schemaFile);
    if (!declared) ok = false;
  }
  const table = kind === 'csv' ? readCsv(file, declared) : readStructured(file, declared, schemaFile);
  if (!table || !ok) return undefined;
  return schemaFile ? { ...table, schemaFile } : table;
}

function readSchemaFile(file: VFile): Declared | undefined {
  const source = parseYaml(file, { syntaxRule: 'data-syntax' });
  if (source.value === undefined) return undefined;
  const parsed = SchemaFileSchema.safeParse(source.value);
  if (!parsed.success) {
    reportIssues(file, source, parsed.error.issues);
    return undefined;
  }
  if (!uniqueKeys(file, parsed.data.columns, (index) => source.placeOf(['columns', index, 'key']))) return undefined;
  return {
    specs: parsed.data.columns,
    placeOf: (index, field) => source.placeOf(field ? ['columns', index, field] : ['columns', index]),
    file,
    title: parsed.data.title || undefined,
  };
}

function readStructured(
  file: VFile,
  beside: Declared | undefined,
  schemaFile: VFile | undefined,
): DataTable | undefined {
  const source = parseYaml(file, { syntaxRule: 'data-syntax' });
  if (source.value === undefined) return undefined;
  const parsed = TableFileSchema.safeParse(source.value);
  if (!parsed.success) {
    reportIssues(file, source, parsed.error.issues);
    return undefined;
  }
  const data = parsed.data;
  let ok = true;
  if (beside && data.columns) {
    error(file, `The columns are declared both here and in ${schemaFile?.basename}: keep one declaration`, {
      place: source.placeOf(['columns']),
      ruleId: 'data-schema',
    });
    ok = false;
  }
  const declared: Declared | undefined =
    beside ??
    (data.columns
      ? {
          specs: data.columns,
          placeOf: (index, field) => source.placeOf(field ? ['columns', index, field] : ['columns', index]),
          file,
        }
      : undefined);
  if (
    declared &&
    declared.file === file &&
    !uniqueKeys(file, declared.specs, (index) => declared.placeOf(index, 'key'))
  )
    ok = false;
  const specs = withTypes(declared?.specs ?? inferSpecs(data.rows), data.rows, false);
  const schemas = new Map(specs.map((spec) => [spec.key, cellSchema(spec, false)]));

  const rows: DataRow[] = [];
  data.rows.forEach((raw, index) => {
    const place = source.placeOf(['rows', index]);
    const values: Record<string, Cell> = {};
    const cells: Record<string, Position> = {};
    for (const [key, value] of Object.entries(raw)) {
      if (key === 'source') continue;
      const schema = schemas.get(key);
      const at = source.placeOf(['rows', index, key]);
      if (!schema) {
        error(
          file,
          `Row ${index + 1} has \`${key}\`, which is not a declared column (declared: ` +
            `${specs.map((s) => s.key).join(', ')})`,
          {
            place: at,
            ruleId: 'data-schema',
          },
        );
        ok = false;
        continue;
      }
      if (at) cells[key] = at;
      const result = schema.safeParse(value);
      if (!result.success) {
        for (const issue of result.error.issues) {
          error(file, `\`rows.${index}.${key}\` ${issue.message}`, { place: at, ruleId: 'data-schema' });
        }
        ok = false;
        continue;
      }
      values[key] = result.data;
    }
    for (const spec of specs) {
      if (!(spec.key in raw)) {
        if (spec.required) {
          error(file, `Row ${index + 1} has no \`${spec.key}\`, which the column declaration makes \`required\``, {
            place,
            ruleId: 'data-schema',
          });
          ok = false;
        }
        values[spec.key] = null;
      }
    }
    const key = raw.source;
    if (typeof key !== 'string' || key.trim() === '') {
      error(file, `Row ${index + 1} has no \`source\`: every row names where its facts come from`, {
        place,
        ruleId: 'data-schema',
      });
      ok = false;
      return;
    }
    const defined = data.sources?.[key];
    rows.push({ values, source: defined ?? { citation: key }, cells, place });
  });
  const columns = specs.map(resolveColumn);
  if (declared) ok = checkColumnsUsed(declared, columns, data.rows) && ok;
  if (!ok) return undefined;
  const title = data.title ?? declared?.title;
  return { file, title: title || undefined, columns, rows };
}

function readCsv(file: VFile, declared: Declared | undefined): DataTable | undefined {
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
    } else if (declared && !csvSourceColumns.has(key) && !declared.specs.some((spec) => spec.key === key)) {
      error(
        file,
        `Column \`${key}\` is not declared in ${declared.file.basename} (declared: ` +
          `${declared.specs.map((s) => s.key).join(', ')})`,
        {
          place: cell.start,
          ruleId: 'data-schema',
        },
      );
      ok = false;
    }
  });
  if (declared) {
    declared.specs.forEach((spec, index) => {
      if (!keys.includes(spec.key)) {
        error(
          declared.file,
          `Column \`${spec.key}\` is declared but ${file.basename} has no such column in its header row`,
          {
            place: declared.placeOf(index, 'key'),
            ruleId: 'data-schema',
          },
        );
        ok = false;
      }
    });
  }
  if (!keys.includes('source')) {
    error(file, 'The header row has no `source` column: every row names where its facts come from', {
      place: header[0]!.start,
      ruleId: 'data-schema',
    });
    return undefined;
  }
  const textRows = body.map((record) =>
    Object.fromEntries(record.map((cell, index) => [keys[index] ?? '', cell.value])),
  );
  const specs = withTypes(
    declared?.specs ?? keys.filter((key) => key !== '' && !csvSourceColumns.has(key)).map((key) => ({ key })),
    textRows,
    true,
  );
  const schemas = new Map(specs.map((spec) => [spec.key, cellSchema(spec, true)]));
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
    const cells: Record<string, Position> = {};
    let citation = '';
    let url: string | undefined;
    let rowOk = true;
    record.forEach((cell, index) => {
      const key = keys[index]!;
      const value = cell.value.trim();
      if (key === 'source') citation = value;
      else if (key === 'source_url') url = value || undefined;
      else {
        const schema = schemas.get(key);
        if (!schema) return;
        cells[key] = { start: cell.start, end: cell.end };
        const result = schema.safeParse(cell.value);
        if (!result.success) {
          for (const issue of result.error.issues) {
            error(file, `\`${key}\` ${issue.message} (found ${JSON.stringify(value)})`, {
              place: cell.start,
              ruleId: 'data-schema',
            });
          }
          rowOk = false;
          return;
        }
        values[key] = result.data;
      }
    });
    if (citation === '') {
      error(file, 'Row has an empty `source`: every row names where its facts come from', {
        place: first.start,
        ruleId: 'data-schema',
      });
      rowOk = false;
    }
    if (url !== undefined && !URL.canParse(url)) {
      const cell = record[keys.indexOf('source_url')]!;
      error(file, `\`source_url\` is not a URL: ${url}`, { place: cell.start, ruleId: 'data-schema' });
      rowOk = false;
    }
    if (!rowOk) {
      ok = false;
      continue;
    }
    rows.push({ values, source: url ? { citation, url } : { citation }, cells, place });
  }
  if (!ok) return undefined;
  return { file, title: declared?.title || undefined, columns: specs.map(resolveColumn), rows };
}

/**
 * Columns without a declared type get one from their values: all numbers make
 * a number column (a `year` column when the key says year and the values are
 * years), `true`/`false` a boolean one, a key named `date` a date column, and
 * anything else text.
 */
function withTypes(specs: ColumnSpec[], rows: Array<Record<string, unknown>>, fromText: boolean): ColumnSpec[] {
  return specs.map((spec) => {
    if (spec.type) return spec;
    const present = rows
      .map((row) => row[spec.key])
      .filter((value) => value !== null && value !== undefined && !(typeof value === 'string' && value.trim() === ''))
      .map((value) =>
        fromText && typeof value === 'string' && numberText.test(value.trim())
          ? Number(value.trim().replace(/,/g, ''))
          : value,
      );
    if (spec.key === 'date') return { ...spec, type: 'date' as const };
    if (present.length === 0) return spec;
    if (present.every((value) => typeof value === 'number')) {
      const years =
        /year/i.test(spec.key) &&
        present.every((value) => Number.isInteger(value) && (value as number) >= 1000 && (value as number) <= 9999);
      return { ...spec, type: years ? ('year' as const) : ('number' as const) };
    }
    if (!fromText && present.every((value) => typeof value === 'boolean')) return { ...spec, type: 'boolean' as const };
    return spec;
  });
}

const numberText = /^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$/;

function inferSpecs(rows: Array<Record<string, unknown>>): ColumnSpec[] {
  const keys: string[] = [];
  for (const row of rows)
    for (const key of Object.keys(row)) if (key !== 'source' && !keys.includes(key)) keys.push(key);
  return keys.map((key) => ({ key }));
}

function uniqueKeys(file: VFile, specs: ColumnSpec[], placeOf: (index: number) => Position | undefined): boolean {
  let ok = true;
  specs.forEach((spec, index) => {
    if (specs.findIndex((other) => other.key === spec.key) !== index) {
      error(file, `Column \`${spec.key}\` is declared twice`, { place: placeOf(index), ruleId: 'data-schema' });
      ok = false;
    }
  });
  return ok;
}

function checkColumnsUsed(declared: Declared, columns: DataColumn[], rows: Array<Record<string, unknown>>): boolean {
  let ok = true;
  columns.forEach((column, index) => {
    if (!rows.some((row) => column.key in row)) {
      error(declared.file, `Column \`${column.key}\` is not a key of any row`, {
        place: declared.placeOf(index, 'key'),
        ruleId: 'data-schema',
      });
      ok = false;
    }
  });
  return ok;
}

function reportIssues(file: VFile, source: YamlSource, issues: readonly z.core.$ZodIssue[]): void {
  for (const issue of issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    for (const key of keys) {
      const path = key === undefined ? issue.path : [...issue.path, key];
      const name = path.map(String).join('.') || 'data';
      const reason = issue.code === 'unrecognized_keys' ? 'is not a known field here' : issue.message;
      error(file, `\`${name}\`: ${reason}`, { place: source.placeOf(path as PropertyKey[]), ruleId: 'data-schema' });
    }
  }
}
