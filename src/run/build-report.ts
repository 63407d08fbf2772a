import path from 'node:path';
import type { Limits } from '../compile/limits.js';
import type { VFile } from 'vfile';
import type { BrowserSession } from '../browser/session.js';
import type { MetadataDefaults } from '../compile/front-matter.js';
import type { Paper } from '../document/metadata.js';
import { hasErrors, warn } from '../diagnostics/report.js';
import type { ReportDocument } from '../document/report-document.js';
import { epubEdition, prepareEpubEdition, type EpubEdition, type PreparedFonts } from '../writers/epub/epub.js';
import { htmlEdition } from '../writers/html/html.js';
import type { PageMap } from '../document/page-map.js';
import { pdfLayout, printPageSource, type PrintLayout } from '../writers/pdf/pdf.js';
import { readManuscript } from '../compile/read-manuscript.js';
import type { ResourceReader } from '../compile/resources.js';
import { compile } from '../compile/pipeline.js';
import type { Templates } from '../writers/print-page/templates.js';
import { reportMissingGlyphs } from '../writers/print-page/missing-glyphs.js';

import { formats, type Format, type Stage } from './formats.js';

export { formats, type Format, type Stage };

export interface Edition {
  format: Format;
  /** Where it is written. */
  path: string;
  bytes: Uint8Array;
  /** PDF: pages in the file, as its writer made them. */
  pages?: number;
  /** EPUB: content documents in its reading order, the navigation document left out. */
  chapters?: number;
}

/** One report as its build made it, before it is compared with the manifest and written (see run-report.ts). */
export interface BuiltReport {
  /** The manuscript's path as given. */
  manuscript: string;
  /** Base name of its editions: `report` for `report.md`. */
  name: string;
  /** True when every edition was made (and written, if asked). */
  ok: boolean;
  editions: Edition[];
  /** The manuscript and its data files, each with its messages. */
  files: VFile[];
  /** Where the PDF's pages fall (made whenever the PDF or the EPUB is). */
  pageMap?: PageMap;
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
  allowRemote?: boolean;
  /** Threads that parse a long manuscript side by side (decision 092); default 1. */
  parseThreads?: number;
  /** What the manuscript may ask of the build; default {@link defaultLimits}. */
  limits?: Readonly<Limits>;
  sourceDateEpoch?: number;
  signal?: AbortSignal;
  onStage?: (stage: Stage, ms: number) => void;
  /**
   * Called with each edition as soon as it is made, while the others are still
   * being made (the run describes it for the manifest meanwhile). An edition
   * is only kept if the whole report succeeds.
   */
  onEdition?: (edition: Edition) => void;
  /**
   * Called once the manuscript compiled without errors: the editions still to
   * make (by default all of `formats`). The run leaves out editions that are
   * up to date.
   */
  select?: (doc: ReportDocument) => Promise<ReadonlySet<Format>>;
  /**
   * The page map of an earlier print of exactly these inputs (recorded in the
   * output folder's manifest), when there is one: an EPUB made without a PDF
   * then takes its page list from it, and no browser is started for it.
   */
  earlierPageMap?: (doc: ReportDocument) => Promise<PageMap | undefined>;
}

/**
 * Make the editions of one manuscript in memory: read, compile, then the
 * writers. Problems in the inputs end it early with `ok: false` and messages
 * on `files`; nothing is written here.
 */
