import type { Nodes, Root, RootContent } from 'mdast';
import type { Point } from 'unist';

/**
 * A long manuscript parsed in pieces, side by side (decision 092). Markdown's block structure lets a document be
 * cut before a heading that starts a line after a blank line: nothing before it can hold it, except a construct
 * still open there (a fence, math, a directive's container, raw HTML that runs to its end marker, the front
 * matter), and nothing after it depends on what came before, except which reference labels are defined. So:
 *
 * - the cuts are made only there, never inside the front matter (`cutPieces`);
 * - each piece is parsed followed by the next piece's heading, as in the manuscript, which a construct left open
 *   swallows, and with stub definitions of every label the manuscript defines (`definitionStubs`), so that a
 *   reference finds a definition written in another piece (`pieceSource`);
 * - the trees are joined (`joinPieces`), their positions moved to the manuscript's lines and offsets, and
 *   checked: the join is refused, and the manuscript parsed whole, when the heading was swallowed, a block
 *   reached across a piece's edge, a reference found only a stub, or a definition was missed by the scan.
 */

/** A piece of the manuscript: its text, and where it begins in the whole. */
export interface Piece {
  text: string;
  /** Offset of its first character in the manuscript. */
  offset: number;
  /** Line (1-based) of its first character. */
  line: number;
}

/** Where a piece may begin: a heading at the start of a line, after a blank line. */
const cutPoint = /(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)(?=#{1,6}(?:[ \t\r\n]|$))/g;
const lineEnding = /\r\n|\r|\n/g;

/**
 * The manuscript cut into at most `count` pieces of about equal length, each but the first beginning with a
 * heading; one piece when it has no place to cut.
 */
export function cutPieces(text: string, count: number): Piece[] {
  const from = afterFrontMatter(text);
  if (from === undefined || count < 2) return [{ text, offset: 0, line: 1 }];
  const cuts: number[] = [];
  cutPoint.lastIndex = from;
  for (let match = cutPoint.exec(text); match; match = cutPoint.exec(text)) cuts.push(cutPoint.lastIndex);
  const chosen: number[] = [];
  for (let i = 1; i < count; i++) {
    const target = (text.length * i) / count;
    const at = nearest(cuts, target);
    if (at !== undefined && at > (chosen.at(-1) ?? 0)) chosen.push(at);
  }
  const pieces: Piece[] = [];
  let start = 0;
  let line = 1;
  for (const end of [...chosen, text.length]) {
    const piece = text.slice(start, end);
    pieces.push({ text: piece, offset: start, line });
    line += piece.match(lineEnding)?.length ?? 0;
    start = end;
  }
  return pieces;
}

/** The cut nearest `target`, by binary search of the sorted `cuts`. */
function nearest(cuts: readonly number[], target: number): number | undefined {
  let low = 0;
  let high = cuts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (cuts[middle]! < target) low = middle + 1;
    else high = middle;
  }
  const after = cuts[low];
  const before = cuts[low - 1];
  if (before === undefined) return after;
  if (after === undefined) return before;
  return target - before <= after - target ? before : after;
}

/**
 * Where cuts may begin: after the front matter's closing fence, if the manuscript opens with one (its lines are
 * not Markdown); `undefined` when that fence is never closed.
 */
function afterFrontMatter(text: string): number | undefined {
  const open = /^(---|\+\+\+)[ \t]*(?:\r\n|\r|\n)/.exec(text);
  if (!open) return 0;
  const fence = open[1] === '---' ? '---' : '\\+\\+\\+';
  const close = new RegExp(`(?:\\r\\n|\\r|\\n)${fence}[ \\t]*(?:\\r\\n|\\r|\\n|$)`, 'g');
  close.lastIndex = open[0].length - 1;
  return close.exec(text) ? close.lastIndex : undefined;
}

