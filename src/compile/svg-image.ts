import type { Element, ElementContent, Root, RootContent } from 'xast';
import { fromXml } from 'xast-util-from-xml';
import { toXml } from 'xast-util-to-xml';
import { cssProblem } from './sanitize/css.js';
import { svgSchema } from './sanitize/schemas.js';
import { isFollowableLink, urlAsBrowsersRead, urlScheme } from './sanitize/urls.js';

/**
 * What one SVG image may cost: elements in the file, elements drawn once every
 * `<use>` is expanded (a 1.8 KB file of nested `<use>`s draws billions and
 * takes a browser to gigabytes), and nesting depth.
 */
export const svgImageLimits = { elements: 100_000, drawnElements: 250_000, depth: 500 } as const;

export type SvgImageResult =
  | { bytes: Uint8Array; removed: string[] }
  | { problem: string; ruleId: 'image-invalid' | 'image-too-complex' };

const svgNamespace = 'http://www.w3.org/2000/svg';
const xlinkNamespace = 'http://www.w3.org/1999/xlink';
const allowedElements = new Set(svgSchema.tagNames ?? []);
/** Attributes that animate, run or load, and have no use in a still image. */
const refusedAttributes = new RegExp(
  `^(?:on.*|${['handler', 'event', 'ping', 'download', 'crossorigin', 'referrerpolicy'].join('|')}|` +
    `${['contentscripttype', 'xml:base', 'externalresourcesrequired'].join('|')})$`,
  'i',
);

/**
 * An SVG file used as an image, made safe for every edition: parsed as XML
 * (its XML declaration, comments and DOCTYPE, as Graphviz writes them, are
 * fine; entity definitions are not, so no entity can expand), its cost
 * bounded (`svgImageLimits`), and written again without DOCTYPE, comments,
 * scripts, event handlers, `foreignObject`, animation, editor metadata of
 * other namespaces, or references outside the drawing. What was removed that
 * could run or load is listed, for a warning.
 */
