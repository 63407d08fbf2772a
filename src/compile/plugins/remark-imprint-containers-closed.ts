import type { Root } from 'mdast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import { error } from '../../diagnostics/report.js';

/**
 * A container directive (`:::name` … `:::`) that is never closed runs to the
 * end of its parent, swallowing everything after it: an error at the line
 * that opens it, so the author sees where the fence is missing.
 */
const remarkImprintContainersClosed: Plugin<[], Root> = function () {
  return (tree, file) => {
    const source = String(file.value ?? '');
    visit(tree, 'containerDirective', (node) => {
      const end = node.position?.end.offset;
      // A container from an included file stands at its include directive; its own file was parsed on its own.
      if (end === undefined || (node.data as { imprintIncluded?: boolean } | undefined)?.imprintIncluded) return;
      const lastLine = source.slice(source.lastIndexOf('\n', end - 1) + 1, end);
      // The closing fence, possibly inside a list item or quote (`> :::`).
      if (/^[\s>]*:{3,}\s*$/.test(lastLine)) return;
      error(file, `The container \`:::${node.name}\` opened here is never closed: end it with a line \`:::\``, {
        place: node.position
          ? {
              start: node.position.start,
              end: { line: node.position.start.line, column: node.position.start.column + 3 + node.name.length },
            }
          : undefined,
        ruleId: 'directive-unterminated',
      });
    });
  };
};

export default remarkImprintContainersClosed;
