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
    for (const child of tree.children) if (child.type === 'element') unnest(child, new Set(), file);
  };
};

/** Elements that may not stand anywhere inside others (not only directly), and what they become there. */
const notWithin: Record<string, { within: readonly string[]; becomes: string }> = {
  header: { within: ['header', 'footer'], becomes: 'div' },
  footer: { within: ['header', 'footer'], becomes: 'div' },
  address: { within: ['address'], becomes: 'div' },
  dfn: { within: ['dfn'], becomes: 'span' },
};

/** An element that cannot stand inside an ancestor of its kind made a `div` or `span` there. */
function unnest(element: Element, ancestors: ReadonlySet<string>, file: VFile): void {
  const rule = notWithin[element.tagName];
  const ancestor = rule?.within.find((name) => ancestors.has(name));
  if (rule && ancestor) {
    changed(
      file,
      element,
      `Made \`<${element.tagName}>\` a \`<${rule.becomes}>\`: it cannot stand inside \`<${ancestor}>\`; ` +
        'its content stays',
    );
    element.tagName = rule.becomes;
  }
  if (element.tagName === 'svg' || element.tagName === 'math') return;
  const inner = notWithin[element.tagName] ? new Set([...ancestors, element.tagName]) : ancestors;
  for (const child of element.children) if (child.type === 'element') unnest(child, inner, file);
}

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
  'border',
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
  if (name === 'svg') withoutEmptyImages(element);
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
  values(element, file);
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
  groups(element, file);
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

