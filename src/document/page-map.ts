import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';

/**
 * Where the printed PDF's pages fall in the document, so the other editions
 * can cite by page (the EPUB's page list and page-break markers) and the
 * contents page can name the page of each heading.
 *
 * Positions are given against the shared document tree (`CompiledDocument.tree`):
 * a block is an element for which `isPageBlock` holds, counted in document
 * order by `pageBlocks`; both the PDF writer (which measures) and the EPUB
 * writer (which inserts markers) walk the same tree the same way.
 */
export interface PageMap {
  /** Pages in the PDF, front matter (title page, contents) included. */
  pages: number;
  /**
   * For every page of the body, in order: where it begins (a page that begins
   * nothing, left blank by a forced break, has no entry).
   */
  starts: PageStart[];
  /** The page each element id (headings, tables, figures) is printed on. */
  pageOfId: ReadonlyMap<string, number>;
}

export interface PageStart {
  /** 1-based number of the page in the PDF (the folio printed on it). */
  page: number;
  /** Index of the block the page begins in, into `pageBlocks(tree)`. */
  block: number;
  /**
   * Characters of the block's text content (`hast-util-to-string`, in UTF-16
   * code units as JavaScript counts them) that come before the page begins (0:
   * the block starts the page). The block is the innermost one holding the
   * first character (or image, or rule) drawn on the page; a page that begins
   * in the second half of a hyphenated word begins after its first half.
   */
  offset: number;
}

const blockTags = new Set([
  'p',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'li',
  'figcaption',
  'tr',
  'pre',
  'dt',
  'dd',
  'blockquote',
  'figure',
  'table',
  'hr',
]);

/** Whether a page can begin in this element: a block that holds text, and not one inside another block that does. */
export function isPageBlock(element: Element): boolean {
  return blockTags.has(element.tagName);
}

/** The blocks of a tree in document order (a block inside a block comes after it). */
export function pageBlocks(tree: Root): Element[] {
  const blocks: Element[] = [];
  visit(tree, 'element', (node) => {
    if (isPageBlock(node)) blocks.push(node);
  });
  return blocks;
}
