import type { Element, ElementContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import type { InlineMath, Math } from 'mdast-util-math';
import type { Paragraph, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type temmlModule from 'temml';
import type { Plugin } from 'unified';
import type { Point } from 'unist';
import { SKIP, visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { location } from 'vfile-location';
import { error } from '../../diagnostics/report.js';
import { onFirstUse } from '../../first-use.js';
import type { ImprintFigure } from '../../document/nodes.js';
import { joinTexts } from './shared/join-texts.js';

type Temml = typeof temmlModule;
/** Temml, loaded on the first formula: a manuscript without math does not pay for it. */
const loadTemml = onFirstUse((): Promise<Temml> => import('temml').then((module) => module.default));

export const mathNamespace = 'http://www.w3.org/1998/Math/MathML';

/**
 * `$…$` and `$$…$$` (parsed by remark-math) → MathML, the same markup in
 * every edition: no script, no images, no fonts of its own (the templates set
 * math in the shipped math face). Temml writes the MathML; a formula it cannot
 * read is an error at the line and column where reading stopped, and the
 * formula is shown as typed.
 *
 * A paragraph of only `:eq[#eq-id]` right after a display equation numbers it
 * ("(1)") and makes it a target for `:ref` ("Equation 1").
 */
const remarkImprintMath: Plugin<[], Root> = function () {
  return async (tree, file) => {
    // A paragraph of nothing but `$$…$$` (written across lines, as in Pandoc) is display equations, as if fenced.
    visit(tree, 'paragraph', (node, index, parent) => {
      if (!parent || index === undefined) return undefined;
      const parts = node.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''));
      if (parts.length === 0 || !parts.every((child) => child.type === 'inlineMath' && isDisplay(child, file)))
        return undefined;
      const equations = parts.map(
        (child): Math => ({
          type: 'math',
          value: (child as InlineMath).value,
          position: child.position,
        }),
      );
      parent.children.splice(index, 1, ...equations);
      return index + equations.length;
    });
    let formulas = false;
    const prose = new Set<Paragraph>();
    visit(tree, (node, index, parent) => {
      // A dollar amount read as inline math is given back to the prose: it needs no Temml.
      if (node.type === 'inlineMath' && parent && index !== undefined && !isFormula(node, file)) {
        parent.children[index] = {
          type: 'text',
          value: sourceOf(node, file),
          position: node.position,
        };
        prose.add(parent as Paragraph);
        return;
      }
      formulas ||= node.type === 'math' || node.type === 'inlineMath' || (node.type === 'code' && node.lang === 'math');
    });
    const temml = formulas ? await loadTemml() : undefined;
    visit(tree, (node, index, parent) => {
      // GitHub's ```` ```math ```` fence is a display equation too.
      if (node.type === 'code' && node.lang === 'math' && parent && index !== undefined) {
        const math: Math = { type: 'math', value: node.value, position: node.position };
        parent.children[index] = math;
        render(temml!, math, file);
      } else if (node.type === 'inlineMath' || node.type === 'math') {
        render(temml!, node, file);
      }
    });
    // Dollars given back to the prose join the text around them, so "US$110 … to $200" reads as one text again.
    for (const parent of prose) parent.children = joinTexts(parent.children);
    visit(tree, 'paragraph', (node, index, parent) => {
      if (!parent || index === undefined) return undefined;
      const label = equationLabel(node);
      if (label === undefined) return undefined;
      const before = parent.children[index - 1];
      if (!label.id || before?.type !== 'math') {
        error(
          file,
          label.id
            ? 'An `:eq[#id]` numbers the display equation (`$$…$$`) right before it: put it on the ' +
                'line after the closing `$$`'
            : 'Write an equation number as `:eq[#eq-id]`, with the id that references to it use',
          {
            place: node.position,
            ruleId: 'directive-attribute',
          },
        );
        parent.children.splice(index, 1);
        return index;
      }
      const figure: ImprintFigure = {
        type: 'imprintFigure',
        kind: 'equation',
        identifier: label.id,
        data: { hName: 'div', hProperties: { id: label.id, className: ['equation'] } },
        children: [before],
        position: { start: before.position?.start ?? node.position!.start, end: node.position!.end },
      };
      parent.children.splice(index - 1, 2, figure);
      return index;
    });
    // Any other `:eq` is not where it can number anything.
    visit(tree, 'textDirective', (node) => {
      if (node.name !== 'eq') return undefined;
      error(file, 'An `:eq[#id]` stands alone on the line after a display equation (`$$…$$`), which it numbers', {
        place: node.position,
        ruleId: 'directive-attribute',
      });
      return SKIP;
    });
  };
};

export default remarkImprintMath;

/**
 * Pandoc's rule for single dollars, so prices stay prose: a formula hugs its
 * dollars (`$x$`, not `$ x $`) and its closing dollar is not followed by a
 * digit. "$5 and $10" and "$5–$10" are text.
 */
function isFormula(node: InlineMath, file: VFile): boolean {
  const source = sourceOf(node, file);
  if (!source.startsWith('$') || source.startsWith('$$')) return true;
  const end = node.position?.end.offset;
  const next = end === undefined ? '' : String(file.value).charAt(end);
  return !/^\s|\s$/.test(node.value) && !/\d/.test(next);
}

function sourceOf(node: InlineMath, file: VFile): string {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  return start === undefined || end === undefined ? `$${node.value}$` : String(file.value).slice(start, end);
}

/** `:eq[#id]` alone in a paragraph: the id (empty when malformed), or undefined for any other paragraph. */
function equationLabel(node: Paragraph): { id: string } | undefined {
  const parts = node.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''));
  const only = parts[0];
  if (parts.length !== 1 || only?.type !== 'textDirective' || only.name !== 'eq') return undefined;
  const written = toString(only).trim();
  const ok = /^#[^\s#]+$/.test(written) && Object.keys(only.attributes ?? {}).length === 0;
  return { id: ok ? written.slice(1) : '' };
}

