import { availableParallelism } from 'node:os';
import { defaultLimits, type Limits } from '../compile/limits.js';
import path from 'node:path';
import { formats, type Format } from './formats.js';
import type { BrowserOptions } from '../browser/session.js';
import type { MetadataDefaults } from '../compile/front-matter.js';
import type { Paper } from '../document/metadata.js';
import { VFile } from 'vfile';
import { diskReader, type ResourceReader } from '../compile/resources.js';
import { error, hasErrors } from '../diagnostics/report.js';
import { loadProjectConfig, type ProjectConfig } from '../project/config-file.js';
import { expandManuscripts, nameConflicts, type ManuscriptPattern } from '../project/manuscripts.js';
import { shareOf, type Shard } from '../project/shard.js';
import type { Theme } from '../writers/print-page/templates.js';

/** The manuscript built when neither the command line nor a configuration file names one. */
export const defaultManuscript = 'manuscript/report.md';

/** What a run is asked for, before the configuration file is read: `build`'s options of the run. */
export interface RunRequest {
  /**
   * Manuscript paths or globs (`reports/*.md`), relative to `cwd`. Default:
   * the configuration file's `manuscripts`, else `manuscript/report.md`.
   */
  manuscripts?: readonly string[];
  /**
   * The project configuration file. Default: `imprint.config.yaml`,
   * `imprint.config.yml` or `imprint.config.json` in `cwd`, when there is
   * one; `false` reads none. Options given here win over it.
   */
  config?: string | false;
  /** Output folder, relative to `cwd`; default `dist`. */
  outDir?: string;
  /** Editions to make; default all three. */
  formats?: readonly Format[];
  /** Build only this share of the manuscripts (`{ index: 2, count: 3 }` is `--shard 2/3`). */
  shard?: Shard;
  /** Reports built at once; default the machine's available parallelism. */
  concurrency?: number;
  /**
   * Threads that parse one long manuscript side by side (decision 092); default the cores each report built at
   * once has, less one: none on two cores.
   */
  parseThreads?: number;
  browser?: BrowserOptions;
  /** Overrides every front matter's `paper`. */
  paper?: Paper;
  /** Front matter values for manuscripts that do not set their own; win over the configuration file's. */
  defaults?: MetadataDefaults;
  /** Folder every path a manuscript names must stay inside; default the manuscript's folder. */
  projectRoot?: string;
  /** Folder of print.css, epub.css and epub/*.ejs; default the shipped templates. */
  templateDir?: string;
  /** A shipped theme laid over the templates (`book`, `brief`); over the configuration file's. */
  theme?: Theme;
  /** Warnings fail the build too. */
  strict?: boolean;
  /**
   * Fetch remote (http, https) images and data files at build time. Off by
   * default: a manuscript that names one is an error. The browser never loads
   * anything itself either way.
   */
  allowRemote?: boolean;
  /** Over the configuration file's `limits:`, limit by limit (docs/limits.md). */
  limits?: Partial<Limits>;
  /** Seconds since the epoch for every date a build writes; default `SOURCE_DATE_EPOCH`. */
  sourceDateEpoch?: number;
  cwd?: string;
  /** How manuscripts and the files they name are read; default the disk. */
  reader?: ResourceReader;
}

/** A run with every option settled: the request over the configuration file over the defaults. */
export interface ResolvedRun {
  cwd: string;
  /** Manifests record paths relative to it: the configuration file's folder, else `cwd`. */
  projectDir: string;
  config?: ProjectConfig;
  /** This run's manuscripts (this shard's share), absolute, in stable order. */
  manuscripts: string[];
  /** Manuscripts of the whole series, before sharding. */
  series: string[];
  shard?: Shard;
  outDir: string;
  formats: Format[];
  templateDir?: string;
  /** The shipped theme laid over the templates. */
  theme?: Theme;
  projectRoot?: string;
  paper?: Paper;
  defaults: MetadataDefaults;
  concurrency: number;
  /** Threads that parse one long manuscript side by side (decision 092). */
  parseThreads: number;
  strict: boolean;
  /** Fetch remote images and data files at build time (else they are refused). */
  allowRemote: boolean;
  /** What one manuscript may ask of the build (docs/limits.md). */
  limits: Limits;
  browser: BrowserOptions;
  sourceDateEpoch?: number;
}

/**
 * Read the configuration file and settle the run. Problems (in the
 * configuration, patterns that match nothing, two manuscripts that would
 * write the same files) come back as messages and no run: nothing is built.
 */