export async function buildReport(manuscript: string, context: ReportContext): Promise<BuiltReport> {
  const absolute = path.resolve(context.cwd, manuscript);
  const name = path.basename(absolute).replace(/\.[^.]+$/, '');
  const timed = async <T>(stage: Stage, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const value = await work();
    context.onStage?.(stage, performance.now() - started);
    return value;
  };

  const file = await timed('read', () => readManuscript(absolute, context.reader, context.cwd));
  const report: BuiltReport = { manuscript, name, ok: false, editions: [], files: [file] };
  if (file.value === undefined) return report;

  const compiled = await compile(file, {
    reader: context.reader,
    projectRoot: context.projectRoot ?? path.dirname(absolute),
    overrides: {
      paper: context.paper,
      defaults: context.defaults,
    },
    allowRemote: context.allowRemote,
    parseThreads: context.parseThreads,
    limits: context.limits,
    chartFaces: context.templates.chartFaces,
    onStage: context.onStage,
  });
  // Over a limit checked while compiling: no document, and the error is on the manuscript.
  if (!compiled) return report;
  report.files.push(...compiled.dataFiles);
  if (hasErrors(report.files, context.strict) || !compiled.metadata) return report;
  const doc: ReportDocument = { ...compiled, metadata: compiled.metadata };
  // A character no shipped face can draw: a warning, which fails the build only with --strict.
  await reportMissingGlyphs(file, doc.metadata, doc.tree);
  if (hasErrors(report.files, context.strict)) return report;
  const wanted = context.select ? await context.select(doc) : context.formats;

  const target = (format: Format) => path.join(context.outDir, `${name}.${format}`);
  const jobs: Array<Promise<Edition>> = [];
  const announce = (edition: Edition): Edition => {
    context.onEdition?.(edition);
    return edition;
  };
  if (wanted.has('html')) {
    jobs.push(
      timed('html', () => htmlEdition(doc, context.templates))
        .then((html) => ({
          format: 'html' as const,
          path: target('html'),
          bytes: new TextEncoder().encode(html),
        }))
        .then(announce),
    );
  }

  // An earlier print of the same inputs already says where the pages fall (the manifest recorded it): the
  // EPUB is made from it at once, without a browser when there is no PDF to print, else while Chromium
  // starts and lays the page out, and made again only if this print puts the pages elsewhere.
  const known = wanted.has('epub') && context.earlierPageMap ? await context.earlierPageMap(doc) : undefined;
  const epubOptions = (pageMap: PageMap, fonts: Promise<PreparedFonts> | undefined) => ({
    sourceDateEpoch: context.sourceDateEpoch,
    pageMap,
    fonts,
  });
  let early: Promise<EpubEdition> | undefined;
  if (known) {
    // Its fonts are subset as it is made: made ahead, they would take a second assembly of the book on this thread.
    early = timed('epub', () => epubEdition(doc, context.templates, epubOptions(known, undefined)));
    early.catch(() => undefined);
  }

  // The print page is laid out once: its page map serves the contents page, the EPUB's page list and the PDF.
  let layout: Promise<PrintLayout> | undefined;
  if (wanted.has('pdf') || (wanted.has('epub') && !known)) {
    // The print page is made before waiting for the browser, which may still be starting.
    const source = timed('template', () => printPageSource(doc, context.templates));
    source.catch(() => undefined);
    const session = await context.browser();
    layout = pdfLayout(doc, context.templates, session, context.signal, context.onStage, source);
  }
  // Printing is asked for first, so Chromium starts on it before Node does the EPUB's work.
  const printed =
    layout && wanted.has('pdf')
      ? layout.then((made) =>
          made.print(context.sourceDateEpoch === undefined ? {} : { sourceDateEpoch: context.sourceDateEpoch }),
        )
      : undefined;
  // The EPUB's fonts are subset, and its packager loaded, while Chromium prints. Not sooner: while
  // the page loads, Node answers its requests, and work here would hold them up. Without a print, the EPUB
  // subsets them as it is made: made ahead, they would take a second assembly of the book on this thread.
  const fonts =
    layout && printed && wanted.has('epub') && !known
      ? layout.then(() => prepareEpubEdition(doc, context.templates))
      : undefined;
  fonts?.catch(() => undefined);
  const epubWith = (pageMap: PageMap) =>
    timed('epub', () => epubEdition(doc, context.templates, epubOptions(pageMap, fonts)));
  if (printed) {
    jobs.push(
      printed.then((pdf) =>
        announce({ format: 'pdf' as const, path: target('pdf'), bytes: pdf.bytes, pages: pdf.pages }),
      ),
    );
  }
  if (early && known) {
    jobs.push(
      Promise.all([early, printed])
        .then(async ([first, pdf]) => {
          // The page list must follow the PDF printed now.
          const written = pdf && !samePageMap(pdf.pageMap, known) ? await epubWith(pdf.pageMap) : first;
          return { format: 'epub' as const, path: target('epub'), bytes: written.bytes, chapters: written.chapters };
        })
        .then(announce),
    );
  } else if (layout && wanted.has('epub')) {
    const epub = layout.then((made) => epubWith(made.pageMap));
    jobs.push(
      Promise.all([layout, epub, printed])
        .then(async ([made, first, pdf]) => {
          // The printed PDF corrected the measured map: the page list must follow the PDF.
          const written = pdf && pdf.pageMap !== made.pageMap ? await epubWith(pdf.pageMap) : first;
          return { format: 'epub' as const, path: target('epub'), bytes: written.bytes, chapters: written.chapters };
        })
        .then(announce),
    );
  }
  try {
    const editions = await Promise.all(jobs);
    report.editions = formats.flatMap((format) => editions.filter((edition) => edition.format === format));
  } finally {
    if (layout)
      await layout.then(
        (made) => made.close(),
        () => undefined,
      );
  }
  const pdf = printed ? await printed : undefined;
  report.pageMap = pdf?.pageMap ?? (layout ? (await layout).pageMap : known);
  if (pdf && pdf.printings > 1) {
    const first = pdf.disagreements[0];
    warn(
      file,
      `The measured page layout disagreed with the printed PDF ` +
        `(${first ? `\`#${first.id}\` measured on page ${first.measured}, ` : ''}` +
        `${first ? `printed on page ${first.printed}` : 'page count'}), ` +
        `so the PDF was printed ${pdf.printings} times; the contents page follows the printed pages`,
      { ruleId: 'page-layout-mismatch' },
    );
  }
  if (pdf && pdf.unchecked.length > 0) {
    warn(
      file,
      `The printed PDF has no destination for ${pdf.unchecked.length} of the headings the contents page names ` +
        `(first \`#${pdf.unchecked[0]}\`), so their page numbers could not be checked against the printed pages`,
      { ruleId: 'page-layout-unchecked' },
    );
  }
  // Writing an edition can find problems too (an image the EPUB cannot hold): then nothing is written.
  if (hasErrors(report.files, context.strict)) {
    report.editions = [];
    return report;
  }
  report.ok = true;
  return report;
}

/** Whether two page maps put every page and every id in the same place. */
function samePageMap(a: PageMap, b: PageMap): boolean {
  if (a.pages !== b.pages || a.starts.length !== b.starts.length || a.pageOfId.size !== b.pageOfId.size) return false;
  const startsEqual = a.starts.every((start, index) => {
    const other = b.starts[index]!;
    return start.page === other.page && start.block === other.block && start.offset === other.offset;
  });
  return startsEqual && [...a.pageOfId].every(([id, page]) => b.pageOfId.get(id) === page);
}
