import { z } from 'zod';
import { parsePartialDate, isoPartialDate } from './partial-date.js';

/**
 * What a column of a data file holds. The type decides how a value is
 * checked, compared and shown: a `money` cell is a number in `scale` units of
 * `currency`; a `date` cell is a date at the precision its source gives it.
 */
export const columnTypes = ['text', 'integer', 'number', 'year', 'date', 'money', 'percent', 'url', 'boolean'] as const;
export type ColumnType = (typeof columnTypes)[number];

/** Units a money or number column counts in: `110` in a `billion` column is 110,000,000,000. */
export const scales = { one: 1, thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 } as const;
export type Scale = keyof typeof scales;

/**
 * How a value is shown: money `short` (US$110 bn), `long` (US$110 billion), `plain` (110); dates `long` (8 July 2017),
 * `short` (8 Jul 2017), `iso`.
 */
export const displayFormats = ['short', 'long', 'plain', 'iso'] as const;
export type DisplayFormat = (typeof displayFormats)[number];

export type Align = 'left' | 'right' | 'center';

const text = z.string().trim().min(1, 'must not be empty');

/** One column declared in a data file (or in the schema file beside it). */
export const ColumnSpecSchema = z
  .object({
    key: text.regex(/^[\p{L}\p{N}_-]+$/u, 'must be letters, digits, `_` or `-`'),
    label: text.optional(),
    type: z.enum(columnTypes).optional(),
    required: z.boolean().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD, JPY or CNY')
      .optional(),
    scale: z.enum(Object.keys(scales) as [Scale, ...Scale[]]).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    values: z
      .array(z.union([z.string(), z.number()]))
      .min(1)
      .optional(),
    align: z.enum(['left', 'right', 'center']).optional(),
    format: z.enum(displayFormats).optional(),
    description: text.optional(),
  })
  .strict()
  .superRefine((column, context) => {
    if (column.type === 'money' && !column.currency) {
      context.addIssue({
        code: 'custom',
        path: ['currency'],
        message: 'a `money` column needs `currency` (such as USD)',
      });
    }
    if (column.currency && column.type !== 'money') {
      context.addIssue({ code: 'custom', path: ['currency'], message: '`currency` belongs to `type: money` columns' });
    }
    if (column.scale && column.type !== 'money' && column.type !== 'number') {
      context.addIssue({ code: 'custom', path: ['scale'], message: '`scale` belongs to `money` and `number` columns' });
    }
  });
export type ColumnSpec = z.infer<typeof ColumnSpecSchema>;

/** A column as later stages see it: every default resolved. */
export interface DataColumn {
  key: string;
  label: string;
  type: ColumnType;
  required: boolean;
  align: Align;
  currency?: string;
  scale: Scale;
  format?: DisplayFormat;
  description?: string;
}

export function resolveColumn(spec: ColumnSpec): DataColumn {
  const type = spec.type ?? (spec.key === 'date' ? 'date' : 'text');
  return {
    key: spec.key,
    label: spec.label ?? labelOf(spec.key),
    type,
    required: spec.required ?? false,
    align: spec.align ?? (isNumeric(type) ? 'right' : 'left'),
    currency: spec.currency || undefined,
    scale: spec.scale ?? 'one',
    format: spec.format,
    description: spec.description || undefined,
  };
}

export function isNumeric(type: ColumnType): boolean {
  return type === 'integer' || type === 'number' || type === 'year' || type === 'money' || type === 'percent';
}

/** `led_by` → `Led by`. */
export function labelOf(key: string): string {
  const words = key.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export type Cell = string | number | boolean | null;

/**
 * The zod schema of one cell of `spec`. YAML and JSON give typed values; CSV
 * gives text (`fromText`), which is read as the column's type first. Empty
 * cells are `null`, allowed unless the column is `required`.
 */
export function cellSchema(spec: ColumnSpec, fromText: boolean): z.ZodType<Cell> {
  const type = spec.type ?? (spec.key === 'date' ? 'date' : 'text');
  const unitNote =
    type === 'money'
      ? ` (in ${spec.scale && spec.scale !== 'one' ? `${spec.scale}s of ` : ''}${spec.currency ?? 'the currency'})`
      : '';
  let value: z.ZodType<Cell>;
  switch (type) {
    case 'text':
      value = fromText ? z.string() : z.union([z.string(), z.number().transform(String)]);
      break;
    case 'integer':
    case 'year': {
      let number = z
        .number({ error: `must be a whole number${type === 'year' ? ' (a year such as 2017)' : ''}` })
        .int(type === 'year' ? 'must be a year such as 2017' : 'must be a whole number');
      if (type === 'year')
        number = number.min(1, 'must be a year such as 2017').max(9999, 'must be a year such as 2017');
      value = bounded(number, spec);
      break;
    }
    case 'number':
    case 'money':
    case 'percent':
      value = bounded(
        z.number({ error: `must be a number${unitNote}${type === 'percent' ? ' (82.5 for 82.5 %)' : ''}` }),
        spec,
      );
      break;
    case 'date':
      value = z.union([z.string(), z.number()]).transform((raw, context) => {
        const date = parsePartialDate(String(raw));
        if (!date) {
          context.addIssue({
            code: 'custom',
            message: 'must be a date written YYYY, YYYY-MM or YYYY-MM-DD (such as 2017-05 for May 2017)',
          });
          return z.NEVER;
        }
        return isoPartialDate(date);
      });
      break;
    case 'url':
      value = z.url({ error: 'must be a URL such as https://example.org/page' });
      break;
    case 'boolean':
      value = z.boolean({ error: 'must be true or false' });
      break;
  }
  if (spec.values) {
    const allowed = spec.values.map(String);
    value = value.refine((cell) => cell === null || allowed.includes(String(cell)), {
      message: `must be one of: ${allowed.join(', ')}`,
    });
  }
  const required = spec.required ?? false;
  const checked = value;
  return z.unknown().transform((raw, context): Cell => {
    const input = fromText
      ? fromCsvText(String(raw ?? ''), type)
      : raw === undefined || (typeof raw === 'string' && raw.trim() === '')
        ? null
        : raw;
    if (input === null) {
      if (required) context.addIssue({ code: 'custom', message: 'must not be empty: the column is `required`' });
      return null;
    }
    const result = checked.safeParse(input);
    if (!result.success) {
      for (const issue of result.error.issues) context.addIssue({ code: 'custom', message: issue.message });
      return z.NEVER;
    }
    return result.data;
  });
}

function bounded<T extends z.ZodNumber>(schema: T, spec: ColumnSpec): T {
  let result = schema;
  if (spec.min !== undefined) result = result.min(spec.min, `must be at least ${spec.min}`) as T;
  if (spec.max !== undefined) result = result.max(spec.max, `must be at most ${spec.max}`) as T;
  return result;
}

const numberText = /^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$/;

/** A CSV cell's text as the value of its column's type; text that does not fit is passed on for zod to reject. */
function fromCsvText(raw: string, type: ColumnType): unknown {
  const value = raw.trim();
  if (value === '') return null;
  switch (type) {
    case 'integer':
    case 'year':
    case 'number':
    case 'money':
    case 'percent': {
      const bare = type === 'percent' ? value.replace(/\s*%$/, '') : value;
      return numberText.test(bare) ? Number(bare.replace(/,/g, '')) : value;
    }
    case 'boolean':
      if (/^(true|yes)$/i.test(value)) return true;
      if (/^(false|no)$/i.test(value)) return false;
      return value;
    default:
      return value;
  }
}
