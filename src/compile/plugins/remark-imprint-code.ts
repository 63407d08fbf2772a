import type { Element, ElementContent, Properties } from 'hast';
import type { Code, Image, Paragraph, Root } from 'mdast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import { location } from 'vfile-location';
import { error, warn } from '../../diagnostics/report.js';
import { onFirstUse } from '../../first-use.js';
import type { ImprintFigure, ImprintGenerated } from '../../document/nodes.js';
import { caption, imageFigure } from './shared/figure-directive.js';
import { type CodeCell, codeCell, hidesCode } from '../code-cells.js';

type Highlighter = ReturnType<typeof import('lowlight').createLowlight>;
/** lowlight and its grammars, loaded on the first code block: a manuscript without code does not pay for them. */
const loadHighlighter = onFirstUse(
  (): Promise<Highlighter> => import('lowlight').then(({ common, createLowlight }) => createLowlight(common)),
);

/** What a fence's info string says beyond its language. */
export interface FenceAttributes {
  language?: string;
  id?: string;
  caption?: string;
  numberLines: boolean;
  /** First line's number, when numbered (`startFrom=10`). */
  startFrom: number;
  /** Attributes not understood, for the message. */
  unknown: string[];
}

/**
 * Fenced code, highlighted when the book is built (highlight.js grammars
 * through lowlight: no script in any edition), one `span.line` per source line
 * so print can wrap a long line under a continuation mark and number lines.
 *
 * The fence's info string takes Pandoc's attributes, with or without braces:
 * ```` ```python {.numberLines startFrom=10} ```` numbers the lines, and
 * ```` ```python {#lst-fit caption="Fitting the model"} ```` makes a
 * numbered, captioned listing ("Listing 1."), a target for `:ref`.
 */
const remarkImprintCode: Plugin<[], Root> = function () {
  return async (tree, file) => {
    let blocks = false;
    visit(tree, 'code', (node) => {
      blocks ||= node.lang !== 'math';
    });
    if (!blocks) return;
    const lowlight = await loadHighlighter();
    const source = location(file);
    const cells: Array<{ cell: CodeCell; node: Code }> = [];
    let hidden = 0;
    visit(tree, 'code', (node, index, parent) => {
      if (!parent || index === undefined || node.lang === 'math') return undefined;
      const cell = codeCell(node.lang ?? undefined, node.meta ?? undefined, node.value);
      if (cell) {
        cells.push({ cell, node });
        if (cell.graphic) {
          parent.children[index] = cellPicture(cell, node);
          return undefined;
        }
        if (hidesCode(cell)) {
          hidden++;
          parent.children.splice(index, 1);
          return index;
        }
        parent.children[index] = codeBlock(
          lowlight,
          { ...node, value: cell.code },
          { language: cell.language, numberLines: false, startFrom: 1, unknown: [] },
          source,
          cell.optionLines,
        );
        return undefined;
      }
      const attributes = fenceAttributes(node.lang ?? undefined, node.meta ?? undefined);
      // A warning: other tools' fence attributes (`title=…`, `showLineNumbers`) are common, and do no harm ignored.
      if (attributes.unknown.length > 0) {
        warn(
          file,
          `Unknown code block attribute ${attributes.unknown.map((name) => `\`${name}\``).join(', ')} ` +
            '(known: a language, `#id`, `caption="…"`, `.numberLines`, `startFrom=N`)',
          {
            place: node.position,
            ruleId: 'figure-attribute',
          },
        );
      }
      if (attributes.caption !== undefined && !attributes.id) {
        error(file, 'A captioned code block needs an id, as in ```` ```python {#lst-name caption="…"} ````', {
          place: node.position,
          ruleId: 'figure-attribute',
        });
      }
      const pre = codeBlock(lowlight, node, attributes, source);
      if (attributes.caption === undefined || !attributes.id) {
        parent.children[index] = pre;
        return undefined;
      }
      const listing: ImprintFigure = {
        type: 'imprintFigure',
        kind: 'listing',
        identifier: attributes.id,
        data: { hName: 'figure', hProperties: { id: attributes.id, className: ['listing'] } },
        children: [caption([{ type: 'text', value: attributes.caption }]), pre],
        position: node.position,
      };
      parent.children[index] = listing;
      return undefined;
    });
    const run = cells.filter(({ cell }) => !cell.graphic);
    if (run.length > 0) {
      const languages = [...new Set(run.map(({ cell }) => `\`{${cell.language}}\``))].join(', ');
      const shown = run.length - hidden;
      const are = (count: number) => (count === 1 ? 'is' : 'are');
      const parts = [
        shown > 0 ? `${shown} ${are(shown)} set as code` : '',
        hidden > 0
          ? `${hidden} whose options hide their code (\`echo: false\`, \`include: false\`) ${are(hidden)} left out`
          : '',
      ].filter(Boolean);
      warn(
        file,
        `${run.length} executable ${run.length === 1 ? 'cell' : 'cells'} (${languages}) not run: imprint runs no ` +
          `code, so what they make (plots, tables, printed values) is not in the editions; ${parts.join(', and ')}. ` +
          'Render with Quarto or R Markdown to Markdown first to include their results',
        { place: run[0]!.node.position, ruleId: 'code-cell' },
      );
    }
  };
};

