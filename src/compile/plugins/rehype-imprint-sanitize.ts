import type { Element, ElementContent, Properties, Root, RootContent } from 'hast';
import { sanitize } from 'hast-util-sanitize';
import { find, html, svg } from 'property-information';
import type { Plugin } from 'unified';
import type { VFile } from 'vfile';
import { warn } from '../../diagnostics/report.js';
import { cssProblem } from '../sanitize/css.js';
import { htmlDropped, integrationPoints, schemas, type Namespace } from '../sanitize/schemas.js';
import { isFollowableLink, urlAsBrowsersRead } from '../sanitize/urls.js';

/**
 * Raw HTML in a manuscript, made safe for every edition. A report is built
 * unattended from manuscripts of many hands, so nothing in one may run, load
 * or embed anything: what could is removed, with a warning at its line
 * (`html-unsafe`), and the rest of the document is kept.
 *
 * Each element is judged by the allow-list of its namespace
 * (`../sanitize/schemas.ts`, applied by hast-util-sanitize), and the
 * namespace is the one the HTML parser gives it: an element is SVG only
 * under `<svg>` and MathML only under `<math>`, and the parser's integration
 * points (`desc`, `title`, `foreignObject`, `mtext`, …) hold text only, since
 * an element in them would be real HTML however deep in a drawing it sits.
 *
 * - Elements that run, load, embed or hold raw text go with their content;
 *   other elements no edition knows are unwrapped (their content stays). In a
 *   drawing or a formula, whatever is not allowed goes with its content.
 * - Attributes outside the allow-list go (event handlers, `srcset`, `ping`,
 *   `formaction`, …). URLs are read as browsers read them (tab, newline and
 *   controls removed) before their scheme is checked: links may name the web,
 *   mail or the document; in a drawing, `href` names only the drawing's own
 *   parts (or a data: image).
 * - `style` attributes that could load or hide something (`url(`,
 *   `image-set(`, `@import`, CSS escapes, `expression(`) go.
 *
 * Runs after rehype-raw on the whole tree; the elements imprint itself makes
 * are all allowed, so only what a manuscript wrote can be touched.
 */
const rehypeImprintSanitize: Plugin<[], Root> = function () {
  return (tree, file) => {
    tree.children = sanitizeChildren(tree.children, file, 'html', undefined) as RootContent[];
  };
};

export default rehypeImprintSanitize;

function sanitizeChildren(
  children: ReadonlyArray<RootContent | ElementContent>,
  file: VFile,
  namespace: Namespace,
  parent: string | undefined,
): Array<RootContent | ElementContent> {
  const out: Array<RootContent | ElementContent> = [];
  const textOnly = namespace !== 'html' && parent !== undefined && integrationPoints[namespace].has(parent);
  for (const child of children) {
    if (child.type === 'comment') continue; // comments are the author's notes, never output
    if (child.type === 'doctype') continue;
    if (child.type !== 'element') {
      out.push(child);
      continue;
    }
    if (textOnly) {
      const where = namespace === 'svg' ? 'a drawing' : 'a formula';
      warn(file, `Dropped \`<${child.tagName}>\` inside \`<${parent}>\`: ${where} holds only text there`, {
        place: child.position,
        ruleId: 'html-unsafe',
      });
      continue;
    }
    out.push(...sanitizeElement(child, file, namespace));
  }
  return out;
}

function sanitizeElement(element: Element, file: VFile, context: Namespace): ElementContent[] {
  const name = element.tagName;
  const namespace: Namespace =
    context === 'html' && name === 'svg' ? 'svg' : context === 'html' && name === 'math' ? 'math' : context;
  const place = element.position;
  const schema = schemas[namespace];
  const allowed = schema.tagNames?.includes(name) === true && !(name === 'input' && !isTaskCheckbox(element));
  if (namespace === 'html' && name === 'picture') {
    // The image a picture falls back to is the one every edition can show (a README's logo for light and dark).
    const images = element.children.filter((child) => child.type === 'element' && child.tagName === 'img');
    warn(
      file,
      images.length > 0
        ? 'Kept only the `<img>` of `<picture>`: its other sources (`<source>`) choose among images on screens'
        : `Dropped \`<picture>\`: it has no \`<img>\`; ${reason(name, namespace)}`,
      { place, ruleId: 'html-unsafe' },
    );
    return sanitizeChildren(images, file, namespace, name) as ElementContent[];
  }
  if (!allowed) {
    if (namespace !== 'html' || htmlDropped.includes(name) || !isKnownHtml(name)) {
      warn(file, `Dropped \`<${name}>\`: ${reason(name, namespace)}`, { place, ruleId: 'html-unsafe' });
      return [];
    }
    warn(file, `Unwrapped \`<${name}>\`: no edition knows this element, so only its content is kept`, {
      place,
      ruleId: 'html-unsafe',
    });
    return sanitizeChildren(element.children, file, namespace, name) as ElementContent[];
  }

  element.properties = sanitizeProperties(element, namespace, file);
  const before = element.children.length;
  element.children = sanitizeChildren(element.children, file, namespace, name) as ElementContent[];
  // A paragraph that held only what was dropped goes too.
  if (
    name === 'p' &&
    before > 0 &&
    element.children.every((child) => child.type === 'text' && child.value.trim() === '')
  ) {
    return [];
  }
  return [element];
}

