import type { Schema } from 'hast-util-sanitize';
import { find, html, svg } from 'property-information';

/**
 * What each edition can show, by namespace: the allow-lists the sanitizer
 * (hast-util-sanitize) applies to each element according to the namespace the
 * HTML parser gives it. Every edition (the print-styled HTML page, the PDF
 * printed from it, the EPUB's XHTML) shows the same content, so one schema per
 * namespace serves all three.
 */

const ariaProperties = Object.keys(html.property).filter((name) => /^aria[A-Z]/.test(name));

/** Attributes every HTML element may carry. `style` is checked further (no loads, no escapes). */
const htmlGlobal = [
  'id', 'className', 'lang', 'dir', 'title', 'role', 'hidden', 'translate', 'style', 'data*', ...ariaProperties,
];

/** HTML elements the editions know how to show (HTML and EPUB 3 XHTML alike). */
const htmlTagNames = [
  'a', 'abbr', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'blockquote', 'br', 'caption', 'cite', 'code', 'col',
  'colgroup', 'data', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'footer', 'h1',
  'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'main', 'mark', 'nav', 'ol',
  'p', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'section', 'small', 'span', 'strong', 'sub', 'summary', 'sup',
  'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'time', 'tr', 'u', 'ul', 'var', 'wbr',
  'input', // task-list checkboxes (GFM): only a disabled checkbox, see `required`
];

/**
 * HTML elements dropped with everything inside, because they run, load, embed,
 * hold raw text the parser reads differently, or belong to the document's head.
 * Any other element not allowed is unwrapped: its content stays.
 */
export const htmlDropped = [
  'script', 'noscript', 'style', 'link', 'meta', 'base', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet',
  'param', 'template', 'slot', 'portal', 'form', 'input', 'button', 'select', 'option', 'optgroup', 'textarea',
  'datalist', 'output', 'video', 'audio', 'source', 'track', 'canvas', 'dialog', 'title', 'xmp', 'noembed',
  'noframes', 'plaintext', 'listing', 'image', 'map', 'area', 'picture', 'marquee', 'head', 'svg', 'math',
];

/** Link targets a reader may follow: the web, mail, and places in the document (no scheme). */
export const linkProtocols = ['http', 'https', 'mailto'];

export const htmlSchema: Schema = {
  tagNames: htmlTagNames,
  attributes: {
    '*': htmlGlobal,
    // `name` is an old way to make a link target: the normaliser after the sanitizer turns it into an `id`.
    a: ['href', 'hrefLang', 'type', 'rel', 'name'],
    img: ['src', 'alt', 'width', 'height'],
    ol: ['start', 'reversed', 'type'],
    ul: ['type'],
    li: ['value'],
    td: ['colSpan', 'rowSpan', 'headers', 'align', 'vAlign', 'scope'],
    th: ['colSpan', 'rowSpan', 'headers', 'align', 'vAlign', 'scope', 'abbr'],
    col: ['span', 'align', 'width'],
    colgroup: ['span', 'align', 'width'],
    table: ['summary', 'border'],
    time: ['dateTime'],
    data: ['value'],
    del: ['cite', 'dateTime'],
    ins: ['cite', 'dateTime'],
    q: ['cite'],
    blockquote: ['cite'],
    details: ['open'],
    bdo: ['dir'],
    input: [['disabled', true], ['type', 'checkbox'], 'checked'],
  },
  required: { input: { disabled: true, type: 'checkbox' } },
  protocols: {
    href: linkProtocols,
    cite: ['http', 'https'],
    // An image's `src` is read by imprint (project files, data: URLs, remote only when allowed) and replaced.
    src: ['http', 'https', 'data'],
  },
  clobber: [],
  ancestors: {},
  allowComments: false,
  allowDoctypes: false,
  strip: htmlDropped,
};

/** SVG elements that draw (structure, shapes, text, paint servers, filters), and nothing that runs, animates or loads. */
const svgTagNames = [
  'svg', 'g', 'defs', 'symbol', 'use', 'title', 'desc', 'metadata', 'switch', 'a', 'view',
  'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon', 'text', 'tspan', 'textPath',
  'linearGradient', 'radialGradient', 'stop', 'pattern', 'clipPath', 'mask', 'marker', 'image',
  'filter', 'feBlend', 'feColorMatrix', 'feComponentTransfer', 'feComposite', 'feConvolveMatrix', 'feDiffuseLighting',
  'feDisplacementMap', 'feDistantLight', 'feDropShadow', 'feFlood', 'feFuncA', 'feFuncB', 'feFuncG', 'feFuncR',
  'feGaussianBlur', 'feMerge', 'feMergeNode', 'feMorphology', 'feOffset', 'fePointLight', 'feSpecularLighting',
  'feSpotLight', 'feTile', 'feTurbulence',
];