/**
 * A cell that only shows a picture file (`knitr::include_graphics("…")`): the picture, a numbered figure when the
 * cell's label is `fig-…` and it has a `fig-cap`, its alternative text the `fig-alt` (else the caption).
 */
function cellPicture(cell: CodeCell, node: Code): ImprintFigure | Paragraph {
  const label = cell.options.get('label');
  const captionText = cell.options.get('fig-cap');
  const image: Image = {
    type: 'image',
    url: cell.graphic!,
    alt: cell.options.get('fig-alt') ?? captionText ?? '',
    position: node.position,
  };
  if (!label?.startsWith('fig-') || !captionText)
    return { type: 'paragraph', children: [image], position: node.position };
  return imageFigure(label, image, captionText, node.position);
}

export default remarkImprintCode;

/** The code block as `pre > code > span.line…`, highlighted when its language is known. */
function codeBlock(
  lowlight: Highlighter,
  node: Code,
  attributes: FenceAttributes,
  source: ReturnType<typeof location>,
  /** Lines of the fence's content before `node.value` (a cell's options), to place each line. */
  skipped = 0,
): ImprintGenerated {
  const language = attributes.language?.toLowerCase();
  const known = language !== undefined && lowlight.registered(language);
  const highlighted: ElementContent[] = known
    ? (lowlight.highlight(language, node.value).children as ElementContent[])
    : [{ type: 'text', value: node.value }];
  const split = splitLines(highlighted);
  const first = firstLineOf(node);
  // Each text of a line (a highlighted token) gets its place in the manuscript, so a message about it (a character
  // no face draws) names its line and column.
  const place = (line: ElementContent[], at: number) => {
    if (!first) return;
    let column = first.column;
    const visitTexts = (content: ElementContent[]) => {
      for (const child of content) {
        if (child.type === 'element') visitTexts(child.children);
        if (child.type !== 'text') continue;
        const start = { line: first.line + skipped + at, column };
        const end = { line: start.line, column: column + child.value.length };
        const [from, to] = [source.toOffset(start), source.toOffset(end)];
        if (from !== undefined && to !== undefined)
          child.position = { start: { ...start, offset: from }, end: { ...end, offset: to } };
        column = end.column;
      }
    };
    visitTexts(line);
  };
  split.forEach(place);
  // A newline ends every line but the last, inside it: the text reads the same without the style sheet (and copies
  // right), and a line set as a block ends where its newline is, without an empty line after it.
  const children = split.map(
    (line, at): Element => ({
      type: 'element',
      tagName: 'span',
      properties: { className: ['line'] },
      children: at < split.length - 1 ? [...line, { type: 'text', value: '\n' }] : line,
    }),
  );
  const codeProperties: Properties = language ? { className: [`language-${language}`] } : {};
  const preProperties: Properties = { className: attributes.numberLines ? ['code', 'number-lines'] : ['code'] };
  if (attributes.numberLines && attributes.startFrom !== 1)
    preProperties.style = `counter-reset: line ${attributes.startFrom - 1}`;
  const pre: ElementContent = {
    type: 'element',
    tagName: 'pre',
    properties: preProperties,
    children: [{ type: 'element', tagName: 'code', properties: codeProperties, children }],
  };
  return {
    type: 'imprintGenerated',
    data: { hName: 'div', hProperties: { className: ['code-block'] }, hChildren: [pre] },
    position: node.position,
  } as ImprintGenerated;
}

