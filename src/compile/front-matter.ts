import { z } from 'zod';
import type { Point } from 'unist';
import type { VFile } from 'vfile';
import { error, warn } from '../diagnostics/report.js';
import { parsePartialDate } from '../data/partial-date.js';
import { parseYaml } from '../data/yaml-source.js';
import { directionOf, type Metadata, type Paper } from '../document/metadata.js';

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** Front matter as authors write it. */
export const FrontMatter = z.object({
  title: nonEmpty,
  subtitle: nonEmpty.optional(),
  'short-title': nonEmpty.optional(),
  author: z.union([nonEmpty, z.array(nonEmpty).min(1)]),
  date: z
    .union([z.string(), z.number().int()])
    .transform((value) => String(value))
    .refine((value) => parsePartialDate(value) !== undefined, 'must be a date: YYYY, YYYY-MM or YYYY-MM-DD')
    .optional(),
  lang: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 language tag such as en, en-GB or zh-Hans')
    .optional(),
  description: nonEmpty.optional(),
  keywords: z.union([z.string(), z.array(nonEmpty)]).optional(),
  identifier: nonEmpty.optional(),
  publisher: nonEmpty.optional(),
  series: nonEmpty.optional(),
  paper: z.enum(['a4', 'letter', 'A4', 'Letter']).optional(),
  'toc-depth': z.number().int().min(1).max(6).optional(),
  chapters: z.boolean().optional(),
  dir: z.enum(['ltr', 'rtl']).optional(),
});
export type FrontMatter = z.infer<typeof FrontMatter>;

const knownKeys = new Set(Object.keys(FrontMatter.shape));

/** Values a project gives every manuscript that does not set its own. */
export interface MetadataDefaults {
  paper?: Paper;
  publisher?: string;
  series?: string;
}

export interface FrontMatterOverrides {
  /** Wins over the front matter (`--paper`). */
  paper?: Paper;
  /** Used where the front matter is silent (the project configuration). */
  defaults?: MetadataDefaults;
}

/**
 * Read the YAML front matter of a manuscript into resolved metadata. Problems
 * are reported on `file` at their line and column; on failure the result is
 * undefined.
 */
export function resolveFrontMatter(
  file: VFile,
  yaml: { value: string; offset: number; start?: Point } | undefined,
  overrides: FrontMatterOverrides = {},
): Metadata | undefined {
  if (!yaml) {
    error(file, 'The manuscript has no front matter: start it with a `---` block giving at least `title` and `author`', {
      place: { line: 1, column: 1 },
      ruleId: 'front-matter-schema',
    });
    return undefined;
  }
  const source = parseYaml(file, {
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

  for (const key of Object.keys(source.value)) {
    if (!knownKeys.has(key)) {
      warn(file, `Unknown front matter key \`${key}\` (known: ${[...knownKeys].join(', ')})`, {
        place: source.placeOf([key], { key: true }),
        ruleId: 'front-matter-schema',
      });
    }
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

  const data = parsed.data;
  const keywords =
    typeof data.keywords === 'string'
      ? data.keywords.split(',').map((word) => word.trim()).filter(Boolean)
      : data.keywords ?? [];
  const date = data.date === undefined ? undefined : parsePartialDate(data.date);
  const publisher = data.publisher ?? overrides.defaults?.publisher;
  const series = data.series ?? overrides.defaults?.series;
  return {
    title: data.title,
    ...(data.subtitle ? { subtitle: data.subtitle } : {}),
    shortTitle: data['short-title'] ?? data.title,
    authors: typeof data.author === 'string' ? [data.author] : data.author,
    ...(date ? { date } : {}),
    lang: data.lang ?? 'en',
    dir: data.dir ?? directionOf(data.lang ?? 'en'),
    ...(data.description ? { description: data.description } : {}),
    keywords,
    ...(data.identifier ? { identifier: data.identifier } : {}),
    ...(publisher ? { publisher } : {}),
    ...(series ? { series } : {}),
    paper: overrides.paper ?? (data.paper?.toLowerCase() as Paper | undefined) ?? overrides.defaults?.paper ?? 'a4',
    tocDepth: data['toc-depth'] ?? 2,
    ...(data.chapters ? { chapters: true } : {}),
  };
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

const controlCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replace, in place, every control character in the strings of a parsed YAML value; `found` is told each path. */
function replaceControlCharacters(value: Record<string, unknown> | unknown[], at: Array<string | number>, found: (path: Array<string | number>) => void): void {
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
