import { fontBytes } from '../assets/font-files.js';
import { fontFaces } from '../assets/fonts.js';
import type { Asset, BrowserSession } from '../browser/session.js';
import { printDocument } from '../template/print-document.js';
import type { Templates } from '../template/templates.js';
import type { ReportDocument } from './document.js';

/** The PDF edition: the print-styled page printed by Chromium. */
export async function pdfEdition(
  doc: ReportDocument,
  templates: Templates,
  browser: BrowserSession,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const assets = new Map<string, Asset>();
  await Promise.all(
    fontFaces().map(async (face) => {
      assets.set(`/fonts/${face.name}`, { body: await fontBytes(face), contentType: 'font/woff2' });
    }),
  );
  const html = printDocument({
    metadata: doc.metadata,
    tree: doc.tree,
    outline: doc.outline,
    printCss: templates.printCss,
    fontUrl: (face) => `/fonts/${face.name}`,
  });
  return browser.printPdf({ html, assets, ...(signal ? { signal } : {}) });
}
