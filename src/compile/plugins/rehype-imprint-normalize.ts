import type { Element, ElementContent, Root } from 'hast';
import { find, html } from 'property-information';
import type { Plugin } from 'unified';
import type { VFile } from 'vfile';
import { warn } from '../../diagnostics/report.js';

/**
 * Raw HTML that browsers accept, made what every edition's content model
 * allows (the EPUB's XHTML is checked against it, and a reader may refuse
 * what breaks it). Runs after the sanitizer, on what it kept. Nothing of the
 * text is lost: an element that cannot stand where it was written becomes a
 * `span` (among phrasing content) or a `div` (among flow content) with the
 * same content, and each change is a warning at its line (`html-normalized`).
 *
 * - `<a name="x">`, the old link target, becomes `<a id="x">`.
 * - `width` and `height` hold a number of pixels: `50%` or `10em` move to
 *   the element's `style`, `10px` becomes `10`, anything else goes.
 * - Block content inside phrasing content (a `div` in a `span`, a list in a
 *   heading), list items, table parts, captions and the like outside their
 *   parents, and a link inside a link are changed as said above.
 */
const rehypeImprintNormalize: Plugin<[], Root> = function () {
  return (tree, file) => {
    for (const child of tree.children) if (child.type === 'element') normalize(child, undefined, false, false, file);
  };
};

export default rehypeImprintNormalize;

/** Phrasing content (HTML's content categories): what may stand in a paragraph. */
export const phrasing: ReadonlySet<string> = new Set([
  'a',
  'abbr',
  'audio',
  'b',
  'bdi',
  'bdo',
  'br',
  'button',
  'canvas',
  'cite',
  'code',
  'data',
  'datalist',
  'del',
  'dfn',
  'em',
  'embed',
  'i',
  'iframe',
  'img',
  'input',
  'ins',
  'kbd',
  'label',
  'map',
  'mark',
  'math',
  'meter',
  'noscript',
  'object',
  'output',
  'picture',
  'progress',
  'q',
  'ruby',
  's',
  'samp',
  'script',
  'select',
  'slot',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'svg',
  'template',
  'textarea',
  'time',
  'u',
  'var',
  'video',
  'wbr',
]);
/** Elements whose content must be phrasing content. */
const phrasingOnly = new Set([
  'abbr',
  'b',
  'bdi',
  'bdo',
  'cite',
  'code',
  'data',
  'dfn',
  'em',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'i',
  'kbd',
  'label',
  'mark',
  'p',
  'pre',
  'q',
  'rp',
  'rt',
  's',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'time',
  'u',
  'var',
  'legend',
  'summary',
  'dt',
  'output',
  'meter',
  'progress',
]);
/** Elements whose content model is their parent's. */
const transparent = new Set(['a', 'ins', 'del', 'map', 'object', 'audio', 'video', 'canvas', 'slot', 'noscript']);
/** The parent of a `div` that groups terms in a `dl`: only there may a `div` hold `dt` and `dd`. */
const inDefinitionList = 'dl div';
/** Elements that may only stand in certain parents. */
const parents: Record<string, readonly string[]> = {
  li: ['ul', 'ol', 'menu'],
  dt: ['dl', inDefinitionList],
  dd: ['dl', inDefinitionList],
  tr: ['table', 'thead', 'tbody', 'tfoot'],
  td: ['tr'],
  th: ['tr'],
  thead: ['table'],
  tbody: ['table'],
  tfoot: ['table'],
  caption: ['table'],
  colgroup: ['table'],
  col: ['colgroup', 'table'],
  figcaption: ['figure'],
  summary: ['details'],
  rt: ['ruby'],
  rp: ['ruby'],
  legend: ['fieldset'],
  source: ['picture', 'audio', 'video'],
  param: ['object'],
  option: ['select', 'datalist', 'optgroup'],
};
/** Attributes HTML no longer has (layout is the templates' work), which the EPUB's XHTML may not hold. */
const obsolete = new Set([
  'language',
  'bgColor',
  'vAlign',
  'hSpace',
  'vSpace',
  'clear',
  'noWrap',
  'noShade',
  'compact',
  'background',
  'charOff',
  'char',
  'axis',
]);
/** Attributes that stay on an element renamed to `span` or `div`. */
const global = new Set(['id', 'className', 'lang', 'dir', 'title', 'hidden', 'translate', 'role', 'style']);
/**
 * An XML name (letters, digits and `-._:`, not starting with a digit, `-` or `.`), the form an XHTML attribute's name
 * takes.
 */
const xmlName = /^[\p{L}_:][\p{L}\p{N}_:.\-\u00B7\u0300-\u036F\u203F-\u2040]*$/u;
/** Elements whose `width` and `height` are a number of pixels. */
const sized = new Set(['img', 'canvas', 'video', 'iframe', 'embed', 'object', 'input', 'source']);

