import type { Element, ElementContent, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { h } from 'hastscript';
import { type Direction, firstLetterDirection, type Metadata } from '../../document/metadata.js';
import { labelsOf } from '../../document/labels.js';
import type { Target } from '../../document/nodes.js';
import { documentFaces, fontFaceCss, type FontFace } from '../../assets/fonts.js';
import { chartColourCss } from '../../charts/svg.js';
import type { OutlineEntry } from '../../compile/pipeline.js';
import { cssString } from '../../compile/sanitize/css.js';
import { toolName, toolVersion } from '../../version.js';
import { titlePageLines } from './title-page.js';

export interface PrintDocumentInput {
  metadata: Metadata;
  tree: Root;
  outline: OutlineEntry[];
  printCss: string;
  /** Where the page loads each font from: a data: URL (standalone page) or a URL the renderer serves. */
  fontUrl: (face: FontFace) => string;
  /** The numbered figures and tables, for the lists of them (`lof`, `lot` in the front matter). */
  targets?: ReadonlyMap<string, Target>;
  /** Page numbers of headings, by id, when known (the PDF's contents page). */
  pageNumbers?: ReadonlyMap<string, number>;
  /** A style sheet for the measuring pass, after all others (marked `data-imprint-measure`). */
  measureCss?: string;
  /** The page's Content-Security-Policy: what it may run and load (see `htmlEditionPolicy`, `printPagePolicy`). */
  contentSecurityPolicy: string;
}

/**
 * The HTML edition's Content-Security-Policy, a second wall behind the
 * sanitizer: no script at all, and nothing loaded from anywhere; its fonts
 * and images are inlined as data: URLs, and its styles are in the page.
 */
export const htmlEditionPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; base-uri 'none'; form-action 'none'";

/**
 * The print page's policy: no script, and fonts and images only from the
 * page's own origin (the browser module serves them from memory) or data: URLs.
 */
export const printPagePolicy =
  "default-src 'none'; style-src 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; base-uri 'none'; " +
  "form-action 'none'";

/**
 * The whole print-styled HTML document: title page, contents, body. The HTML
 * edition is this page; the PDF is this page printed.
 */
export function printDocument(input: PrintDocumentInput): string {
  const { metadata } = input;
  const faces = facesFor(metadata, input.tree);

  const tree: Root = {
    type: 'root',
    children: [
      { type: 'doctype' },
      h('html', { lang: metadata.lang, dir: metadata.dir ?? 'ltr' }, [
        h('head', [
          h('meta', { charSet: 'utf-8' }),
          // First in the head, so it governs everything after it.
          h('meta', { httpEquiv: 'content-security-policy', content: input.contentSecurityPolicy }),
          h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
          h('title', metadata.title),
          ...metadata.authors.map((author) => h('meta', { name: 'author', content: author })),
          metadata.description ? h('meta', { name: 'description', content: metadata.description }) : undefined,
          metadata.keywords.length > 0
            ? h('meta', { name: 'keywords', content: metadata.keywords.join(', ') })
            : undefined,
          h('meta', { name: 'generator', content: `${toolName} ${toolVersion}` }),
          h('style', `${fontFaceCss(faces, input.fontUrl)}\n${chartColourCss}\n${paperCss(metadata)}`),
          h('style', input.printCss),
          h('style', pageCss(metadata, input.outline)),
          input.measureCss === undefined ? undefined : h('style', { dataImprintMeasure: '' }, input.measureCss),
        ]),
        h('body', { className: [`paper-${metadata.paper}`] }, [
          titlePage(metadata),
          contents(input.outline, metadata.tocDepth, input.pageNumbers, labelsOf(metadata).contents, metadata.dir),
          ...figureLists(metadata, [...(input.targets?.values() ?? [])], input.pageNumbers),
          h('main', { className: ['body'] }, input.tree.children as ElementContent[]),
        ]),
      ]),
    ],
  };
  return toHtml(tree);
}

/** Attribute the measuring pass sets on a block to move it (and the headings leading into it) to the next page. */
export const keepBreakAttribute = 'data-imprint-page-break';

/** Attribute of a block of notes set at the foot of a page: the page ends after it. */
export const pageNotesAttribute = 'data-imprint-page-notes';
/** Attributes of the two parts of an element split where a page ends above its notes: before and after them. */
export const splitAttribute = 'data-imprint-split';
export const continuedAttribute = 'data-imprint-continued';
/** The id of the notes' heading at the end of the document (remark-rehype's). */
const notesHeadingId = 'footnote-label';

/** Whether the print edition sets notes at the foot of their pages (`notes: page`, the default). */
export function notesAtFoot(metadata: Metadata): boolean {
  return metadata.notes !== 'end';
}

/** The outline as the print edition has it: without the notes' heading when the notes are at the foot of pages. */
export function printOutline(metadata: Metadata, outline: readonly OutlineEntry[]): OutlineEntry[] {
  return notesAtFoot(metadata) ? outline.filter((entry) => entry.id !== notesHeadingId) : [...outline];
}

/**
 * The paper's size, set before the template's style sheets: a template's `@page { size }` wins over it. A paper
 * that was named (`metadata.paperNamed`) is set again after them, by `pageCss`, and wins.
 */
export function paperCss(metadata: Metadata): string {
  return `@page { size: ${metadata.paper === 'letter' ? 'letter' : 'A4'}; }`;
}

/**
 * The page rules imprint writes after the template's: the paper when it was named, the running
 * head (the short title; with chapters, also the chapter's title, on pages of
 * a named page per chapter, which is why each chapter begins a page), and no
 * running head or folio on the cover.
 */
export function pageCss(metadata: Metadata, outline: readonly OutlineEntry[]): string {
  // Right to left, the running heads change sides: the short title on the right, the chapter's on the left.
  const rtl = metadata.dir === 'rtl';
  const [titleBox, chapterBox] = rtl ? ['top-right', 'top-left'] : ['top-left', 'top-right'];
  const rules = [
    `@page { ${metadata.paperNamed ? `size: ${metadata.paper === 'letter' ? 'letter' : 'A4'}; ` : ''}` +
      `@${titleBox} { content: ${cssString(metadata.shortTitle)}; } }`,
  ];
  if (rtl)
    rules.push(
      '@page { @top-right { text-align: right; direction: rtl; } @top-left { text-align: left; direction: rtl; } }',
    );
  if (metadata.chapters) {
    outline
      .filter((entry) => entry.depth === 1)
      .forEach((entry, index) => {
        const name = `imprint-chapter-${index + 1}`;
        rules.push(
          `section:has(> h2[id=${cssString(entry.id)}]) { break-before: page; page: ${name}; }`,
          `@page ${name} { @${chapterBox} { content: ${cssString(runningHead(entry.text))}; } }`,
        );
      });
  }
  // The measuring pass asks for a page break here to move a paragraph whole rather than leave a widow or an orphan.
  rules.push(`[${keepBreakAttribute}] { break-before: page; }`);
  // A page's notes end it; the element they split goes on without a gap, an indent or a second marker.
  rules.push(
    `[${pageNotesAttribute}] { break-after: page; }`,
    `[${splitAttribute}] { margin-bottom: 0 !important; padding-bottom: 0 !important; ` +
      'border-bottom: none !important; }',
    `[${continuedAttribute}] { margin-top: 0 !important; padding-top: 0 !important; border-top: none !important; ` +
      'text-indent: 0 !important; break-before: auto !important; }',
    `li[${continuedAttribute}] { list-style-type: none; }`,
    `[${pageNotesAttribute}]:empty { margin: 0 !important; padding: 0 !important; border: none !important; }`,
    `[${pageNotesAttribute}]:empty::before { content: none !important; }`,
  );
  rules.push(
    '@page :first { @top-left { content: none; } @top-right { content: none; } @bottom-center { content: none; } }',
  );
  return rules.join('\n');
}

/** A chapter title short enough for the running head: cut at a word, with an ellipsis, past 60 characters. */
export function runningHead(title: string): string {
  const text = title.replace(/\s+/g, ' ').trim();
  if (text.length <= 60) return text;
  const cut = text.slice(0, 60);
  const space = cut.lastIndexOf(' ');
  return `${(space > 30 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

function titlePage(metadata: Metadata): Element {
  return h('header', { className: ['title-page'] }, titlePageLines(metadata));
}

/** The contents list, nested by heading depth, down to `depth`; none for a document without headings. */
export function contents(
  outline: OutlineEntry[],
  depth: number,
  pageNumbers?: ReadonlyMap<string, number>,
  title = labelsOf(undefined).contents,
  /** The document's direction: a title written the other way is set its own way. */
  direction: Direction = 'ltr',
): Element | undefined {
  const root: Element = h('ol');
  const entries = outline.filter((entry) => entry.depth <= depth);
  // A page titled Contents with nothing on it tells the reader nothing.
  if (entries.length === 0) return undefined;
  const stack: Array<{ depth: number; list: Element; last?: Element }> = [
    { depth: Math.min(...entries.map((entry) => entry.depth)), list: root },
  ];
  for (const entry of entries) {
    while (stack.length > 1 && stack[stack.length - 1]!.depth > entry.depth) stack.pop();
    let top = stack[stack.length - 1]!;
    if (entry.depth > top.depth && top.last) {
      const nested = h('ol');
      top.last.children.push(nested);
      top = { depth: entry.depth, list: nested };
      stack.push(top);
    }
    const page = pageNumbers?.get(entry.id);
    const item = h('li', [
      h('a', { href: `#${entry.id}` }, [
        h('span', { className: ['toc-text'] }, ownWay(entry.text, direction)),
        h('span', { className: ['toc-page'], dataPageOf: entry.id }, page === undefined ? '' : String(page)),
      ]),
    ]);
    top.list.children.push(item);
    top.last = item;
  }
  return h('nav', { className: ['toc'], role: 'doc-toc', ariaLabelledBy: 'toc-title' }, [
    h('h2', { id: 'toc-title' }, title),
    root,
  ]);
}

