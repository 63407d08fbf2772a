import { readFile } from 'node:fs/promises';
import { errnoOf, reasonOf } from '../diagnostics/file-errors.js';
import type { Limits } from '../compile/limits.js';
import path from 'node:path';
import { VFile } from 'vfile';
import { z } from 'zod';
import type { BrowserOptions } from '../browser/session.js';
import { labelOverrides, labelsSchema, type MetadataDefaults } from '../compile/front-matter.js';
import type { Paper } from '../document/metadata.js';
import { themes, type Theme } from '../writers/print-page/templates.js';
import { parseYaml } from '../data/yaml-source.js';
import { error } from '../diagnostics/report.js';
import { decodeText } from '../compile/read-manuscript.js';
import type { Position } from 'unist';

/** The file names looked for in the working folder, in this order. */
export const configFileNames = ['imprint.config.yaml', 'imprint.config.yml', 'imprint.config.json'] as const;

const text = z.string().trim().min(1, 'must not be empty');
const limit = z.number().int('must be a whole number').min(1, 'must be 1 or more');

/** A project configuration file as users write it (YAML or JSON). */
export const ProjectConfigFile = z.strictObject({
  /** Manuscripts of the series: paths or globs, relative to the configuration file. */
  manuscripts: z.union([text, z.array(text).min(1, 'must list at least one manuscript')]).optional(),
  /** Output folder. */
  out: text.optional(),
  formats: z
    .array(z.enum(['html', 'pdf', 'epub']))
    .min(1, 'must name at least one format')
    .optional(),
  /** Template folder (print.css, epub.css, epub/*.ejs). */
  templates: text.optional(),
  /** A shipped theme laid over the templates. */
  theme: z.enum(themes).optional(),
  /** Folder every path a manuscript names must stay inside. */
  root: text.optional(),
  /** Defaults for every manuscript's front matter. */
  paper: z
    .preprocess((value) => (typeof value === 'string' ? value.toLowerCase() : value), z.enum(['a4', 'letter']))
    .optional(),
  publisher: text.optional(),
  series: text.optional(),
  /** Bibliography files (BibTeX, CSL JSON, CSL YAML), relative to the configuration file. */
  bibliography: z.union([text, z.array(text).min(1, 'must list at least one file')]).optional(),
  /** A shipped citation style's name or a CSL file, relative to the configuration file. */
  csl: text.optional(),
  notes: z.enum(['page', 'end']).optional(),
  'notes-numbering': z.enum(['document', 'chapter']).optional(),
  /** The words imprint writes itself, over the shipped ones for each manuscript's language. */
  labels: labelsSchema.optional(),
  /** Reports built at once. */
  concurrency: z.number().int().min(1).max(256).optional(),
  strict: z.boolean().optional(),
  /** Fetch remote (http, https) images and data files at build time. */
  'allow-remote': z.boolean().optional(),
  /** What one manuscript may ask of a build (docs/limits.md). */
  limits: z
    .strictObject({
      nesting: limit.optional(),
      'inline-delimiters': limit.optional(),
      includes: limit.optional(),
      'include-depth': limit.optional(),
      'table-rows': limit.optional(),
      'image-pixels': limit.optional(),
      headings: limit.optional(),
      blocks: limit.optional(),
      'justified-paragraph': limit.optional(),
    })
    .optional(),
  browser: z
    .strictObject({
      executable: text.optional(),
      'ws-endpoint': z
        .string()
        .regex(/^wss?:\/\/\S+$/, 'must be a ws:// or wss:// URL')
        .optional(),
      /** Longest wait for a launch or one print, in seconds. */
      timeout: z
        .number()
        .positive('must be a number of seconds above 0')
        .max(3600, 'must be at most 3600 seconds')
        .optional(),
    })
    .optional(),
});
export type ProjectConfigFile = z.infer<typeof ProjectConfigFile>;

/** A pattern of the `manuscripts` list, with where it was written. */
export interface ConfiguredPattern {
  pattern: string;
  place?: Position;
}

