import path from 'node:path';
import {
  build,
  EnvironmentError,
  parseShard,
  themes,
  type BuildOptions,
  type ProgressEvent,
  type Theme,
} from '../../api.js';
import { parseCommand, parseFormats, parsePaper, parseTimeout, usageError as reportUsage } from '../arguments.js';
import { exitCodes, formatBytes, onInterrupt, printMessages, ProgressLine, stageLine, type Io } from '../io.js';

export const buildUsage = `Usage: imprint build [MANUSCRIPT...] [options]

Build the HTML, PDF and EPUB editions of manuscripts (paths or quoted globs such
as 'reports/*.md'). Without one: the \`manuscripts\` of the project configuration
file (imprint.config.yaml, .yml or .json in this folder), else manuscript/report.md.
Writes manifest.json and SHA256SUMS beside the editions; an edition whose inputs
are unchanged since the manifest recorded it is not made again.

Options:
  -c, --config FILE             project configuration file (default: imprint.config.yaml/.yml/.json here)
      --no-config               read no configuration file
  -o, --out DIR                 output folder (default: dist)
  -f, --format LIST             editions to make, comma separated: html,pdf,epub (default: all)
      --force                   make every edition, even those that are up to date
      --shard K/N               build the K-th of N shares of the manuscripts (for a CI matrix)
  -j, --jobs N                  reports built at once (default: the number of cores)
      --paper a4|letter         paper size of the PDF (overrides front matter)
      --browser PATH            Chromium or Chrome to print with
      --browser-timeout SECONDS longest wait for the browser to start or to do one
                                step of a print (default: 60)
      --browser-ws-endpoint URL print through an already running Chromium
                                (also IMPRINT_BROWSER_WS_ENDPOINT)
      --root DIR                folder the manuscript's files must stay inside (default: its folder)
      --templates DIR           template folder (default: the shipped templates)
      --theme book|brief        a shipped theme laid over the templates
      --allow-remote            fetch remote (http, https) images and data files while
                                building (default: refuse them; the browser never
                                loads anything itself)
      --strict                  warnings fail the build
  -q, --quiet                   print only problems
      --verbose                 print a line as each stage of each report ends
                                (read, parse, transform, html, template, load, …),
                                with its time
      --json                    print diagnostics as JSON on stdout
  -h, --help                    show this help`;