/** The figures (charts, images) and the tables the lists name, in reading order. */
export function listedTargets(targets: readonly Target[], kind: 'figures' | 'tables'): Target[] {
  return targets.filter((target) => target.kind === (kind === 'figures' ? 'figure' : 'table'));
}

/**
 * The lists of figures and of tables the front matter asks for (`lof`,
 * `lot`), after the contents: each entry's label and caption, linked, with
 * its page filled in like the contents page's (`data-page-of`).
 */
export function figureLists(
  metadata: Metadata,
  targets: readonly Target[],
  pageNumbers?: ReadonlyMap<string, number>,
): Element[] {
  const lists: Element[] = [];
  for (const kind of ['figures', 'tables'] as const) {
    const wanted = kind === 'figures' ? metadata.listOfFigures : metadata.listOfTables;
    const entries = listedTargets(targets, kind);
    if (!wanted || entries.length === 0) continue;
    const titleId = `list-of-${kind}-title`;
    lists.push(
      h('nav', { className: ['toc', 'figure-list', `list-of-${kind}`], ariaLabelledBy: titleId }, [
        h('h2', { id: titleId }, labelsOf(metadata)[kind]),
        h(
          'ol',
          entries.map((target) => {
            const page = pageNumbers?.get(target.id);
            return h('li', [
              h('a', { href: `#${target.id}` }, [
                h('span', { className: ['toc-text'] }, [
                  h('span', { className: ['figure-list-label'] }, `${target.label}.`),
                  ` ${target.caption ?? ''}`,
                ]),
                h('span', { className: ['toc-page'], dataPageOf: target.id }, page === undefined ? '' : String(page)),
              ]),
            ]);
          }),
        ),
      ]),
    );
  }
  return lists;
}

