import { inPage } from '../../browser/in-page.js';
import type { PrintPage } from '../../browser/session.js';
import {
  deferFiguresInPage,
  type DeferFiguresSettings,
  fillPageNumbersInPage,
  fitFiguresInPage,
  type FitFiguresSettings,
  keepLinesInPage,
  loosenWideTablesInPage,
  type KeepLinesSettings,
  type LaidOutPageArea,
  type MeasuredLayout,
  measureInPage,
  type MeasureSettings,
  pageAreaInPage,
  type PageNotesSettings,
  placeNotesInPage,
} from './measure-in-page.js';

export type { MeasuredLayout, MeasureSettings } from './measure-in-page.js';

/** The corrections of the measuring pass, each with its settings (see measure-in-page.ts). */
export interface CorrectionSettings {
  fit: FitFiguresSettings;
  defer: DeferFiguresSettings;
  /** Absent when each page's end is corrected as the notes are placed (see `placeNotes`). */
  keepLines?: KeepLinesSettings;
}

/** How many figures each correction fitted or deferred, and how many paragraphs it moved. */
export interface Corrections {
  fitted: number;
  deferred: number;
  moved: number;
}

/** The class of a table too wide for its column, whose cells break words anywhere (see print.css). */
export const wideTableClass = 'wide-table';

/**
 * Run the measuring pass (see measure-in-page.ts) on the page laid out for print, after letting tables too wide
 * for the page break their words anywhere.
 */
export async function measure(page: PrintPage, settings: MeasureSettings): Promise<MeasuredLayout> {
  const script =
    `(${inPage(loosenWideTablesInPage, { className: wideTableClass })}, ` + `${inPage(measureInPage, settings)})`;
  // Run in the same task as the check that the page is laid out for print (see `evaluateForPrint`).
  return page.evaluateForPrint<MeasuredLayout>('measuring the layout', script);
}

/**
 * Correct what the layout got wrong (see measure-in-page.ts), in this order: set figures that would leave a
 * page half empty a little smaller, else move them after the paragraphs that follow them, then move
 * paragraphs left with a widow or an orphan to the next page. Returns how many of each; the caller measures
 * again when any changed.
 */
export async function correct(page: PrintPage, settings: CorrectionSettings): Promise<Corrections> {
  const script =
    `[${inPage(fitFiguresInPage, settings.fit)}, ${inPage(deferFiguresInPage, settings.defer)}, ` +
    `${settings.keepLines ? inPage(keepLinesInPage, settings.keepLines) : '0'}]`;
  const [fitted, deferred, moved] = await page.evaluateForPrint<[number, number, number]>(
    'measuring the layout',
    script,
  );
  return { fitted, deferred, moved };
}

/**
 * Set the text of every `[data-page-of="id"]` to the page of that id; returns how many were set. With `remove`, the
 * elements it selects (the measuring style sheet) go in the same task: Chromium lays the page out once for both,
 * not once for the numbers in the measuring layout (about 0.1–0.2 s on a 300-page report) and again without it.
 */
export function fillPageNumbers(
  page: PrintPage,
  pageOfId: ReadonlyMap<string, number>,
  remove?: string,
): Promise<number> {
  return page.evaluate<number>(
    'filling in the contents',
    inPage(fillPageNumbersInPage, { pageOfId: Object.fromEntries(pageOfId), remove }),
  );
}

/** The page area the page's style sheets set, as Chromium parsed and resolved them (see `pageAreaInPage`). */
export function readPageArea(page: PrintPage, paper: { width: number; height: number }): Promise<LaidOutPageArea> {
  return page.evaluate<LaidOutPageArea>('reading the page size', inPage(pageAreaInPage, paper));
}

/** Replace the text of the style sheet `selector` names (the measuring layout's), and lay the page out again. */
export function replaceStyleSheet(page: PrintPage, selector: string, css: string): Promise<boolean> {
  return page.evaluate<boolean>(
    'preparing the page',
    inPage(
      ({ selector, css }: { selector: string; css: string }) => {
        const sheet = document.querySelector(selector);
        if (!sheet) return false;
        sheet.textContent = css;
        document.body.getBoundingClientRect();
        return true;
      },
      { selector, css },
    ),
  );
}

/** Whether the page has an element `selector` names (the notes to set at the foot of the pages). */
export function hasElement(page: PrintPage, selector: string): Promise<boolean> {
  return page.evaluate<boolean>(
    'preparing the page',
    inPage((selector: string) => document.querySelector(selector) !== null, selector),
  );
}

/**
 * Move paragraphs left with a widow or an orphan to the next page (see `keepLinesInPage`), all pages at once;
 * returns how many. The caller measures again.
 */
export function keepLines(page: PrintPage, settings: KeepLinesSettings): Promise<number> {
  return page.evaluateForPrint<number>('measuring the layout', inPage(keepLinesInPage, settings));
}

/**
 * Set the notes at the foot of the pages that cite them (see `placeNotesInPage`); returns how many. With
 * `keepLines`, the end of each page is corrected for widows and orphans as the walk leaves it, on the layout with
 * the notes of the pages before it.
 */
export function placeNotes(
  page: PrintPage,
  settings: PageNotesSettings,
  keepLines?: KeepLinesSettings,
): Promise<number> {
  const endPage = keepLines
    ? `(column, within) => (${keepLinesInPage.toString()})({ ...${JSON.stringify(keepLines)}, column }, within)`
    : 'undefined';
  const script =
    `(() => { const __name = (target) => target; ` +
    `return (${placeNotesInPage.toString()})(${JSON.stringify(settings)}, ${endPage}); })()`;
  return page.evaluateForPrint<number>('setting the notes', script);
}
