import path from 'node:path';
import type { VFile } from 'vfile';
import type { BrowserSession } from '../browser/session.js';
import type { MetadataDefaults } from '../config/front-matter.js';
import type { Paper } from '../config/metadata.js';
import { hasErrors } from '../diagnostics/report.js';
import type { ReportDocument } from '../editions/document.js';
import { epubEdition } from '../editions/epub.js';
import { htmlEdition } from '../editions/html.js';
import { pdfEdition } from '../editions/pdf.js';
import { readManuscript } from '../manuscript/read-manuscript.js';
import type { ResourceReader } from '../manuscript/resources.js';
import { compile } from '../pipeline.js';
import type { Templates } from '../template/templates.js';

export const formats = ['html', 'pdf', 'epub'] as const;
export type Format = (typeof formats)[number];

export type Stage = 'read' | 'parse' | 'transform' | 'browser' | 'html' | 'pdf' | 'epub' | 'write';

export interface Edition {
  format: Format;
  /** Where it is written. */
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

/** What one report's build needs from the run around it. */
export interface ReportContext {
  cwd: string;
  outDir: string;
  formats: ReadonlySet<Format>;
  templates: Templates;
  reader: ResourceReader;
  /** The shared browser, started on first use. */
  browser: () => Promise<BrowserSession>;
  paper?: Paper;
  /** Front matter values for manuscripts that do not set their own (the project configuration). */
  defaults?: MetadataDefaults;
  projectRoot?: string;
  strict?: boolean;
  sourceDateEpoch?: number;
  signal?: AbortSignal;
  onStage?: (stage: Stage, ms: number) => void;
  /**
   * Called once the manuscript compiled without errors: the editions still to
   * make (by default all of `formats`). The run leaves out editions that are
   * up to date.
   */
  select?: (doc: ReportDocument) => Promise<ReadonlySet<Format>>;
}

/**
 * Make the editions of one manuscript in memory: read, compile, then the
 * writers. Problems in the inputs end it early with `ok: false` and messages
 * on `files`; nothing is written here.
 */
export async function buildReport(manuscript: string, context: ReportContext): Promise<ReportResult> {
  const absolute = path.resolve(context.cwd, manuscript);
  const name = path.basename(absolute).replace(/\.[^.]+$/, '');
  const timed = async <T>(stage: Stage, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const value = await work();
    context.onStage?.(stage, performance.now() - started);
    return value;
  };

  const file = await timed('read', () => readManuscript(absolute, context.reader, context.cwd));
  const report: ReportResult = { manuscript, name, ok: false, editions: [], files: [file] };
  if (file.value === undefined) return report;

  const compiled = await compile(file, {
    reader: context.reader,
    projectRoot: context.projectRoot ?? path.dirname(absolute),
    overrides: {
      ...(context.paper ? { paper: context.paper } : {}),
      ...(context.defaults ? { defaults: context.defaults } : {}),
    },
    ...(context.onStage ? { onStage: context.onStage } : {}),
  });
  report.files.push(...compiled.dataFiles);
  if (hasErrors(report.files, context.strict) || !compiled.metadata) return report;
  const doc: ReportDocument = { ...compiled, metadata: compiled.metadata };
  const wanted = context.select ? await context.select(doc) : context.formats;

  const target = (format: Format) => path.join(context.outDir, `${name}.${format}`);
  const jobs: Array<Promise<Edition>> = [];
  if (wanted.has('html')) {
    jobs.push(
      timed('html', () => htmlEdition(doc, context.templates)).then((html) => ({
        format: 'html' as const,
        path: target('html'),
        bytes: new TextEncoder().encode(html),
      })),
    );
  }
  if (wanted.has('epub')) {
    const epubOptions = context.sourceDateEpoch === undefined ? {} : { sourceDateEpoch: context.sourceDateEpoch };
    jobs.push(
      timed('epub', () => epubEdition(doc, context.templates, epubOptions)).then((bytes) => ({
        format: 'epub' as const,
        path: target('epub'),
        bytes,
      })),
    );
  }
  if (wanted.has('pdf')) {
    const session = await context.browser();
    jobs.push(
      timed('pdf', () => pdfEdition(doc, context.templates, session, context.signal)).then((bytes) => ({
        format: 'pdf' as const,
        path: target('pdf'),
        bytes,
      })),
    );
  }
  const editions = await Promise.all(jobs);
  report.editions = formats.flatMap((format) => editions.filter((edition) => edition.format === format));
  report.ok = true;
  return report;
}
