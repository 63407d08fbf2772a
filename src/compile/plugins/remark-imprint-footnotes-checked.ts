import type { FootnoteDefinition, Root } from 'mdast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import { location } from 'vfile-location';
import { warn } from '../../diagnostics/report.js';

/**
 * Footnotes that would be lost or print wrong, each a warning at its place (GFM drops them without a word):
 * - a reference with no definition (`[^x]` prints as those characters: GFM reads it as text);
 * - a second definition of a label (GFM keeps the first, and the second's text is left out of every edition);
 * - a definition no reference cites (its text is left out of every edition).
 * Runs after the includes are in the tree, before the citations add notes of their own.
 */
const remarkImprintFootnotesChecked: Plugin<[], Root> = function () {
  return (tree, file) => {
    const source = String(file.value);
    let places: ReturnType<typeof location> | undefined;
    const definitions = new Map<string, FootnoteDefinition>();
    const cited = new Set<string>();
    visit(tree, (node) => {
      if (node.type === 'footnoteReference') cited.add(node.identifier);
      else if (node.type === 'footnoteDefinition') {
        const first = definitions.get(node.identifier);
        if (first) {
          const line = first.position ? ` (line ${first.position.start.line})` : '';
          warn(
            file,
            `The note \`[^${node.label ?? node.identifier}]\` is defined twice: the first definition${line} is ` +
              'used, and this one is left out',
            { place: node.position, ruleId: 'footnote-duplicate' },
          );
        } else definitions.set(node.identifier, node);
      } else if (node.type === 'text' && node.value.includes('[^')) {
        for (const match of node.value.matchAll(/\[\^([^\]\s]+)\]/g)) {
          // At the characters themselves where the text is the source's (not an included file's, nor escaped).
          const start = node.position?.start.offset;
          const offset = start === undefined ? -1 : start + match.index;
          const exact = offset >= 0 && source.startsWith(match[0], offset);
          warn(
            file,
            `The note \`[^${match[1]}]\` is cited but not defined (a definition is written ` +
              `\`[^${match[1]}]: text\`, with a colon): it prints as written`,
            {
              place: exact ? (places ??= location(file)).toPoint(offset) : node.position,
              ruleId: 'footnote-undefined',
            },
          );
        }
      }
    });
    for (const [identifier, definition] of definitions) {
      if (cited.has(identifier)) continue;
      warn(
        file,
        `The note \`[^${definition.label ?? identifier}]\` is defined but never cited: it is left out of every edition`,
        { place: definition.position, ruleId: 'footnote-unused' },
      );
    }
  };
};

export default remarkImprintFootnotesChecked;
