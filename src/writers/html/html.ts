import { fontBytes } from '../../assets/font-files.js';
import { families } from '../../assets/fonts.js';
import { embedFonts } from '../epub/fonts.js';
import { documentText, facesFor, htmlEditionPolicy, printDocument } from '../print-page/print-document.js';
import type { Templates } from '../print-page/templates.js';
import type { ReportDocument } from '../../document/report-document.js';
import { hasImages, setImageSources } from '../image-sources.js';

/**
 * The HTML edition: one standalone print-styled page. Its fonts are inlined
 * as data: URLs, and so are its images, so the file shows the same wherever it is opened or moved.
 */
export async function htmlEdition(doc: ReportDocument, templates: Templates): Promise<string> {
  const urls = new Map<string, string>();
  const faces = facesFor(doc.metadata, doc.tree);
  // A script's face is declared under the text and code families too, once for each weight and style: inlined
  // whole each time, one Korean face would add megabytes. Those files are subset to the document's characters.
  const aliased = new Set(
    faces.filter((face) => face.script && face.unicodeRange && face.family === families.text).map((face) => face.name),
  );
  const subsets = await embedFonts(
    faces.filter((face) => aliased.has(face.name)),
    documentText(doc.metadata, doc.tree),
  );
  for (const font of subsets)
    urls.set(font.face.name, `data:${font.mediaType};base64,${Buffer.from(font.bytes).toString('base64')}`);
  await Promise.all(
    faces
      .filter((face) => !aliased.has(face.name))
      .map(async (face) => {
        urls.set(face.name, `data:font/woff2;base64,${Buffer.from(await fontBytes(face)).toString('base64')}`);
      }),
  );
  // Images go into the page as data: URLs too: the file names nothing it needs beside it.
  let tree = doc.tree;
  if (hasImages(tree)) {
    tree = structuredClone(doc.tree);
    setImageSources(
      tree,
      doc.images,
      (image) => `data:${image.mediaType};base64,${Buffer.from(image.bytes).toString('base64')}`,
    );
  }
  return printDocument({
    metadata: doc.metadata,
    tree,
    outline: doc.outline,
    targets: doc.targets,
    printCss: inlineTemplateFonts(templates),
    fontUrl: (face) => urls.get(face.name) ?? '',
    contentSecurityPolicy: htmlEditionPolicy,
  });
}

/**
 * The print style sheet with the template's own fonts inlined as data: URLs, whole (the page's
 * Content-Security-Policy allows fonts from data: URLs only).
 */
function inlineTemplateFonts(templates: Templates): string {
  let css = templates.printCss;
  for (const font of templates.fonts) {
    css = css.replaceAll(font.url, `data:${font.mediaType};base64,${Buffer.from(font.bytes).toString('base64')}`);
  }
  return css;
}
