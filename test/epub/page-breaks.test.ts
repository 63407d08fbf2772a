import path from 'node:path';
import fc from 'fast-check';
import type { Element, ElementContent, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import { pageBlocks, type PageMap, type PageStart } from '../../src/document/page-map.js';
import { insertPageBreaks, isPageBreak } from '../../src/writers/epub/page-breaks.js';
import { toXhtml } from '../../src/writers/epub/xhtml.js';
import { readManuscript } from '../../src/compile/read-manuscript.js';
import { diskReader } from '../../src/compile/resources.js';
import { compile } from '../../src/compile/pipeline.js';

const root = path.resolve(import.meta.dirname, '../..');

function pageMap(starts: PageStart[]): PageMap {
  return { pages: Math.max(0, ...starts.map((start) => start.page)), starts, pageOfId: new Map() };
}

/** The text before each marker, in document order, and the marker's page. */
function markers(tree: Root): Array<{ page: number; id: string; before: string; parent: string }> {
  const found: Array<{ page: number; id: string; before: string; parent: string }> = [];
  let text = '';
  const walk = (node: ElementContent | Root, parent: string) => {
    if (node.type === 'text') text += node.value;
    if (node.type === 'element' && isPageBreak(node)) {
      found.push({ page: Number(node.properties.ariaLabel), id: String(node.properties.id), before: text, parent });
    }
    if ('children' in node)
      for (const child of node.children) walk(child as ElementContent, node.type === 'element' ? node.tagName : 'root');
  };
  walk(tree, 'root');
  return found;
}

/** Characters of the document's text before each block begins. */
/**
 * Where in a block's text a page can begin: anywhere but inside an image
 * drawn whole (an SVG's titles and labels), which the measuring pass sees as
 * one thing: a page begins before it or after it. Maps an offset to the
 * nearest such place at or before it.
 */
function possibleOffset(block: Element, offset: number): number {
  let seen = 0;
  let result = offset;
  const walk = (node: ElementContent) => {
    if (node.type === 'text') {
      seen += node.value.length;
      return;
    }
    if (node.type !== 'element') return;
    if (node.tagName === 'svg') {
      const length = toString(node).length;
      if (offset > seen && offset < seen + length) result = seen;
      seen += length;
      return;
    }
    node.children.forEach(walk);
  };
  block.children.forEach(walk);
  return result;
}

function blockStarts(tree: Root): Map<Element, number> {
  const starts = new Map<Element, number>();
  const blocks = new Set(pageBlocks(tree));
  let text = 0;
  const walk = (node: ElementContent | Root) => {
    if (node.type === 'element' && blocks.has(node)) starts.set(node, text);
    if (node.type === 'text') text += node.value.length;
    if ('children' in node) for (const child of node.children) walk(child as ElementContent);
  };
  walk(tree);
  return starts;
}

describe('page-break markers from a page map', () => {
  it('puts the marker before the character the page begins with, splitting the text there', () => {
    const tree: Root = {
      type: 'root',
      children: [h('p', 'Alpha beta gamma.'), h('p', ['One ', h('em', 'two'), ' three.'])],
    };
    const breaks = insertPageBreaks(
      tree,
      pageMap([
        { page: 4, block: 0, offset: 6 },
        { page: 5, block: 1, offset: 5 },
      ]),
      new Set(),
    );
    expect(breaks).toEqual([
      { page: 4, id: 'page-4' },
      { page: 5, id: 'page-5' },
    ]);
    expect(toXhtml(tree)).toBe(
      '<p>Alpha <span id="page-4" epub:type="pagebreak" role="doc-pagebreak" aria-label="4"></span>beta gamma.</p>' +
        '<p>One <em>t<span id="page-5" epub:type="pagebreak" role="doc-pagebreak" ' +
        'aria-label="5"></span>wo</em> three.</p>',
    );
  });

  it('puts a page that begins with a block at the start of that block, and keeps pages in order at one place', () => {
    const tree: Root = { type: 'root', children: [h('p', 'First.'), h('p', 'Second.')] };
    insertPageBreaks(
      tree,
      pageMap([
        { page: 2, block: 1, offset: 0 },
        { page: 3, block: 1, offset: 0 },
      ]),
      new Set(),
    );
    const second = tree.children[1] as Element;
    expect(second.children.slice(0, 2).map((child) => (child as Element).properties.id)).toEqual(['page-2', 'page-3']);
    expect(toString(second)).toBe('Second.');
  });

  it('never puts a marker where a span is not allowed: between table rows or list items', () => {
    const table = h('table', [
      '\n',
      h('tbody', [
        '\n',
        h('tr', ['\n', h('td', 'a1'), '\n', h('td', 'a2'), '\n']),
        '\n',
        h('tr', ['\n', h('td', 'b1'), '\n']),
        '\n',
      ]),
    ]);
    const list = h('ol', ['\n', h('li', 'item'), '\n']);
    const tree: Root = { type: 'root', children: [table, list] };
    const blocks = pageBlocks(tree);
    const secondRow = blocks.findIndex((block) => block.tagName === 'tr' && toString(block).includes('b1'));
    const listItem = blocks.findIndex((block) => block.tagName === 'li');
    insertPageBreaks(
      tree,
      pageMap([
        { page: 7, block: secondRow, offset: 0 },
        { page: 8, block: 0, offset: 0 },
        { page: 9, block: listItem, offset: 0 },
      ]),
      new Set(),
    );
    const found = markers(tree);
    expect(found.map((marker) => [marker.page, marker.parent])).toEqual([
      [8, 'td'],
      [7, 'td'],
      [9, 'li'],
    ]);
    expect(found.find((marker) => marker.page === 7)!.before.replace(/\s+/g, '')).toBe('a1a2');
  });

  it('places a page that begins with a block without text (an image, a rule) at or before it', () => {
    const figure = h('figure', [h('img', { src: 'a.png', alt: 'A chart' })]);
    const rule = h('hr');
    const tree: Root = { type: 'root', children: [h('section', [h('p', 'Text.'), figure, rule])] };
    const blocks = pageBlocks(tree);
    insertPageBreaks(
      tree,
      pageMap([
        { page: 2, block: blocks.indexOf(figure), offset: 0 },
        { page: 3, block: blocks.indexOf(rule), offset: 0 },
      ]),
      new Set(),
    );
    expect(toXhtml(tree)).toBe(
      '<section><p>Text.</p><figure><span id="page-2" epub:type="pagebreak" role="doc-pagebreak" ' +
        'aria-label="2"></span>' +
        '<img src="a.png" alt="A chart"/></figure><span id="page-3" epub:type="pagebreak" ' +
        'role="doc-pagebreak" aria-label="3"></span><hr/></section>',
    );
  });

  it('gives markers ids no other element has', () => {
    const tree: Root = { type: 'root', children: [h('h2', { id: 'page-2' }, 'Page 2'), h('p', 'Text.')] };
    const breaks = insertPageBreaks(tree, pageMap([{ page: 2, block: 1, offset: 0 }]), new Set(['page-2']));
    expect(breaks).toEqual([{ page: 2, id: 'page-2-2' }]);
  });

  it('rejects a page map that does not fit the document', () => {
    const tree: Root = { type: 'root', children: [h('p', 'Only one block.')] };
    expect(() => insertPageBreaks(tree, pageMap([{ page: 2, block: 5, offset: 0 }]), new Set())).toThrow(/block 5/);
  });

  it(
    'on the real report, every marker sits exactly where its page begins in the text, wherever ' + 'pages begin',
    async () => {
      const file = await readManuscript(path.join(root, 'manuscript/report.md'), diskReader, root);
      const compiled = (await compile(file, { reader: diskReader, projectRoot: path.join(root, 'manuscript') }))!;
      const blocks = pageBlocks(compiled.tree);
      const lengths = blocks.map((block) => toString(block).length);
      await fc.assert(
        fc.property(
          fc.uniqueArray(fc.integer({ min: 0, max: blocks.length - 1 }), { minLength: 1, maxLength: 12 }),
          fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 12, maxLength: 12 }),
          (chosen, fractions) => {
            const sorted = [...chosen].sort((a, b) => a - b);
            const starts = sorted.map((block, index) => ({
              page: index + 3,
              block,
              offset: possibleOffset(blocks[block]!, Math.floor(fractions[index]! * lengths[block]!)),
            }));
            const tree = structuredClone(compiled.tree);
            const before = blockStarts(tree);
            const treeBlocks = pageBlocks(tree);
            insertPageBreaks(tree, pageMap(starts), new Set());
            const text = toString(tree as unknown as Element);
            expect(text).toBe(toString(compiled.tree as unknown as Element));
            const found = markers(tree);
            expect(found.map((marker) => marker.page).sort((a, b) => a - b)).toEqual(starts.map((start) => start.page));
            for (const start of starts) {
              const marker = found.find((candidate) => candidate.page === start.page)!;
              const expected = before.get(treeBlocks[start.block]!)! + start.offset;
              // Whitespace between rows and cells may be crossed to reach a place a marker can stand; nothing else.
              const [from, to] = [Math.min(expected, marker.before.length), Math.max(expected, marker.before.length)];
              expect(text.slice(from, to).trim()).toBe('');
              expect(['tr', 'tbody', 'thead', 'table', 'ol', 'ul']).not.toContain(marker.parent);
            }
          },
        ),
        { numRuns: 200 },
      );
    },
  );
});
