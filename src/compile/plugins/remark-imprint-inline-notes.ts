import type { FootnoteDefinition, Paragraph, PhrasingContent, Root, Text } from 'mdast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';

/**
 * Pandoc's inline notes, `text^[The note's own text.]`: the note is made a footnote like `[^1]`, numbered and
 * placed with the others, its text kept with its emphasis, code and links. GFM has no such syntax and printed the
 * characters. The brackets are matched across the paragraph's inline content (a link inside the note is its own
 * bracket pair); an unmatched `^[` stays text. Runs after the includes, before the footnote check.
 */
const remarkImprintInlineNotes: Plugin<[], Root> = function () {
  return (tree) => {
    const notes: FootnoteDefinition[] = [];
    let count = 0;
    visit(tree, 'paragraph', (paragraph) => {
      paragraph.children = inlineNotes(paragraph, () => `inline-note-${++count}`, notes);
    });
    for (const note of notes) tree.children.push(note);
  };
};

export default remarkImprintInlineNotes;

/** The paragraph's children with each inline note a footnote reference (its definition added to `notes`). */
function inlineNotes(paragraph: Paragraph, name: () => string, notes: FootnoteDefinition[]): PhrasingContent[] {
  const children = paragraph.children;
  if (!children.some((child) => child.type === 'text' && child.value.includes('^['))) return children;
  const out: PhrasingContent[] = [];
  let index = 0;
  while (index < children.length) {
    const child = children[index]!;
    const start = child.type === 'text' ? child.value.indexOf('^[') : -1;
    if (start < 0) {
      out.push(child);
      index++;
      continue;
    }
    const end = closing(children, index, start + 2);
    if (!end) {
      // No closing bracket: the text up to and with the `^[` stays as it is, the rest is looked at again.
      out.push({ ...(child as Text), value: (child as Text).value.slice(0, start + 2) });
      const rest = (child as Text).value.slice(start + 2);
      if (rest === '') index++;
      else children[index] = { type: 'text', value: rest };
      continue;
    }
    const text = child as Text;
    if (start > 0) out.push({ type: 'text', value: text.value.slice(0, start), position: text.position });
    const inner: PhrasingContent[] = [];
    if (end.node === index) {
      inner.push({ type: 'text', value: text.value.slice(start + 2, end.at) });
    } else {
      const head = text.value.slice(start + 2);
      if (head !== '') inner.push({ type: 'text', value: head });
      inner.push(...children.slice(index + 1, end.node));
      const last = children[end.node] as Text;
      if (end.at > 0) inner.push({ type: 'text', value: last.value.slice(0, end.at) });
    }
    const identifier = name();
    notes.push({
      type: 'footnoteDefinition',
      identifier,
      label: identifier,
      children: [{ type: 'paragraph', children: inner }],
      position: text.position,
    });
    out.push({ type: 'footnoteReference', identifier, label: identifier, position: text.position });
    const after = (children[end.node] as Text).value.slice(end.at + 1);
    if (after === '') index = end.node + 1;
    else {
      children[end.node] = { type: 'text', value: after };
      index = end.node;
    }
  }
  return out;
}

/** Where the `]` that closes a note opened before `from` in `children[index]` is: in which child, at which place. */
function closing(
  children: readonly PhrasingContent[],
  index: number,
  from: number,
): { node: number; at: number } | undefined {
  let depth = 0;
  for (let node = index; node < children.length; node++) {
    const child = children[node]!;
    if (child.type !== 'text') continue;
    for (let at = node === index ? from : 0; at < child.value.length; at++) {
      const char = child.value[at];
      if (char === '[') depth++;
      else if (char === ']') {
        if (depth === 0) return { node, at };
        depth--;
      }
    }
  }
  return undefined;
}
