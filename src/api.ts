// First: a V8 setting that must hold before any WebAssembly module is compiled.
import './wasm-tier.js';
import path from 'node:path';
import type { VFile } from 'vfile';
import { formats, type Format, type Stage } from './run/formats.js';
import type { BrowserOptions, BrowserSession } from './browser/session.js';
import type { CheckOptions, CheckResult } from './run/check.js';
import { hasErrors } from './diagnostics/report.js';
import { diskReader } from './compile/resources.js';
import { OutputSet } from './release/write-editions.js';
import { projectPath } from './project/manuscripts.js';
import { runFingerprint } from './release/inputs.js';
import { manifestFileName, previousManifest, type Manifest, type ManifestReport } from './release/manifest.js';
import { recordManifest } from './release/record-manifest.js';
import { eachLimited } from './run/pool.js';
import { resolveRun, type ResolvedRun, type RunRequest } from './run/resolve-run.js';
import type { ReportResult, RunShared } from './run/run-report.js';
import { loadTemplates } from './writers/print-page/templates.js';

export { EnvironmentError } from './browser/locate.js';
export type { CheckOptions, CheckResult } from './run/check.js';
export type { RunRequest } from './run/resolve-run.js';
export type { BrowserOptions } from './browser/session.js';
export { forgetLoadedTemplates, themes, type Theme } from './writers/print-page/templates.js';
export type { MetadataDefaults } from './compile/front-matter.js';
export type { Paper } from './document/metadata.js';
export { formats };
export type { Format, Stage };
export type { EditionResult, ReportResult } from './run/run-report.js';
export type { Manifest, ManifestEdition, ManifestReport, ManifestSource } from './release/manifest.js';
export { checksumFileName, manifestFileName } from './release/manifest.js';
export { parseShard, type Shard } from './project/shard.js';
export { configFileNames } from './project/config-file.js';
export { memoryReader, type ResourceReader } from './compile/resources.js';
export { mergeManifests, type MergeOptions, type MergeResult } from './release/merge.js';

/** What a run reports while it works. */
export type ProgressEvent =
  | {
      kind: 'stage';
      /** The manuscript (relative to `cwd` when inside it); empty for work shared by the run (the browser). */
      manuscript: string;
      stage: Stage;
      ms: number;
    }
  | {
      kind: 'edition';
      manuscript: string;
      /** An edition made in memory (it is written when the whole report is done). */
      format: Format;
      /** The PDF's pages. */
      pages?: number;
    }
  | {
      kind: 'report';
      manuscript: string;
      /** Reports finished so far, this one included, and the number in the run. */
      done: number;
      total: number;
      report: ReportResult;
      /** From the start of this report to its editions written. */
      ms: number;
      /** Each stage of this report with its time. */
      stages: ReadonlyArray<{ stage: Stage; ms: number }>;
    };

/** What `build` is asked for: the run (every option of `RunRequest`), and how it is carried out. */
export interface BuildOptions extends RunRequest {
  /**
   * Write the editions, manifest.json and SHA256SUMS to `outDir`; default
   * true. With false, only the bytes are returned, and every edition is made.
   */
  write?: boolean;
  /** Make every edition even when its inputs are unchanged since the manifest recorded it. */
  force?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /**
   * A browser kept running across builds (`startBrowser()`): the build prints
   * with it and leaves it running. Without it, each build starts its own.
   */
  warmBrowser?: WarmBrowser;
}

/** A Chromium kept running for many builds (watch mode, a server): see `startBrowser`. */
export interface WarmBrowser {
  readonly session: BrowserSession;
  close(): Promise<void>;
}

/** Start a browser to share between builds (`build({ warmBrowser })`); close it when done. */
export async function startBrowser(options: BrowserOptions = {}): Promise<WarmBrowser> {
  const session = await openBrowser({ ...options, keepWarm: true });
  return { session, close: () => session.close() };
}

/**
 * Check the prose of manuscripts against their data (`imprint check`). Its
 * modules load on first use, like the build's.
 */
export async function check(options: CheckOptions = {}): Promise<CheckResult> {
  const { check: run } = await import('./run/check.js');
  return run(options);
}

/**
 * Launch (or connect to) Chromium. Its process is started first, by a module that loads nothing but Node's own;
 * Puppeteer, loaded only here, then connects to it, and the pipeline's modules load while it starts (see `build`,
 * decision 090).
 */
