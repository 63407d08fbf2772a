import { fontBytes } from '../../assets/font-files.js';
import type { FontFace } from '../../assets/fonts.js';
import type { Asset, BrowserSession, PrintPage } from '../../browser/session.js';
import {
  correct,
  fillPageNumbers,
  hasElement,
  keepLines,
  measure,
  placeNotes,
  readPageArea,
  replaceStyleSheet,
  type MeasuredLayout,
} from './measure.js';
import type { ReportDocument } from '../../document/report-document.js';
import type { PageMap } from '../../document/page-map.js';
import type { Direction } from '../../document/metadata.js';
import { labelsOf } from '../../document/labels.js';
import {
  facesFor,
  continuedAttribute,
  keepBreakAttribute,
  notesAtFoot,
  pageCss,
  pageNotesAttribute,
  printOutline,
  splitAttribute,
  printDocument,
  printPagePolicy,
  runningHead,
} from '../print-page/print-document.js';
import type { Templates } from '../print-page/templates.js';
import { finishPdf } from './finish-pdf.js';
import { columnBreakCss, pageArea, paperPixels, type PageArea } from './page-css.js';
import { PdfFile } from './pdf-file.js';
import { blockAttribute, printTree } from './print-tree.js';

/**
 * The print page laid out once in Chromium. Before anything is printed, the
 * measuring pass lays the same content out in columns the size of the page
 * area and reads the page map from it; the contents page's numbers are filled
 * in from that map, and the page is printed once. The printed PDF is then
 * checked against the map (the page of every heading the contents links to,
 * from the PDF's own link destinations); where they disagree, the numbers are
 * taken from the PDF and the page printed again.
 */
export interface PrintLayout {
  /** The page map as measured before printing. */
  readonly pageMap: PageMap;
  /** Print the page (with the contents page's numbers) and set the document information. */
  print(options?: PrintOptions): Promise<PrintedPdf>;
  close(): Promise<void>;
}

export interface PrintOptions {
  /** Seconds since the epoch for the PDF's dates (SOURCE_DATE_EPOCH); the printing's time when absent. */
  sourceDateEpoch?: number;
}

/** The steps of laying out and printing, timed separately (`npm run bench` reports each). */
export type PrintStage = 'template' | 'load' | 'measure' | 'print' | 'finish';
export type OnPrintStage = (stage: PrintStage, ms: number) => void;

async function timed<T>(onStage: OnPrintStage | undefined, stage: PrintStage, work: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    onStage?.(stage, performance.now() - started);
  }
}

export interface PrintedPdf {
  bytes: Uint8Array;
  /** Pages in the file, as the PDF's own page tree counts them. */
  pages: number;
  /** The page map, corrected from the printed PDF where the measuring pass was wrong. */
  pageMap: PageMap;
  /** How many times the page was printed: 1 when the measured map held. */
  printings: number;
  /** Ids whose measured page the printed PDF contradicted (at the first printing). */
  disagreements: Array<{ id: string; measured: number | undefined; printed: number }>;
  /**
   * Ids the contents page names that have no destination in the printed PDF:
   * their page numbers could not be checked against the printed pages.
   */
  unchecked: string[];
}

const bodySelector = 'main.body';
/** Fewest lines of a paragraph on either side of a page break. */
const minimumLines = 2;
const maxKeepRounds = 4;
/** Smallest scale a figure's drawing is set at to stay on the page where it falls. */
const minimumFigureScale = 0.7;
/** Largest share of a page a figure may leave empty before the text after it is moved up (see deferFiguresInPage). */
const largestFigureGap = 0.15;
const deferredFigureAttribute = 'data-imprint-deferred';
const measureSelector = 'style[data-imprint-measure]';
/** Attribute of the second part of a block split by a page's notes: how much of its text came before. */
const offsetAttribute = 'data-imprint-offset';
/** The notes of the document, set at the foot of the pages that cite them unless `notes: end`. */
const notesSelector = 'section[data-footnotes]';

/** The print page as Chromium gets it: made without the browser, so it can be made while Chromium starts. */
export interface PrintPageSource {
  html: string;
  assets: Map<string, Asset>;
  area: PageArea;
  /** The rules that force a column break in the measuring layout (see `columnBreakCss`). */
  breaks: string;
  fonts: Array<{ font: string; text: string }>;
}

