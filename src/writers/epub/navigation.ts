import type { OutlineEntry } from '../../compile/pipeline.js';
import type { Target } from '../../document/nodes.js';
import type { Labels } from '../../document/labels.js';
import { selectAll, type EpubChapter } from './chapters.js';
import { isPageBreak, type PageBreak } from './page-breaks.js';

/** An entry of the table of contents. */
export interface TocEntry {
  title: string;
  href: string;
  children: TocEntry[];
}

/** A landmark of the navigation document (`epub:type` names the kind). */
export interface Landmark {
  type: 'cover' | 'titlepage' | 'toc' | 'bodymatter';
  title: string;
  href: string;
}

export interface PageTarget {
  /** The page's number, as printed in the PDF. */
  label: string;
  href: string;
}

/** The navigation the EPUB's nav document and NCX are made from. */
export interface Navigation {
  toc: TocEntry[];
  /** Deepest nesting of `toc`, from 1. */
  depth: number;
  landmarks: Landmark[];
  pages: PageTarget[];
  /** The lists of figures (`loi`) and tables (`lot`) the front matter asks for, each linking to its entries. */
  lists: FigureList[];
}

export interface FigureList {
  type: 'loi' | 'lot';
  title: string;
  entries: Array<{ title: string; href: string }>;
}

export interface NavigationInput {
  outline: readonly OutlineEntry[];
  chapters: readonly EpubChapter[];
  /** The file each id is in. */
  files: ReadonlyMap<string, string>;
  /** Headings that are not the report's own (the notes' heading, repeated in every chapter with notes). */
  exclude: ReadonlySet<string>;
  pageBreaks: readonly PageBreak[];
  /** File name and title of the navigation document itself. */
  navFile: string;
  /** The words of the contents and landmarks, in the document's language. */
  labels: Pick<Labels, 'contents' | 'cover' | 'titlePage' | 'startOfContent'>;
  /** The figures and tables to list, when the front matter asks for lists of them. */
  lists?: Array<{ type: FigureList['type']; title: string; targets: Target[] }>;
}

/**
 * The table of contents (every heading, nested by level), the landmarks
 * (cover, title page, contents, start of the body) and the page list (the
 * PDF's page numbers, in reading order).
 */
export function navigation(input: NavigationInput): Navigation {
  const toc: TocEntry[] = [];
  const stack: Array<{ depth: number; entries: TocEntry[] }> = [{ depth: 0, entries: toc }];
  let depth = 0;
  for (const entry of input.outline) {
    const file = input.files.get(entry.id);
    // A heading without text has nothing to show in the contents (and a link there must have text).
    if (!file || input.exclude.has(entry.id) || entry.text === '') continue;
    while (stack.length > 1 && stack[stack.length - 1]!.depth >= entry.depth) stack.pop();
    const item: TocEntry = { title: entry.text, href: `${file}#${entry.id}`, children: [] };
    stack[stack.length - 1]!.entries.push(item);
    stack.push({ depth: entry.depth, entries: item.children });
    depth = Math.max(depth, stack.length - 1);
  }

  const first = (kind: EpubChapter['kind']) => input.chapters.find((chapter) => chapter.kind === kind);
  // A report without headings still has a contents entry (a navigation list cannot be empty): its text.
  if (toc.length === 0) {
    const start = first('chapter') ?? first('titlepage');
    if (start)
      toc.push({
        title: start.kind === 'chapter' ? start.title : input.labels.titlePage,
        href: start.filename,
        children: [],
      });
  }

  const landmarks: Landmark[] = [];
  const cover = first('cover');
  if (cover) landmarks.push({ type: 'cover', title: input.labels.cover, href: cover.filename });
  const title = first('titlepage');
  if (title) landmarks.push({ type: 'titlepage', title: input.labels.titlePage, href: title.filename });
  landmarks.push({ type: 'toc', title: input.labels.contents, href: `${input.navFile}#toc` });
  const body = first('chapter');
  if (body) landmarks.push({ type: 'bodymatter', title: input.labels.startOfContent, href: body.filename });

  // In reading order, as reading systems and epubcheck expect: a page that begins inside a note comes where the note
  // is read in the EPUB (at the end of the chapter that cites it), not where the PDF prints it.
  const pageOf = new Map(input.pageBreaks.map((pageBreak) => [pageBreak.id, pageBreak.page]));
  const pages = input.chapters.flatMap((chapter) =>
    selectAll(chapter.body, (element) => isPageBreak(element) && pageOf.has(String(element.properties.id))).map(
      (element) => {
        const id = String(element.properties.id);
        return { label: String(pageOf.get(id)), href: `${chapter.filename}#${id}` };
      },
    ),
  );

  const lists = (input.lists ?? [])
    .map((list) => ({
      type: list.type,
      title: list.title,
      entries: list.targets.flatMap((target) => {
        const file = input.files.get(target.id);
        return file ? [{ title: `${target.label}. ${target.caption ?? ''}`.trim(), href: `${file}#${target.id}` }] : [];
      }),
    }))
    .filter((list) => list.entries.length > 0);

  return { toc, depth: Math.max(1, depth), landmarks, pages, lists };
}
