import type { Element, Root } from 'hast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import { warn } from '../../diagnostics/report.js';
import { asUri, decodeReference, namesLocalFile } from '../../uri.js';
import { phrasing } from './rehype-imprint-normalize.js';

/**
 * A link to a heading by the whole slug GitHub gives it, where imprint cut the heading's id short (see
 * `shortSlug`), is pointed at the id the heading has.
 *
 * A link to a file beside the manuscript (`[notes](notes.md)`) works in the
 * HTML edition only when that file is published beside it, and cannot work in
 * the PDF or the EPUB, which hold no such file (a broken link even makes the
 * EPUB invalid): those editions keep its text without the link. Each such
 * link is reported once, at its place, as a warning.
 */
const rehypeImprintLinks: Plugin<[], Root> = function () {
  return (tree, file) => {
    const shortened = file.data.shortenedIds;
    visit(tree, 'element', (node) => {
      const href = node.properties.href;
      // A link to a heading by its whole slug, where the heading's id was cut short: to the id it has.
      if (node.tagName === 'a' && typeof href === 'string' && href.startsWith('#') && shortened?.size) {
        const id = shortened.get(decodeReference(href.slice(1)));
        if (id !== undefined) node.properties.href = `#${encodeURIComponent(id)}`;
      }
      // A full URL, written as every edition's links must be (the EPUB's are checked against RFC 3986).
      if (node.tagName === 'a' && typeof href === 'string' && /^[a-z][a-z\d+.-]*:/i.test(href))
        node.properties.href = asUri(href);
      breakableUrl(node);
      if (!isLocalFileLink(node)) return;
      warn(
        file,
        `Link to \`${decodeReference(String(node.properties.href))}\`, a file beside the manuscript: ` +
          `the PDF and the EPUB do not hold it, so they keep the text without the link (link to a ` +
          `full URL to reach it from every edition)`,
        {
          place: node.position,
          ruleId: 'link-outside-book',
        },
      );
    });
  };
};

/**
 * A URL shown as a link's text gets places to break (`<wbr>`) where a printer breaks one: after `//`, before
 * `/ . ? # & = _ ~ -` (a long URL cannot be hyphenated; unbroken, it stretches the line before it far apart when
 * justified, or runs past the margin). The text a reader copies is unchanged.
 */
function breakableUrl(node: Element): void {
  const only = node.children[0];
  if (node.tagName !== 'a' || node.children.length !== 1 || only?.type !== 'text') return;
  if (!/^(?:https?:\/\/|www\.)\S{16,}$/i.test(only.value)) return;
  const pieces = only.value.split(/(?<=\/\/)|(?<=.)(?<!\/)(?=[.?#&=_~-]|\/(?!\/))/);
  // Marked as a URL: never hyphenated, since a hyphen at its break would read as part of it.
  const classes = node.properties.className;
  node.properties.className = [...(Array.isArray(classes) ? classes : []), 'url'];
  node.children = [{ type: 'text', value: pieces[0]! }];
  for (const piece of pieces.slice(1))
    node.children.push(
      { type: 'element', tagName: 'wbr', properties: {}, children: [] },
      { type: 'text', value: piece },
    );
}

/** Whether an element is a link to a file beside the manuscript. */
export function isLocalFileLink(node: Element): boolean {
  const href = node.properties.href;
  return node.tagName === 'a' && typeof href === 'string' && namesLocalFile(href);
}

/** Make the links to files beside the manuscript text, for the editions that do not hold those files (PDF, EPUB). */
export function unlinkLocalFiles(tree: Root | Element): void {
  visit(tree, 'element', (node) => {
    if (isLocalFileLink(node)) unlink(node);
  });
}

/**
 * Make a link text: a `span` where it holds phrasing content, and a `div` where it holds blocks (a link is
 * transparent, so one left open in raw HTML can hold a code block; it then stands among blocks, where a `div`
 * may stand and a `span` may not).
 */
export function unlink(node: Element): void {
  const blocks = node.children.some((child) => child.type === 'element' && !phrasing.has(child.tagName));
  node.tagName = blocks ? 'div' : 'span';
  delete node.properties.href;
}

export default rehypeImprintLinks;
