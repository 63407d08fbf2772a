import type { Text } from 'mdast';
import type {} from '../../../document/nodes.js';

/**
 * A data source's citation as text, its own full stop dropped and `after`
 * added. A citation of one word (`smith2020`, `@smith2020`) is marked as a
 * source, so that the citations plugin formats it as a citation of that work
 * when the bibliography has the key; otherwise it stays the text it is.
 */
export function sourceText(citation: string, after: string): Text[] {
  const text = citation.replace(/\.$/, '');
  if (!/^@?[^\s@]+$/.test(text)) return [{ type: 'text', value: `${text}${after}` }];
  return [
    { type: 'text', value: text, data: { imprintSource: true } },
    ...(after ? [{ type: 'text' as const, value: after }] : []),
  ];
}
