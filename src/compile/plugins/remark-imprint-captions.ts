import GithubSlugger from 'github-slugger';
import type { Heading, Image, Paragraph, PhrasingContent, Root, Table, Text } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { error } from '../../diagnostics/report.js';
import type { ImprintFigure } from '../../document/nodes.js';
import { caption, imageFigure } from './shared/figure-directive.js';

/** `{#fig-x width=60%}`: Pandoc's attributes after an image or a caption. */
export interface Attributes {
  id?: string;
  width?: string;
  classes: string[];
  unknown: string[];
}

/** A `{…}` block at the end of a text: what it says and how long it is. */
const trailingBlock = /\{([^{}]*)\}\s*$/;

/**
 * Pandoc's captions for Markdown's own figures and tables:
 *
 * - an image alone in a paragraph followed by attributes with an id,
 *   `![Caption](chart.png){#fig-x width=60%}`, is a numbered figure ("Figure
 *   1.") with the image's text as its caption, sized by `width` (of the text
 *   column), a target for `:ref`; so is one whose text names it with LaTeX's
 *   `\label{fig:x}`, as papers written for Pandoc's PDF do (`\autoref{fig:x}`
 *   refers to it, see the ref plugin);
 * - a pipe table followed by a paragraph `: Caption {#tbl-id}` (or `Table:
 *   Caption`) takes the caption and is numbered with the generated tables.
 *
 * - (with `remarkImprintHeadingAttributes`, below) a heading ending in attributes, `# Method {#sec-method
 *   .unnumbered}`, takes the id (a target for `:ref`, and the heading's id in every edition) and the classes, and
 *   the attributes leave its text. A `{…}` that is not attributes (`# Sets {a, b}`) stays text.
 *
 * Runs before the numbering plugin, which numbers them in reading order.
 */
const remarkImprintCaptions: Plugin<[], Root> = function () {
  return (tree, file) => {
    const slugger = new GithubSlugger();
    visit(tree, 'paragraph', (node, index, parent) => {
      if (!parent || index === undefined) return undefined;
      const image = figureOfImage(node, file);
      if (image) {
        parent.children[index] = image;
        return undefined;
      }
      const before = parent.children[index - 1];
      if (before?.type !== 'table') return undefined;
      const table = tableCaption(before, node, file, slugger);
      if (!table) return undefined;
      parent.children.splice(index - 1, 2, table);
      return index;
    });
  };
};

export default remarkImprintCaptions;

/**
 * `# Title {#id .class}`: Pandoc's attributes after a heading, taken off its text onto the heading. Runs before the
 * front matter is read, since a report without a title is named by its first heading.
 */
export const remarkImprintHeadingAttributes: Plugin<[], Root> = function () {
  return (tree) => {
    visit(tree, 'heading', headingAttributes);
  };
};

