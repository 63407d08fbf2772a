import type { Root } from 'hast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';

/**
 * Table cell alignment as a class (`align-right`) instead of the obsolete
 * `align` attribute, which XHTML validators reject and EPUB packagers drop.
 */
const rehypeImprintAlign: Plugin<[], Root> = function () {
  return (tree) => {
    visit(tree, 'element', (node) => {
      const align = node.properties.align;
      if (typeof align !== 'string') return;
      delete node.properties.align;
      const existing = node.properties.className;
      const classes = Array.isArray(existing) ? existing.map(String) : typeof existing === 'string' ? [existing] : [];
      node.properties.className = [...classes, `align-${align}`];
    });
  };
};

export default rehypeImprintAlign;
