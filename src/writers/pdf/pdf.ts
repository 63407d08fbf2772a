import type { BrowserSession } from '../../browser/session.js';
import {
  layOutPrint,
  printPageSource,
  type OnPrintStage,
  type PrintPageSource,
  type PrintedPdf,
  type PrintLayout,
  type PrintOptions,
} from './print-layout.js';
import type { Templates } from '../print-page/templates.js';
import type { ReportDocument } from '../../document/report-document.js';

export type {
  OnPrintStage,
  PrintPageSource,
  PrintedPdf,
  PrintLayout,
  PrintOptions,
  PrintStage,
} from './print-layout.js';

/**
 * Lay out the print page in Chromium and measure where its pages fall (the
 * page map), without printing yet: the EPUB needs the map whether or not the
 * PDF is made. The caller prints and closes the layout.
 */
export function pdfLayout(
  doc: ReportDocument,
  templates: Templates,
  browser: BrowserSession,
  signal?: AbortSignal,
  onStage?: OnPrintStage,
  source?: Promise<PrintPageSource>,
): Promise<PrintLayout> {
  return layOutPrint(doc, templates, browser, signal, onStage, source);
}

/** The print page, made without the browser (while it starts). */
export { printPageSource };

/** The PDF edition: the print-styled page, measured, printed by Chromium, with its document information set. */
export async function pdfEdition(
  doc: ReportDocument,
  templates: Templates,
  browser: BrowserSession,
  options: PrintOptions & { signal?: AbortSignal } = {},
): Promise<PrintedPdf> {
  const layout = await layOutPrint(doc, templates, browser, options.signal);
  try {
    return await layout.print(options);
  } finally {
    await layout.close();
  }
}