/** SVG attributes that load, run or navigate in ways a report has no use for. */
const svgRefused = new Set([
  'handler', 'event', 'ping', 'download', 'crossOrigin', 'referrerPolicy', 'contentScriptType', 'xmlBase',
  'observer', 'defaultAction', 'propagate', 'syncMaster', 'attributeName', 'attributeType', 'begin', 'end', 'dur',
  'from', 'to', 'by', 'values', 'keyTimes', 'keySplines', 'keyPoints', 'repeatCount', 'repeatDur', 'restart',
  'additive', 'accumulate', 'calcMode', 'target',
]);

/** Every SVG attribute property-information knows, but event handlers and what `svgRefused` lists. */
const svgAttributes = Object.keys(svg.property).filter((name) => !/^on/i.test(name) && !svgRefused.has(name));

export const svgSchema: Schema = {
  tagNames: svgTagNames,
  attributes: { '*': [...svgAttributes, 'data*'] },
  protocols: { href: linkProtocols, xLinkHref: linkProtocols },
  required: {},
  clobber: [],
  ancestors: {},
  allowComments: false,
  allowDoctypes: false,
  // In a drawing, nothing unknown is unwrapped: its content would land in another context.
  strip: [],
};

/** MathML presentation markup (what remark-math and TeX converters write), and its annotations as text. */
const mathTagNames = [
  'math', 'semantics', 'annotation', 'mrow', 'mi', 'mn', 'mo', 'ms', 'mtext', 'mspace', 'mfrac', 'msqrt', 'mroot',
  'msub', 'msup', 'msubsup', 'munder', 'mover', 'munderover', 'mmultiscripts', 'mprescripts', 'none', 'mtable',
  'mtr', 'mtd', 'mlabeledtr', 'mstyle', 'mpadded', 'mphantom', 'menclose', 'merror', 'mfenced',
];
const mathAttributeNames = [
  'id', 'class', 'dir', 'lang', 'style', 'display', 'displaystyle', 'scriptlevel', 'mathvariant', 'mathsize',
  'mathcolor', 'mathbackground', 'accent', 'accentunder', 'fence', 'form', 'largeop', 'lspace', 'rspace', 'maxsize',
  'minsize', 'movablelimits', 'separator', 'separators', 'stretchy', 'symmetric', 'linethickness', 'depth', 'height',
  'width', 'voffset', 'notation', 'columnalign', 'rowalign', 'columnspan', 'rowspan', 'columnlines', 'rowlines',
  'frame', 'framespacing', 'align', 'rowspacing', 'columnspacing', 'equalrows', 'equalcolumns', 'side', 'encoding',
  'alttext', 'open', 'close', 'xmlns', 'numalign', 'denomalign', 'bevelled', 'scriptminsize', 'scriptsizemultiplier',
  'ms', 'lquote', 'rquote', 'role', 'aria-label', 'aria-hidden',
];

export const mathSchema: Schema = {
  tagNames: mathTagNames,
  attributes: { '*': [...mathAttributeNames.map((name) => find(html, name).property), 'data*'] },
  protocols: {},
  required: {},
  clobber: [],
  ancestors: {},
  allowComments: false,
  allowDoctypes: false,
  strip: [],
};

export type Namespace = 'html' | 'svg' | 'math';

export const schemas: Record<Namespace, Schema> = { html: htmlSchema, svg: svgSchema, math: mathSchema };

/**
 * Elements whose element children the HTML parser puts in the HTML namespace
 * although they sit in a drawing or a formula (the "integration points"): in
 * a report they hold text only, so any element in them is dropped.
 */
export const integrationPoints: Record<Exclude<Namespace, 'html'>, ReadonlySet<string>> = {
  svg: new Set(['foreignObject', 'desc', 'title']),
  math: new Set(['mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'annotation']),
};
