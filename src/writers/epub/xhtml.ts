import type { ElementContent, Root } from 'hast';
import { toXast } from 'hast-util-to-xast';
import type { Element as XastElement, Root as XastRoot } from 'xast';
import { toXml } from 'xast-util-to-xml';

const voidElements = [
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
];
const emptyVoid = new RegExp(`<(${voidElements.join('|')})((?:\\s+[^\\s=/>]+="[^"]*")*)></\\1>`, 'g');

/**
 * Serialize HTML content as XHTML (the XML syntax EPUB content documents
 * use): every element closed, void elements self-closed (`<br/>`), inline SVG
 * and MathML in their own namespaces, text kept as UTF-8 rather than character references,
 * and `xml:lang` beside every `lang` (XML reading systems read only the
 * former).
 */
export function toXhtml(content: Root | ElementContent | ElementContent[]): string {
  const root: Root = Array.isArray(content)
    ? { type: 'root', children: content }
    : content.type === 'root'
      ? content
      : { type: 'root', children: [content] };
  const withXmlLang = (node: Root | ElementContent): Root | ElementContent => {
    if (node.type !== 'element' && node.type !== 'root') return node;
    const children = (node.children as ElementContent[]).map(withXmlLang) as ElementContent[];
    if (node.type === 'root') return { ...node, children };
    const lang = node.properties.lang;
    const properties = typeof lang === 'string' ? { ...node.properties, xmlLang: lang } : { ...node.properties };
    // A formula is in the MathML namespace in XML, whether imprint wrote it or the manuscript did.
    if (node.tagName === 'math') properties.xmlns = 'http://www.w3.org/1998/Math/MathML';
    return { ...node, properties, children };
  };
  const xast = toXast(withXmlLang(root)) as XastRoot;
  declareXlink(xast);
  for (const child of xast.children) {
    // The XHTML namespace is the document's default: no need to repeat it on every top-level element.
    if (child.type === 'element' && child.attributes.xmlns === 'http://www.w3.org/1999/xhtml')
      delete child.attributes.xmlns;
  }
  // Characters XML cannot hold (control characters from a data file, say) become U+FFFD, and `]]>`,
  // which XML forbids in text, is escaped, so the document stays well-formed; the manuscript's own
  // control characters were reported when it was read.
  return toXml(xast as XastRoot | XastElement)
    .replace(emptyVoid, '<$1$2/>')
    .replace(notXmlCharacter, '\uFFFD')
    .replace(/]]>/g, ']]&gt;');
}

/** Characters XML 1.0 does not allow: most C0 controls, U+FFFE, U+FFFF and unpaired surrogates. */
export const notXmlCharacter =
  // With the `u` flag, `\p{Cs}` matches only a surrogate that is not half of a pair.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|\p{Cs}/gu;

/** An element with `xlink:` attributes (an SVG link or `<use>`) declares the XLink namespace, which XML requires. */
function declareXlink(node: XastRoot | XastElement): void {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    if (Object.keys(child.attributes).some((name) => name.startsWith('xlink:')))
      child.attributes['xmlns:xlink'] = 'http://www.w3.org/1999/xlink';
    declareXlink(child);
  }
}
