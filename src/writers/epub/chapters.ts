import type { Element, ElementContent, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { h } from 'hastscript';
import type { Metadata } from '../../document/metadata.js';
import { labelsOf } from '../../document/labels.js';
import { headingRank } from '../../document/headings.js';
import { titlePageLines } from '../print-page/title-page.js';

/** One content document of the EPUB. */
export interface EpubChapter {
  /** Its file name in the package. */
  filename: string;
  /** For its `<title>` and the navigation. */
  title: string;
  kind: 'cover' | 'titlepage' | 'chapter';
  /** What goes into its `<body>`. */
  body: Element;
}

/**
 * Cut the document into the EPUB's content documents: a title page (with
 * anything that comes before the first top-level section), then one chapter
 * per top-level section (`#` in the manuscript).
 */
export function splitChapters(tree: Root, metadata: Metadata): EpubChapter[] {
  const lead: ElementContent[] = [];
  const sections: Element[] = [];
  for (const node of tree.children) {
    if (node.type === 'doctype') continue;
    if (node.type === 'element' && node.tagName === 'section' && isTopLevel(node)) sections.push(node);
    else if (sections.length === 0) lead.push(node);
    else sections[sections.length - 1]!.children.push(node);
  }
  // A report without top-level sections is one chapter, not a long title page.
  const loose =
    sections.length === 0 &&
    lead.some((node) => node.type === 'element' || (node.type === 'text' && node.value.trim() !== ''));
  if (loose)
    sections.push({
      type: 'element',
      tagName: 'section',
      properties: { className: ['level-1'] },
      children: lead.splice(0),
    });
  const chapters: EpubChapter[] = [
    { filename: 'title.xhtml', title: metadata.title, kind: 'titlepage', body: titlePage(metadata, lead) },
  ];
  sections.forEach((section, index) => {
    const heading = section.children.find(
      (child): child is Element => child.type === 'element' && headingRank(child) !== undefined,
    );
    section.properties['epub:type'] = 'chapter';
    section.properties.role = 'doc-chapter';
    chapters.push({
      filename: `chapter-${String(index + 1).padStart(3, '0')}.xhtml`,
      // A heading without text (`#` alone, `<h1></h1>`) would give the chapter an empty `<title>`, which XHTML forbids.
      title: (heading ? toString(heading).trim() : '') || metadata.title,
      kind: 'chapter',
      body: section,
    });
  });
  return chapters;
}

function isTopLevel(node: Element): boolean {
  const className = node.properties.className;
  return Array.isArray(className) && className.includes('level-1');
}

function titlePage(metadata: Metadata, lead: ElementContent[]): Element {
  return h(
    'section',
    { className: ['title-page'], 'epub:type': 'titlepage', ariaLabel: labelsOf(metadata).titlePage },
    [...titlePageLines(metadata), ...lead],
  );
}

/** Ids of the elements inside `node`. */
export function idsIn(node: Element): Set<string> {
  const ids = new Set<string>();
  const walk = (current: ElementContent) => {
    if (current.type !== 'element') return;
    if (typeof current.properties.id === 'string') ids.add(current.properties.id);
    current.children.forEach(walk);
  };
  walk(node);
  return ids;
}

/** Whether `node` holds an element for which `test` holds. */
export function contains(node: Element, test: (element: Element) => boolean): boolean {
  if (test(node)) return true;
  return node.children.some((child) => child.type === 'element' && contains(child, test));
}

/** Every element inside `node` (itself included) for which `test` holds, in document order. */
export function selectAll(node: Element, test: (element: Element) => boolean): Element[] {
  const found: Element[] = [];
  const walk = (current: Element) => {
    if (test(current)) found.push(current);
    for (const child of current.children) if (child.type === 'element') walk(child);
  };
  walk(node);
  return found;
}
