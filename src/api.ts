import path from 'node:path';
import type { VFile } from 'vfile';
import { buildReport, formats, type Format, type ReportResult, type Stage } from './build/report.js';
import { BrowserSession, type BrowserOptions } from './browser/session.js';
import type { Paper } from './config/metadata.js';
import { diskReader, type ResourceReader } from './manuscript/resources.js';
import { writeEditions } from './output/write-editions.js';
import { loadTemplates } from './template/templates.js';

export { EnvironmentError } from './browser/locate.js';
export { check, type CheckOptions, type CheckResult } from './check/run.js';
export type { BrowserOptions } from './browser/session.js';
export { formats };
export type { Edition, Format, ReportResult, Stage } from './build/report.js';

export interface ProgressEvent {
  /** The manuscript's path as given; empty for work shared by the run (the browser). */
  manuscript: string;
  stage: Stage;
  ms: number;
}

export interface BuildOptions {
  /** Manuscript paths, absolute or relative to `cwd`. */
  manuscripts: string[];
  /** Output folder, relative to `cwd`; default `dist`. */
  outDir?: string;
  /** Editions to make; default all three. */
  formats?: readonly Format[];
  /** Write the editions to `outDir`; default true. With false, only the bytes are returned. */
  write?: boolean;
  browser?: BrowserOptions;
  /** Overrides the front matter's `paper`. */
  paper?: Paper;
  /** Folder every path a manuscript names must stay inside; default the manuscript's folder. */
  projectRoot?: string;
  /** Folder of print.css, epub.css and epub/*.ejs; default the shipped templates. */
  templateDir?: string;
  /** Warnings fail the build too. */
  strict?: boolean;
  /** Seconds since the epoch for every date a build writes; default `SOURCE_DATE_EPOCH`. */
  sourceDateEpoch?: number;
  cwd?: string;
  reader?: ResourceReader;
  onProgress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
}

export interface BuildResult {
  ok: boolean;
  reports: ReportResult[];
  /** Every file with messages, for reporting. */
  files: VFile[];
}

/**
 * Build the editions of one or more manuscripts. Problems in the inputs are
 * returned as messages on `files`; problems with the environment (no browser,
 * a browser that fails) throw an EnvironmentError.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd();
  const wanted = new Set(options.formats ?? formats);
  const sourceDateEpoch = options.sourceDateEpoch ?? epochFromEnvironment();

  // Chromium starts while the manuscripts are read and compiled: the PDF is printed with it, and the
  // EPUB's page list comes from the print layout measured in it.
  let session: Promise<BrowserSession> | undefined;
  const browser = () => {
    if (!session) {
      const started = performance.now();
      session = BrowserSession.open(options.browser);
      session.then(
        () => options.onProgress?.({ manuscript: '', stage: 'browser', ms: performance.now() - started }),
        () => undefined,
      );
    }
    return session;
  };
  if (wanted.has('pdf') || wanted.has('epub')) void browser().catch(() => undefined);

  try {
    const templates = await loadTemplates(options.templateDir);
    const reports: ReportResult[] = [];
    for (const manuscript of options.manuscripts) {
      options.signal?.throwIfAborted();
      const report = await buildReport(manuscript, {
        cwd,
        outDir: path.resolve(cwd, options.outDir ?? 'dist'),
        formats: wanted,
        templates,
        reader: options.reader ?? diskReader,
        browser,
        ...(options.paper ? { paper: options.paper } : {}),
        ...(options.projectRoot ? { projectRoot: path.resolve(cwd, options.projectRoot) } : {}),
        ...(options.strict ? { strict: true } : {}),
        ...(sourceDateEpoch === undefined ? {} : { sourceDateEpoch }),
        ...(options.signal ? { signal: options.signal } : {}),
        onStage: (stage, ms) => options.onProgress?.({ manuscript, stage, ms }),
      });
      if (report.ok && options.write !== false) {
        const started = performance.now();
        await writeEditions(report.editions.map((edition) => ({ path: edition.path, bytes: edition.bytes })));
        options.onProgress?.({ manuscript, stage: 'write', ms: performance.now() - started });
      }
      reports.push(report);
    }
    return { ok: reports.every((report) => report.ok), reports, files: reports.flatMap((report) => report.files) };
  } finally {
    if (session) await session.then((opened) => opened.close(), () => undefined);
  }
}

function epochFromEnvironment(): number | undefined {
  const value = process.env.SOURCE_DATE_EPOCH;
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  return Number.isInteger(seconds) && seconds >= 0 ? seconds : undefined;
}