function headingAttributes(node: Heading): void {
  const last = node.children.at(-1);
  if (last?.type !== 'text') return;
  const block = trailingBlock.exec(last.value);
  // Attributes only: `#id`, `.class`, `-` (Pandoc's "unnumbered") and `key=value`; anything else is the title's.
  if (!block || !/^\s*(?:(?:#[^\s#.{}=]+|\.[^\s#.{}=]+|-|[\w-]+=(?:"[^"]*"|[^\s"]+))\s*)+$/.test(block[1]!)) return;
  const attributes = parseAttributes(block[1]!);
  last.value = last.value.slice(0, block.index).trimEnd();
  if (last.value === '') node.children.pop();
  const properties = node.data?.hProperties ?? {};
  if (attributes.id) properties.id = attributes.id;
  const classes = attributes.classes.concat(block[1]!.split(/\s+/).includes('-') ? ['unnumbered'] : []);
  if (classes.length > 0) properties.className = classes;
  node.data = { ...node.data, hProperties: properties };
}

/** `\label{fig:x}` in an image's text, as papers written for Pandoc's LaTeX output name their figures. */
const latexLabel = /\s*\\label\{([^{}\s]+)\}\s*/;

function figureOfImage(node: Paragraph, file: VFile): ImprintFigure | undefined {
  const parts = node.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''));
  const [image, text] = parts;
  if (image?.type !== 'image' || parts.length > 2 || (text && text.type !== 'text')) return undefined;
  const block = text ? /^\s*\{([^{}]*)\}\s*$/.exec(text.value) : null;
  // Read from the source: the parser took `:one_two` in `\label{fig:one_two}` for a directive, and the image's text
  // keeps only `\label{fig}`.
  const start = image.position?.start.offset;
  const end = image.position?.end.offset;
  const written = start === undefined || end === undefined ? (image.alt ?? '') : String(file.value).slice(start, end);
  const label = latexLabel.exec(written);
  if (!block && !label) return undefined;
  const attributes: Attributes = block ? parseAttributes(block[1]!) : { classes: [], unknown: [] };
  reportUnknown(file, node, attributes, '`#id`, `width=60%`, `.class`');
  const width = checkedWidth(file, node, attributes.width);
  const properties: Image['data'] = width ? { hProperties: { style: `width: ${width}` } } : {};
  // The label names the figure; it is not part of its caption or its alternative text.
  const alt = label ? (image.alt ?? '').replace(/\s*\\label\{[^{}]*\}\s*/, ' ').trim() : image.alt;
  const shown: Image = { ...image, alt, data: { ...image.data, ...properties } };
  const id = attributes.id ?? label?.[1];
  if (!id) {
    // Attributes without an id size the image in place; only a figure with an id is numbered.
    node.children = [shown];
    return undefined;
  }
  const captionText = alt ?? '';
  if (captionText.trim() === '') {
    error(file, 'A figure needs a caption: write it as the image text, `![Caption](file.png){#fig-id}`', {
      place: node.position,
      ruleId: 'figure-attribute',
    });
  }
  return imageFigure(id, shown, captionText, node.position, attributes.classes);
}

function tableCaption(table: Table, node: Paragraph, file: VFile, slugger: GithubSlugger): ImprintFigure | undefined {
  const first = node.children[0];
  if (first?.type !== 'text') return undefined;
  const marker = /^(?:Table)?:\s+/.exec(first.value);
  if (!marker) return undefined;
  const children: PhrasingContent[] = structuredClone(node.children);
  const head = children[0] as Text;
  head.value = head.value.slice(marker[0].length);
  let attributes: Attributes = { classes: [], unknown: [] };
  const last = children[children.length - 1];
  const block = last?.type === 'text' ? trailingBlock.exec(last.value) : null;
  if (last?.type === 'text' && block) {
    attributes = parseAttributes(block[1]!);
    last.value = last.value.slice(0, block.index).trimEnd();
    if (last.value === '') children.pop();
  }
  reportUnknown(file, node, attributes, '`#id`, `.class`');
  const text = toString({ type: 'paragraph', children }).trim();
  const id = attributes.id ?? `tbl-${slugger.slug(text) || 'table'}`;
  return {
    type: 'imprintFigure',
    kind: 'table',
    identifier: id,
    data: { hName: 'figure', hProperties: { id, className: ['pipe-table', ...attributes.classes] } },
    children: [caption(children), table],
    position: table.position && node.position ? { start: table.position.start, end: node.position.end } : undefined,
  };
}

/** `#id .class key=value key="a value"` → attributes. */
export function parseAttributes(text: string): Attributes {
  const result: Attributes = { classes: [], unknown: [] };
  for (const token of text.match(/[^\s=]+="[^"]*"|[^\s=]+=\S+|\S+/g) ?? []) {
    const pair = /^([^=]+)=(?:"([^"]*)"|(.*))$/.exec(token);
    if (pair) {
      if (pair[1] === 'width') result.width = pair[2] ?? pair[3] ?? '';
      else if (pair[1] === 'id') result.id = pair[2] ?? pair[3] ?? '';
      else result.unknown.push(pair[1]!);
    } else if (token.startsWith('#') && token.length > 1) {
      result.id = token.slice(1);
    } else if (token.startsWith('.') && token.length > 1) {
      result.classes.push(token.slice(1));
    } else {
      result.unknown.push(token);
    }
  }
  return result;
}

function reportUnknown(file: VFile, node: Paragraph, attributes: Attributes, known: string): void {
  if (attributes.unknown.length === 0) return;
  error(file, `Unknown attribute ${attributes.unknown.map((name) => `\`${name}\``).join(', ')} (known: ${known})`, {
    place: node.position,
    ruleId: 'figure-attribute',
  });
}

/** A width as a share of the text column (`60%`) or a length (`8cm`, `3in`); anything else is an error. */
function checkedWidth(file: VFile, node: Paragraph, width: string | undefined): string | undefined {
  if (width === undefined) return undefined;
  if (/^(?:100|\d{1,2})(?:\.\d+)?%$/.test(width) || /^\d+(?:\.\d+)?(?:cm|mm|in|pt|em)$/.test(width)) return width;
  error(file, `\`width=${width}\` is not a width: write a share of the text column (\`60%\`) or a length (\`8cm\`)`, {
    place: node.position,
    ruleId: 'figure-attribute',
  });
  return undefined;
}
