import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { Element, ElementContent, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { toString } from 'hast-util-to-string';
import { h } from 'hastscript';
import { EPub, type Chapter } from 'epub-gen-memory';
import { fontFaceCss } from '../assets/fonts.js';
import type { Metadata } from '../config/metadata.js';
import { isoPartialDate } from '../data/partial-date.js';
import { contents, facesFor } from '../template/print-document.js';
import type { Templates } from '../template/templates.js';
import { toolName, toolVersion } from '../version.js';
import type { ReportDocument } from './document.js';
import type { PageMap } from './page-map.js';

export interface EpubOptions {
  /** Seconds since the epoch for `dcterms:modified` (SOURCE_DATE_EPOCH); now when absent. */
  sourceDateEpoch?: number;
  /** Where the printed PDF's pages fall, for the page list and page-break markers. */
  pageMap?: PageMap;
}

/** The EPUB 3 edition, packaged by epub-gen-memory: one chapter per top-level section. */
export async function epubEdition(doc: ReportDocument, templates: Templates, options: EpubOptions = {}): Promise<Uint8Array> {
  const { metadata } = doc;
  const faces = facesFor(metadata, doc.tree);
  const css = `${fontFaceCss(faces, (face) => `fonts/${face.name}`)}\n${templates.epubCss}`;
  const chapters = splitChapters(doc.tree, metadata);
  const modified = new Date(options.sourceDateEpoch === undefined ? Date.now() : options.sourceDateEpoch * 1000);

  const epub = new EPub(
    {
      title: metadata.title,
      author: metadata.authors,
      lang: metadata.lang,
      ...(metadata.description ? { description: metadata.description } : {}),
      ...(metadata.publisher ? { publisher: metadata.publisher } : {}),
      tocTitle: 'Contents',
      prependChapterTitles: false,
      version: 3,
      verbose: false,
      css,
      fonts: faces.map((face) => ({ filename: face.name, url: pathToFileURL(face.file).href })),
      contentOPF: templates.epub.contentOpf,
      tocXHTML: templates.epub.navXhtml,
      tocNCX: templates.epub.tocNcx,
      chapterXHTML: templates.epub.chapterXhtml,
      ignoreFailedDownloads: false,
      imprint: {
        identifier: bookIdentifier(metadata),
        modified: modified.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        date: metadata.date ? isoPartialDate(metadata.date) : undefined,
        keywords: metadata.keywords,
        generator: `${toolName} ${toolVersion}`,
        tocList: toHtml(navList(doc, chapters), { space: 'html', closeSelfClosing: true }),
      },
    } as ConstructorParameters<typeof EPub>[0],
    chapters.map((chapter) => chapter.chapter),
  );
  return new Uint8Array(await epub.genEpub());
}

interface SplitChapter {
  chapter: Chapter & { filename: string };
  /** Ids of the elements in this chapter, for links into it. */
  ids: Set<string>;
}

/** A title page, then one chapter per top-level section; loose content before the first section joins the title page. */
function splitChapters(tree: Root, metadata: Metadata): SplitChapter[] {
  const lead: ElementContent[] = [];
  const sections: Element[] = [];
  for (const node of tree.children) {
    if (node.type === 'doctype') continue;
    if (node.type === 'element' && node.tagName === 'section' && isTopLevel(node)) sections.push(node);
    else if (sections.length === 0) lead.push(node);
    else sections[sections.length - 1]!.children.push(node);
  }
  const titlePage = h('section', { className: ['title-page'], ariaLabel: 'Title page' }, [
    h('h1', { className: ['title'] }, metadata.title),
    metadata.subtitle ? h('p', { className: ['subtitle'] }, metadata.subtitle) : undefined,
    h('p', { className: ['author'] }, metadata.authors.join(', ')),
    ...lead,
  ]);
  const chapters: SplitChapter[] = [
    {
      chapter: { title: metadata.title, content: toHtml(titlePage), filename: 'title.xhtml', beforeToc: true, excludeFromToc: true },
      ids: idsIn(titlePage),
    },
  ];
  sections.forEach((section, index) => {
    const heading = section.children.find((child): child is Element => child.type === 'element' && /^h\d$/.test(child.tagName));
    const svg = containsSvg(section);
    chapters.push({
      chapter: {
        title: heading ? toString(heading).trim() : `Section ${index + 1}`,
        content: toHtml(section),
        filename: `chapter-${String(index + 1).padStart(3, '0')}.xhtml`,
        // Inline SVG (charts) would lose its attributes to the packager's HTML clean-up: such a chapter is
        // written as XHTML by imprint and declared with the `svg` property.
        ...(svg ? { xhtml: toHtml(section, { closeSelfClosing: true, closeEmptyElements: true }), properties: 'svg' } : {}),
      } as Chapter & { filename: string },
      ids: idsIn(section),
    });
  });
  return chapters;
}

function containsSvg(node: ElementContent): boolean {
  return node.type === 'element' && (node.tagName === 'svg' || node.children.some(containsSvg));
}

function isTopLevel(node: Element): boolean {
  const className = node.properties.className;
  return Array.isArray(className) && className.includes('level-1');
}

function idsIn(node: Element): Set<string> {
  const ids = new Set<string>();
  const walk = (current: ElementContent) => {
    if (current.type !== 'element') return;
    if (typeof current.properties.id === 'string') ids.add(current.properties.id);
    current.children.forEach(walk);
  };
  walk(node);
  return ids;
}

/** The nested contents list of the navigation document, with links into the chapter files. */
function navList(doc: ReportDocument, chapters: SplitChapter[]): Element {
  const nav = contents(doc.outline, 6);
  const list = nav.children.find((child): child is Element => child.type === 'element' && child.tagName === 'ol')!;
  const fileOf = (id: string) => chapters.find((chapter) => chapter.ids.has(id))?.chapter.filename ?? '';
  const rewrite = (node: ElementContent) => {
    if (node.type !== 'element') return;
    if (node.tagName === 'a' && typeof node.properties.href === 'string') {
      const id = node.properties.href.slice(1);
      node.properties.href = `${fileOf(id)}#${id}`;
      node.children = [{ type: 'text', value: toString(node).trim() }];
    }
    node.children.forEach(rewrite);
  };
  rewrite(list);
  return list;
}

/** The book's identifier: the front matter's, or a UUID derived from its title, authors and date. */
export function bookIdentifier(metadata: Metadata): string {
  if (metadata.identifier) return metadata.identifier;
  const hash = createHash('sha1')
    .update(['imprint', metadata.title, ...metadata.authors, metadata.date ? isoPartialDate(metadata.date) : ''].join('\u0000'))
    .digest('hex');
  const variant = ((parseInt(hash.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `urn:uuid:${hash.slice(0, 8)}-${hash.slice(8, 12)}-5${hash.slice(13, 16)}-${variant}${hash.slice(18, 20)}-${hash.slice(20, 32)}`;
}
