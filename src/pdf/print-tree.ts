import type { Root } from 'hast';
import { unified } from 'unified';
import { pageBlocks } from '../editions/page-map.js';
import rehypeImprintHyphenate from '../plugins/rehype-imprint-hyphenate.js';

/** Attribute that carries each page block's index into `pageBlocks(tree)` in the printed page. */
export const blockAttribute = 'data-imprint-block';

/**
 * The body as the PDF prints it: a copy of the shared tree with soft hyphens
 * in its words (print only: the HTML and EPUB editions keep the plain text)
 * and each page block numbered, so the measuring pass can say where a page
 * begins in terms of the shared tree.
 */
export function printTree(tree: Root, lang: string): Root {
  const copy = structuredClone(tree);
  // Number the blocks first: the copy has the shared tree's elements in the same order.
  pageBlocks(copy).forEach((block, index) => {
    block.properties[toProperty(blockAttribute)] = index;
  });
  return unified().use(rehypeImprintHyphenate, { lang }).runSync(copy) as Root;
}

/** `data-imprint-block` → `dataImprintBlock`, the hast property name. */
function toProperty(attribute: string): string {
  return attribute.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
