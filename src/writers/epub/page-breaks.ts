import type { Element, ElementContent, Root, Text } from 'hast';
import { pageBlocks, type PageMap } from '../../document/page-map.js';

/** A page-break marker put into the text: where a page of the PDF begins. */
export interface PageBreak {
  /** The page's number in the PDF. */
  page: number;
  /** Id of the marker element. */
  id: string;
}

/** Elements whose children cannot include a `<span>` (text inside them is only inter-element whitespace). */
const noPhrasing = new Set([
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'colgroup',
  'ul',
  'ol',
  'dl',
  'select',
  'optgroup',
  'datalist',
  'hgroup',
  'picture',
  'audio',
  'video',
  'object',
  'iframe',
  'script',
  'style',
  'template',
  'textarea',
  'option',
  'title',
]);
/** Foreign content: a marker cannot go inside. */
const foreign = new Set(['svg', 'math']);

interface TextSlot {
  node: Text;
  parent: Element;
  /** Characters of the block's text before this node. */
  start: number;
  /** Whether a marker can be put beside this text node. */
  usable: boolean;
  /** The outermost foreign element (SVG, MathML) the text is in: drawn whole, so a page begins before it. */
  foreignRoot?: Element;
}

/**
 * Put a page-break marker (`<span epub:type="pagebreak" role="doc-pagebreak">`)
 * into `tree` where each page of the PDF begins, as `pageMap` places it: in
 * block `start.block` of `pageBlocks(tree)`, before its `start.offset`th
 * character. Markers hold no text, so they do not shift the offsets of
 * others. Mutates `tree`: give it a copy of the shared document tree, made
 * before any other change, so its blocks are the ones the page map counts.
 *
 * `takenIds` holds the ids already in use; the markers' ids are added to it.
 */
export function insertPageBreaks(tree: Root, pageMap: PageMap, takenIds: Set<string>): PageBreak[] {
  const blocks = pageBlocks(tree);
  const breaks: PageBreak[] = [];
  const starts = [...pageMap.starts].sort((a, b) => a.page - b.page);
  for (const start of starts) {
    const block = blocks[start.block];
    if (!block) {
      throw new Error(
        `Page ${start.page} begins in block ${start.block}, but the document has ${blocks.length} blocks`,
      );
    }
    let id = `page-${start.page}`;
    for (let n = 2; takenIds.has(id); n++) id = `page-${start.page}-${n}`;
    takenIds.add(id);
    placeMarker(tree, block, Math.max(0, start.offset), marker(start.page, id));
    breaks.push({ page: start.page, id });
  }
  return breaks;
}

/** The marker element for page `page`. */
export function marker(page: number, id: string): Element {
  return {
    type: 'element',
    tagName: 'span',
    properties: { id, 'epub:type': 'pagebreak', role: 'doc-pagebreak', ariaLabel: String(page) },
    children: [],
  };
}

/** Whether an element is a page-break marker. */
export function isPageBreak(node: ElementContent): boolean {
  return node.type === 'element' && node.properties['epub:type'] === 'pagebreak';
}

/**
 * A note cited in several chapters carries the markers inside it into each
 * copy: keep only the first marker of each page, in reading order.
 */
export function keepFirstPageBreaks(bodies: readonly Element[]): void {
  const seen = new Set<string>();
  const visit = (parent: Element) => {
    parent.children = parent.children.filter((child) => {
      if (!isPageBreak(child)) return true;
      const id = String((child as Element).properties.id);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    for (const child of parent.children) if (child.type === 'element') visit(child);
  };
  bodies.forEach(visit);
}

function placeMarker(tree: Root, block: Element, offset: number, mark: Element): void {
  const slots = textSlots(block);
  // The text node holding the character the page begins with.
  let index = slots.findIndex((slot) => slot.start + slot.node.value.length > offset);
  let at: number;
  if (index === -1) {
    index = slots.length - 1;
    at = slots[index]?.node.value.length ?? 0;
  } else {
    at = offset - slots[index]!.start;
  }
  const drawnWhole = index >= 0 ? slots[index]!.foreignRoot : undefined;
  if (drawnWhole && drawnWhole !== block) {
    // Inside a drawing (an SVG's labels): the page begins with the drawing.
    insertBefore(tree, drawnWhole, mark);
    return;
  }
  if (index >= 0 && !slots[index]!.usable) {
    // Whitespace between table rows or list items: the page begins with the next text that can hold a marker.
    const next = slots.findIndex((slot, position) => position > index && slot.usable);
    if (next !== -1) {
      index = next;
      at = 0;
    } else {
      const previous = slots.findLastIndex((slot, position) => position < index && slot.usable);
      index = previous;
      at = previous === -1 ? 0 : slots[previous]!.node.value.length;
    }
  }
  if (index >= 0) {
    const slot = slots[index]!;
    splitAndInsert(slot.parent, slot.node, at, mark);
    return;
  }
  // No text to stand beside (an image, a rule, a row of empty cells): at the start of the block, or of its
  // first part that can hold a marker, or else just before it.
  const holder = canHold(block) ? block : firstElement(block, canHold);
  if (holder) holder.children.unshift(mark);
  else insertBefore(tree, block, mark);
}

const voidElements = new Set(['area', 'br', 'col', 'embed', 'hr', 'img', 'input', 'source', 'track', 'wbr']);

function canHold(element: Element): boolean {
  return !noPhrasing.has(element.tagName) && !foreign.has(element.tagName) && !voidElements.has(element.tagName);
}

function textSlots(block: Element): TextSlot[] {
  const slots: TextSlot[] = [];
  let total = 0;
  const walk = (element: Element, usable: boolean, foreignRoot: Element | undefined) => {
    for (const child of element.children) {
      if (child.type === 'text') {
        slots.push({
          node: child,
          parent: element,
          start: total,
          usable: usable && !noPhrasing.has(element.tagName),
          foreignRoot,
        });
        total += child.value.length;
      } else if (child.type === 'element') {
        const entering = foreignRoot ?? (foreign.has(child.tagName) ? child : undefined);
        walk(child, usable && !foreign.has(child.tagName), entering);
      }
    }
  };
  walk(block, !foreign.has(block.tagName), foreign.has(block.tagName) ? block : undefined);
  return slots;
}

function splitAndInsert(parent: Element, node: Text, at: number, mark: Element): void {
  const position = parent.children.indexOf(node);
  const before = node.value.slice(0, at);
  const after = node.value.slice(at);
  const replacement: ElementContent[] = [];
  if (before) replacement.push({ type: 'text', value: before });
  replacement.push(mark);
  if (after) replacement.push({ type: 'text', value: after });
  parent.children.splice(position, 1, ...replacement);
}

function firstElement(element: Element, test: (element: Element) => boolean): Element | undefined {
  for (const child of element.children) {
    if (child.type !== 'element') continue;
    if (test(child)) return child;
    const found = firstElement(child, test);
    if (found) return found;
  }
  return undefined;
}

function insertBefore(tree: Root, target: Element, mark: Element): void {
  const visit = (parent: Root | Element): boolean => {
    const index = (parent.children as Array<Root['children'][number]>).indexOf(target);
    if (index !== -1) {
      parent.children.splice(index, 0, mark as never);
      return true;
    }
    return parent.children.some((child) => child.type === 'element' && visit(child));
  };
  visit(tree);
}