/** A date, a time, a date and time, a zone, a week or a duration, as HTML's `datetime` takes them. */
const dateTime = new RegExp(
  '^(?:' +
    [
      String.raw`\d{4,}(?:-\d{2}(?:-\d{2})?)?`,
      String.raw`(?:--)?\d{2}-\d{2}`,
      String.raw`\d{4,}-W\d{2}`,
      String.raw`\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?`,
      String.raw`\d{4,}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?`,
      String.raw`Z|[+-]\d{2}:?\d{2}`,
      String.raw`P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,3})?S)?)?`,
    ].join('|') +
    ')$',
);
/** A date, with a time or not. */
function dated(value: string): boolean {
  return /^\d{4,}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim());
}
/** Whether a whole number is at least `least`. */
const whole = (least: number) => (value: string) => /^[+-]?\d+$/.test(value.trim()) && Number(value) >= least;
/** The values an attribute may take, by property name, or by element and property name. */
const allowed: Record<string, (value: string) => boolean> = {
  dir: (value) => /^(?:ltr|rtl|auto)$/.test(value),
  translate: (value) => /^(?:|yes|no)$/.test(value),
  'ol.start': whole(-Infinity),
  'li.value': whole(-Infinity),
  colSpan: whole(1),
  rowSpan: whole(0),
  span: whole(1),
  scope: (value) => /^(?:row|col|rowgroup|colgroup)$/.test(value),
  dateTime: (value) => dateTime.test(value.trim()) && !/^PT?$/.test(value.trim()),
  // An insertion or deletion is dated: a date, with a time or not.
  'ins.dateTime': dated,
  'del.dateTime': dated,
  'a.type': (value) => /^[a-zA-Z0-9!#$&+\-^_]+\/[a-zA-Z0-9!#$&+\-^_]+/.test(value),
  'ol.type': (value) => /^[1aAiI]$/.test(value),
  'ul.type': () => false,
  'li.type': () => false,
  // A scheme with nothing after it (`mailto:`, `https://`) is no address.
  href: (value) => !/^[a-z][a-z0-9+.-]*:(?:\/\/)?$/i.test(value.trim()),
};

/**
 * An SVG `image` whose reference the sanitizer took (a remote or unsafe one, said there) draws nothing, and SVG 1.1,
 * which the EPUB checks against, wants sizes on it: it goes.
 */
function withoutEmptyImages(element: Element): void {
  element.children = element.children.filter(
    (child) =>
      child.type !== 'element' ||
      child.tagName !== 'image' ||
      child.properties.href !== undefined ||
      child.properties.xLinkHref !== undefined,
  );
  for (const child of element.children) if (child.type === 'element') withoutEmptyImages(child);
}

/** Attribute values an edition's content model refuses, removed (a case it ignores, corrected). */
function values(element: Element, file: VFile): void {
  const name = element.tagName;
  for (const key of Object.keys(element.properties)) {
    const value = element.properties[key];
    if (key === 'id') {
      if (typeof value !== 'string' || !/\s|^$/.test(value)) continue;
      const id = value.trim().replace(/\s+/g, '-');
      changed(
        file,
        element,
        id === ''
          ? `Removed the empty id of \`<${name}>\``
          : `Changed the id \`${value}\` of \`<${name}>\` to \`${id}\`: an id has no spaces`,
      );
      if (id === '') delete element.properties.id;
      else element.properties.id = id;
      continue;
    }
    const check = allowed[`${name}.${key}`] ?? allowed[key];
    if (!check || value === undefined || value === null || typeof value === 'boolean') continue;
    const text = Array.isArray(value) ? value.join(' ') : String(value);
    if (check(text)) continue;
    if (/^(?:dir|translate|scope)$/.test(key) && check(text.trim().toLowerCase())) {
      element.properties[key] = text.trim().toLowerCase();
      continue;
    }
    changed(
      file,
      element,
      `Removed \`${find(html, key).attribute}="${text}"\` from \`<${name}>\`: it is not a value it can take`,
    );
    delete element.properties[key];
  }
  if (name === 'colgroup' && element.children.some((child) => child.type === 'element' && child.tagName === 'col'))
    delete element.properties.span;
}

/** The element children that count in a content model: not `script` or `template`, and text only if not blank. */
function significant(element: Element): Array<Element | string> {
  return element.children.flatMap((child): Array<Element | string> => {
    if (child.type === 'element') return child.tagName === 'script' || child.tagName === 'template' ? [] : [child];
    return child.type === 'text' && child.value.trim() !== '' ? ['#text'] : [];
  });
}

/** Terms, each run followed by its definitions: `(dt+ dd+)*`. */
function termsAndDefinitions(children: Array<Element | string>): boolean {
  const names = children.map((child) => (typeof child === 'string' ? child : child.tagName)).join(' ');
  return names === '' || /^(?:dt(?: dt)* dd(?: dd)*)(?: dt(?: dt)* dd(?: dd)*)*$/.test(names);
}

/**
 * Elements whose children come in a set order, made a `div` (a `dl`, a `details`) or put in order (a `details`'
 * `summary`, a `figure`'s extra captions) where they are not: the content stays, in its order where it can.
 */
function groups(element: Element, file: VFile): void {
  const name = element.tagName;
  if (name === 'dl') {
    const children = significant(element);
    const grouped =
      children.length > 0 && children.every((child) => typeof child !== 'string' && child.tagName === 'div');
    if (
      grouped
        ? children.every((div) => termsAndDefinitions(significant(div as Element)))
        : termsAndDefinitions(children)
    )
      return;
    changed(
      file,
      element,
      'Made `<dl>` a `<div>`: it must hold terms (`<dt>`), each run followed by its definitions (`<dd>`), ' +
        'and nothing else; its content stays',
    );
    element.tagName = 'div';
    // Its terms and definitions go with it, said once.
    for (const child of element.children) {
      if (child.type !== 'element') continue;
      const inner = child.tagName === 'div' ? child.children : [child];
      for (const item of inner)
        if (item.type === 'element' && (item.tagName === 'dt' || item.tagName === 'dd')) item.tagName = 'div';
    }
  } else if (name === 'details') {
    const children = significant(element);
    if (typeof children[0] !== 'string' && children[0]?.tagName === 'summary') return;
    const summary = element.children.find((child) => child.type === 'element' && child.tagName === 'summary');
    if (summary) {
      changed(file, element, 'Moved the `<summary>` of `<details>` to its start, where it must stand');
      element.children = [summary, ...element.children.filter((child) => child !== summary)];
    } else {
      changed(file, element, 'Made `<details>` a `<div>`: it has no `<summary>` to start it; its content stays');
      element.tagName = 'div';
      delete element.properties.open;
    }
  } else if (name === 'hgroup') {
    if (significant(element).every((child) => typeof child !== 'string' && /^h[1-6]$/.test(child.tagName))) return;
    changed(file, element, 'Made `<hgroup>` a `<div>`: it holds headings only; its content stays');
    element.tagName = 'div';
  } else if (
    (name === 'data' && element.properties.value === undefined) ||
    (name === 'bdo' && element.properties.dir === undefined) ||
    (name === 'ruby' && !element.children.some((child) => child.type === 'element' && child.tagName === 'rt'))
  ) {
    const needs = name === 'data' ? '`value`' : name === 'bdo' ? '`dir`' : 'reading (`<rt>`)';
    changed(file, element, `Made \`<${name}>\` a \`<span>\`: it has no ${needs}; its content stays`);
    element.tagName = 'span';
  } else if (name === 'figure') {
    const children = significant(element);
    const captions = children.filter((child) => typeof child !== 'string' && child.tagName === 'figcaption');
    const kept =
      children[0] === captions[0] ? captions[0] : children.at(-1) === captions.at(-1) ? captions.at(-1) : undefined;
    for (const caption of captions) {
      if (caption === kept || typeof caption === 'string') continue;
      changed(
        file,
        caption,
        'Made `<figcaption>` a `<div>`: a figure has one caption, first or last; its content stays',
      );
      caption.tagName = 'div';
    }
  }
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
