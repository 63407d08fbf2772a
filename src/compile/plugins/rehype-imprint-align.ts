import type { Element, ElementContent, Root } from 'hast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { warn } from '../../diagnostics/report.js';
import { defaultLimits } from '../limits.js';

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
 */
const rehypeImprintAlign: Plugin<[RehypeImprintAlignOptions?], Root> = function (options = {}) {
  const justifiedParagraph = options.justifiedParagraph ?? defaultLimits.justifiedParagraph;
  return (tree, file: VFile) => {
    const rightToLeft = file.data.metadata?.dir === 'rtl';
    visit(tree, 'element', (node) => {
      if (rightToLeft && code.has(node.tagName) && node.properties.dir === undefined) node.properties.dir = 'auto';
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
