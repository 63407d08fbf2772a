import type { Element, ElementContent, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import type { Plugin } from 'unified';
import { headingRank } from '../../document/headings.js';
import type { Metadata } from '../../document/metadata.js';
import { decodeReference } from '../../uri.js';

/**
 * Notes numbered per chapter (`notes-numbering: chapter`): each chapter (a
 * top-level section) numbers its notes from 1. Each reference shows its
 * note's number in its chapter; the list of notes at the end is cut into one
 * list per chapter, each after a line naming the chapter, and each note
 * carries its number (`value`), which the editions show. A note cited in
 * several chapters keeps the number of its first citation.
 *
 * Runs after `rehype-imprint-sections`, on the document with its notes
 * section (remark-rehype's `section[data-footnotes]`).
 */
const rehypeImprintNoteNumbers: Plugin<[], Root> = function () {
  return (tree, file) => {
    const metadata = file.data.metadata as Metadata | undefined;
    if (metadata?.notesNumbering !== 'chapter') return;
    const section = find(
      tree,
      (element) => element.tagName === 'section' && element.properties.dataFootnotes !== undefined,
    );
    const list = section?.children.find(
      (child): child is Element => child.type === 'element' && child.tagName === 'ol',
    );
    if (!section || !list) return;

    // Chapter by chapter, in reading order: the number of each note in its chapter, at its first citation.
    const numbers = new Map<string, { chapter: number; number: number }>();
    const titles: string[] = [];
    let chapter = 0;
    let count = 0;
    const walk = (element: Element | Root, depth: number) => {
      for (const child of element.children) {
        if (child.type !== 'element' || child === section) continue;
        if (child.tagName === 'section' && depth === 0 && isChapter(child)) {
          chapter = titles.push(chapterTitle(child));
          count = 0;
        }
        if (child.tagName === 'a' && child.properties.dataFootnoteRef !== undefined) {
          const href = child.properties.href;
          const id = typeof href === 'string' && href.startsWith('#') ? decodeReference(href.slice(1)) : '';
          let known = numbers.get(id);
          if (!known) {
            known = { chapter, number: ++count };
            numbers.set(id, known);
          }
          child.children = [{ type: 'text', value: String(known.number) }];
          continue;
        }
        walk(child, child.tagName === 'section' ? depth + 1 : depth);
      }
    };
    walk(tree, 0);

    // The notes, a list per chapter, each note numbered in its chapter.
    const groups: Array<{ chapter: number; items: Element[] }> = [];
    for (const item of list.children) {
      if (item.type !== 'element' || item.tagName !== 'li') continue;
      const known = numbers.get(typeof item.properties.id === 'string' ? item.properties.id : '');
      const at = known?.chapter ?? chapter;
      if (known) {
        item.properties.value = String(known.number);
        renumberBackLinks(item, known.number);
      }
      const last = groups[groups.length - 1];
      if (last && last.chapter === at) last.items.push(item);
      else groups.push({ chapter: at, items: [item] });
    }
    const replaced: ElementContent[] = [];
    for (const group of groups) {
      const title = titles[group.chapter - 1];
      if (title)
        replaced.push({
          type: 'element',
          tagName: 'p',
          properties: { className: ['notes-chapter'] },
          children: [{ type: 'text', value: title }],
        });
      replaced.push({ type: 'element', tagName: 'ol', properties: {}, children: group.items });
    }
    section.children.splice(section.children.indexOf(list), 1, ...replaced);
  };
};

export default rehypeImprintNoteNumbers;

/** A section opened by a heading of the top rank (a chapter). */
function isChapter(section: Element): boolean {
  const heading = section.children.find((child): child is Element => child.type === 'element');
  return heading !== undefined && headingRank(heading) !== undefined;
}

function chapterTitle(section: Element): string {
  const heading = section.children.find((child): child is Element => child.type === 'element');
  return heading ? toString(heading).replace(/\s+/g, ' ').trim() : '';
}

/** The back links' labels say the note's number in its chapter ("Back to reference 2"). */
function renumberBackLinks(item: Element, number: number): void {
  const visit = (element: Element) => {
    for (const child of element.children) {
      if (child.type !== 'element') continue;
      if (child.tagName === 'a' && child.properties.dataFootnoteBackref !== undefined) {
        const label = child.properties.ariaLabel;
        if (typeof label === 'string') child.properties.ariaLabel = label.replace(/\d+(?=\D*$)/, String(number));
      }
      visit(child);
    }
  };
  visit(item);
}

function find(tree: Root | Element, test: (element: Element) => boolean): Element | undefined {
  for (const child of tree.children) {
    if (child.type !== 'element') continue;
    if (test(child)) return child;
    const found = find(child, test);
    if (found) return found;
  }
  return undefined;
}
