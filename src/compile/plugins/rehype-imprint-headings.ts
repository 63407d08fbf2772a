import type { Root } from 'hast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';

/**
 * The report's title is the page's one `h1`, so the manuscript's top-level
 * headings (`#`) become `h2`, and so on down (`######` stays `h6`).
 */
const rehypeImprintHeadings: Plugin<[], Root> = function () {
  return (tree) => {
    visit(tree, 'element', (node) => {
      const match = /^h([1-6])$/.exec(node.tagName);
      if (match) node.tagName = `h${Math.min(6, Number(match[1]) + 1)}`;
    });
  };
};

export default rehypeImprintHeadings;
