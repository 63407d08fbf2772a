import { location } from 'vfile-location';
import type { Element } from 'hast';
import type { Node as UnistNode, Parent as UnistParent } from 'unist';
import type { VFile } from 'vfile';
import { error } from '../diagnostics/report.js';

/**
 * Bounds on what one manuscript may ask of the build, so that no small input
 * takes the machine's memory or minutes of time, and none ends in a stack
 * overflow: each is checked before the part of the pipeline it protects, and
 * an input over one is an error at its file, line and column. Settable under
 * `limits:` in the configuration file (docs/limits.md).
 */
export interface Limits {
  /** Deepest nesting of block quotes, list items and HTML elements. */
  nesting: number;
  /** Most emphasis and link delimiters (`*`, `_`, `[`) in one paragraph: their pairing takes quadratic time. */
  inlineDelimiters: number;
  /** Most `::include` directives followed in one report, over all files. */
  includes: number;
  /** Deepest chain of files including each other. */
  includeDepth: number;
  /**
   * Most rows in one table (Markdown, HTML or generated from data): parsing and laying out a table take time
   * that grows with its rows, and a table of this many is hundreds of pages already.
   */
  tableRows: number;
  /** Most pixels (width × height) in one image. */
  imagePixels: number;
  /**
   * Most blocks in one report, over its included files and its tables from data: paragraphs, list items, table
   * rows, headings, code blocks, rules, figures and `<div>`s. Each costs the browser some milliseconds of layout
   * and print however short it is, so a megabyte of one-word lines would take it many minutes.
   */
  blocks: number;
  /**
   * Most headings in one file (Markdown and HTML): each is an entry of the contents, a bookmark and a link, and
   * each chapter begins a page, so their number, more than the text's length, sets the time a print takes.
   */
  headings: number;
  /**
   * Longest paragraph, in characters, set justified: a longer one is set ragged-right, with a warning (the time
   * Chromium takes to justify a paragraph grows with the square of its length). Not an error: it still builds.
   */
  justifiedParagraph: number;
}

export const defaultLimits: Readonly<Limits> = {
  nesting: 100,
  inlineDelimiters: 1_000,
  includes: 256,
  includeDepth: 16,
  tableRows: 10_000,
  imagePixels: 50_000_000,
  blocks: 15_000,
  headings: 5_000,
  justifiedParagraph: 20_000,
};

/**
 * Scan Markdown source once, in linear time, for nesting beyond the limits,
 * before it is parsed (the parser recurses, and pairs delimiters in quadratic
 * time). Errors go on `file` at the place of the first line or delimiter over
 * a limit; `offsetPlace` maps places for text that is not `file`'s own (an
 * included file: every message is at its directive). Returns whether the text
 * is within the limits.
 */
