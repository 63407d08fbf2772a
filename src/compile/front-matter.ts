import { z } from 'zod';
import type { Point, Position } from 'unist';
import type { VFile } from 'vfile';
import { error, warn } from '../diagnostics/report.js';
import { isoPartialDate, parsePartialDate, parseWrittenDate } from '../data/partial-date.js';
import { parseYaml, type YamlSource } from '../data/yaml-source.js';
import { parse as parseTomlText, TomlError } from 'smol-toml';
import {
  directionOf,
  type Metadata,
  type NoteNumbering,
  type NotePlacement,
  type Paper,
} from '../document/metadata.js';
import { labelKeys, labelsFor, type Labels } from '../document/labels.js';
import { affiliationsSchema, authorSchema, type ResolvedAuthors, resolveAuthors } from './authors.js';

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** `labels:` the words imprint writes itself, by key (`contents: Inhalt`): front matter and configuration file. */
export const labelsSchema = z.strictObject(
  Object.fromEntries(Object.keys(labelKeys).map((key) => [key, nonEmpty.optional()])) as Record<
    string,
    z.ZodOptional<typeof nonEmpty>
  >,
);

/** The words given under `labels:`, by their keys in {@link Labels}. */
export function labelOverrides(given: Record<string, string | undefined> | undefined): Partial<Labels> {
  const labels: Partial<Labels> = {};
  for (const [key, value] of Object.entries(given ?? {})) if (value !== undefined) labels[labelKeys[key]!] = value;
  return labels;
}

/** Front matter as authors write it. */
export const FrontMatter = z.object({
  title: nonEmpty.optional(),
  subtitle: nonEmpty.optional(),
  'short-title': nonEmpty.optional(),
  author: authorSchema.optional(),
  /** The journals' name for `author` (see authors.ts). */
  authors: authorSchema.optional(),
  affiliations: affiliationsSchema.optional(),
  date: z
    .union([z.string(), z.number().int()])
    // A date and time (as Hugo writes one, `2017-07-14T09:00:00Z`) is the day it names: a report is dated by the day.
    // A date in English words ("29 January 2021", as journals' front matter has it) is read as the day it names.
    .transform((value) => {
      const text = String(value).replace(
        /^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$/,
        '$1',
      );
      const written = parsePartialDate(text) === undefined ? parseWrittenDate(text) : undefined;
      return written ? isoPartialDate(written) : text;
    })
    .refine(
      (value) => parsePartialDate(value) !== undefined,
      'must be a date: YYYY, YYYY-MM or YYYY-MM-DD (a time after it is allowed), or one written in English words ' +
        'such as "29 January 2021" or "January 2021"',
    )
    .optional(),
  lang: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as en, en-GB or zh-Hans')
    .optional(),
  description: nonEmpty.optional(),
  keywords: z.union([z.string(), z.array(nonEmpty)]).optional(),
  /** The keywords, as journals, Hugo and Jekyll name them; `keywords` wins when both are given. */
  tags: z.union([z.string(), z.array(nonEmpty)]).optional(),
  identifier: nonEmpty.optional(),
  publisher: nonEmpty.optional(),
  series: nonEmpty.optional(),
  paper: z.enum(['a4', 'letter', 'A4', 'Letter']).optional(),
  'toc-depth': z.number().int().min(1).max(6).optional(),
  chapters: z.boolean().optional(),
  lof: z.boolean().optional(),
  lot: z.boolean().optional(),
  bibliography: z.union([nonEmpty, z.array(nonEmpty).min(1)]).optional(),
  csl: nonEmpty.optional(),
  notes: z.enum(['page', 'end']).optional(),
  'notes-numbering': z.enum(['document', 'chapter']).optional(),
  dir: z.enum(['ltr', 'rtl']).optional(),
  /** Typographic quotes and dashes in the prose (true unless set to false). */
  smart: z.boolean().optional(),
  labels: labelsSchema.optional(),
});
export type FrontMatter = z.infer<typeof FrontMatter>;

/** The keys the schema knows, read from it: a key added to the schema is known, and suggested, at once. */
const knownKeys = (): string[] => Object.keys(FrontMatter.shape);

/** Values a project gives every manuscript that does not set its own. */
export interface MetadataDefaults {
  paper?: Paper;
  publisher?: string;
  series?: string;
  /** Absolute paths of bibliography files. */
  bibliography?: string[];
  /** A shipped style's name or an absolute path of a CSL file. */
  csl?: string;
  notes?: NotePlacement;
  notesNumbering?: NoteNumbering;
  /** Words over the shipped ones for the document's language (`labels:`). */
  labels?: Partial<Labels>;
}

