import type { Nodes, Root } from 'mdast';
import type { Point } from 'unist';
import { SKIP, visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { location } from 'vfile-location';
import type { ProseBlock } from './consistency.js';

/** Blocks whose text the author wrote and the check reads. */
const blockTypes = new Set(['paragraph', 'heading', 'tableCell']);
/** What the check does not read: generated figures (their numbers come from the data), code, raw HTML. */
const skipped = new Set([
  'imprintFigure',
  'imprintCitation',
  'code',
  'inlineCode',
  'html',
  'yaml',
  'toml',
  'leafDirective',
  'containerDirective',
  'textDirective',
]);

/**
 * The author's prose as plain-text blocks, each able to map an offset in its
 * text back to a line and column of the manuscript (through escapes, line
 * breaks and inline markup).
 */
export function proseBlocks(tree: Root, file: VFile): ProseBlock[] {
  const source = String(file.value ?? '');
  const where = location(file);
  const blocks: ProseBlock[] = [];
  visit(tree, (node) => {
    if (skipped.has(node.type)) return SKIP;
    if (!blockTypes.has(node.type)) return undefined;
    const pieces: Array<{ at: number; value: string; start?: number; end?: number }> = [];
    let text = '';
    const collect = (child: Nodes) => {
      if (skipped.has(child.type)) return;
      if (child.type === 'text') {
        const start = child.position?.start.offset;
        const end = child.position?.end.offset;
        pieces.push({ at: text.length, value: child.value, start, end });
        text += child.value;
      } else if (child.type === 'break') {
        text += ' ';
      } else if ('children' in child) {
        for (const grandchild of child.children) collect(grandchild as Nodes);
      }
    };
    for (const child of (node as { children: Nodes[] }).children) collect(child);
    if (text.trim() !== '') {
      blocks.push({
        text,
        pointAt(offset: number): Point | undefined {
          // Only the few places a message points at are mapped back, so the mapping is made on demand.
          const piece = [...pieces].reverse().find((candidate) => candidate.at <= offset);
          if (!piece || piece.start === undefined || piece.end === undefined) return undefined;
          const offsets = align(piece.value, source, piece.start, piece.end);
          return where.toPoint(offsets[Math.min(offset - piece.at, offsets.length - 1)]!);
        },
      });
    }
    return SKIP;
  });
  return blocks;
}

/**
 * For each character of a text node's value (and one past its end), its
 * offset in the source, which may hold more: escapes, character references,
 * the indentation of continued lines.
 */
function align(value: string, source: string, start: number, end: number): number[] {
  const offsets: number[] = [];
  let at = start;
  for (const char of value) {
    let probe = at;
    while (probe < end && source[probe] !== char && !(/\s/.test(char) && /\s/.test(source[probe] ?? ''))) probe++;
    if (probe < end) at = probe;
    for (let unit = 0; unit < char.length; unit++) offsets.push(at + unit);
    at = Math.min(end, at + char.length);
  }
  offsets.push(at);
  return offsets;
}