function normalize(
  element: Element,
  parent: string | undefined,
  inPhrasing: boolean,
  inLink: boolean,
  file: VFile,
): ElementContent[] {
  const name = element.tagName;
  if (name === 'svg' || name === 'math') return [element];
  if (name === 'a' && typeof element.properties.name === 'string' && element.properties.name !== '') {
    if (element.properties.id === undefined) element.properties.id = element.properties.name;
    delete element.properties.name;
  }
  if (sized.has(name)) sizes(element, file);
  for (const key of Object.keys(element.properties)) {
    const attribute = find(html, key).attribute;
    if (xmlName.test(attribute) && (!attribute.includes(':') || /^(?:xml|xlink|xmlns|epub):/.test(attribute))) continue;
    changed(
      file,
      element,
      `Removed the attribute \`${attribute}\` from \`<${name}>\`: its name is not one a document can hold`,
    );
    delete element.properties[key];
  }

  for (const key of Object.keys(element.properties)) {
    if (key in html.property || /^(?:data|aria)[A-Z0-9]/.test(key) || key.includes(':')) continue;
    changed(
      file,
      element,
      `Removed the attribute \`${find(html, key).attribute}\` from \`<${name}>\`: HTML has no such attribute`,
    );
    delete element.properties[key];
  }
  for (const key of Object.keys(element.properties)) {
    if (!obsolete.has(key)) continue;
    changed(
      file,
      element,
      `Removed the obsolete attribute \`${find(html, key).attribute}\` from \`<${name}>\`: use a ` +
        `class and the templates' styles`,
    );
    delete element.properties[key];
  }
  // An inline element left open (`<a href="x">` with no `</a>`) takes in everything after it, headings too:
  // it is closed before the first heading, which stands after it again.
  let hoisted: ElementContent[] = [];
  if (phrasing.has(name) && !inPhrasing) {
    const heading = element.children.findIndex((child) => child.type === 'element' && /^h[1-6]$/.test(child.tagName));
    if (heading >= 0) {
      hoisted = element.children.splice(heading);
      const at = hoisted[0]!.position?.start.line;
      changed(
        file,
        element,
        `Closed \`<${name}>\` before the heading${at ? ` at line ${at}` : ''}: it was left open, and ` +
          `a heading cannot stand inside it`,
      );
    }
  }
  const required = parents[name];
  const misplaced = required !== undefined && (parent === undefined || !required.includes(parent));
  if (name === 'a' && inLink) {
    changed(file, element, `Unwrapped a link inside a link (\`<a>\` cannot hold another): its text stays`);
    return normalizeChildren(element.children, parent, inPhrasing, inLink, file);
  }
  if (misplaced || (inPhrasing && !phrasing.has(name))) {
    const replacement = inPhrasing ? 'span' : 'div';
    const why = misplaced
      ? `it stands only in ${required!.map(placeName).join(', ')}`
      : `it cannot stand inside ${parent ? `\`<${parent}>\`` : 'phrasing content'}`;
    changed(file, element, `Made \`<${name}>\` a \`<${replacement}>\`: ${why}; its content stays`);
    element.tagName = replacement;
    for (const key of Object.keys(element.properties))
      if (!global.has(key) && !key.startsWith('data')) delete element.properties[key];
  }
  const tag = element.tagName;
  const childPhrasing = transparent.has(tag) ? inPhrasing : phrasingOnly.has(tag);
  const context = tag === 'div' && parent === 'dl' ? inDefinitionList : tag;
  element.children = normalizeChildren(element.children, context, childPhrasing, inLink || tag === 'a', file);
  if (tag === 'ul' || tag === 'ol' || tag === 'menu') listItems(element, file);
  return [element, ...normalizeChildren(hoisted, parent, inPhrasing, inLink, file)];
}

function normalizeChildren(
  children: ElementContent[],
  parent: string | undefined,
  inPhrasing: boolean,
  inLink: boolean,
  file: VFile,
): ElementContent[] {
  return children.flatMap((child) =>
    child.type === 'element' ? normalize(child, parent, inPhrasing, inLink, file) : [child],
  );
}

/** A list holds list items only: anything else in it goes into one. */
function listItems(list: Element, file: VFile): void {
  const stray = list.children.some((child) =>
    child.type === 'element'
      ? child.tagName !== 'li' && child.tagName !== 'script' && child.tagName !== 'template'
      : child.type === 'text' && child.value.trim() !== '',
  );
  if (!stray) return;
  changed(
    file,
    list,
    `Put content that stood directly in \`<${list.tagName}>\` into list items: a list holds only \`<li>\``,
  );
  const items: ElementContent[] = [];
  let loose: ElementContent[] = [];
  const flush = () => {
    if (loose.some((node) => node.type !== 'text' || node.value.trim() !== ''))
      items.push({ type: 'element', tagName: 'li', properties: {}, children: loose });
    loose = [];
  };
  for (const child of list.children) {
    if (child.type === 'element' && child.tagName === 'li') {
      flush();
      items.push(child);
    } else if (child.type === 'element' || child.type === 'text') loose.push(child);
  }
  flush();
  list.children = items;
}

/** `width` and `height` as HTML wants them: a whole number of pixels. */
function sizes(element: Element, file: VFile): void {
  for (const key of ['width', 'height'] as const) {
    const value = element.properties[key];
    if (value === undefined || value === null || (typeof value === 'number' && Number.isInteger(value) && value >= 0))
      continue;
    const text = String(value).trim();
    delete element.properties[key];
    const pixels = /^(\d+)(?:\.\d*)?(?:px)?$/i.exec(text);
    if (pixels) {
      element.properties[key] = Number(pixels[1]);
      continue;
    }
    if (/^\d+(?:\.\d+)?(?:%|em|rem|ex|ch|vw|vh|cm|mm|in|pt|pc)$/i.test(text)) {
      const style =
        typeof element.properties.style === 'string' ? element.properties.style.trim().replace(/;?$/, ';') : '';
      element.properties.style = `${style}${style ? ' ' : ''}${key}: ${text}`;
      continue;
    }
    changed(file, element, `Removed \`${key}="${text}"\` from \`<${element.tagName}>\`: it is not a size`);
  }
}

function placeName(place: string): string {
  return place === inDefinitionList ? 'a `<div>` in a `<dl>`' : `\`<${place}>\``;
}

function changed(file: VFile, element: Element, reason: string): void {
  warn(file, reason, { place: element.position, ruleId: 'html-normalized' });
}
