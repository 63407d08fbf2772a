import type { Element, ElementContent, Root, RootContent } from 'hast';
import { find, html } from 'property-information';
import type { Plugin } from 'unified';
import type { VFile } from 'vfile';
import { warn } from '../../diagnostics/report.js';

/**
 * Raw HTML in a manuscript, made safe for every edition. A report is built
 * unattended from manuscripts of many hands, so nothing in one may run, load
 * or embed anything: what could is dropped, with a warning at its line
 * (`html-unsafe`), and the rest of the document is kept.
 *
 * - Elements that run, load or embed (`script`, `style`, `link`, `iframe`,
 *   `object`, `embed`, `meta`, `base`, forms, media) go with their content.
 * - Event handlers (`on…`), `javascript:` and other script URLs, `srcset`,
 *   `ping`, and `style` attributes that load (`url(`, `@import`,
 *   `expression(`) are removed.
 * - Elements no edition knows (`font`, `center`, custom elements) are
 *   unwrapped: their content stays.
 *
 * Images keep their `src`: which files they may name is the resource stage's
 * rule (project files only; nothing remote unless allowed).
 *
 * Runs after rehype-raw on the whole tree; the elements imprint itself makes
 * are all allowed, so only what a manuscript wrote can be touched.
 */
const rehypeImprintSanitize: Plugin<[], Root> = function () {
  return (tree, file) => {
    sanitizeChildren(tree, file, false);
  };
};

export default rehypeImprintSanitize;

/** Dropped with everything inside. */
const dropped = new Set([
  'script', 'noscript', 'style', 'link', 'meta', 'base', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet',
  'param', 'template', 'slot', 'portal', 'form', 'input', 'button', 'select', 'option', 'optgroup', 'textarea',
  'datalist', 'output', 'video', 'audio', 'source', 'track', 'canvas', 'dialog', 'title',
]);
/** Inside SVG: dropped with everything inside (scripts, embedded HTML, animation that could load or link). */
const droppedInSvg = new Set(['script', 'foreignObject', 'style', 'animate', 'set', 'animateMotion', 'animateTransform', 'handler', 'listener']);

/**
 * MathML (Core, as browsers and EPUB reading systems show it): inside `math`,
 * these are kept with their presentation attributes; any other element is
 * unwrapped. `annotation-xml` (which can hold HTML) and `maction` go with
 * their content; `annotation` (the formula as typed) is text only.
 */
const mathElements = new Set([
  'math', 'semantics', 'annotation', 'mrow', 'mi', 'mo', 'mn', 'ms', 'mtext', 'mspace', 'msub', 'msup', 'msubsup',
  'munder', 'mover', 'munderover', 'mmultiscripts', 'mprescripts', 'none', 'mfrac', 'msqrt', 'mroot', 'mstyle',
  'mpadded', 'mphantom', 'merror', 'menclose', 'mtable', 'mtr', 'mtd', 'mlabeledtr', 'mfenced',
]);
const droppedInMath = new Set(['annotation-xml', 'maction']);

/** HTML elements the editions know how to show (HTML and EPUB 3 XHTML alike). */
const known = new Set([
  'a', 'abbr', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'blockquote', 'br', 'caption', 'cite', 'code', 'col',
  'colgroup', 'data', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'footer', 'h1',
  'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'main', 'mark', 'nav', 'ol',
  'p', 'picture', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'section', 'small', 'span', 'strong', 'sub', 'summary',
  'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'time', 'tr', 'u', 'ul', 'var', 'wbr', 'svg',
  'input', // task-list checkboxes (GFM) are disabled inputs: see below
]);

