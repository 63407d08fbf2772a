import type { Link, PhrasingContent, Root, Text } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Plugin } from 'unified';
import { SKIP, visit } from 'unist-util-visit';
import { error, warn } from '../../diagnostics/report.js';
import type { VFile } from 'vfile';
import { location } from 'vfile-location';
import type { Target } from '../../document/nodes.js';

/**
 * `:ref[#tbl-pledges]` → a link reading "Table 2" (or "Figure 1", or a
 * section's title) to the numbered thing, in every edition. Runs after the
 * numbering plugin, whose `file.data.targets` it reads; a reference to an id
 * that nothing has is an error at the reference.
 */
const remarkImprintRef: Plugin<[], Root> = function () {
  return (tree, file) => {
    const targets = file.data.targets ?? new Map<string, Target>();
    // A heading's whole slug, where its id was cut short, names it as well.
    const shortened = file.data.shortenedIds ?? new Map<string, string>();
    // Figures that failed (their directive is still in the tree, its problem already reported) are not reported again.
    const failed = new Set<string>();
    visit(tree, 'leafDirective', (node) => {
      const id = node.attributes?.id;
      if ((node.name === 'table' || node.name === 'chart') && id) failed.add(id);
    });
    visit(tree, 'textDirective', (node, index, parent) => {
      if (node.name !== 'ref' || !parent || index === undefined) return undefined;
      // `see:ref` in running text is not a reference: the unknown-directive plugin puts it back as text.
      if (node.children.length === 0 && Object.keys(node.attributes ?? {}).length === 0) return SKIP;
      const written = toString(node).trim();
      const unknown = Object.keys(node.attributes ?? {});
      if (!written.startsWith('#') || written.length === 1 || /\s/.test(written) || unknown.length > 0) {
        error(
          file,
          `Write a reference as \`:ref[#id]\`, with the id of a table, figure or ` +
            `heading${unknown.length > 0 ? ` (no attributes; found ${unknown.join(', ')})` : ''}`,
          {
            place: node.position,
            ruleId: 'directive-attribute',
          },
        );
        return SKIP;
      }
      const id = shortened.get(written.slice(1)) ?? written.slice(1);
      const target = targets.get(id);
      if (!target && failed.has(id)) return SKIP;
      if (!target) {
        const near = nearest(id, [...targets.keys()]);
        error(
          file,
          `Reference to \`#${id}\`, but no table, figure or heading has that ` +
            `id${near ? ` (did you mean \`#${near}\`?)` : ''}`,
          {
            place: node.position,
            ruleId: 'reference-missing',
          },
        );
        return SKIP;
      }
      const link: Link = {
        type: 'link',
        url: `#${id}`,
        children: [{ type: 'text', value: target.label }],
        data: { hProperties: { className: ['xref', `xref-${target.kind}`] } },
        position: node.position,
      };
      parent.children[index] = link;
      return SKIP;
    });
    crossReferences(tree, file, targets);
  };
};

/**
 * Quarto's cross-references, `@fig-x`, `@tbl-x`, `@sec-x`, `@lst-x`, `@eq-x`: the same link as `:ref[#fig-x]`
 * when something has that id; otherwise a warning, and the text stays (a handle such as `@sec-team` in prose is
 * not one). `\@fig-x` is written out as it is. The citations plugin leaves keys with these prefixes alone.
 *
 * LaTeX's, as papers written for Pandoc's PDF have them: `\autoref{fig:x}`, `\cref{fig:x}` and `\Cref{fig:x}` read
 * "Figure 1", `\ref{fig:x}` the number alone ("Figure \ref{fig:x}" reads "Figure 1"), `\eqref{eq:x}` "(1)".
 */
function crossReferences(tree: Root, file: VFile, targets: ReadonlyMap<string, Target>): void {
  const source = String(file.value);
  const places = location(file);
  visit(tree, (node, index, parent) => {
    if (node.type === 'link' || node.type === 'linkReference' || node.type === 'inlineCode' || node.type === 'code')
      return SKIP;
    if (node.type !== 'text' || !parent || index === undefined) return undefined;
    if (!node.value.includes('@') && !node.value.includes('\\')) return undefined;
    const found = [
      ...[...node.value.matchAll(crossReference)].map((match) => ({ match, id: match[1]!, command: '' })),
      ...[...node.value.matchAll(latexReference)].map((match) => ({ match, id: match[2]!, command: match[1]! })),
    ].sort((a, b) => a.match.index - b.match.index);
    const pieces: PhrasingContent[] = [];
    let last = 0;
    for (const { match, id, command } of found) {
      const at = match.index;
      const offset = sourceOffset(source, node, at, command ? '\\' : '@');
      // `\@sec-x` is written out as it is.
      if (!command && offset !== undefined && source[offset - 1] === '\\') continue;
      const written = command ? `\\${command}{${id}}` : `@${id}`;
      const target = targets.get(id);
      if (!target) {
        const near = nearest(id, [...targets.keys()]);
        warn(
          file,
          `\`${written}\` reads as a cross-reference, but no table, figure or heading has the id \`${id}\`` +
            `${near ? ` (did you mean \`${near}\`?)` : ''}: it is kept as text`,
          {
            place:
              offset === undefined
                ? node.position
                : { start: places.toPoint(offset)!, end: places.toPoint(offset + match[0].length)! },
            ruleId: 'reference-missing',
          },
        );
        continue;
      }
      if (at > last) pieces.push({ type: 'text', value: node.value.slice(last, at) });
      pieces.push({
        type: 'link',
        url: `#${id}`,
        children: [{ type: 'text', value: referenceText(target, command) }],
        data: { hProperties: { className: ['xref', `xref-${target.kind}`] } },
      });
      last = at + match[0].length;
    }
    if (pieces.length === 0) return undefined;
    if (last < node.value.length) pieces.push({ type: 'text', value: node.value.slice(last) });
    (parent.children as PhrasingContent[]).splice(index, 1, ...pieces);
    return index + pieces.length;
  });
}

/** What a reference reads: the target's label ("Figure 1"); for `\ref` its number, for `\eqref` "(1)". */
function referenceText(target: Target, command: string): string {
  if (target.kind === 'section' || (command !== 'ref' && command !== 'eqref')) return target.label;
  const number = /\S+$/.exec(target.label)?.[0] ?? target.label;
  return command === 'eqref' ? `(${number})` : number;
}

/**
 * Where the `@` (or `\\`) at `at` of a text node stands in the source (escapes and entities shift the text from
 * it): the `nth` such character of the node's source.
 */
function sourceOffset(source: string, node: Text, at: number, character: string): number | undefined {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return undefined;
  const nth = node.value.slice(0, at + 1).split(character).length - 1;
  let found = start - 1;
  for (let count = 0; count < nth; count++) {
    found = source.indexOf(character, found + 1);
    if (found < 0 || found >= end) return undefined;
  }
  return found;
}

/** `@fig-x` and its kin: the prefixes Quarto gives the ids it numbers and refers to. */
export const crossReference = /(?<![\p{L}\p{N}_@.\\])@((?:fig|tbl|sec|lst|eq)-[\p{L}\p{N}_:.-]*[\p{L}\p{N}_])/gu;

/** `\autoref{fig:x}` and its kin: LaTeX's references, in papers written for Pandoc's PDF. */
const latexReference = /\\(autoref|cref|Cref|ref|eqref)\{([^{}\s]+)\}/g;

export default remarkImprintRef;

/** The id closest to `id` by edit distance, when it is close enough to be a typo. */
export function nearest(id: string, ids: string[]): string | undefined {
  let best: { id: string; distance: number } | undefined;
  for (const candidate of ids) {
    const distance = editDistance(id, candidate);
    if (!best || distance < best.distance) best = { id: candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(id.length / 4)) ? best.id : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
