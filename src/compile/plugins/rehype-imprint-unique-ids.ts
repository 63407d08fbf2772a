import type { Element, Root } from 'hast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import { error } from '../../diagnostics/report.js';

/**
 * Every id in the document once: an id used twice (in raw HTML, say, or the
 * same as a heading's) would make a link go to the wrong place and the EPUB
 * invalid. The second use is an error that names the first.
 */
const rehypeImprintUniqueIds: Plugin<[], Root> = function () {
  return (tree, file) => {
    const seen = new Map<string, Element>();
    visit(tree, 'element', (node) => {
      const id = node.properties.id;
      if (typeof id !== 'string' || id === '') return;
      const earlier = seen.get(id);
      if (!earlier) {
        seen.set(id, node);
        return;
      }
      const place = node.position ?? earlier.position;
      // A figure or table id used twice was reported already, where the directives are read.
      const reported = file.messages.some(
        (message) =>
          message.ruleId === 'duplicate-id' &&
          message.line === place?.start.line &&
          message.column === place?.start.column,
      );
      if (reported) return;
      const where = earlier.position ? `line ${earlier.position.start.line}` : 'a generated element';
      error(file, `Duplicate id \`#${id}\`: it is also used at ${where}`, { place, ruleId: 'duplicate-id' });
    });
  };
};

export default rehypeImprintUniqueIds;
