import type { Nodes, Root, Text } from 'mdast';
import type { Plugin } from 'unified';
import { SKIP, visit } from 'unist-util-visit';

/**
 * Typographic quotes, dashes and ellipses in the prose, by the rules of Pandoc's `smart` extension: "…" → “…”,
 * it's → it’s, '90s → ’90s, -- → –, --- → —, ... → …. Never in code, math or raw HTML, in an address shown as a
 * link's text, or in the tables and charts made from data (they are made after this runs). A quote's side is read
 * from the characters around it across the block's inline markup: `"**bold**"` opens before the bold and closes
 * after it. `smart: false` in the front matter keeps the prose as typed (a manual naming `--flags` outside code).
 *
 * A pass of regular rules over each block's text, not remark-smartypants: that plugin builds retext's
 * natural-language tree of the whole text, which added 1.1 to 4.2 seconds to the long benchmark report's transform
 * on a loaded machine; this pass adds about 15 ms (decision 097).
 */
const remarkImprintSmartPunctuation: Plugin<[], Root> = function () {
  return (tree, file) => {
    if (file.data.metadata?.smart === false) return;
    visit(tree, (node) => {
      if (!blocks.has(node.type)) return undefined;
      smarten(node);
      return SKIP;
    });
  };
};

export default remarkImprintSmartPunctuation;

/** Nodes whose children are a run of prose (a directive's label is one). */
const blocks = new Set(['paragraph', 'heading', 'tableCell', 'leafDirective']);
/** Inline nodes that are not prose: each stands in the text as one letter, for the quotes around it. */
const opaque = new Set(['inlineCode', 'inlineMath', 'image', 'imageReference', 'footnoteReference']);
/** Characters after which a quote opens. */
const opening = /[\s([{\-–—/“‘]/u;

function smarten(block: Nodes): void {
  // The block's text, each text node's share of it marked: the characters around a quote may be in another node.
  const texts: Array<{ node: Text; start: number }> = [];
  let all = '';
  const walk = (node: Nodes) => {
    if (node.type === 'text') {
      texts.push({ node, start: all.length });
      all += node.value;
    } else if (opaque.has(node.type) || isAddress(node)) {
      all += 'A';
    } else if ('children' in node) {
      // Raw HTML adds nothing: a tag is markup around the prose, as emphasis is, and the quotes read the text on
      // either side of it.
      for (const child of node.children) walk(child as Nodes);
    }
  };
  for (const child of 'children' in block ? block.children : []) walk(child as Nodes);
  if (!/["'.-]/.test(all)) return;
  for (const { node, start } of texts) {
    node.value = node.value.replace(/---|--|\.\.\.|["']/g, (found, at: number) => {
      if (found === '---') return '—';
      if (found === '--') return '–';
      if (found === '...') return '…';
      const before = all[start + at - 1];
      const opens = before === undefined || opening.test(before);
      if (found === '"') return opens ? '“' : '”';
      // An apostrophe before a year's digits ('90s) is not an opening quote.
      return opens && !/\d/.test(all[start + at + 1] ?? '') ? '‘' : '’';
    });
  }
}

/** A link that shows its own address (an autolink): its text is the address, kept as typed. */
function isAddress(node: Nodes): boolean {
  if (node.type !== 'link') return false;
  const text = node.children.length === 1 && node.children[0]!.type === 'text' ? node.children[0]!.value : '';
  return text !== '' && (node.url === text || node.url === `mailto:${text}` || node.url.endsWith(text));
}
