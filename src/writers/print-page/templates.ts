import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { packagePath } from '../../package-files.js';
import { EnvironmentError } from '../../browser/locate.js';
import type { VFile } from 'vfile';
import { errnoOf, reasonOf } from '../../diagnostics/file-errors.js';
import type { ChartFace } from '../../assets/font-metrics.js';
import { chartFacesOf, readTemplateFonts, styleSheetFile, type TemplateFont } from './template-fonts.js';

export type { TemplateFont } from './template-fonts.js';

/** The styles and page shells users can edit, read from a template folder. */
export interface Templates {
  /** The page model and typography of the PDF and the HTML edition. */
  printCss: string;
  /** The style sheet of the EPUB edition. */
  epubCss: string;
  /** EJS shells of the EPUB package (given to epub-gen-memory) and of its cover image. */
  epub: { contentOpf: string; navXhtml: string; tocNcx: string; chapterXhtml: string; coverSvg: string };
  /**
   * The font files the template's style sheets load with `@font-face`, which `printCss` and `epubCss` name by
   * their `url` (see `readTemplateFonts`).
   */
  fonts: TemplateFont[];
  /** The faces of those the print style sheet sets charts in (`--chart-font`): chart text is measured in them. */
  chartFaces: ChartFace[];
  /** Whether the print style sheets set a page size (`@page { size }`): it wins over a paper nobody named. */
  setsPageSize: boolean;
  /** The template's style sheets, with a message for each font they cannot load: an error stops the run. */
  files: VFile[];
}

/** The template folder shipped with imprint. */
export const defaultTemplateDir = packagePath('templates');

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
    const fileOf = (name: string) =>
      readFile(path.join(dir, name), 'utf8')
        .then((text) => ({ text, path: path.join(dir, name) }))
        .catch((cause: NodeJS.ErrnoException) => {
          if (cause.code !== 'ENOENT' || path.resolve(dir) === path.resolve(defaultTemplateDir)) throw cause;
          return readFile(path.join(defaultTemplateDir, name), 'utf8').then((text) => ({
            text,
            path: path.join(defaultTemplateDir, name),
          }));
        })
        .catch((cause: unknown) => {
          // A template that is there and cannot be read (permissions, a folder in its place): say which.
          if (errnoOf(cause) === undefined) throw cause;
          throw new EnvironmentError(`Cannot read the template ${path.join(dir, name)}: ${reasonOf(cause)}`);
        });
    const read = (name: string) => fileOf(name).then((file) => file.text);
    // A style sheet's fonts are files of the folder it is in (the shipped one's, for a sheet the folder lacks).
    const styleSheet = async (name: string) => {
      const { text, path: filePath } = await fileOf(name);
      const file = styleSheetFile(filePath, text);
      return { file, ...(await readTemplateFonts(text, file, path.dirname(filePath))) };
    };
    const themeSheet = (name: string) =>
      theme ? readFile(path.join(defaultTemplateDir, 'themes', theme, name), 'utf8') : Promise.resolve('');
    pending = Promise.all([
      styleSheet('print.css'),
      styleSheet('epub.css'),
      read('epub/content.opf.ejs'),
      read('epub/toc.xhtml.ejs'),
      read('epub/toc.ncx.ejs'),
      read('epub/chapter.xhtml.ejs'),
      read('epub/cover.svg.ejs'),
      themeSheet('print.css'),
      themeSheet('epub.css'),
    ]).then(([print, epub, contentOpf, navXhtml, tocNcx, chapterXhtml, coverSvg, themePrint, themeEpub]) => ({
      // The theme's rules come after the template's, and win where they say otherwise.
      printCss: themePrint ? `${print.css}\n${themePrint}` : print.css,
      chartFaces: chartFacesOf(themePrint ? `${print.css}\n${themePrint}` : print.css, print.fonts),
      epubCss: themeEpub ? `${epub.css}\n${themeEpub}` : epub.css,
      epub: { contentOpf, navXhtml, tocNcx, chapterXhtml, coverSvg },
      // A file both sheets load is one font.
      fonts: [...new Map([...print.fonts, ...epub.fonts].map((font) => [font.url, font])).values()],
      // The shipped themes set no page size (see decision 075).
      setsPageSize: print.setsPageSize,
      files: [print.file, epub.file].filter((file) => file.messages.length > 0),
    }));
    loaded.set(key, pending);
  }
  return pending;
}