/** `$$…$$` in a paragraph's text: a display equation, as Pandoc reads it. */
function isDisplay(node: InlineMath, file: VFile): boolean {
  return sourceOf(node, file).startsWith('$$');
}

function render(temml: Temml, node: InlineMath | Math, file: VFile): void {
  const display = node.type === 'math' || isDisplay(node, file);
  let markup: string;
  try {
    markup = temml.renderToString(node.value, { displayMode: display, throwOnError: true, strict: false });
  } catch (cause) {
    const reason = String((cause as Error).message ?? cause)
      .replace(/^\s*/, '')
      .replace(/ at (?:position \d+|end of input):[\s\S]*$/, '');
    error(file, `Formula does not parse: ${reason}`, {
      place: placeInFormula(node, file, (cause as { position?: number }).position),
      ruleId: 'math-syntax',
      cause,
    });
    // Shown as typed, so nothing the author wrote is lost.
    node.data = {
      ...node.data,
      // Inside a paragraph's text, code: a `pre` cannot stand in a paragraph.
      hName: node.type === 'math' ? 'pre' : 'code',
      hProperties: { className: ['math-error'] },
      hChildren: [{ type: 'text', value: node.value }],
    };
    return;
  }
  const math = fromHtml(markup, { fragment: true }).children.find(
    (child): child is Element => child.type === 'element',
  );
  if (!math) return;
  // The outer element's class and style (`display: block math`) are the templates' to set.
  const properties = { xmlns: mathNamespace, display: display ? 'block' : 'inline' };
  node.data = { ...node.data, hName: 'math', hProperties: properties, hChildren: stripped(math.children) };
}

/**
 * MathML children as Temml wrote them (their `class` and `style` set table
 * alignment and spacing, which the templates' `tml-*` rules and MathML Core
 * need), without positions: places in Temml's markup are not places in the
 * manuscript.
 */
function stripped(children: ElementContent[], accent = false): ElementContent[] {
  return children.map((child) => {
    if (child.type === 'text')
      return { type: 'text', value: accent ? (accents[child.value] ?? child.value) : child.value };
    if (child.type !== 'element') return child;
    return {
      type: 'element',
      tagName: child.tagName,
      properties: { ...child.properties },
      children: stripped(child.children, child.tagName === 'mo'),
    };
  });
}

/**
 * Accents Temml writes as spacing characters that the shipped math face lacks (`\dot`, `\ddot`, `\bar`, …), as
 * the combining marks it has: set in an accent's `mo`, Chromium places both alike (looked at in print), and no face
 * of the machine's is asked for the spacing form, which printed in whatever face the machine had, or as an empty
 * box.
 */
const accents: Record<string, string> = {
  '\u00A8': '\u0308', // \ddot
  '\u00AF': '\u0304', // a macron
  '\u00B4': '\u0301', // \acute
  '\u02C7': '\u030C', // \check
  '\u02D8': '\u0306', // \breve
  '\u02D9': '\u0307', // \dot
  '\u02DC': '\u0303', // a small tilde
  '\u203E': '\u0304', // \bar
};

/** Where reading the formula stopped, in the manuscript; the formula's start when that cannot be found. */
function placeInFormula(node: InlineMath | Math, file: VFile, position: number | undefined): Point | undefined {
  const start = node.position?.start;
  if (position === undefined || start?.offset === undefined || node.position?.end.offset === undefined) return start;
  const source = String(file.value);
  const at = source.indexOf(node.value, start.offset);
  if (at < 0 || at + node.value.length > node.position.end.offset) return start;
  return location(file).toPoint(at + position) ?? start;
}