/** An element name that is not HTML at all (a custom element, a typo) is unwrapped; a foreign one is dropped. */
function isKnownHtml(name: string): boolean {
  return !/^(?:svg|math)$/.test(name);
}

function sanitizeProperties(element: Element, namespace: Namespace, file: VFile): Properties {
  const name = element.tagName;
  const given: Properties = { ...element.properties };
  const removed: string[] = [];
  // What the library cannot know: URLs read as browsers read them, drawings referring only to themselves, CSS.
  for (const [key, value] of Object.entries(given)) {
    if (value === null || value === undefined) continue;
    const text = Array.isArray(value) ? value.join(' ') : String(value);
    let problem: string | undefined;
    if (key === 'href' || key === 'src' || key === 'xLinkHref' || key === 'cite') {
      const url = urlAsBrowsersRead(text);
      given[key] = url;
      if (namespace === 'svg' && name !== 'a' && !/^#|^data:image\//i.test(url)) problem = 'an outside reference';
      else if (key !== 'src' && !isFollowableLink(url)) problem = 'a URL no reader may follow';
      else if (key === 'src' && /^(?:javascript|vbscript|livescript|mocha):/.test(url)) problem = 'a script URL';
    } else if (key === 'style') {
      const css = cssProblem(text);
      if (css !== undefined) problem = `${css}`;
    } else if (namespace === 'svg' && /url\s*\(/i.test(text) && !/^\s*url\(\s*(["']?)#[\w.:-]*\1\s*\)\s*$/.test(text)) {
      problem = 'an outside reference';
    }
    if (problem !== undefined) {
      delete given[key];
      removed.push(`\`${attributeName(key, namespace)}\` (${problem})`);
    }
  }
  const kept = sanitize({ type: 'element', tagName: name, properties: given, children: [] }, schemas[namespace]);
  const properties = kept.type === 'element' ? kept.properties : {};
  for (const key of ['href', 'src'] as const) {
    const value = properties[key];
    if (typeof value === 'string') properties[key] = wellFormedUri(value);
  }
  for (const key of Object.keys(given)) {
    if (!(key in properties) && given[key] !== null && given[key] !== undefined && given[key] !== false) {
      removed.push(`\`${attributeName(key, namespace)}\``);
    }
  }
  if (removed.length > 0) {
    warn(file, `Removed ${removed.join(', ')} from \`<${name}>\``, { place: element.position, ruleId: 'html-unsafe' });
  }
  return properties;
}

/** GFM task list items: a disabled checkbox made by remark-gfm, harmless and shown as a box. */
function isTaskCheckbox(element: Element): boolean {
  return element.tagName === 'input' && element.properties.type === 'checkbox' && element.properties.disabled === true;
}

function reason(name: string, namespace: Namespace): string {
  if (name === 'script' || name === 'noscript') return 'a manuscript cannot run scripts';
  if (name === 'style' || name === 'link')
    return 'styles come from the templates, and a manuscript cannot load a style sheet';
  if (name === 'meta' || name === 'base' || name === 'title' || name === 'head')
    return 'the document’s head is made by imprint';
  if (['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'param', 'portal'].includes(name)) {
    return 'a manuscript cannot embed other documents';
  }
  if (['video', 'audio', 'source', 'track', 'canvas', 'picture'].includes(name)) {
    return 'media and canvases cannot be printed; use an image';
  }
  if (name === 'foreignObject') return 'an SVG cannot embed HTML';
  if (namespace === 'svg') return 'a drawing in a report draws only (no scripts, animation or embedded documents)';
  if (namespace === 'math') return 'only MathML presentation markup is shown';
  if (['xmp', 'noembed', 'noframes', 'plaintext', 'template'].includes(name)) return 'it holds raw text';
  return 'forms and interactive elements have no place in a report';
}

function attributeName(key: string, namespace: Namespace): string {
  return find(namespace === 'svg' ? svg : html, key).attribute;
}

/**
 * A URI as written, made well-formed for every edition (XHTML requires it): a
 * `%` that starts no escape becomes `%25`, and characters a URI cannot hold
 * are percent-encoded. A well-formed URI is left as it is.
 */
export function wellFormedUri(uri: string): string {
  return uri.replace(/%(?![0-9A-Fa-f]{2})/g, '%25').replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu, (character) => {
    try {
      return encodeURIComponent(character);
    } catch {
      return '%EF%BF%BD';
    }
  });
}