/** A configuration file read and checked, with its paths resolved against its folder. */
export interface ProjectConfig {
  file: VFile;
  /** The folder of the configuration file: the project folder. */
  dir: string;
  manuscripts?: ConfiguredPattern[];
  outDir?: string;
  formats?: Array<'html' | 'pdf' | 'epub'>;
  templateDir?: string;
  theme?: Theme;
  projectRoot?: string;
  defaults: MetadataDefaults;
  concurrency?: number;
  strict?: boolean;
  allowRemote?: boolean;
  /** The limits the file sets; the others keep their defaults. */
  limits: Partial<Limits>;
  browser: BrowserOptions;
}

export interface LoadConfigOptions {
  cwd: string;
  /** A configuration file to read; `false` for none; by default the first of `configFileNames` in `cwd`, if any. */
  path?: string | false;
}

export interface LoadedConfig {
  /** Undefined when there is no configuration file, or when it has errors. */
  config?: ProjectConfig;
  /** The configuration file with its messages, when there is one. */
  file?: VFile;
}

/**
 * Find and read the project configuration file. Every problem in it is a
 * message on its vfile at the line and column of the offending value.
 */
export async function loadProjectConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  if (options.path === false) return {};
  let absolute: string;
  if (options.path !== undefined) {
    absolute = path.resolve(options.cwd, options.path);
  } else {
    const present: string[] = [];
    for (const name of configFileNames) {
      const candidate = path.join(options.cwd, name);
      if ((await readBytes(candidate)) !== undefined) present.push(candidate);
    }
    if (present.length === 0) return {};
    absolute = present[0]!;
    if (present.length > 1) {
      const file = new VFile({ path: present[1]!, cwd: options.cwd });
      error(
        file,
        `Two configuration files in one folder: ${present.map((p) => path.basename(p)).join(' and ')}; keep one`,
        {
          place: { line: 1, column: 1 },
          ruleId: 'config-schema',
        },
      );
      return { file };
    }
  }

  const file = new VFile({ path: absolute, cwd: options.cwd });
  const bytes = await readBytes(absolute);
  if (bytes === undefined) {
    error(file, 'Cannot find the configuration file: no file at this path', { ruleId: 'config-missing' });
    return { file };
  }
  if ('unreadable' in bytes) {
    error(file, `Cannot read the configuration file: ${bytes.unreadable}`, { ruleId: 'file-unreadable' });
    return { file };
  }
  const textValue = decodeText(bytes);
  if (textValue === undefined) {
    error(file, 'The configuration file is not UTF-8 text', { place: { line: 1, column: 1 }, ruleId: 'config-syntax' });
    return { file };
  }
  file.value = textValue;
  const config = parseProjectConfig(file);
  return config ? { config, file } : { file };
}

