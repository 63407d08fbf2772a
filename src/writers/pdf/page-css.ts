import type { Paper } from '../../document/metadata.js';

/**
 * What the measuring pass needs to know about the print style sheets: the
 * size of the page area (the page box less its margins) and which rules force
 * a page break. Read from the CSS text, so that the measuring layout is ready
 * at the page's first layout.
 */

/** Page sizes in CSS pixels (96 per inch). */
const paperSize: Record<Paper, { width: number; height: number }> = {
  a4: { width: (210 / 25.4) * 96, height: (297 / 25.4) * 96 },
  letter: { width: 8.5 * 96, height: 11 * 96 },
};

const pixelsPer: Record<string, number> = {
  px: 1,
  in: 96,
  cm: 96 / 2.54,
  mm: 96 / 25.4,
  q: 96 / 101.6,
  pt: 96 / 72,
  pc: 16,
};

/** The size of a paper in CSS pixels. */
export function paperPixels(paper: Paper): { width: number; height: number } {
  return paperSize[paper];
}

export interface PageArea {
  /** Width of the page area in CSS pixels, as Chromium lays it out (whole pixels, rounded up). */
  width: number;
  height: number;
  /** The top margin in CSS pixels: where the page area begins. */
  top: number;
}

/** A CSS rule at the top level of a style sheet or inside `@media print`/`@media all`. */
interface CssRule {
  /** `@page`, `@page :first`, or a selector list. */
  prelude: string;
  /** The declarations, nested blocks removed. */
  declarations: Map<string, string>;
}

/**
 * The page area of the first pages of the body: the paper less the margins of
 * the last `@page` rule without a page selector that sets them.
 */
export function pageArea(styleSheets: readonly string[], paper: Paper): PageArea {
  const margins = { top: 0, right: 0, bottom: 0, left: 0 };
  for (const css of styleSheets) {
    for (const rule of cssRules(css)) {
      if (!/^@page\s*$/i.test(rule.prelude)) continue;
      const shorthand = rule.declarations.get('margin');
      if (shorthand !== undefined) {
        const values = shorthand.split(/\s+/).map(toPixels);
        if (values.every((value) => value !== undefined)) {
          const [top, right = top, bottom = top, left = right] = values as number[];
          Object.assign(margins, { top, right, bottom, left });
        }
      }
      for (const side of ['top', 'right', 'bottom', 'left'] as const) {
        const value = rule.declarations.get(`margin-${side}`);
        const pixels = value === undefined ? undefined : toPixels(value);
        if (pixels !== undefined) margins[side] = pixels;
      }
    }
  }
  const size = paperSize[paper];
  return {
    width: Math.ceil(size.width - margins.left - margins.right - 1e-6),
    height: Math.ceil(size.height - margins.top - margins.bottom - 1e-6),
    top: margins.top,
  };
}

const pageBreak = /^(page|left|right|recto|verso|always)$/i;

/**
 * Rules that turn the forced page breaks of the style sheets into column
 * breaks, for a layout of the same content in columns the size of the page
 * area: in a multi-column layout, a page break forces nothing.
 */
export function columnBreakCss(styleSheets: readonly string[]): string {
  const out: string[] = [];
  for (const css of styleSheets) {
    for (const rule of cssRules(css)) {
      if (rule.prelude.startsWith('@')) continue;
      const declarations: string[] = [];
      for (const side of ['before', 'after'] as const) {
        const value = rule.declarations.get(`break-${side}`) ?? rule.declarations.get(`page-break-${side}`);
        if (value !== undefined && pageBreak.test(value.replace(/\s*!important$/i, ''))) {
          declarations.push(`break-${side}: column !important`);
        }
      }
      if (declarations.length > 0) out.push(`${rule.prelude} { ${declarations.join('; ')} }`);
    }
  }
  return out.join('\n');
}

function toPixels(value: string): number | undefined {
  const match = /^(-?\d*\.?\d+)([a-z]*)$/i.exec(value.trim());
  if (!match) return undefined;
  const number = Number(match[1]);
  if (number === 0) return 0;
  const factor = pixelsPer[match[2]!.toLowerCase()];
  return factor === undefined ? undefined : number * factor;
}

/**
 * The rules of a style sheet that apply in print: top-level rules, and rules
 * inside `@media print`, `@media all`, `@supports` and `@layer` (other at-rule
 * blocks are skipped).
 * Enough of CSS for print.css and the rules imprint writes; not a general parser.
 */
function cssRules(css: string): CssRule[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const rules: CssRule[] = [];
  const parseBlock = (from: number, to: number) => {
    let at = from;
    while (at < to) {
      const open = findOutsideStrings(text, '{', at, to);
      if (open < 0) return;
      const close = matchingBrace(text, open, to);
      const prelude = text
        .slice(at, open)
        .replace(/^[\s;]+/, '')
        .trim();
      // Statements like `@import …;` before the block belong to no rule.
      const statementEnd = prelude.lastIndexOf(';');
      const cleanPrelude = statementEnd >= 0 ? prelude.slice(statementEnd + 1).trim() : prelude;
      if (/^@media\b/i.test(cleanPrelude)) {
        if (/\b(print|all)\b/i.test(cleanPrelude) && !/\bnot\b/i.test(cleanPrelude)) parseBlock(open + 1, close);
      } else if (/^@(supports|layer)\b/i.test(cleanPrelude)) {
        parseBlock(open + 1, close);
      } else if (/^@page\b/i.test(cleanPrelude) || !cleanPrelude.startsWith('@')) {
        rules.push({
          prelude: cleanPrelude.replace(/\s+/g, ' '),
          declarations: declarationsOf(text.slice(open + 1, close)),
        });
      }
      at = close + 1;
    }
  };
  parseBlock(0, text.length);
  return rules;
}

function declarationsOf(body: string): Map<string, string> {
  // Drop nested blocks (the margin boxes of an @page rule).
  let flat = '';
  let depth = 0;
  for (const char of body) {
    if (char === '{') depth++;
    else if (char === '}') depth--;
    else if (depth === 0) flat += char;
  }
  const declarations = new Map<string, string>();
  for (const part of flat.split(';')) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    const name = part.slice(0, colon).trim().toLowerCase();
    // A nested block's selector leaves its text before the block: keep only the last line of the part.
    const cleanName = name.split(/\s+/).pop()!;
    declarations.set(cleanName, part.slice(colon + 1).trim());
  }
  return declarations;
}

function findOutsideStrings(text: string, char: string, from: number, to: number): number {
  let quote: string | undefined;
  for (let index = from; index < to; index++) {
    const current = text[index]!;
    if (quote) {
      if (current === '\\') index++;
      else if (current === quote) quote = undefined;
    } else if (current === '"' || current === "'") quote = current;
    else if (current === char) return index;
  }
  return -1;
}

function matchingBrace(text: string, open: number, to: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let index = open; index < to; index++) {
    const current = text[index]!;
    if (quote) {
      if (current === '\\') index++;
      else if (current === quote) quote = undefined;
    } else if (current === '"' || current === "'") quote = current;
    else if (current === '{') depth++;
    else if (current === '}') {
      depth--;
      if (depth === 0) return index;
    }
  }
  return to;
}
