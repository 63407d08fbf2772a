import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../../browser/locate.js';
import { errnoOf, reasonOf } from '../../diagnostics/file-errors.js';

/** The styles and page shells users can edit, read from a template folder. */
export interface Templates {
  /** The page model and typography of the PDF and the HTML edition. */
  printCss: string;
  /** The style sheet of the EPUB edition. */
  epubCss: string;
  /** EJS shells of the EPUB package (given to epub-gen-memory) and of its cover image. */
  epub: { contentOpf: string; navXhtml: string; tocNcx: string; chapterXhtml: string; coverSvg: string };
}

/** The template folder shipped with imprint. */
export const defaultTemplateDir = fileURLToPath(new URL('../../../templates/', import.meta.url));

/** The files of a template folder, relative to it. */
export const templateFiles: readonly string[] = [
  'print.css',
  'epub.css',
  'epub/content.opf.ejs',
  'epub/toc.xhtml.ejs',
  'epub/toc.ncx.ejs',
  'epub/chapter.xhtml.ejs',
  'epub/cover.svg.ejs',
];

/**
 * The shipped themes: style sheets laid over the template folder's own (`theme: book`), each changing the look of
 * every edition while keeping the page model the measuring pass reads.
 */
export const themes = ['book', 'brief'] as const;
export type Theme = (typeof themes)[number];

const loaded = new Map<string, Promise<Templates>>();

/** Read template folders afresh from now on (`imprint watch`, after a template changed). */
export function forgetLoadedTemplates(): void {
  loaded.clear();
}

/**
 * Read a template folder once per process. A folder need only hold the files
 * it changes: any other is the shipped one (so a folder made for an earlier
 * version keeps working when a template is added).
 */
export function loadTemplates(dir: string = defaultTemplateDir, theme?: Theme): Promise<Templates> {
  const key = `${dir}\u0000${theme ?? ''}`;
  let pending = loaded.get(key);
  if (!pending) {
    const read = (name: string) =>
      readFile(path.join(dir, name), 'utf8')
        .catch((cause: NodeJS.ErrnoException) => {
          if (cause.code !== 'ENOENT' || path.resolve(dir) === path.resolve(defaultTemplateDir)) throw cause;
          return readFile(path.join(defaultTemplateDir, name), 'utf8');
        })
        .catch((cause: unknown) => {
          // A template that is there and cannot be read (permissions, a folder in its place): say which.
          if (errnoOf(cause) === undefined) throw cause;
          throw new EnvironmentError(`Cannot read the template ${path.join(dir, name)}: ${reasonOf(cause)}`);
        });
    pending = Promise.all([
      read('print.css'),
      read('epub.css'),
      read('epub/content.opf.ejs'),
      read('epub/toc.xhtml.ejs'),
      read('epub/toc.ncx.ejs'),
      read('epub/chapter.xhtml.ejs'),
      read('epub/cover.svg.ejs'),
      theme ? readFile(path.join(defaultTemplateDir, 'themes', theme, 'print.css'), 'utf8') : '',
      theme ? readFile(path.join(defaultTemplateDir, 'themes', theme, 'epub.css'), 'utf8') : '',
    ]).then(([printCss, epubCss, contentOpf, navXhtml, tocNcx, chapterXhtml, coverSvg, themePrint, themeEpub]) => ({
      // The theme's rules come after the template's, and win where they say otherwise.
      printCss: themePrint ? `${printCss}\n${themePrint}` : printCss,
      epubCss: themeEpub ? `${epubCss}\n${themeEpub}` : epubCss,
      epub: { contentOpf, navXhtml, tocNcx, chapterXhtml, coverSvg },
    }));
    loaded.set(key, pending);
  }
  return pending;
}