function openBrowser(options: BrowserOptions): Promise<BrowserSession> {
  const started = import('./browser/start.js').then((start) =>
    start.startsOverPipe(options) ? start.startBrowser(options) : undefined,
  );
  started.catch(() => undefined);
  return import('./browser/session.js').then(({ BrowserSession }) => BrowserSession.open(options, started));
}

export interface BuildResult {
  /** True when every report was made and nothing in the run had an error. */
  ok: boolean;
  /** One per manuscript of the run, in the run's order (sorted by project path). */
  reports: ReportResult[];
  /** Every file with messages (configuration, manuscripts, data files), for reporting. */
  files: VFile[];
  /** The output folder's manifest after the run, when one was written or is current. */
  manifest?: Manifest;
  /** Where it is. */
  manifestPath?: string;
}

/**
 * Build the editions of one or more manuscripts with one shared browser:
 * settle the run (options over the configuration file), build the reports a
 * few at a time, write each report's editions as it is done, then record the
 * output folder's manifest and checksums. Problems in the inputs are returned
 * as messages on `files`; problems with the environment (no browser, a
 * browser that fails) throw an EnvironmentError.
 */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const sourceDateEpoch = options.sourceDateEpoch ?? epochFromEnvironment();
  const resolved = await resolveRun({ ...options, sourceDateEpoch });
  const run = resolved.run;
  if (!run) return { ok: false, reports: [], files: resolved.files };

  const write = options.write !== false;
  // The output folder is locked for the run, and what a killed build left in it is settled, before it is read.
  const output = write ? await OutputSet.open(run.outDir) : undefined;
  try {
    return await buildInto(options, run, resolved.files, output, sourceDateEpoch);
  } finally {
    await output?.close();
  }
}