/** Make the print page: the HTML document (with the measuring style sheet) and the files it loads. */
export async function printPageSource(doc: ReportDocument, templates: Templates): Promise<PrintPageSource> {
  const assets = new Map<string, Asset>();
  const faces = facesFor(doc.metadata, doc.tree);
  await Promise.all(
    faces.map(async (face) => {
      assets.set(`/fonts/${face.name}`, { body: await fontBytes(face), contentType: 'font/woff2', unchanging: true });
    }),
  );
  for (const image of doc.images.values())
    assets.set(`/${image.name}`, { body: image.bytes, contentType: image.mediaType });
  // The template's own fonts, at the URL its style sheet names them by (relative to the page's).
  for (const font of templates.fonts) assets.set(`/${font.url}`, { body: font.bytes, contentType: font.mediaType });
  const styleSheets = [templates.printCss, pageCss(doc.metadata, doc.outline)];
  const area = pageArea(styleSheets, doc.metadata.paper);
  const breaks = columnBreakCss(styleSheets);
  const html = printDocument({
    metadata: doc.metadata,
    tree: printTree(doc.tree, doc.metadata.lang, doc.images),
    outline: printOutline(doc.metadata, doc.outline),
    targets: doc.targets,
    printCss: templates.printCss,
    fontUrl: (face) => `/fonts/${face.name}`,
    contentSecurityPolicy: printPagePolicy,
    measureCss: measureCss(area, breaks, doc.metadata.dir),
  });
  return { html, assets, area, breaks, fonts: marginFonts(doc, faces, templates) };
}

export async function layOutPrint(
  doc: ReportDocument,
  templates: Templates,
  browser: BrowserSession,
  signal?: AbortSignal,
  onStage?: OnPrintStage,
  /** The print page, when it was made ahead (`printPageSource`). */
  source?: Promise<PrintPageSource>,
): Promise<PrintLayout> {
  const made = await (source ?? timed(onStage, 'template', () => printPageSource(doc, templates)));
  const { html, assets, fonts, breaks } = made;
  let area = made.area;
  const page = await timed(onStage, 'load', () =>
    browser.openPage({
      html,
      assets,
      viewport: { width: area.width, height: area.height },
      fonts,
      signal,
    }),
  );
  try {
    const measureStarted = performance.now();
    // The page area was read from the CSS text, so that the measuring layout is there at the first layout. Chromium
    // reads every value (a margin of `calc()` or `var()`): where it makes the area another size, the measuring
    // layout takes Chromium's.
    const laidOut = await readPageArea(page, paperPixels(doc.metadata.paper));
    if (
      ['width', 'height', 'top'].some(
        (key) => Math.abs(laidOut[key as keyof PageArea] - area[key as keyof PageArea]) > 0.5,
      )
    ) {
      area = laidOut;
      await replaceStyleSheet(page, measureSelector, measureCss(area, breaks, doc.metadata.dir));
    }
    const measuring = {
      width: area.width,
      blockAttribute,
      bodySelector,
      deferredAttribute: deferredFigureAttribute,
      offsetAttribute,
    };
    let measured = await measure(page, measuring);
    const columns = { width: area.width, height: area.height, bodySelector };
    const keepSettings = { ...columns, minimum: minimumLines, breakAttribute: keepBreakAttribute };
    // With notes at the foot, the pages' ends are corrected for widows and orphans as the notes are placed: the
    // notes move the text down, and a page break asked for on the layout without them would fall where a page now
    // has room (decision 078).
    const notes = notesAtFoot(doc.metadata) && (await hasElement(page, `${bodySelector} ${notesSelector}`));
    // Widows and orphans the browser left: move those paragraphs whole and measure again (a move
    // shifts what follows, so a few rounds at most).
    for (let round = 0; round < maxKeepRounds; round++) {
      // A figure that would leave most of a page empty is fitted first, else deferred; then widows and orphans
      // (with notes at the foot, those wait for the notes).
      const { fitted, deferred, moved } = await correct(page, {
        fit: { ...columns, minimumScale: minimumFigureScale },
        defer: { ...columns, largestGap: largestFigureGap, deferredAttribute: deferredFigureAttribute },
        keepLines: notes ? undefined : keepSettings,
      });
      if (fitted === 0 && deferred === 0 && moved === 0) break;
      measured = await measure(page, measuring);
    }
    // Notes at the foot of their pages go in last: they split the text where each page must end.
    if (notes) {
      const placed = await placeNotes(
        page,
        {
          ...columns,
          notesSelector,
          referenceSelector: 'a[data-footnote-ref]',
          notesAttribute: pageNotesAttribute,
          continuedAttribute,
          splitAttribute,
          blockAttribute,
          offsetAttribute,
          minimum: minimumLines,
        },
        keepSettings,
      );
      // The pages after the last note's, which the walk did not reach.
      let moved = 0;
      for (let round = 0; round < maxKeepRounds; round++) {
        const more = await keepLines(page, keepSettings);
        moved += more;
        if (more === 0) break;
      }
      if (placed > 0 || moved > 0) measured = await measure(page, measuring);
    }
    const tops = new Map(measured.ids.map(([id, , top]) => [id, top]));
    onStage?.('measure', performance.now() - measureStarted);
    return new MeasuredPrintLayout(page, toPageMap(measured), tops, area.top, doc, onStage);
  } catch (cause) {
    await page.close();
    throw cause;
  }
}

/**
 * The faces the running heads and folios may be set in: every face the page
 * declares (the shipped ones and the template's own), for the characters of
 * the short title, the chapters' titles and the folios (whatever faces the
 * template gives its margin boxes).
 */
