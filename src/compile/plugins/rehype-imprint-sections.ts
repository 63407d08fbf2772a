import type { Element, ElementContent, Root, RootContent } from 'hast';
import type { Plugin } from 'unified';
import { headingRank } from '../../document/headings.js';

/**
 * Wrap each heading and what follows it, up to the next heading of the same
 * or a higher rank, in a `<section>` labelled by the heading. Sections nest.
 * Editions split and style by section (EPUB chapters, page breaks).
 */
const rehypeImprintSections: Plugin<[], Root> = function () {
  return (tree) => {
    tree.children = wrap(tree.children as ElementContent[]) as RootContent[];
  };
};

export default rehypeImprintSections;

function wrap(nodes: ElementContent[]): ElementContent[] {
  const out: ElementContent[] = [];
  let index = 0;
  while (index < nodes.length) {
    const node = nodes[index]!;
    const rank = headingRank(node);
    if (rank === undefined) {
      out.push(node);
      index++;
      continue;
    }
    let end = index + 1;
    while (end < nodes.length) {
      const next = headingRank(nodes[end]!);
      if (next !== undefined && next <= rank) break;
      end++;
    }
    const heading = node as Element;
    const id = heading.properties.id;
    const section: Element = {
      type: 'element',
      tagName: 'section',
      properties: {
        className: [`level-${rank - 1}`],
        ariaLabelledBy: typeof id === 'string' ? [id] : undefined,
      },
      children: [heading, ...wrap(nodes.slice(index + 1, end))],
    };
    const start = heading.position?.start;
    const last = nodes[end - 1]?.position?.end;
    if (start && last) section.position = { start, end: last };
    out.push(section);
    index = end;
  }
  return out;
}