export async function resolveRun(request: RunRequest): Promise<{ run?: ResolvedRun; files: VFile[] }> {
  const cwd = path.resolve(request.cwd ?? process.cwd());
  const loaded = await loadProjectConfig({ cwd, path: request.config });
  const files: VFile[] = loaded.file ? [loaded.file] : [];
  if (loaded.file && !loaded.config) return { files };
  const config = loaded.config;
  const projectDir = config?.dir ?? cwd;

  let patterns: ManuscriptPattern[];
  if (request.manuscripts && request.manuscripts.length > 0) {
    patterns = request.manuscripts.map((pattern) => ({ pattern, base: cwd }));
  } else if (config?.manuscripts) {
    patterns = config.manuscripts.map((entry) => ({
      pattern: entry.pattern,
      base: config.dir,
      file: config.file,
      place: entry.place,
    }));
  } else {
    patterns = [{ pattern: defaultManuscript, base: cwd }];
  }
  const expanded = await expandManuscripts(patterns, projectDir, cwd);
  files.push(...expanded.files);

  const outDir =
    request.outDir !== undefined ? path.resolve(cwd, request.outDir) : (config?.outDir ?? path.resolve(cwd, 'dist'));
  files.push(...nameConflicts(expanded.manuscripts, outDir, cwd));
  // Every manuscript is known to exist before anything is started (a browser, the pipeline's modules).
  const bare = !request.manuscripts?.length && !config?.manuscripts;
  files.push(...(await missingManuscripts(expanded.manuscripts, request.reader ?? diskReader, cwd, bare)));
  if (hasErrors(files)) return { files };

  const browser =
    request.browser?.executablePath || request.browser?.wsEndpoint
      ? { ...withoutChoice(config?.browser), ...definedOnly(request.browser) }
      : { ...config?.browser, ...definedOnly(request.browser) };
  const projectRoot = request.projectRoot !== undefined ? path.resolve(cwd, request.projectRoot) : config?.projectRoot;
  const templateDir = request.templateDir !== undefined ? path.resolve(cwd, request.templateDir) : config?.templateDir;
  const paper = request.paper;
  const theme = request.theme ?? config?.theme;
  const wanted = request.formats ?? config?.formats ?? formats;
  const manuscripts = request.shard ? shareOf(expanded.manuscripts, request.shard) : expanded.manuscripts;
  const concurrency = Math.max(1, Math.floor(request.concurrency ?? config?.concurrency ?? availableParallelism()));
  // The cores each report built at once has, one of them its own thread's (and, beside it, the browser's start).
  const cores = Math.floor(availableParallelism() / Math.max(1, Math.min(concurrency, manuscripts.length)));
  return {
    files,
    run: {
      cwd,
      projectDir,
      config,
      manuscripts,
      series: expanded.manuscripts,
      shard: request.shard,
      outDir,
      formats: formats.filter((format) => wanted.includes(format)),
      templateDir,
      theme,
      projectRoot,
      paper,
      defaults: { ...definedOnly(config?.defaults), ...definedOnly(request.defaults) },
      concurrency,
      parseThreads: Math.max(1, Math.floor(request.parseThreads ?? cores - 1)),
      strict: request.strict ?? config?.strict ?? false,
      allowRemote: request.allowRemote ?? config?.allowRemote ?? false,
      limits: { ...defaultLimits, ...definedOnly(config?.limits), ...definedOnly(request.limits) },
      browser,
      sourceDateEpoch: request.sourceDateEpoch,
    },
  };
}

/**
 * A message on each manuscript that does not exist. When it is the default
 * manuscript of a folder without a configuration file (a bare `imprint build`),
 * the message says how to start a project or name a manuscript.
 */
async function missingManuscripts(manuscripts: readonly string[], reader: ResourceReader, cwd: string, bare: boolean) {
  const files: VFile[] = [];
  for (const manuscript of manuscripts) {
    // A manuscript that is there but cannot be read is reported when it is read (`manuscript-unreadable`).
    const found = await (reader.realPath ? reader.realPath(manuscript) : reader.read(manuscript)).catch(() => true);
    if (found !== undefined) continue;
    const file = new VFile({ path: manuscript, cwd });
    const reason = bare
      ? `No manuscript named, and no ${defaultManuscript} in ${cwd}: start a project here with \`imprint init\`, ` +
        'or name a manuscript (`imprint build report.md`)'
      : 'Cannot find the manuscript: no file at this path';
    error(file, reason, { ruleId: 'manuscript-missing' });
    files.push(file);
  }
  return files;
}

/** The configured browser without its choice of browser (kept: the timeout), when the request names its own. */
function withoutChoice(browser: BrowserOptions | undefined): BrowserOptions {
  return browser?.timeoutMs !== undefined ? { timeoutMs: browser.timeoutMs } : {};
}

/**
 * The keys of an object that have a value. The request lies over the configuration file key by key, and an option
 * left `undefined` (as the command line leaves the options it was not given) leaves the configured value in place.
 */
function definedOnly<T extends object>(options: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([, value]) => value !== undefined)) as Partial<T>;
}
