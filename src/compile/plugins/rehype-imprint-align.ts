import type { Element, ElementContent, Root } from 'hast';
import type { Plugin } from 'unified';
import { visitParents } from 'unist-util-visit-parents';
import type { VFile } from 'vfile';
import { warn } from '../../diagnostics/report.js';
import { defaultLimits } from '../limits.js';
import { type Direction, firstLetterDirection } from '../../document/metadata.js';

export interface RehypeImprintAlignOptions {
  /**
   * Longest paragraph, in characters, that is set justified (`limits: justified-paragraph`); a longer one gets
   * the class `ragged`, which the templates set ragged-right, with a warning at the paragraph.
   */
  justifiedParagraph?: number;
}

/**
 * Alignment:
 * - table cell alignment as a class (`align-right`) instead of the obsolete `align` attribute, which XHTML
 *   validators reject and EPUB packagers drop;
 * - a paragraph too long to justify is marked `ragged`: Chromium's time to lay out a justified paragraph grows
 *   with the square of its length (a paragraph of a megabyte took it minutes; ragged, seconds), so past a length
 *   where no prose goes (data pasted as one line) the print and HTML editions set it ragged-right (decision 079);
 * - a paragraph that is only inline code (a command line, as in a README or a manual page) is marked `ragged`
 *   too, without a warning: justified, a command that wraps has the spaces inside it stretched (`7z    a    -t…`);
 * - in a document written right to left, code (`code`, `pre`, `kbd`, `samp`) takes its direction from its own
 *   text (`dir="auto"`): `echo $?` in an Arabic paragraph otherwise reads `?$ echo`, as its closing marks take the
 *   paragraph's direction. (The attribute, not CSS: an EPUB's style sheets may not set `unicode-bidi`.)
 * - a block of text (a paragraph, a heading, a list or an item, a cell, a caption) whose first letter is written the
 *   other way from the document (Hebrew in a document in English, or English in one in Arabic) takes that
 *   direction (`dir="rtl"` or `"ltr"`), as GitHub sets each block of a README: a README in Hebrew built without
 *   `lang: he` otherwise printed every paragraph left to right, its closing marks at the wrong end. The first
 *   letter outside code counts (an identifier in a Hebrew sentence does not make it English). Set as the
 *   attribute, not `dir="auto"`, so that every reading system and the measuring pass see the same direction.
 */
const rehypeImprintAlign: Plugin<[RehypeImprintAlignOptions?], Root> = function (options = {}) {
  const justifiedParagraph = options.justifiedParagraph ?? defaultLimits.justifiedParagraph;
  return (tree, file: VFile) => {
    const rightToLeft = file.data.metadata?.dir === 'rtl';
    visitParents(tree, 'element', (node, ancestors) => {
      if (rightToLeft && code.has(node.tagName) && node.properties.dir === undefined) node.properties.dir = 'auto';
      if (textBlocks.has(node.tagName) && node.properties.dir === undefined) {
        const own = firstStrongDirection(node);
        // Against the direction it would take: its nearest ancestor's that sets one (a list in a list item), else
        // the document's.
        const holder = ancestors.findLast(
          (ancestor) =>
            ancestor.type === 'element' && (ancestor.properties.dir === 'ltr' || ancestor.properties.dir === 'rtl'),
        );
        const inherited = holder?.type === 'element' ? holder.properties.dir : rightToLeft ? 'rtl' : 'ltr';
        if (own !== undefined && own !== inherited) node.properties.dir = own;
      }
      if (node.tagName === 'p' && onlyCode(node)) addClass(node, 'ragged');
      else if (node.tagName === 'p') {
        const length = textLength(node);
        if (length > justifiedParagraph) {
          addClass(node, 'ragged');
          warn(
            file,
            `A paragraph of ${length.toLocaleString('en')} characters is set ragged-right: one longer than ` +
              `${justifiedParagraph.toLocaleString('en')} is not justified, as the time the browser takes to ` +
              'justify a paragraph grows with the square of its length (`limits: justified-paragraph`)',
            { place: node.position, ruleId: 'paragraph-ragged' },
          );
        }
      }
      const align = node.properties.align;
      if (typeof align !== 'string') return;
      delete node.properties.align;
      addClass(node, `align-${align}`);
    });
  };
};

/** Elements that hold code, whose direction is the code's own. */
const code = new Set(['code', 'pre', 'kbd', 'samp']);

/**
 * Blocks of text that take the direction of their first letter (see above), and the lists and quotations that
 * hold them: a list's markers and indent, and a quotation's rule, stand on the side its direction starts from.
 */
const textBlocks = new Set([
  ...['p', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'dt', 'dd', 'td', 'th', 'figcaption'],
  ...['ul', 'ol', 'dl', 'blockquote'],
]);

/**
 * The direction of the first letter of an element's text, outside code and outside descendants that set their own
 * direction; undefined when it has no letter. An iterative walk in document order.
 */
function firstStrongDirection(element: Element): Direction | undefined {
  const stack: ElementContent[] = [...element.children].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'text') {
      const direction = firstLetterDirection(node.value);
      if (direction) return direction;
    } else if (node.type === 'element' && !code.has(node.tagName) && node.properties.dir === undefined) {
      for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index]!);
    }
  }
  return undefined;
}

function addClass(node: Element, name: string): void {
  const existing = node.properties.className;
  const classes = Array.isArray(existing) ? existing.map(String) : typeof existing === 'string' ? [existing] : [];
  node.properties.className = [...classes, name];
}

/** Whether a paragraph holds one inline `code` element and nothing else but white space. */
function onlyCode(paragraph: Element): boolean {
  const content = paragraph.children.filter((child) => child.type !== 'text' || child.value.trim() !== '');
  return content.length === 1 && content[0]!.type === 'element' && content[0]!.tagName === 'code';
}

/** The characters of an element's text (an iterative walk: a paragraph may hold many thousands of nodes). */
function textLength(element: Element): number {
  let length = 0;
  const stack: ElementContent[] = [...element.children];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'text') length += node.value.length;
    else if (node.type === 'element') stack.push(...node.children);
  }
  return length;
}

export default rehypeImprintAlign;
