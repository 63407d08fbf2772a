import type { VFile } from 'vfile';
import { warn } from '../../diagnostics/report.js';
import { idsIn, selectAll, type EpubChapter } from './chapters.js';
import { decodeReference } from '../../uri.js';
import { unlink, unlinkLocalFiles } from '../../compile/plugins/rehype-imprint-links.js';

/** Where each id of the book is: the file of the chapter that holds it. */
export function fileOfIds(chapters: readonly EpubChapter[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const chapter of chapters) {
    for (const id of idsIn(chapter.body)) if (!files.has(id)) files.set(id, chapter.filename);
  }
  return files;
}

const idReferences = [
  'ariaDescribedBy',
  'ariaLabelledBy',
  'ariaControls',
  'ariaOwns',
  'ariaFlowTo',
  'headers',
  'htmlFor',
] as const;

/**
 * Point every link inside the book at the file that now holds its target
 * (`#tbl-pledges` → `chapter-002.xhtml#tbl-pledges`); a link within the same
 * chapter stays `#id`. A link to an id that is nowhere in the book is
 * reported on `file` and left as text, since a broken link makes the EPUB
 * invalid; so is a link to a file beside the manuscript, which the book
 * does not hold (reported when the document is made). ARIA id references
 * can only point into their own document: those that point elsewhere are
 * dropped.
 */
export function linkChapters(chapters: readonly EpubChapter[], file?: VFile): void {
  const files = fileOfIds(chapters);
  for (const chapter of chapters) {
    // A file beside the manuscript, which the book does not hold (reported by rehype-imprint-links).
    unlinkLocalFiles(chapter.body);
    const own = idsIn(chapter.body);
    for (const element of selectAll(chapter.body, () => true)) {
      for (const name of idReferences) {
        const value = element.properties[name];
        if (!Array.isArray(value)) continue;
        const kept = value.filter((id) => own.has(String(id)));
        if (kept.length > 0) element.properties[name] = kept;
        else delete element.properties[name];
      }
      if (element.tagName !== 'a') continue;
      const href = element.properties.href;
      if (typeof href !== 'string' || !href.startsWith('#') || href === '#') continue;
      const id = decodeReference(href.slice(1));
      if (own.has(id)) continue;
      const target = files.get(id);
      if (target) {
        element.properties.href = `${target}#${id}`;
      } else {
        if (file) {
          warn(file, `Link to \`#${id}\`, which is nowhere in the report: it is kept as text in the EPUB`, {
            place: element.position,
            ruleId: 'reference-missing',
          });
        }
        unlink(element);
      }
    }
  }
}