export function sanitizeSvgImage(bytes: Uint8Array): SvgImageResult {
  let tree: Root;
  try {
    tree = fromXml(
      Buffer.from(bytes)
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    );
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message.replace(/\s+/g, ' ') : String(cause);
    return { problem: `is not a well-formed SVG file (${reason})`, ruleId: 'image-invalid' };
  }
  const root = tree.children.find((child): child is Element => child.type === 'element');
  if (!root || localName(root.name) !== 'svg')
    return { problem: 'is not an SVG drawing (its root is not `<svg>`)', ruleId: 'image-invalid' };

  const cost = measure(root);
  if (cost) return { problem: cost, ruleId: 'image-too-complex' };

  const removed = new Set<string>();
  const clean = cleanElement(root, removed, 0);
  if (!clean) return { problem: 'is not an SVG drawing', ruleId: 'image-invalid' };
  clean.attributes.xmlns = svgNamespace;
  if (usesXlink(clean)) clean.attributes['xmlns:xlink'] = xlinkNamespace;
  const out: Root = { type: 'root', children: [clean] };
  return { bytes: Buffer.from(`${toXml(out)}\n`, 'utf8'), removed: [...removed] };
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** A problem when the drawing is too large, too deep, or draws too much once its `<use>`s are expanded. */
function measure(root: Element): string | undefined {
  const byId = new Map<string, Element>();
  let elements = 0;
  const stack: Array<{ node: Element; depth: number }> = [{ node: root, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    elements++;
    if (elements > svgImageLimits.elements) return `has more than ${svgImageLimits.elements} elements`;
    if (depth > svgImageLimits.depth) return `nests elements more than ${svgImageLimits.depth} deep`;
    const id = node.attributes.id;
    if (typeof id === 'string' && !byId.has(id)) byId.set(id, node);
    for (const child of node.children) if (child.type === 'element') stack.push({ node: child, depth: depth + 1 });
  }
  // Elements drawn: each element once, and each `<use>` draws what it names again (memoised, cycles draw nothing).
  const drawn = new Map<Element, number>();
  const inProgress = new Set<Element>();
  const limit = svgImageLimits.drawnElements;
  const count = (node: Element): number => {
    const known = drawn.get(node);
    if (known !== undefined) return known;
    if (inProgress.has(node)) return 0;
    inProgress.add(node);
    let total = 1;
    for (const child of node.children) {
      if (child.type === 'element') total += count(child);
      if (total > limit) break;
    }
    if (localName(node.name) === 'use' && total <= limit) {
      const href = node.attributes.href ?? node.attributes['xlink:href'];
      const target = typeof href === 'string' && href.startsWith('#') ? byId.get(href.slice(1)) : undefined;
      if (target) total += count(target);
    }
    inProgress.delete(node);
    drawn.set(node, Math.min(total, limit + 1));
    return total;
  };
  if (count(root) > limit) return `draws more than ${limit} elements once its \`<use>\` references are expanded`;
  return undefined;
}

function cleanElement(node: Element, removed: Set<string>, depth: number): Element | undefined {
  const name = node.name;
  if (name.includes(':') && !name.startsWith('svg:')) return undefined; // editor metadata (sodipodi:, inkscape:, rdf:)
  const local = localName(name);
  if (local === 'style') {
    const text = node.children
      .map((child) => (child.type === 'text' || child.type === 'cdata' ? child.value : ''))
      .join('');
    if (cssProblem(text) !== undefined) {
      removed.add('a style sheet that loads something');
      return undefined;
    }
    return { type: 'element', name: 'style', attributes: {}, children: [{ type: 'text', value: text }] };
  }
  if (!allowedElements.has(local)) {
    if (local === 'script') removed.add('a script');
    else if (local === 'foreignObject') removed.add('embedded HTML (`foreignObject`)');
    else if (/^(?:animate|set|animateMotion|animateTransform|iframe|handler|listener|feImage)$/.test(local)) {
      removed.add(`\`<${local}>\``);
    }
    return undefined;
  }
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(node.attributes)) {
    if (value === null || value === undefined) continue;
    const text = String(value);
    if (refusedAttributes.test(key)) {
      removed.add(/^on/i.test(key) ? 'event handlers' : `\`${key}\``);
      continue;
    }
    if (key.startsWith('xmlns')) continue; // declared again on the root as needed
    if (key.includes(':') && !/^(?:xlink|xml):/.test(key)) continue; // editor metadata
    if (key === 'href' || key === 'xlink:href') {
      const url = urlAsBrowsersRead(text);
      const inside = url.startsWith('#') || (local === 'image' && /^data:image\//i.test(url));
      const link = local === 'a' && urlScheme(url) !== undefined && isFollowableLink(url);
      if (!inside && !link) {
        removed.add('references outside the drawing');
        continue;
      }
      attributes[key] = url;
      continue;
    }
    if (key === 'style' && cssProblem(text) !== undefined) {
      removed.add('a style that loads something');
      continue;
    }
    if (/url\s*\(/i.test(text) && !/^\s*url\(\s*(["']?)#[\w.:-]*\1\s*\)\s*$/.test(text)) {
      removed.add('references outside the drawing');
      continue;
    }
    attributes[key] = text;
  }
  const children: ElementContent[] = [];
  for (const child of node.children as Array<RootContent>) {
    if (child.type === 'element') {
      const clean = cleanElement(child, removed, depth + 1);
      if (clean) children.push(clean);
    } else if (child.type === 'text' || child.type === 'cdata') children.push({ type: 'text', value: child.value });
  }
  return { type: 'element', name: local, attributes, children };
}

function usesXlink(node: Element): boolean {
  return (
    Object.keys(node.attributes).some((key) => key.startsWith('xlink:')) ||
    node.children.some((child) => child.type === 'element' && usesXlink(child))
  );
}