/** Check a configuration file held in `file.value`; undefined (with messages on `file`) when it has errors. */
export function parseProjectConfig(file: VFile): ProjectConfig | undefined {
  const source = parseYaml(file, { syntaxRule: 'config-syntax', label: 'the configuration file' });
  if (source.value === undefined) return undefined;
  const raw = source.value ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    error(file, 'The configuration file must be a mapping of keys to values', {
      place: source.placeOf([]) ?? { line: 1, column: 1 },
      ruleId: 'config-schema',
    });
    return undefined;
  }
  const parsed = ProjectConfigFile.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        const known = knownKeys(issue.path);
        for (const key of issue.keys) {
          const name = [...issue.path, key].join('.');
          error(file, `Unknown configuration key \`${name}\`${known ? ` (known: ${known})` : ''}`, {
            place: source.placeOf([...issue.path, key], { key: true }) ?? { line: 1, column: 1 },
            ruleId: 'config-schema',
          });
        }
        continue;
      }
      const key = issue.path.join('.') || 'configuration';
      error(file, `Configuration \`${key}\` ${describeIssue(issue)}`, {
        place: source.placeOf(issue.path) ?? { line: 1, column: 1 },
        ruleId: 'config-schema',
      });
    }
    return undefined;
  }

  const data = parsed.data;
  const dir = path.dirname(file.path);
  const resolve = (value: string | undefined) => (value === undefined ? undefined : path.resolve(dir, value));
  const listed =
    data.manuscripts === undefined
      ? undefined
      : typeof data.manuscripts === 'string'
        ? [data.manuscripts]
        : data.manuscripts;
  const manuscripts = listed?.map((pattern, index) => {
    const place = source.placeOf(typeof data.manuscripts === 'string' ? ['manuscripts'] : ['manuscripts', index]);
    return { pattern, place };
  });
  const citations: MetadataDefaults = {
    bibliography:
      data.bibliography === undefined ? undefined : [data.bibliography].flat().map((file) => path.resolve(dir, file)),
    csl: data.csl === undefined || !data.csl.endsWith('.csl') ? data.csl : path.resolve(dir, data.csl),
    notes: data.notes,
    notesNumbering: data['notes-numbering'],
    labels: data.labels ? labelOverrides(data.labels) : undefined,
  };
  const defaults: MetadataDefaults = {
    ...citations,
    paper: data.paper ? (data.paper as Paper) : undefined,
    publisher: data.publisher || undefined,
    series: data.series || undefined,
  };
  const browser: BrowserOptions = {
    executablePath: data.browser?.executable ? path.resolve(dir, data.browser.executable) : undefined,
    wsEndpoint: data.browser?.['ws-endpoint'] || undefined,
    timeoutMs: data.browser?.timeout ? Math.round(data.browser.timeout * 1000) : undefined,
  };
  return {
    file,
    dir,
    manuscripts,
    outDir: data.out ? resolve(data.out) : undefined,
    formats: data.formats ? [...new Set(data.formats)] : undefined,
    templateDir: data.templates ? resolve(data.templates) : undefined,
    theme: data.theme,
    projectRoot: data.root ? resolve(data.root) : undefined,
    defaults,
    concurrency: data.concurrency || undefined,
    strict: data.strict,
    allowRemote: data['allow-remote'],
    limits: limitsOf(data.limits ?? {}),
    browser,
  };
}

function limitsOf(configured: NonNullable<ProjectConfigFile['limits']>): Partial<Limits> {
  const limits: Partial<Limits> = {};
  if (configured.nesting !== undefined) limits.nesting = configured.nesting;
  if (configured['inline-delimiters'] !== undefined) limits.inlineDelimiters = configured['inline-delimiters'];
  if (configured.includes !== undefined) limits.includes = configured.includes;
  if (configured['include-depth'] !== undefined) limits.includeDepth = configured['include-depth'];
  if (configured['table-rows'] !== undefined) limits.tableRows = configured['table-rows'];
  if (configured['image-pixels'] !== undefined) limits.imagePixels = configured['image-pixels'];
  if (configured.headings !== undefined) limits.headings = configured.headings;
  if (configured.blocks !== undefined) limits.blocks = configured.blocks;
  if (configured['justified-paragraph'] !== undefined) limits.justifiedParagraph = configured['justified-paragraph'];
  return limits;
}

function knownKeys(at: readonly PropertyKey[]): string | undefined {
  if (at.length === 0) return Object.keys(ProjectConfigFile.shape).join(', ');
  if (at.length === 1 && at[0] === 'browser') return 'executable, ws-endpoint, timeout';
  if (at.length === 1 && at[0] === 'limits')
    return Object.keys(ProjectConfigFile.shape.limits.unwrap().shape).join(', ');
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    return issue.input === undefined
      ? 'is required'
      : `must be ${article(issue.expected)}, not ${typeName(issue.input)}`;
  }
  if (issue.code === 'invalid_union') return 'must be a path or a list of paths';
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map(String).join(', ')}`;
  return issue.message;
}

function article(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object') return 'a mapping';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

/** The file's bytes, undefined when there is none, or why it cannot be read (`permission denied (EACCES)`). */
async function readBytes(file: string): Promise<Uint8Array | undefined | { unreadable: string }> {
  try {
    return await readFile(file);
  } catch (cause) {
    const code = errnoOf(cause);
    if (code === undefined || code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    return { unreadable: reasonOf(cause) };
  }
}