/** What the manuscript says when its front matter does not (or it has none). */
export interface FrontMatterFallback {
  /** The text of the manuscript's first `#` heading. */
  title?: string;
}

export interface FrontMatterOverrides {
  /** Wins over the front matter (`--paper`). */
  paper?: Paper;
  /** Used where the front matter is silent (the project configuration). */
  defaults?: MetadataDefaults;
}

/** The front matter as written: its text, where the text starts in the file, and its format. */
export interface FrontMatterBlock {
  format?: 'yaml' | 'toml';
  value: string;
  offset: number;
  start?: Point;
}

/**
 * TOML front matter (`+++`, as Hugo and Zola write it) read into the same shape as YAML's: a value, and the place
 * of a key (the line that sets it; a key in a table, its table's line or the block's start). TOML's dates become
 * their text (`2017-07-14`), as YAML's are.
 */
function parseToml(file: VFile, block: FrontMatterBlock): YamlSource {
  const lines = block.value.split('\n');
  const first = (block.start?.line ?? 1) + 1;
  const lineOf = (index: number): Point => ({ line: first + index, column: 1 });
  let value: unknown;
  try {
    value = plainDates(parseTomlText(block.value));
  } catch (failure) {
    const at = failure instanceof TomlError ? failure.line - 1 : 0;
    const reason = failure instanceof Error ? failure.message.split('\n')[0] : String(failure);
    error(file, `Front matter is not valid TOML: ${reason}`, { place: lineOf(at), ruleId: 'front-matter-syntax' });
    return { value: undefined, placeOf: () => startOf(block) };
  }
  return {
    value,
    placeOf(path) {
      const key = path[0];
      if (typeof key !== 'string') return startOf(block);
      const index = lines.findIndex((line) => new RegExp(`^\\s*["']?${escapeRegExp(key)}["']?\\s*=`).test(line));
      return index < 0
        ? startOf(block)
        : { start: lineOf(index), end: { line: first + index, column: lines[index]!.length + 1 } };
    },
  };
}

/** The place of the block's first line. */
function startOf(block: FrontMatterBlock): Position | undefined {
  return block.start ? { start: block.start, end: block.start } : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A TOML date, time or date-time as the text it was written as. */
function plainDates(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plainDates);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plainDates(inner)]));
  return value;
}

/**
 * Read the YAML front matter of a manuscript into resolved metadata. Every key
 * is optional: without a `title` the first `#` heading gives it, else the file
 * name; the author and the date are left out where they are not given.
 * Problems are reported on `file` at their line and column (an unknown key is
 * a warning naming the nearest known one); on failure the result is undefined.
 */
export function resolveFrontMatter(
  file: VFile,
  yaml: FrontMatterBlock | undefined,
  overrides: FrontMatterOverrides = {},
  fallback: FrontMatterFallback = {},
): Metadata | undefined {
  if (!yaml) return metadataFrom({}, file, overrides, fallback, resolveAuthors(undefined, undefined));
  const source =
    yaml.format === 'toml'
      ? parseToml(file, yaml)
      : parseYaml(file, {
          text: yaml.value,
          offset: yaml.offset,
          syntaxRule: 'front-matter-syntax',
          label: 'front matter',
        });
  if (source.value === undefined) return undefined;
  if (source.value === null || typeof source.value !== 'object' || Array.isArray(source.value)) {
    error(file, 'Front matter must be a mapping of keys to values', {
      place: source.placeOf([]) ?? yaml.start,
      ruleId: 'front-matter-schema',
    });
    return undefined;
  }

  const known = knownKeys();
  for (const key of Object.keys(source.value)) {
    if (known.includes(key)) continue;
    const near = nearestKey(key, known);
    const reason = near
      ? `Unknown front matter key \`${key}\`: did you mean \`${near}\`?`
      : `Unknown front matter key \`${key}\` (known: ${known.join(', ')})`;
    warn(file, reason, { place: source.placeOf([key], { key: true }), ruleId: 'front-matter-schema' });
  }

  // Control characters (a YAML escape such as "\u0000") have no place in metadata, and no edition can hold them.
  replaceControlCharacters(source.value as Record<string, unknown>, [], (path) => {
    warn(file, `Control character in front matter \`${path.join('.')}\`, replaced by U+FFFD`, {
      place: source.placeOf(path) ?? yaml.start,
      ruleId: 'text-control-character',
    });
  });

  const parsed = FrontMatter.safeParse(source.value, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.') || 'front matter';
      error(file, `Front matter \`${key}\` ${describeIssue(issue)}`, {
        place: source.placeOf(issue.path) ?? yaml.start,
        ruleId: 'front-matter-schema',
      });
    }
    return undefined;
  }

  if (parsed.data.author !== undefined && parsed.data.authors !== undefined) {
    error(file, 'Front matter gives both `author` and `authors`: keep one', {
      place: source.placeOf(['authors'], { key: true }) ?? yaml.start,
      ruleId: 'front-matter-schema',
    });
    return undefined;
  }
  const authors = resolveAuthors(parsed.data.author ?? parsed.data.authors, parsed.data.affiliations);
  for (const key of authors.unknown) {
    warn(file, `No affiliation under \`affiliations\` has the index or id \`${key}\` an author names`, {
      place:
        source.placeOf(['affiliations'], { key: true }) ??
        source.placeOf([parsed.data.author ? 'author' : 'authors'], { key: true }) ??
        yaml.start,
      ruleId: 'front-matter-schema',
    });
  }
  return metadataFrom(parsed.data, file, overrides, fallback, authors);
}