async function buildInto(
  options: BuildOptions,
  run: ResolvedRun,
  settled: VFile[],
  output: OutputSet | undefined,
  sourceDateEpoch: number | undefined,
): Promise<BuildResult> {
  const write = output !== undefined;
  const force = options.force === true;
  const show = (manuscript: string) => {
    const relative = path.relative(run.cwd, manuscript);
    return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : manuscript;
  };
  const previous = write ? await previousManifest(run.outDir) : undefined;
  const templates = await loadTemplates(run.templateDir, run.theme);
  // A font the templates cannot load stops the run before anything is built, like a problem in the configuration.
  if (hasErrors(templates.files)) return { ok: false, reports: [], files: [...settled, ...templates.files] };
  const fingerprints = new Map<string, Promise<string>>();

  // One browser for the whole run, started on first use. When nothing says the
  // PDFs are up to date, it starts at once, while the manuscripts compile.
  let session: Promise<BrowserSession> | undefined;
  const browser = () => {
    if (!session && options.warmBrowser) session = Promise.resolve(options.warmBrowser.session);
    if (!session) {
      const started = performance.now();
      session = openBrowser(run.browser);
      session.then(
        () =>
          options.onProgress?.({ kind: 'stage', manuscript: '', stage: 'browser', ms: performance.now() - started }),
        () => undefined,
      );
    }
    return session;
  };
  // Interrupted: stop the browser at once, so the report being printed stops too (and no
  // Chromium outlives the run); reports already finished are still written and recorded.
  const stopBrowser = () => {
    if (session && !options.warmBrowser)
      void session.then(
        (opened) => opened.close({ now: true }),
        () => undefined,
      );
  };
  options.signal?.addEventListener('abort', stopBrowser, { once: true });
  // The PDF is printed with it, and the EPUB's page list comes from the print layout measured in it, unless
  // the manifest recorded the page map of an earlier print (then an EPUB alone needs no browser, even forced).
  const recordedPageMaps = new Set(
    previous?.reports.filter((report) => report.pageMap).map((report) => report.manuscript.path),
  );
  const unmapped = run.manuscripts.some((manuscript) => !recordedPageMaps.has(projectPath(run.projectDir, manuscript)));
  const needsLayout = run.formats.includes('pdf') || (run.formats.includes('epub') && unmapped);
  if (needsLayout && run.manuscripts.length > 0 && (!previous || force)) {
    // The browser's process first, then Puppeteer, on their own: both begin before the other modules load.
    void browser().catch(() => undefined);
    await import('./browser/session.js');
  }
  // The pipeline, the editions' writers and their libraries load only now, while Chromium starts.
  const { runReport } = await import('./run/run-report.js');

  const shared: RunShared = {
    run,
    context: {
      cwd: run.cwd,
      outDir: run.outDir,
      templates,
      browser,
      paper: run.paper,
      defaults: run.defaults,
      projectRoot: run.projectRoot,
      strict: run.strict,
      allowRemote: run.allowRemote,
      parseThreads: run.parseThreads,
      limits: run.limits,
      sourceDateEpoch,
      signal: options.signal,
    },
    reader: options.reader ?? diskReader,
    write,
    force,
    fingerprint: (format: string) => {
      let pending = fingerprints.get(format);
      if (!pending) fingerprints.set(format, (pending = runFingerprint(templates, format)));
      return pending;
    },
    previous: previous ? new Map(previous.reports.map((report) => [report.manuscript.path, report])) : undefined,
  };

  // The fingerprints hash imprint's code and its fonts: done now, while the browser starts, not after the editions.
  for (const format of run.formats) void shared.fingerprint(format).catch(() => undefined);

  const outcomes: Array<{ result: ReportResult; entry?: ManifestReport } | undefined> = run.manuscripts.map(
    () => undefined,
  );
  let done = 0;
  let stopped: { cause: unknown } | undefined;
  try {
    await eachLimited(
      run.manuscripts,
      run.concurrency,
      async (manuscript, index) => {
        const started = performance.now();
        const stages: Array<{ stage: Stage; ms: number }> = [];
        const onStage = (stage: Stage, ms: number) => {
          stages.push({ stage, ms });
          options.onProgress?.({ kind: 'stage', manuscript: show(manuscript), stage, ms });
        };
        const onEdition = (format: Format, counts: { pages?: number }) =>
          options.onProgress?.({ kind: 'edition', manuscript: show(manuscript), format, ...counts });
        const outcome = await runReport(manuscript, shared, onStage, onEdition);
        const made = outcome.result.editions.filter((edition) => edition.status === 'built');
        if (outcome.result.ok && output && made.length > 0) {
          options.signal?.throwIfAborted();
          const writing = performance.now();
          // Staged now, moved into place with the manifest and the checksums at the end of the run.
          await output.stage(made.map((edition) => ({ path: edition.path, bytes: edition.bytes })));
          onStage('write', performance.now() - writing);
        }
        outcomes[index] = outcome;
        done++;
        options.onProgress?.({
          kind: 'report',
          manuscript: show(manuscript),
          done,
          total: run.manuscripts.length,
          report: outcome.result,
          ms: performance.now() - started,
          stages,
        });
      },
      options.signal,
    );
    if (options.signal?.aborted) throw options.signal.reason;
  } catch (cause) {
    stopped = { cause };
  } finally {
    options.signal?.removeEventListener('abort', stopBrowser);
    if (session && !options.warmBrowser)
      await session.then(
        (opened) => opened.close(),
        () => undefined,
      );
  }

  const reports = outcomes.filter((outcome) => outcome !== undefined).map((outcome) => outcome.result);
  let manifest: Manifest | undefined;
  if (output) {
    const current = new Map<string, ManifestReport>();
    for (const outcome of outcomes) {
      if (outcome?.entry) current.set(outcome.entry.manuscript.path, outcome.entry);
    }
    manifest = await recordManifest({
      outDir: run.outDir,
      output,
      current,
      unfinished: run.manuscripts
        .map((manuscript) => projectPath(run.projectDir, manuscript))
        .filter((key) => !current.has(key)),
      previous,
      shard: run.shard,
      sourceDateEpoch,
      failed: stopped !== undefined || reports.some((report) => !report.ok),
    });
    // Reports finished before an interruption are still written, with the manifest that lists them.
    await output.commit();
  }
  if (stopped) throw stopped.cause;

  const files = [...settled, ...reports.flatMap((report) => report.files)];
  return {
    ok: reports.every((report) => report.ok) && !hasErrors(settled, run.strict),
    reports,
    files,
    manifest,
    manifestPath: manifest ? path.join(run.outDir, manifestFileName) : undefined,
  };
}

function epochFromEnvironment(): number | undefined {
  const value = process.env.SOURCE_DATE_EPOCH;
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  return Number.isInteger(seconds) && seconds >= 0 ? seconds : undefined;
}