/**
 * Where the first line of a code block's text is: the line after a fence, or an indented block's own first line
 * (a fenced block spans more lines than its text has, by its fences).
 */
function firstLineOf(node: Code): { line: number; column: number } | undefined {
  const { start, end } = node.position ?? {};
  if (!start || !end) return undefined;
  const fenced = end.line - start.line + 1 > node.value.split('\n').length;
  return { line: fenced ? start.line + 1 : start.line, column: start.column };
}

/** Highlighted content cut at its newlines into lines; a span that runs over several lines is cut with them. */
export function splitLines(content: ElementContent[]): ElementContent[][] {
  const lines: ElementContent[][] = [[]];
  const walk = (nodes: ElementContent[], wrap: (node: ElementContent) => ElementContent) => {
    for (const node of nodes) {
      if (node.type === 'text') {
        node.value.split('\n').forEach((part, at) => {
          if (at > 0) lines.push([]);
          if (part !== '') lines[lines.length - 1]!.push(wrap({ type: 'text', value: part }));
        });
      } else if (node.type === 'element') {
        walk(node.children, (inner) => wrap({ ...node, children: [inner] }));
      }
    }
  };
  walk(content, (node) => node);
  // A final newline (as a fence's content never has, but an included file might) makes no empty last line.
  if (lines.length > 1 && lines[lines.length - 1]!.length === 0) lines.pop();
  return lines.map(merge);
}

/** Neighbouring spans of the same class made one again (the walk above wraps each text piece on its own). */
function merge(line: ElementContent[]): ElementContent[] {
  const out: ElementContent[] = [];
  for (const node of line) {
    const last = out[out.length - 1];
    if (node.type === 'element' && last?.type === 'element' && sameClass(last, node)) {
      last.children.push(...node.children);
    } else {
      out.push(node.type === 'element' ? { ...node, children: [...node.children] } : node);
    }
  }
  return out;
}

function sameClass(a: Element, b: Element): boolean {
  return a.tagName === b.tagName && String(a.properties.className) === String(b.properties.className);
}

/**
 * `python`, `{.python .numberLines #lst-a caption="A"}` or `python #lst-a caption="A" .numberLines`:
 * the language and Pandoc-style attributes of a fence.
 */
export function fenceAttributes(lang: string | undefined, meta: string | undefined): FenceAttributes {
  const info = [lang ?? '', meta ?? ''].join(' ').trim();
  const result: FenceAttributes = { numberLines: false, startFrom: 1, unknown: [] };
  const tokens =
    info
      .replace(/^\{|\}$/g, ' ')
      .replace(/\s\{|\}\s*$/g, ' ')
      .match(/[^\s=]+="[^"]*"|[^\s=]+='[^']*'|[^\s=]+=\S+|\S+/g) ?? [];
  tokens.forEach((token, at) => {
    const pair = /^([^=]+)=(?:"([^"]*)"|'([^']*)'|(.*))$/.exec(token);
    if (pair) {
      const [, key, ...values] = pair;
      const value = values.find((part) => part !== undefined) ?? '';
      if (key === 'caption') result.caption = value;
      else if (key === 'startFrom' && /^\d+$/.test(value)) result.startFrom = Number(value);
      else if (key === 'id') result.id = value;
      else result.unknown.push(key!);
    } else if (token.startsWith('#')) {
      result.id = token.slice(1);
    } else if (token === '.numberLines' || token === '.number-lines' || token === 'numberLines') {
      result.numberLines = true;
    } else if (token.startsWith('.')) {
      result.language ??= token.slice(1);
    } else if (at === 0) {
      result.language = token;
    } else {
      result.unknown.push(token);
    }
  });
  return result;
}
