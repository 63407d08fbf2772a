import { fontBytes } from '../../assets/font-files.js';
import { facesFor, htmlEditionPolicy, printDocument } from '../print-page/print-document.js';
import type { Templates } from '../print-page/templates.js';
import type { ReportDocument } from '../../document/report-document.js';
import { hasImages, setImageSources } from '../image-sources.js';

/**
 * The HTML edition: one standalone print-styled page. Its fonts are inlined
 * as data: URLs, and so are its images, so the file shows the same wherever it is opened or moved.
 */
export async function htmlEdition(doc: ReportDocument, templates: Templates): Promise<string> {
  const urls = new Map<string, string>();
  await Promise.all(
    facesFor(doc.metadata, doc.tree).map(async (face) => {
      urls.set(face.name, `data:font/woff2;base64,${Buffer.from(await fontBytes(face)).toString('base64')}`);
    }),
  );
  // Images go into the page as data: URLs too: the file names nothing it needs beside it.
  let tree = doc.tree;
  if (hasImages(tree)) {
    tree = structuredClone(doc.tree);
    setImageSources(tree, doc.images, (image) => `data:${image.mediaType};base64,${Buffer.from(image.bytes).toString('base64')}`);
  }
  return printDocument({
    metadata: doc.metadata,
    tree,
    outline: doc.outline,
    targets: doc.targets,
    printCss: templates.printCss,
    fontUrl: (face) => urls.get(face.name) ?? '',
    contentSecurityPolicy: htmlEditionPolicy,
  });
}
