import type { Root, RootContent } from 'hast';
import { unified } from 'unified';
import { setImageSources } from '../image-sources.js';
import { pageBlocks } from '../../document/page-map.js';
import type { ResolvedImage } from '../../compile/images.js';
import rehypeImprintHyphenate from '../../compile/plugins/rehype-imprint-hyphenate.js';
import { unlinkLocalFiles } from '../../compile/plugins/rehype-imprint-links.js';

/** Attribute that carries each page block's index into `pageBlocks(tree)` in the printed page. */
export const blockAttribute = 'data-imprint-block';

/**
 * The body as the PDF prints it: a copy of the shared tree (every `<details>` open) with soft hyphens
 * in its words (print only: the HTML and EPUB editions keep the plain text)
 * and each page block numbered, so the measuring pass can say where a page
 * begins in terms of the shared tree.
 */
export function printTree(tree: Root, lang: string, images: ReadonlyMap<string, ResolvedImage> = new Map()): Root {
  const copy = copyTree(tree);
  // The print page is served from memory: each image at its own name, nothing else.
  setImageSources(copy, images, (image) => `/${image.name}`);
  // A link to a file beside the manuscript would lead nowhere from the PDF (reported by rehype-imprint-links).
  unlinkLocalFiles(copy);
  // Number the blocks first: the copy has the shared tree's elements in the same order.
  pageBlocks(copy).forEach((block, index) => {
    block.properties[toProperty(blockAttribute)] = index;
  });
  return unified().use(rehypeImprintHyphenate, { lang }).runSync(copy) as Root;
}

/** A copy of the nodes and their properties, without source positions (the print page needs none). */
function copyTree(tree: Root): Root {
  const copy = <T extends Root | RootContent>(node: T): T => {
    if (node.type === 'element') {
      const properties = { ...node.properties };
      // Paper cannot be clicked open: a `<details>` prints open, or its content would be left out.
      if (node.tagName === 'details') properties.open = true;
      return {
        type: 'element',
        tagName: node.tagName,
        properties,
        children: keepBackLinks(node.children.map(copy)),
      } as T;
    }
    if (node.type === 'root') return { type: 'root', children: node.children.map(copy) } as T;
    if ('value' in node) return { type: node.type, value: node.value } as T;
    return { ...node };
  };
  return copy(tree);
}

/**
 * A note's link back to its reference is bound to the word before it (a
 * no-break space for the space), so it never stands alone on the note's last
 * line. The text keeps its length, and so its offsets.
 */
function keepBackLinks<T extends RootContent>(children: T[]): T[] {
  children.forEach((child, index) => {
    const before = children[index - 1];
    if (
      child.type === 'element' &&
      child.properties.dataFootnoteBackref !== undefined &&
      before?.type === 'text' &&
      before.value.endsWith(' ')
    ) {
      before.value = `${before.value.slice(0, -1)}\u00a0`;
    }
  });
  return children;
}

/** `data-imprint-block` → `dataImprintBlock`, the hast property name. */
function toProperty(attribute: string): string {
  return attribute.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
