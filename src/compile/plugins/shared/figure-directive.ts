import type { LeafDirective } from 'mdast-util-directive';
import type { Image, Paragraph, PhrasingContent } from 'mdast';
import type { Position } from 'unist';
import type { VFile } from 'vfile';
import { error } from '../../../diagnostics/report.js';
import type { DataColumn } from '../../../data/column-schema.js';
import type { DataTable } from '../../../data/table-data.js';
import type { ImprintFigure } from '../../../document/nodes.js';

/** Reads and checks the data file a directive names; reports its own problems and returns undefined on failure. */
export type LoadTable = (reference: string, place: Position | undefined) => Promise<DataTable | undefined>;

export interface FigureDirective {
  node: LeafDirective;
  id: string;
  src: string;
  attributes: Record<string, string>;
  /**
   * False when a problem (reported) stops the figure; its data file is still read, for the data file's own messages.
   */
  ok: boolean;
}

/**
 * The parts every figure directive (`::table`, `::chart`) shares: known
 * attributes only, an id, a data file and a caption. Reports each problem at
 * the directive and returns undefined when the figure cannot be made.
 */
export function readFigureDirective(
  node: LeafDirective,
  file: VFile,
  known: readonly string[],
  example: string,
): FigureDirective | undefined {
  const attributes: Record<string, string> = {};
  let ok = true;
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    if (!known.includes(name)) {
      error(file, `Unknown attribute \`${name}\` on \`::${node.name}\` (known: ${known.join(', ')})`, {
        place: node.position,
        ruleId: 'directive-attribute',
      });
      ok = false;
    } else if (typeof value === 'string') {
      attributes[name] = value.trim();
    }
  }
  const id = attributes.id;
  if (!id) {
    error(file, `A \`::${node.name}\` needs an id, as in \`${example}\``, {
      place: node.position,
      ruleId: 'directive-attribute',
    });
    ok = false;
  }
  const src = attributes.src;
  if (!src) {
    error(file, `A \`::${node.name}\` needs \`src\`: the data file it is built from`, {
      place: node.position,
      ruleId: 'directive-attribute',
    });
    ok = false;
  }
  if (node.children.length === 0) {
    error(file, `A \`::${node.name}\` needs a caption, as in \`${example}\``, {
      place: node.position,
      ruleId: 'directive-attribute',
    });
    ok = false;
  }
  if (!src) return undefined;
  return { node, id: id ?? '', src, attributes, ok };
}

/** Report a problem with one attribute's value at the directive. */
export function attributeError(file: VFile, directive: FigureDirective, name: string, problem: string): void {
  error(file, `\`${name}\` on \`::${directive.node.name}\` ${problem}`, {
    place: directive.node.position,
    ruleId: 'directive-attribute',
  });
}

/** A column of `table` by key, or a reported problem. */
export function columnOf(table: DataTable, key: string): DataColumn | undefined {
  return table.columns.find((column) => column.key === key);
}

export function caption(children: PhrasingContent[]): Paragraph {
  return { type: 'paragraph', data: { hName: 'figcaption' }, children };
}

/** A numbered figure of one image, captioned (Markdown's `![Caption](file.png){#fig-id}`, and its kin). */
export function imageFigure(
  id: string,
  image: Image,
  captionText: string,
  position: Position | undefined,
  classes: readonly string[] = [],
): ImprintFigure {
  return {
    type: 'imprintFigure',
    kind: 'figure',
    identifier: id,
    data: { hName: 'figure', hProperties: { id, className: ['image', ...classes] } },
    children: [
      { type: 'paragraph', data: { hName: 'div', hProperties: { className: ['figure-image'] } }, children: [image] },
      caption([{ type: 'text', value: captionText }]),
    ],
    position,
  };
}

/** Replace the directive node in place by the figure (keeping its position), so later plugins see the figure. */
export function replaceWithFigure(node: LeafDirective, figure: ImprintFigure): void {
  const target = node as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) if (key !== 'position') delete target[key];
  Object.assign(target, figure);
}

/** `a:x, b:y` → Map{a → x, b → y}; problems name the part that does not parse. */
export function keyValueList(spec: string): { entries: Array<[string, string]>; problem?: string } {
  const entries: Array<[string, string]> = [];
  for (const part of spec
    .split(',')
    .map((piece) => piece.trim())
    .filter(Boolean)) {
    const colon = part.indexOf(':');
    if (colon <= 0) return { entries, problem: `has \`${part}\`: write KEY:VALUE pairs, comma separated` };
    entries.push([part.slice(0, colon).trim(), part.slice(colon + 1).trim()]);
  }
  return { entries };
}
