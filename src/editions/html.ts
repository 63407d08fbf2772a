import { fontBytes } from '../assets/font-files.js';
import { facesFor, printDocument } from '../template/print-document.js';
import type { Templates } from '../template/templates.js';
import type { ReportDocument } from './document.js';

/**
 * The HTML edition: one standalone print-styled page. Its fonts are inlined
 * as data: URLs, so the file shows the same wherever it is opened or moved.
 */
export async function htmlEdition(doc: ReportDocument, templates: Templates): Promise<string> {
  const urls = new Map<string, string>();
  await Promise.all(
    facesFor(doc.metadata, doc.tree).map(async (face) => {
      urls.set(face.name, `data:font/woff2;base64,${Buffer.from(await fontBytes(face)).toString('base64')}`);
    }),
  );
  return printDocument({
    metadata: doc.metadata,
    tree: doc.tree,
    outline: doc.outline,
    printCss: templates.printCss,
    fontUrl: (face) => urls.get(face.name) ?? '',
  });
}