function metadataFrom(
  data: FrontMatter,
  file: VFile,
  overrides: FrontMatterOverrides,
  fallback: FrontMatterFallback,
  authors: ResolvedAuthors,
): Metadata {
  const title = data.title ?? (fallback.title?.trim() || undefined) ?? (file.stem || 'Untitled');
  const given = data.keywords ?? data.tags;
  const keywords =
    typeof given === 'string'
      ? given
          .split(',')
          .map((word) => word.trim())
          .filter(Boolean)
      : (given ?? []);
  const date = data.date === undefined ? undefined : parsePartialDate(data.date);
  const publisher = data.publisher ?? overrides.defaults?.publisher;
  const series = data.series ?? overrides.defaults?.series;
  return {
    title,
    subtitle: data.subtitle,
    shortTitle: data['short-title'] ?? title,
    authors: authors.names,
    affiliations: authors.affiliations.length > 0 ? authors.affiliations : undefined,
    authorAffiliations: authors.affiliations.length > 0 ? authors.of : undefined,
    date,
    lang: data.lang ?? 'en',
    dir: data.dir ?? directionOf(data.lang ?? 'en'),
    description: data.description,
    keywords,
    identifier: data.identifier,
    publisher,
    series,
    paper: overrides.paper ?? (data.paper?.toLowerCase() as Paper | undefined) ?? overrides.defaults?.paper ?? 'a4',
    paperNamed:
      overrides.paper !== undefined || data.paper !== undefined || overrides.defaults?.paper !== undefined || undefined,
    tocDepth: data['toc-depth'] ?? 2,
    chapters: data.chapters,
    listOfFigures: data.lof,
    listOfTables: data.lot,
    // Left out when neither the front matter nor the project sets them (see Metadata for their defaults).
    bibliography: data.bibliography ? [data.bibliography].flat() : overrides.defaults?.bibliography,
    csl: data.csl ?? overrides.defaults?.csl,
    notes: data.notes ?? overrides.defaults?.notes,
    notesNumbering: data['notes-numbering'] ?? overrides.defaults?.notesNumbering,
    smart: data.smart,
    labels: labelsFor(data.lang ?? 'en', { ...overrides.defaults?.labels, ...labelOverrides(data.labels) }),
  };
}

/**
 * The known key nearest to a misspelt one (`autor` → `author`), when it is near
 * enough to be what was meant: at most a third of its letters apart, counting
 * a swap of two neighbours as one edit.
 */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate);
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  const limit = Math.max(1, Math.floor(Math.max(key.length, best?.key.length ?? 0) / 3));
  return best && best.distance <= limit ? best.key : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      const swapped = i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1];
      if (swapped) value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    return issue.input === undefined ? 'is required' : `must be ${issue.expected}, not ${typeName(issue.input)}`;
  }
  if (issue.code === 'invalid_union') return 'has the wrong type';
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map(String).join(', ')}`;
  return issue.message;
}

function typeName(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

const controlCharacter =
  // With the `u` flag, `\p{Cs}` matches only a surrogate that is not half of a pair.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|\p{Cs}/gu;

/** Replace, in place, every control character in the strings of a parsed YAML value; `found` is told each path. */
function replaceControlCharacters(
  value: Record<string, unknown> | unknown[],
  at: Array<string | number>,
  found: (path: Array<string | number>) => void,
): void {
  for (const [key, item] of Object.entries(value)) {
    const path = [...at, Array.isArray(value) ? Number(key) : key];
    if (typeof item === 'string') {
      const clean = item.replace(controlCharacter, '\uFFFD');
      if (clean !== item) {
        (value as Record<string, unknown>)[key] = clean;
        found(path);
      }
    } else if (item !== null && typeof item === 'object') {
      replaceControlCharacters(item as Record<string, unknown>, path, found);
    }
  }
}
