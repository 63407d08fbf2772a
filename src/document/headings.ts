import type { ElementContent, RootContent } from 'hast';

/** The rank of a heading element (1 for `h1` … 6 for `h6`), or undefined for anything else. */
export function headingRank(node: RootContent | ElementContent): number | undefined {
  if (node.type !== 'element') return undefined;
  const match = /^h([1-6])$/.exec(node.tagName);
  return match ? Number(match[1]) : undefined;
}
