import path from 'node:path';
import type { VFile } from 'vfile';
import { BrowserSession, type BrowserOptions } from './browser/session.js';
import type { Paper } from './config/metadata.js';
import { hasErrors } from './diagnostics/report.js';
import type { ReportDocument } from './editions/document.js';
import { epubEdition } from './editions/epub.js';
import { htmlEdition } from './editions/html.js';
import { pdfEdition } from './editions/pdf.js';
import { readManuscript } from './manuscript/read-manuscript.js';
import { diskReader, type ResourceReader } from './manuscript/resources.js';
import { writeEditions } from './output/write-editions.js';
import { compile } from './pipeline.js';
import { loadTemplates } from './template/templates.js';

export { EnvironmentError } from './browser/locate.js';
export type { BrowserOptions } from './browser/session.js';

export const formats = ['html', 'pdf', 'epub'] as const;
export type Format = (typeof formats)[number];

export type Stage = 'read' | 'parse' | 'transform' | 'browser' | 'html' | 'pdf' | 'epub' | 'write';

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

export interface Edition {
  format: Format;
  /** Where it was (or would be) written. */
  path: string;
  bytes: Uint8Array;
}

export interface ReportResult {
  /** The manuscript's path as given. */
  manuscript: string;
  /** Base name of its editions: `report` for `report.md`. */
  name: string;
  /** True when every edition was made (and written, if asked). */
  ok: boolean;
  editions: Edition[];
  /** The manuscript and its data files, each with its messages. */
  files: VFile[];
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
  const reader = options.reader ?? diskReader;
  const outDir = path.resolve(cwd, options.outDir ?? 'dist');
  const sourceDateEpoch = options.sourceDateEpoch ?? epochFromEnvironment();
  const progress = (manuscript: string, stage: Stage, started: number) =>
    options.onProgress?.({ manuscript, stage, ms: performance.now() - started });

  // Chromium starts while the manuscripts are read and compiled.
  let browser: Promise<BrowserSession> | undefined;
  if (wanted.has('pdf')) {
    const started = performance.now();
    browser = BrowserSession.open(options.browser);
    browser.then(() => progress('', 'browser', started), () => undefined);
  }

  try {
    const templates = await loadTemplates(options.templateDir);
    const reports: ReportResult[] = [];
    for (const manuscript of options.manuscripts) {
      options.signal?.throwIfAborted();
      const absolute = path.resolve(cwd, manuscript);
      const name = path.basename(absolute).replace(/\.[^.]+$/, '');
      let started = performance.now();
      const file = await readManuscript(absolute, reader, cwd);
      progress(manuscript, 'read', started);
      const report: ReportResult = { manuscript, name, ok: false, editions: [], files: [file] };
      reports.push(report);
      if (file.value === undefined) continue;

      const compiled = await compile(file, {
        reader,
        projectRoot: options.projectRoot ? path.resolve(cwd, options.projectRoot) : path.dirname(absolute),
        overrides: options.paper ? { paper: options.paper } : {},
        onStage: (stage, ms) => options.onProgress?.({ manuscript, stage, ms }),
      });
      report.files.push(...compiled.dataFiles);
      if (hasErrors(report.files, options.strict) || !compiled.metadata) continue;
      const doc: ReportDocument = { ...compiled, metadata: compiled.metadata };

      const target = (format: Format) => path.join(outDir, `${name}.${format}`);
      const jobs: Array<Promise<Edition>> = [];
      if (wanted.has('html')) {
        started = performance.now();
        jobs.push(
          htmlEdition(doc, templates).then((html) => {
            progress(manuscript, 'html', started);
            return { format: 'html', path: target('html'), bytes: new TextEncoder().encode(html) };
          }),
        );
      }
      if (wanted.has('epub')) {
        const epubStarted = performance.now();
        jobs.push(
          epubEdition(doc, templates, sourceDateEpoch === undefined ? {} : { sourceDateEpoch }).then((bytes) => {
            progress(manuscript, 'epub', epubStarted);
            return { format: 'epub', path: target('epub'), bytes };
          }),
        );
      }
      if (browser) {
        const session = await browser;
        const pdfStarted = performance.now();
        jobs.push(
          pdfEdition(doc, templates, session, options.signal).then((bytes) => {
            progress(manuscript, 'pdf', pdfStarted);
            return { format: 'pdf', path: target('pdf'), bytes };
          }),
        );
      }
      const editions = await Promise.all(jobs);
      report.editions = formats.flatMap((format) => editions.filter((edition) => edition.format === format));

      if (options.write !== false) {
        started = performance.now();
        await writeEditions(report.editions.map((edition) => ({ path: edition.path, bytes: edition.bytes })));
        progress(manuscript, 'write', started);
      }
      report.ok = true;
    }
    const files = reports.flatMap((report) => report.files);
    return { ok: reports.every((report) => report.ok), reports, files };
  } finally {
    if (browser) await browser.then((session) => session.close(), () => undefined);
  }
}

function epochFromEnvironment(): number | undefined {
  const value = process.env.SOURCE_DATE_EPOCH;
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  return Number.isInteger(seconds) && seconds >= 0 ? seconds : undefined;
}