/** `imprint build` */
export async function buildCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommand(
    argv,
    {
      config: { type: 'string', short: 'c' },
      'no-config': { type: 'boolean', default: false },
      out: { type: 'string', short: 'o' },
      format: { type: 'string', short: 'f' },
      force: { type: 'boolean', default: false },
      shard: { type: 'string' },
      jobs: { type: 'string', short: 'j' },
      paper: { type: 'string' },
      browser: { type: 'string' },
      'browser-timeout': { type: 'string' },
      'browser-ws-endpoint': { type: 'string' },
      root: { type: 'string' },
      templates: { type: 'string' },
      theme: { type: 'string' },
      strict: { type: 'boolean' },
      'allow-remote': { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q', default: false },
      verbose: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    buildUsage,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals: manuscripts } = parsed;

  const usageError = (message: string) => reportUsage(io, message);
  const wanted = values.format === undefined ? undefined : parseFormats(values.format);
  if (typeof wanted === 'string') return usageError(wanted);
  const paper = values.paper === undefined ? undefined : parsePaper(values.paper);
  if (paper !== undefined && paper !== 'a4' && paper !== 'letter') return usageError(paper);
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  if (values.shard !== undefined && !shard)
    return usageError(`--shard takes K/N with 1 ≤ K ≤ N, such as 1/4 (got ${values.shard})`);
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1))
    return usageError(`--jobs takes a whole number of 1 or more (got ${values.jobs})`);
  if (values.config !== undefined && values['no-config'])
    return usageError('--config and --no-config cannot be used together');
  if (values.quiet && values.verbose) return usageError('--quiet and --verbose cannot be used together');
  const timeoutMs = values['browser-timeout'] === undefined ? undefined : parseTimeout(values['browser-timeout']);
  if (typeof timeoutMs === 'string') return usageError(timeoutMs);
  if (values.theme !== undefined && !(themes as readonly string[]).includes(values.theme))
    return usageError(`--theme takes ${themes.join(' or ')} (got ${values.theme})`);
  const wsEndpoint = values['browser-ws-endpoint'] ?? (process.env.IMPRINT_BROWSER_WS_ENDPOINT || undefined);

  const controller = new AbortController();
  // Heard once: a second signal is the supervisor's (or, in a process of its own, ends it at once).
  const stopListening = onInterrupt(io, () => {
    stopListening();
    controller.abort(new Error('interrupted'));
  });
  const started = performance.now();
  const verbose = !values.quiet && !values.json;
  // On a terminal, what the run is doing is shown live on one line; elsewhere only the final lines.
  const live = new LiveProgress(new ProgressLine(io, verbose && io.isTTY === true), formatCount(wanted));
  live.start();
  const options: BuildOptions = {
    manuscripts: manuscripts.length > 0 ? manuscripts : undefined,
    config: values['no-config'] ? false : values.config,
    outDir: values.out,
    formats: wanted,
    force: values.force,
    shard,
    concurrency: jobs,
    paper,
    // Options left undefined leave the configuration file's browser settings in place (resolveRun).
    browser: { executablePath: values.browser || undefined, wsEndpoint, timeoutMs },
    projectRoot: values.root,
    templateDir: values.templates,
    theme: values.theme as Theme | undefined,
    strict: values.strict,
    allowRemote: values['allow-remote'],
    signal: controller.signal,
    onProgress: verbose ? (event: ProgressEvent) => progress(event, io, live, values.verbose) : undefined,
  };
  try {
    const result = await build(options);
    live.clear();
    printMessages(result.files, values, io);
    if (verbose) {
      if (result.manifestPath) {
        const manifest = shown(result.manifestPath);
        io.stderr(`manifest ${manifest} and ${path.join(path.dirname(manifest), 'SHA256SUMS')}\n`);
      }
      if (result.reports.length > 0)
        io.stderr(`${summary(result.reports)} in ${seconds(performance.now() - started)}\n`);
    }
    return result.ok ? exitCodes.ok : exitCodes.inputs;
  } catch (cause) {
    live.clear();
    if (controller.signal.aborted) {
      io.stderr(
        'imprint: interrupted; reports finished before are written and in the manifest, no other edition was written\n',
      );
      return exitCodes.interrupted;
    }
    if (cause instanceof EnvironmentError) {
      io.stderr(`imprint: ${cause.message}\n`);
      return exitCodes.environment;
    }
    throw cause;
  } finally {
    stopListening();
  }
}

/**
 * On a terminal, the run's live line (the stage each report is in, pages laid
 * out, editions made) and the browser's start-up time; everywhere, one line
 * per report as it finishes, and with `--verbose` one per stage as it ends.
 */
function progress(event: ProgressEvent, io: Io, live: LiveProgress, stageLines: boolean): void {
  if (event.kind === 'stage') {
    if (stageLines) live.print(stageLine(event.manuscript, event.stage, event.ms));
    if (event.manuscript === '') {
      if (stageLines) return;
      if (live.enabled) live.above(`${event.stage.padEnd(9)} ${event.ms.toFixed(0).padStart(6)} ms`);
      return;
    }
    live.stage(event.manuscript, event.stage);
    return;
  }
  if (event.kind === 'edition') {
    live.edition(event.manuscript, event.pages);
    return;
  }
  live.clear();
  live.finished(event.manuscript);
  const { report } = event;
  const counter = `[${event.done}/${event.total}]`;
  const stages = event.stages.map(({ stage, ms }) => `${stage} ${ms.toFixed(0)} ms`).join(', ');
  const timing = `in ${seconds(event.ms)}${stages ? ` (${stages})` : ''}`;
  if (!report.ok) {
    const errors = report.files.reduce(
      (sum, file) => sum + file.messages.filter((message) => message.fatal === true).length,
      0,
    );
    const warnings = report.files.reduce(
      (sum, file) => sum + file.messages.filter((message) => message.fatal === false).length,
      0,
    );
    const problems =
      errors > 0
        ? `${errors} error${errors === 1 ? '' : 's'}`
        : `${warnings} warning${warnings === 1 ? '' : 's'} (--strict)`;
    io.stderr(`${counter} ${event.manuscript}  failed: ${problems}, listed below; nothing written\n`);
    return;
  }
  const built = report.editions.filter((edition) => edition.status === 'built');
  const unchanged = report.editions.filter((edition) => edition.status === 'unchanged');
  const parts = [
    built.length > 0
      ? `built ${built.map((edition) => `${path.basename(edition.path)} (${sizeOf(edition)})`).join(', ')}`
      : '',
    unchanged.length > 0 ? `unchanged ${unchanged.map((edition) => path.basename(edition.path)).join(', ')}` : '',
  ].filter(Boolean);
  io.stderr(`${counter} ${event.manuscript}  ${parts.join('; ')}  ${timing}\n`);
  live.redraw();
}

