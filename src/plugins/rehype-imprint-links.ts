import type { Root } from 'hast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import { warn } from '../diagnostics/report.js';
import { decodeReference, namesLocalFile } from '../uri.js';

/**
 * A link to a file beside the manuscript (`[notes](notes.md)`) works in the
 * HTML edition only when that file is published beside it, and cannot work in
 * the PDF or the EPUB, which hold no such file (a broken link even makes the
 * EPUB invalid): those editions keep its text without the link. Each such
 * link is reported once, at its place, as a warning.
 */
const rehypeImprintLinks: Plugin<[], Root> = function () {
  return (tree, file) => {
    visit(tree, 'element', (node) => {
      const href = node.properties.href;
      if (node.tagName !== 'a' || typeof href !== 'string' || !namesLocalFile(href)) return;
      warn(file, `Link to \`${decodeReference(href)}\`, a file beside the manuscript: the PDF and the EPUB do not hold it, so they keep the text without the link (link to a full URL to reach it from every edition)`, {
        place: node.position,
        ruleId: 'link-outside-book',
      });
    });
  };
};

export default rehypeImprintLinks;