export function withinSourceLimits(
  file: VFile,
  text: string,
  limits: Readonly<Limits>,
  at?: { start: { line: number; column: number }; end: { line: number; column: number } },
): boolean {
  const places = location(text);
  const placeOf = (offset: number) => at ?? places.toPoint(offset);
  const lines = text.split('\n');
  let within = true;

  // Blocks: the `>` and list markers that open a line, and its indentation (nested list items are indented).
  let offset = 0;
  for (const line of lines) {
    const prefix = /^[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+[ \t>]*)*/.exec(line)![0];
    let depth = 0;
    let indent = 0;
    for (const character of prefix) {
      if (character === '>') depth++;
      else if (character === ' ') indent++;
      else if (character === '\t') indent += 4;
    }
    depth += (prefix.match(/(?:[-+*]|\d{1,9}[.)])[ \t]/g) ?? []).length + Math.floor(indent / 4);
    if (depth > limits.nesting) {
      error(
        file,
        `Block quotes and lists nested ${depth} deep here: the limit is ${limits.nesting} (\`limits: nesting\`)`,
        {
          place: placeOf(offset),
          ruleId: 'limit-nesting',
        },
      );
      within = false;
      break;
    }
    offset += line.length + 1;
  }

  // Table rows: the lines of a Markdown table (from its delimiter row to the first blank line), and the `<tr>`
  // tags of an HTML table (from its `<table>`).
  const delimiterRow = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
  const tableRowsError = (offset: number) => {
    error(
      file,
      `A table of more than ${limits.tableRows} rows here: split it, or raise the limit (\`limits: table-rows\`)`,
      { place: placeOf(offset), ruleId: 'limit-table-rows' },
    );
    within = false;
  };
  offset = 0;
  let rows = -1;
  for (const line of lines) {
    if (rows >= 0 && line.trim() === '') rows = -1;
    else if (rows >= 0 && ++rows > limits.tableRows) {
      tableRowsError(offset);
      break;
    } else if (rows < 0 && line.includes('|') && delimiterRow.test(line)) rows = 0;
    offset += line.length + 1;
  }
  if (within) {
    let htmlRows = 0;
    for (const match of text.matchAll(/<(table|tr)\b/gi)) {
      if (match[1]!.toLowerCase() === 'table') htmlRows = 0;
      else if (++htmlRows > limits.tableRows) {
        tableRowsError(match.index);
        break;
      }
    }
  }

  // Headings: ATX (`# `) and setext (a line of `=` or `-` under text) outside fenced code, and HTML `<h1>`–`<h6>`.
  offset = 0;
  let headings = 0;
  let fence: string | undefined;
  let previousIsText = false;
  // Front matter is not Markdown: its closing `---` is no heading, nor a TOML comment (`+++` front matter) one.
  const toml = /^\+\+\+\r?\n/.test(text);
  let frontMatter = toml || text.startsWith('---\n') || text.startsWith('---\r\n');
  for (const [index, line] of lines.entries()) {
    let atx = false;
    const fenceMark = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (frontMatter) {
      if (index > 0 && (toml ? /^\+\+\+\s*$/ : /^(?:---|\.\.\.)\s*$/).test(line)) frontMatter = false;
    } else if (fence !== undefined) {
      if (fenceMark?.startsWith(fence)) fence = undefined;
    } else if (fenceMark) {
      fence = fenceMark;
    } else if (/^ {0,3}#{1,6}(?:[ \t]|$)/.test(line)) {
      headings++;
      atx = true;
    } else if (previousIsText && /^ {0,3}(?:=+|-+)[ \t]*$/.test(line)) {
      headings++;
    }
    headings += (line.match(/<h[1-6][\s/>]/gi) ?? []).length;
    if (headings > limits.headings) {
      error(
        file,
        `More than ${limits.headings} headings: each is an entry of the contents, a bookmark and a link, and ` +
          'a print of this many takes minutes (`limits: headings`)',
        { place: placeOf(offset), ruleId: 'limit-headings' },
      );
      within = false;
      break;
    }
    previousIsText = !frontMatter && fence === undefined && fenceMark === undefined && !atx && line.trim() !== '';
    offset += line.length + 1;
  }

  // HTML elements: opened and closed anywhere in the text.
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b(?:[^>"']|"[^"]*"|'[^']*')*?(\/?)>/g;
  const empty = /^(?:area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)$/i;
  let open = 0;
  for (const match of text.matchAll(tag)) {
    if (match[1]) open = Math.max(0, open - 1);
    else if (!match[3] && !empty.test(match[2]!)) open++;
    if (open > limits.nesting) {
      error(file, `HTML elements nested ${open} deep here: the limit is ${limits.nesting} (\`limits: nesting\`)`, {
        place: placeOf(match.index),
        ruleId: 'limit-nesting',
      });
      within = false;
      break;
    }
  }

  // Inline delimiters, counted per paragraph (text between blank lines).
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const character = text.charCodeAt(index);
    if (character === 10 && /^[ \t]*(?:\n|$)/.test(text.slice(index + 1, index + 81))) {
      count = 0;
    } else if (character === 42 || character === 95 || character === 91) {
      count++;
      if (count > limits.inlineDelimiters) {
        error(
          file,
          `More than ${limits.inlineDelimiters} emphasis and link marks (\`*\`, \`_\`, \`[\`) in one paragraph: ` +
            'pairing them takes time that grows with their square (`limits: inline-delimiters`)',
          { place: placeOf(index), ruleId: 'limit-inline-delimiters' },
        );
        within = false;
        break;
      }
    }
  }
  return within;
}

/** The elements and Markdown nodes {@link Limits.blocks} counts. */
const blockElements = new Set('p li tr dt dd h1 h2 h3 h4 h5 h6 pre hr figure div'.split(' '));
const blockNodes = new Set(['paragraph', 'listItem', 'tableRow', 'heading', 'code', 'thematicBreak', 'math', 'html']);

/**
 * Count the blocks of a tree, and report an error at the first one over the limit (at the nearest node with a
 * place: a row made from a data file is reported at its table's directive). Run on the Markdown tree as soon as
 * it is parsed (before any plugin, some of which take time that grows faster than a long list), and on the HTML
 * tree, which has the included files, the tables from data and the raw HTML. Returns whether it is within.
 */
export function withinBlockLimit(tree: UnistParent, file: VFile, limits: Readonly<Limits>): boolean {
  let blocks = 0;
  // An iterative walk: each entry is a node, the nearest place above it, and whether it is the first paragraph of
  // a list item in Markdown (counted with its item, as the HTML of a tight list has no paragraph).
  const stack: Array<[UnistNode, UnistNode['position'], boolean]> = tree.children.map((node) => [
    node,
    tree.position,
    false,
  ]);
  stack.reverse();
  while (stack.length > 0) {
    const [node, above, itemParagraph] = stack.pop()!;
    const place = node.position ?? above;
    const block =
      node.type === 'element'
        ? blockElements.has((node as Element).tagName)
        : blockNodes.has(node.type) && !itemParagraph;
    if (block && ++blocks > limits.blocks) {
      error(
        file,
        `More than ${limits.blocks} blocks (paragraphs, list items, table rows, headings): each costs the browser ` +
          'time however short it is, and a print of this many takes minutes; split the report, or raise the ' +
          'limit (`limits: blocks`)',
        { place: place?.start, ruleId: 'limit-blocks' },
      );
      return false;
    }
    const children = (node as Partial<UnistParent>).children;
    if (!children) continue;
    for (let index = children.length - 1; index >= 0; index--) {
      const child = children[index]!;
      stack.push([child, place, index === 0 && node.type === 'listItem' && child.type === 'paragraph']);
    }
  }
  return true;
}
