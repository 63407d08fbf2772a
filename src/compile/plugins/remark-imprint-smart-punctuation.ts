import type { Root } from 'mdast';
import remarkSmartypants from 'remark-smartypants';
import type { Plugin } from 'unified';

/**
 * Typographic quotes, dashes and ellipses in the prose, as Pandoc's `smart` extension sets them (remark-smartypants):
 * "…" → “…”, it's → it’s, -- → –, --- → —, ... → …. Never in code, math or raw HTML, in a link's address, or in the
 * tables and charts made from data (they are made after it). `smart: false` in the front matter keeps the text as
 * typed (a manual whose prose names `--flags` outside code).
 */
const remarkImprintSmartPunctuation: Plugin<[], Root> = function () {
  // remark-smartypants's plugin uses no processor: it returns its transformer, which takes the tree alone.
  const smarten = (remarkSmartypants as unknown as (options: object) => (tree: Root) => void)({ dashes: 'oldschool' });
  return (tree, file) => {
    if (file.data.metadata?.smart === false) return;
    smarten(tree);
  };
};

export default remarkImprintSmartPunctuation;