/**
 * The faces a document needs (see `documentFaces`): for its language and the characters of its text, and the
 * math face only when it holds a formula.
 */
export function facesFor(metadata: Metadata, tree: Root): FontFace[] {
  const math = hasMath(tree);
  return documentFaces(metadata.lang, documentText(metadata, tree)).filter((face) => math || !face.math);
}

/** The text a document shows: its body and the title page's lines. */
export function documentText(metadata: Metadata, tree: Root): string {
  return plainText(tree) + metadata.title + (metadata.subtitle ?? '') + metadata.authors.join('');
}

/** Whether the tree holds a formula (MathML), which the math face sets. */
export function hasMath(tree: Root): boolean {
  const walk = (node: Root | ElementContent): boolean =>
    node.type === 'element' && node.tagName === 'math'
      ? true
      : 'children' in node && node.children.some((child) => walk(child as ElementContent));
  return walk(tree);
}

function plainText(tree: Root): string {
  let text = '';
  const walk = (node: Root | ElementContent) => {
    if (node.type === 'text') text += node.value;
    else if ('children' in node) for (const child of node.children) walk(child as ElementContent);
  };
  walk(tree);
  return text;
}

/**
 * A text written the other way from the document (its first letter's direction), in a span set that way; else the
 * text. The span, not the entry, takes the direction: the entry's row (title, leader, page) keeps the document's.
 */
function ownWay(text: string, documentDirection: Direction): ElementContent {
  const own = firstLetterDirection(text);
  return own !== undefined && own !== documentDirection ? h('span', { dir: own }, text) : { type: 'text', value: text };
}