function marginFonts(
  doc: ReportDocument,
  declared: readonly FontFace[],
  templates: Templates,
): Array<{ font: string; text: string }> {
  const text = [
    doc.metadata.shortTitle,
    ...(doc.metadata.chapters
      ? doc.outline.filter((entry) => entry.depth === 1).map((entry) => runningHead(entry.text))
      : []),
    '0123456789 /…',
  ].join(' ');
  const faces = new Map<string, { font: string; text: string }>();
  for (const face of declared.filter((candidate) => !candidate.math)) {
    const font = `${face.style} ${face.weight} 16px "${face.family}"`;
    faces.set(font, { font, text });
  }
  for (const font of templates.fonts.flatMap((template) => template.fonts)) faces.set(font, { font, text });
  return [...faces.values()];
}

/**
 * The measuring layout: the whole document in columns of the page area's size, one column a page. The
 * columns always run left to right (the measuring pass counts them so); right-to-left text keeps its
 * direction in the body's children.
 */
export function measureCss(area: PageArea, breaks: string, dir: Direction = 'ltr'): string {
  return [
    ...(dir === 'rtl' ? ['body { direction: ltr !important; }', 'body > * { direction: rtl; }'] : []),
    `html, body { margin: 0 !important; padding: 0 !important; border: 0 !important; }`,
    `html { width: ${area.width}px !important; }`,
    `body { width: ${area.width}px !important; height: ${area.height}px !important; columns: ` +
      `${area.width}px !important; ` +
      'column-gap: 0 !important; column-fill: auto !important; overflow: visible !important; }',
    breaks,
  ].join('\n');
}

export function toPageMap(measured: MeasuredLayout): PageMap {
  const starts: PageMap['starts'] = [];
  for (const [page, block, offset] of measured.starts) {
    if (starts.length === 0 || page > starts[starts.length - 1]!.page) starts.push({ page, block, offset });
  }
  return { pages: measured.pages, starts, pageOfId: new Map(measured.ids.map(([id, page]) => [id, page])) };
}

class MeasuredPrintLayout implements PrintLayout {
  constructor(
    private readonly page: PrintPage,
    readonly pageMap: PageMap,
    /** Distance of each id from the top of its page area, CSS pixels. */
    private readonly tops: ReadonlyMap<string, number>,
    private readonly pageAreaTop: number,
    private readonly doc: ReportDocument,
    private readonly onStage?: OnPrintStage,
  ) {}

  async print(options: PrintOptions = {}): Promise<PrintedPdf> {
    // The contents page's targets: headings, whole blocks, whose destinations Chromium places reliably.
    const checked = new Set(
      printOutline(this.doc.metadata, this.doc.outline)
        .filter((entry) => entry.depth <= this.doc.metadata.tocDepth)
        .map((entry) => entry.id),
    );
    let map = this.pageMap;
    let disagreements: PrintedPdf['disagreements'] = [];
    for (let printings = 1; ; printings++) {
      const printedBytes = await timed(this.onStage, 'print', async () => {
        // The measuring style sheet goes with the numbers, in the same task: nothing reads its layout after the
        // measuring pass, and a layout of the numbers in it would be thrown away.
        await fillPageNumbers(this.page, map.pageOfId, printings === 1 ? measureSelector : undefined);
        return this.page.print();
      });
      const finishStarted = performance.now();
      const pdf = new PdfFile(printedBytes);
      const printed = pdf.namedDestinations();
      const pages = pdf.pages().length;
      const unchecked = [...checked].filter((id) => !printed.has(id));
      const wrong = [...printed]
        .filter(([id, page]) => checked.has(id) && map.pageOfId.get(id) !== page)
        .map(([id, page]) => ({ id, measured: map.pageOfId.get(id), printed: page }));
      if (printings === 1) disagreements = wrong;
      if ((wrong.length === 0 && pages === map.pages) || printings === 3) {
        // Any other link target Chromium placed on another page than the measured one (an inline
        // element whose box reaches above its line at the top of a page lands on the page before)
        // is pointed at the page it is printed on.
        const destinations = [...printed]
          .filter(([id, page]) => !checked.has(id) && map.pageOfId.has(id) && map.pageOfId.get(id) !== page)
          .map(([id]) => ({ name: id, page: map.pageOfId.get(id)!, top: this.tops.get(id) ?? 0 }));
        const bytes = await finishPdf(pdf, this.doc.metadata, {
          ...options,
          headings: [
            this.doc.metadata.title,
            labelsOf(this.doc.metadata).contents,
            ...printOutline(this.doc.metadata, this.doc.outline).map((entry) => entry.text),
          ],
          destinations: wrong.length === 0 ? destinations : undefined,
          pageAreaTop: wrong.length === 0 ? this.pageAreaTop : undefined,
        });
        this.onStage?.('finish', performance.now() - finishStarted);
        return { bytes, pages, pageMap: map, printings, disagreements, unchecked };
      }
      this.onStage?.('finish', performance.now() - finishStarted);
      const pageOfId = new Map(map.pageOfId);
      for (const [id, page] of printed) if (checked.has(id)) pageOfId.set(id, page);
      map = { ...map, pages, pageOfId };
    }
  }

  close(): Promise<void> {
    return this.page.close();
  }
}