/** Attributes that hold a URL the document could follow or load. */
const urlAttributes = new Set(['href', 'src', 'cite', 'action', 'formAction', 'poster', 'background', 'data', 'codebase', 'xLinkHref', 'longDesc', 'manifest', 'lowsrc', 'dynsrc']);
const scriptUrl = /^\s*(?:javascript|vbscript|livescript|mocha)\s*:/i;
const loadingCss = /url\s*\(|@import|expression\s*\(|-moz-binding|behavior\s*:/i;

function sanitizeChildren(parent: Root | Element, file: VFile, inSvg: boolean, inMath = false): void {
  const out: Array<RootContent | ElementContent> = [];
  for (const child of parent.children) {
    if (child.type === 'comment') continue; // comments are the author's notes, never output
    if (child.type !== 'element') {
      out.push(child);
      continue;
    }
    const kept = inMath || child.tagName === 'math' ? sanitizeMath(child, file) : sanitizeElement(child, file, inSvg);
    out.push(...kept);
  }
  parent.children = out as typeof parent.children;
}

function sanitizeElement(element: Element, file: VFile, inSvg: boolean): ElementContent[] {
  const name = element.tagName;
  const svg = inSvg || name === 'svg';
  if (inSvg ? droppedInSvg.has(name) : dropped.has(name) && !isTaskCheckbox(element)) {
    warn(file, `Dropped \`<${name}>\`: ${reason(name)}`, { place: element.position, ruleId: 'html-unsafe' });
    return [];
  }
  for (const key of ['href', 'src'] as const) {
    const value = element.properties[key];
    if (typeof value === 'string') element.properties[key] = wellFormedUri(value);
  }
  for (const [key, value] of Object.entries(element.properties)) {
    const problem = attributeProblem(key, value, name, svg);
    if (!problem) continue;
    delete element.properties[key];
    warn(file, `Removed ${problem} from \`<${name}>\``, { place: element.position, ruleId: 'html-unsafe' });
  }
  const before = element.children.length;
  sanitizeChildren(element, file, svg);
  // A paragraph that held only what was dropped goes too.
  if (name === 'p' && before > 0 && element.children.every((child) => child.type === 'text' && child.value.trim() === '')) return [];
  if (!svg && !known.has(name)) {
    warn(file, `Unwrapped \`<${name}>\`: no edition knows this element, so only its content is kept`, { place: element.position, ruleId: 'html-unsafe' });
    return element.children;
  }
  return [element];
}

/** A MathML element: known ones kept with attributes that neither run nor link; the rest unwrapped or dropped. */
function sanitizeMath(element: Element, file: VFile): ElementContent[] {
  const name = element.tagName;
  if (droppedInMath.has(name)) {
    warn(file, `Dropped \`<${name}>\`: a formula shows only its MathML`, { place: element.position, ruleId: 'html-unsafe' });
    return [];
  }
  for (const [key, value] of Object.entries(element.properties)) {
    const problem = attributeProblem(key, value, name, false) ?? (key === 'href' || key === 'src' ? `\`${key}\`` : undefined);
    if (!problem) continue;
    delete element.properties[key];
    warn(file, `Removed ${problem} from \`<${name}>\``, { place: element.position, ruleId: 'html-unsafe' });
  }
  if (name === 'annotation') {
    element.children = element.children.filter((child) => child.type === 'text');
    return [element];
  }
  sanitizeChildren(element, file, false, true);
  if (!mathElements.has(name)) {
    warn(file, `Unwrapped \`<${name}>\`: it is not MathML, so only its content is kept`, { place: element.position, ruleId: 'html-unsafe' });
    return element.children;
  }
  return [element];
}

/** GFM task list items: a disabled checkbox made by remark-gfm, harmless and shown as a box. */
function isTaskCheckbox(element: Element): boolean {
  return element.tagName === 'input' && element.properties.type === 'checkbox' && element.properties.disabled === true;
}

function reason(name: string): string {
  if (name === 'script' || name === 'noscript') return 'a manuscript cannot run scripts';
  if (name === 'style' || name === 'link') return 'styles come from the templates, and a manuscript cannot load a style sheet';
  if (name === 'meta' || name === 'base' || name === 'title') return 'the document’s head is made by imprint';
  if (['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'param', 'portal'].includes(name)) return 'a manuscript cannot embed other documents';
  if (['video', 'audio', 'source', 'track', 'canvas'].includes(name)) return 'media and canvases cannot be printed; use an image';
  if (name === 'foreignObject') return 'an SVG cannot embed HTML';
  return 'forms and interactive elements have no place in a report';
}

function attributeProblem(key: string, value: unknown, element: string, inSvg: boolean): string | undefined {
  if (/^on/i.test(key)) return `the event handler \`${attributeName(key)}\``;
  if (key === 'srcSet' || key === 'imageSrcSet') return '`srcset` (only `src` is used, and checked)';
  if (key === 'ping') return '`ping`';
  if (key === 'style' && typeof value === 'string' && loadingCss.test(value)) return 'a `style` that loads or runs something';
  if (urlAttributes.has(key)) {
    const text = Array.isArray(value) ? value.join(' ') : String(value);
    if (scriptUrl.test(text)) return `a script URL in \`${attributeName(key)}\``;
    if (key !== 'href' && key !== 'src' && key !== 'cite' && key !== 'xLinkHref') return `\`${attributeName(key)}\``;
    // In a drawing, `href` loads what it names (`<image>`, `<use>`): only the drawing's own parts and data: URLs.
    if (inSvg && element !== 'a' && (key === 'href' || key === 'xLinkHref') && !/^\s*(?:#|data:)/i.test(text)) {
      return `an outside reference in \`${attributeName(key)}\``;
    }
  }
  return undefined;
}

function attributeName(key: string): string {
  return find(html, key).attribute;
}

/**
 * A URI as written, made well-formed for every edition (XHTML requires it): a
 * `%` that starts no escape becomes `%25`, and characters a URI cannot hold
 * are percent-encoded. A well-formed URI is left as it is.
 */
export function wellFormedUri(uri: string): string {
  return uri
    .replace(/%(?![0-9A-Fa-f]{2})/g, '%25')
    .replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu, (character) => {
      try {
        return encodeURIComponent(character);
      } catch {
        return '%EF%BF%BD';
      }
    });
}