/** What the live line says: reports done, and for each report under way its stage, pages and editions. */
class LiveProgress {
  private readonly reports = new Map<string, { stage: string; pages?: number; editions: number }>();
  private done = 0;
  private readonly started = performance.now();

  constructor(
    private readonly line: ProgressLine,
    private readonly editionsPerReport: number,
  ) {}

  get enabled(): boolean {
    return this.line.enabled;
  }

  start(): void {
    this.line.show('starting…');
  }

  stage(manuscript: string, stage: string): void {
    const report = this.reports.get(manuscript) ?? { stage, editions: 0 };
    report.stage = stage;
    this.reports.set(manuscript, report);
    this.redraw();
  }

  edition(manuscript: string, pages: number | undefined): void {
    const report = this.reports.get(manuscript) ?? { stage: 'editions', editions: 0 };
    report.editions++;
    if (pages !== undefined) report.pages = pages;
    this.reports.set(manuscript, report);
    this.redraw();
  }

  finished(manuscript: string): void {
    this.reports.delete(manuscript);
    this.done++;
  }

  /** A line printed above the live one. */
  above(text: string): void {
    this.line.clear();
    if (this.line.enabled) this.io(`${text}\n`);
    this.redraw();
  }

  /** A whole line printed above the live one, on a terminal or not. */
  print(text: string): void {
    this.line.clear();
    this.line.write(text);
    this.redraw();
  }

  clear(): void {
    this.line.clear();
  }

  redraw(): void {
    if (!this.line.enabled) return;
    const under = [...this.reports];
    const parts = under.slice(0, 2).map(([manuscript, report]) => {
      const pages = report.pages !== undefined ? `, ${report.pages} pages laid out` : '';
      return `${manuscript}: ${report.stage}${pages}, ${report.editions}/${this.editionsPerReport} editions made`;
    });
    const more = under.length > 2 ? ` and ${under.length - 2} more` : '';
    const elapsed = seconds(performance.now() - this.started);
    const now = parts.join(' · ') || (this.done > 0 ? 'recording the manifest' : 'starting…');
    this.line.show(`${this.done > 0 ? `${this.done} done · ` : ''}${now}${more}  ${elapsed}`);
  }

  private io(text: string): void {
    this.line.write(text);
  }
}

function formatCount(wanted: readonly string[] | undefined): number {
  return wanted ? new Set(wanted).size : 3;
}

function summary(reports: ReadonlyArray<{ ok: boolean; editions: ReadonlyArray<{ status: string }> }>): string {
  const failed = reports.filter((report) => !report.ok).length;
  const unchanged = reports.filter(
    (report) => report.ok && report.editions.every((edition) => edition.status === 'unchanged'),
  ).length;
  const built = reports.length - failed - unchanged;
  const parts = [`${built} built`, unchanged ? `${unchanged} unchanged` : '', failed ? `${failed} failed` : ''].filter(
    Boolean,
  );
  return `${reports.length} report${reports.length === 1 ? '' : 's'}: ${parts.join(', ')},`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** An edition's size, as the summary line shows it. */
function sizeOf(edition: { bytes: Uint8Array }): string {
  return formatBytes(edition.bytes.byteLength);
}