/** A definition's label at the start of a line: `[label]:` or a note's `[^label]:`. */
const definitionLine = /^ {0,3}\[(\^?)((?:[^\]\\\r\n]|\\.){1,999})\]:/;
/** A line that opens or closes a fence of code. */
const fenceLine = /^ {0,3}(`{3,}|~{3,})([^\r\n]*)/;

/**
 * Stub definitions of the labels the manuscript defines, one a block, found by a scan of its lines outside fences
 * of code. The scan may find too many (a definition whose title the parser refuses) and may miss one (inside a
 * block quote, or after a thematic break): `joinPieces` checks both.
 */
export function definitionStubs(text: string): string[] {
  const seen = new Set<string>();
  const stubs: string[] = [];
  let fence: string | undefined;
  // A definition cannot interrupt a paragraph: it follows a blank line, a heading or another definition.
  let mayFollow = true;
  for (const line of text.split(lineEnding)) {
    const marker = fenceLine.exec(line);
    if (marker) {
      const [, run, rest] = marker as unknown as [string, string, string];
      if (fence === undefined) fence = run;
      else if (run[0] === fence[0] && run.length >= fence.length && rest.trim() === '') fence = undefined;
      mayFollow = false;
      continue;
    }
    const match: RegExpExecArray | null = fence === undefined && mayFollow ? definitionLine.exec(line) : null;
    mayFollow = match !== null || /^[ \t]*$/.test(line) || /^ {0,3}#{1,6}(?:[ \t]|$)/.test(line);
    if (!match) continue;
    const stub = match[1] ? `[^${match[2]}]: .` : `[${match[2]}]: .`;
    const key = stub.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    stubs.push(stub);
  }
  return stubs;
}

/**
 * What piece `index` is parsed from. Every piece but the last is followed by the next one's heading, as in the
 * manuscript: the parse then ends the piece's last block where a parse of the whole does, and a construct left
 * open swallows the heading. The stubs go before a piece that begins with its heading, and after the heading that
 * follows the first piece (which may open with front matter).
 */
export function pieceSource(pieces: readonly Piece[], index: number, stubs: readonly string[]): PieceSource {
  const piece = pieces[index]!;
  const next = pieces[index + 1]?.text;
  const heading = next === undefined ? '' : (/^[^\r\n]*(?:\r\n|\r|\n)?/.exec(next)?.[0] ?? '');
  const block = stubs.map((stub) => `${stub}\n\n`).join('');
  const before = index === 0 ? '' : block;
  const after = index === 0 ? `${heading}\n${block}` : heading;
  return {
    text: `${before}${piece.text}${after}`,
    before: before.length,
    beforeLines: index === 0 ? 0 : stubs.length * 2,
    heading: next !== undefined,
    stubs: stubs.length,
  };
}

/** A piece as it is parsed: its text with the stubs and the next heading laid around it. */
export interface PieceSource {
  text: string;
  /** Characters, and lines, laid before the piece's own text. */
  before: number;
  beforeLines: number;
  /** Whether the next piece's heading follows the piece's own text. */
  heading: boolean;
  /** Stub definitions laid around it. */
  stubs: number;
}

/**
 * The pieces' trees (each parsed from its source, `pieceSource`) joined into the tree of the whole manuscript
 * `text`, with the positions a parse of the whole would give; `undefined` when the pieces do not join exactly (see
 * the module's comment), and the manuscript must be parsed whole.
 */
export function joinPieces(
  text: string,
  pieces: readonly Piece[],
  sources: readonly PieceSource[],
  trees: readonly Root[],
): Root | undefined {
  const children: RootContent[] = [];
  const stubIds = { definition: new Set<string>(), footnoteDefinition: new Set<string>() };
  const defined = { definition: new Set<string>(), footnoteDefinition: new Set<string>() };
  const referenced = { definition: new Set<string>(), footnoteDefinition: new Set<string>() };
  for (const [index, piece] of pieces.entries()) {
    const tree = trees[index];
    const source = sources[index];
    if (!tree || !source) return undefined;
    const ownStart = source.before;
    const ownEnd = source.before + piece.text.length;
    const laid: RootContent[] = [];
    const own: RootContent[] = [];
    for (const child of tree.children) {
      const start = child.position?.start.offset;
      const end = child.position?.end.offset;
      if (start === undefined || end === undefined) return undefined;
      if (start >= ownStart && end <= ownEnd) own.push(child);
      else if (end <= ownStart || start >= ownEnd) laid.push(child);
      // A block across the piece's edge: something of the piece was left open, or joined what was laid around it.
      else return undefined;
    }
    // Laid after the first piece: the heading, then the stubs; before any other: the stubs, and after it the heading.
    if (laid.length !== source.stubs + (source.heading ? 1 : 0)) return undefined;
    const heading = index === 0 ? laid[0] : laid[source.stubs];
    if (source.heading && (heading?.type !== 'heading' || heading.position?.start.offset !== ownEnd)) return undefined;
    for (const stub of index === 0 ? laid.slice(1) : laid.slice(0, source.stubs)) {
      if (stub.type !== 'definition' && stub.type !== 'footnoteDefinition') return undefined;
      stubIds[stub.type].add(stub.identifier);
    }
    const shift = { line: piece.line - 1 - source.beforeLines, offset: piece.offset - source.before };
    for (const child of own) {
      if (!moveAndCollect(child, shift, defined, referenced)) return undefined;
      children.push(child);
    }
  }
  for (const kind of ['definition', 'footnoteDefinition'] as const) {
    // A reference that found only a stub, or a definition the scan missed (another piece may have needed it).
    for (const id of referenced[kind]) if (!defined[kind].has(id)) return undefined;
    for (const id of defined[kind]) if (!stubIds[kind].has(id)) return undefined;
  }
  return {
    type: 'root',
    children,
    position: { start: { line: 1, column: 1, offset: 0 }, end: endOf(text) },
  };
}

type Labels = { definition: Set<string>; footnoteDefinition: Set<string> };
type Shift = { line: number; offset: number };

/**
 * The blocks whose definitions the parser knows throughout the document: those of its own flow (the root, block
 * quotes, lists and notes). A definition inside a directive's container is parsed with the container's content,
 * and which references find it depends on the order the parser reads the nested content in: text before the
 * container did not find one, text after it did. Such a definition refuses the join.
 */
const documentFlow = new Set(['root', 'blockquote', 'list', 'listItem', 'footnoteDefinition']);

/**
 * Move the positions of `node` and its descendants from the piece's source to the manuscript, and collect the
 * labels they define and the labels they refer to; false for a node with no position (a parse gives every node
 * one), or a definition outside the document's own flow.
 */
function moveAndCollect(node: Nodes, shift: Shift, defined: Labels, referenced: Labels): boolean {
  // Each node with whether it is in the document's own flow.
  const stack: Array<[Nodes, boolean]> = [[node, true]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [current, inFlow] = next;
    const position = current.position;
    if (!position) return false;
    move(position.start, shift);
    move(position.end, shift);
    switch (current.type) {
      case 'definition':
      case 'footnoteDefinition':
        if (!inFlow) return false;
        defined[current.type].add(current.identifier);
        break;
      case 'linkReference':
      case 'imageReference':
        referenced.definition.add(current.identifier);
        break;
      case 'footnoteReference':
        referenced.footnoteDefinition.add(current.identifier);
        break;
    }
    if ('children' in current) {
      const childrenInFlow = inFlow && documentFlow.has(current.type);
      for (const child of current.children) stack.push([child, childrenInFlow]);
    }
  }
  return true;
}

function move(point: Point, shift: Shift): void {
  point.line += shift.line;
  if (point.offset !== undefined) point.offset += shift.offset;
}

/** The point after the last character of `text`, as the parser gives a document's end. */
function endOf(text: string): Point {
  let line = 1;
  let lineStart = 0;
  lineEnding.lastIndex = 0;
  for (let match = lineEnding.exec(text); match; match = lineEnding.exec(text)) {
    line += 1;
    lineStart = lineEnding.lastIndex;
  }
  return { line, column: text.length - lineStart + 1, offset: text.length };
}
