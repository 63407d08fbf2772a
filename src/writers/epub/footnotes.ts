import type { Element, ElementContent, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { headingRank } from '../../document/headings.js';
import { isPageBreak } from './page-breaks.js';
import { decodeReference } from '../../uri.js';

/** The notes of a document, taken out of the one list Markdown footnotes make at its end. */
export interface Footnotes {
  /** Text of the notes' heading ("Footnotes"). */
  label: string;
  /** Id of that heading, which note references name in `aria-describedby`. */
  labelId: string;
  /** The notes by id, in the order of the list. */
  notes: Map<string, Note>;
}

export interface Note {
  id: string;
  /** Its number, as the references print it. */
  number: number;
  /** The list item that holds it. */
  item: Element;
}

/**
 * Take the footnotes section (`<section data-footnotes>`) out of the tree.
 * Returns undefined when the document has no notes.
 */
export function takeFootnotes(tree: Root): Footnotes | undefined {
  let found: Element | undefined;
  const visit = (parent: Root | Element): boolean => {
    const index = parent.children.findIndex((child) => child.type === 'element' && isFootnotesSection(child));
    if (index !== -1) {
      found = parent.children[index] as Element;
      parent.children.splice(index, 1);
      return true;
    }
    return parent.children.some((child) => child.type === 'element' && visit(child));
  };
  if (!visit(tree) || !found) return undefined;
  const heading = found.children.find(
    (child): child is Element => child.type === 'element' && headingRank(child) !== undefined,
  );
  // One list, or one per chapter (`notes-numbering: chapter`, each note carrying its number).
  const lists = found.children.filter((child): child is Element => child.type === 'element' && child.tagName === 'ol');
  const notes = new Map<string, Note>();
  let number = 0;
  // Page-break markers outside the notes themselves (a page that begins with the notes' heading) go with the
  // next note, so they stay in the book when the heading and the list are taken apart.
  let pending = pageBreaksOutside(found, new Set(lists));
  for (const item of lists.flatMap((list) => list.children)) {
    if (item.type !== 'element' || item.tagName !== 'li') continue;
    const given = Number(item.properties.value);
    number = item.properties.value !== undefined && Number.isInteger(given) ? given : number + 1;
    if (pending.length > 0) {
      const first = item.children.find((child): child is Element => child.type === 'element' && child.tagName === 'p');
      (first ?? item).children.unshift(...pending);
      pending = [];
    }
    if (typeof item.properties.id === 'string') notes.set(item.properties.id, { id: item.properties.id, number, item });
  }
  return {
    label: heading ? toString(heading).trim() : 'Notes',
    labelId: typeof heading?.properties.id === 'string' ? heading.properties.id : 'footnote-label',
    notes,
  };
}

/** The page-break markers in `section` that are not inside one of the notes of `lists`, taken out. */
function pageBreaksOutside(section: Element, lists: ReadonlySet<Element>): Element[] {
  const taken: Element[] = [];
  const visit = (parent: Element) => {
    parent.children = parent.children.filter((child) => {
      if (child.type !== 'element') return true;
      if (isPageBreak(child)) {
        taken.push(child as Element);
        return false;
      }
      if (lists.has(parent) && child.tagName === 'li') return true;
      visit(child);
      return true;
    });
  };
  visit(section);
  return taken;
}

function isFootnotesSection(element: Element): boolean {
  return element.tagName === 'section' && element.properties.dataFootnotes !== undefined;
}

function isReference(element: Element): boolean {
  return element.tagName === 'a' && element.properties.dataFootnoteRef !== undefined;
}

function isBackReference(element: Element): boolean {
  return element.tagName === 'a' && element.properties.dataFootnoteBackref !== undefined;
}

/**
 * Give a chapter the notes it cites: mark each reference as a note
 * reference, and append after the chapter's content a section holding, in
 * the order they are first cited, a copy of every note the chapter refers to,
 * with back links to this chapter's references only. A note cited in several
 * chapters is copied into each, so the reference and its note are always in
 * the same file. Returns the number of notes placed.
 */
export function placeFootnotes(chapter: Element, footnotes: Footnotes): number {
  const cited = new Map<string, Set<string>>();
  const visit = (element: Element) => {
    for (const child of element.children) {
      if (child.type !== 'element') continue;
      if (isReference(child)) {
        const href = child.properties.href;
        const noteId = typeof href === 'string' && href.startsWith('#') ? decodeReference(href.slice(1)) : undefined;
        if (noteId && footnotes.notes.has(noteId)) {
          child.properties['epub:type'] = 'noteref';
          child.properties.role = 'doc-noteref';
          const references = cited.get(noteId) ?? new Set<string>();
          if (typeof child.properties.id === 'string') references.add(child.properties.id);
          cited.set(noteId, references);
        }
      }
      visit(child);
    }
  };
  visit(chapter);
  if (cited.size === 0) return 0;

  const firstHeading = chapter.children.find(
    (child): child is Element => child.type === 'element' && headingRank(child) !== undefined,
  );
  const rank = Math.min(6, (firstHeading ? headingRank(firstHeading)! : 1) + 1);
  const asides: Element[] = [];
  for (const [noteId, references] of cited) {
    const note = footnotes.notes.get(noteId)!;
    const content = structuredClone(note.item.children).filter(
      (child) => child.type !== 'text' || child.value.trim() !== '',
    );
    keepBackReferences(content, references);
    numberNote(content, note.number);
    asides.push({
      type: 'element',
      tagName: 'aside',
      properties: { id: noteId, className: ['footnote'], 'epub:type': 'footnote', role: 'doc-footnote' },
      children: content,
    });
  }
  chapter.children.push({
    type: 'element',
    tagName: 'section',
    properties: { className: ['footnotes'], ariaLabelledBy: [footnotes.labelId] },
    children: [
      {
        type: 'element',
        tagName: `h${rank}`,
        properties: { id: footnotes.labelId, className: ['footnotes-label'] },
        children: [{ type: 'text', value: footnotes.label }],
      },
      ...asides,
    ],
  });
  return cited.size;
}

/** Drop the back links to references in other chapters; mark the others as back links. */
function keepBackReferences(content: ElementContent[], references: ReadonlySet<string>): void {
  const visit = (children: ElementContent[]) => {
    for (let index = children.length - 1; index >= 0; index--) {
      const child = children[index]!;
      if (child.type !== 'element') continue;
      if (isBackReference(child)) {
        const href = child.properties.href;
        const target = typeof href === 'string' && href.startsWith('#') ? decodeReference(href.slice(1)) : '';
        if (references.has(target)) {
          child.properties.role = 'doc-backlink';
        } else {
          children.splice(index, 1);
          const previous = children[index - 1];
          if (previous?.type === 'text') previous.value = previous.value.replace(/\s+$/, '');
        }
        continue;
      }
      visit(child.children);
    }
  };
  visit(content);
}

/** Start the note with its number, as the reference prints it. */
function numberNote(content: ElementContent[], number: number): void {
  const label: Element = {
    type: 'element',
    tagName: 'span',
    properties: { className: ['footnote-number'] },
    children: [{ type: 'text', value: `${number}.` }],
  };
  const first = content[0];
  if (first?.type === 'element' && first.tagName === 'p') {
    first.children.unshift(label, { type: 'text', value: ' ' });
  } else {
    content.unshift({ type: 'element', tagName: 'p', properties: {}, children: [label] });
  }
}
