import type { PhrasingContent } from 'mdast';

/** Neighbouring texts joined into one, its place running from the first's start to the last's end. */
export function joinTexts<T extends PhrasingContent>(children: readonly T[]): T[] {
  const out: T[] = [];
  for (const child of children) {
    const last = out[out.length - 1];
    if (child.type === 'text' && last?.type === 'text') {
      const start = last.position?.start;
      const end = child.position?.end;
      out[out.length - 1] = {
        type: 'text',
        value: last.value + child.value,
        position: start && end ? { start, end } : undefined,
      } as T;
    } else {
      out.push(child);
    }
  }
  return out;
}
