import type { BlockContent, DefinitionContent, Paragraph, Parent, Root } from 'mdast';
import type { ContainerDirective } from 'mdast-util-directive';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import { error } from '../../diagnostics/report.js';
import { labelsOf } from '../../document/labels.js';

export const calloutTypes = ['note', 'tip', 'important', 'warning', 'caution'] as const;
export type CalloutType = (typeof calloutTypes)[number];

/**
 * Callouts: GitHub's alerts (`> [!NOTE]`, `[!TIP]`, `[!IMPORTANT]`,
 * `[!WARNING]`, `[!CAUTION]` on the first line of a block quote) and the
 * `:::callout{type=warning title="…"}` container become one `aside` with
 * the role `note` (a complementary note, in every edition), a title and
 * the class of its type, which the templates style.
 */
const remarkImprintCallout: Plugin<[], Root> = function () {
  return (tree, file) => {
    const titles: Record<CalloutType, string> = labelsOf(file.data.metadata);
    visit(tree, (node) => {
      if (node.type === 'blockquote') {
        const type = alertType(node);
        if (type) toCallout(node, type, titles[type]);
        return undefined;
      }
      if (node.type !== 'containerDirective' || node.name !== 'callout') return undefined;
      const directive = node as ContainerDirective;
      const attributes = directive.attributes ?? {};
      const type = (attributes.type ?? 'note').trim().toLowerCase();
      const unknown = Object.keys(attributes).filter((name) => name !== 'type' && name !== 'title');
      if (unknown.length > 0) {
        error(
          file,
          `Unknown attribute ${unknown.map((name) => `\`${name}\``).join(', ')} on \`:::callout\` (known: type, title)`,
          {
            place: directive.position,
            ruleId: 'directive-attribute',
          },
        );
      }
      if (!isCalloutType(type)) {
        error(file, `\`:::callout\` type \`${type}\` is not one of ${calloutTypes.join(', ')}`, {
          place: directive.position,
          ruleId: 'callout-type',
        });
      }
      const kind = isCalloutType(type) ? type : 'note';
      // A directive's label (`:::callout[Title]`) is its first paragraph, marked as such by remark-directive.
      const label = directive.children[0];
      let title = attributes.title?.trim() || titles[kind];
      if (label?.type === 'paragraph' && label.data?.directiveLabel) {
        directive.children.shift();
        title = label.children.map((child) => ('value' in child ? child.value : '')).join('') || title;
      }
      toCallout(directive, kind, title);
      return undefined;
    });
  };
};

export default remarkImprintCallout;

function isCalloutType(type: string): type is CalloutType {
  return (calloutTypes as readonly string[]).includes(type);
}

/** `[!NOTE]` starting a block quote's first line: its type, and the marker taken out of the text. */
function alertType(node: Parent): CalloutType | undefined {
  const first = node.children[0];
  if (first?.type !== 'paragraph') return undefined;
  const text = first.children[0];
  if (text?.type !== 'text') return undefined;
  const marker = /^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(?:\n|$)/i.exec(text.value);
  if (!marker) return undefined;
  text.value = text.value.slice(marker[0].length);
  if (text.value === '') first.children.shift();
  if (first.children.length === 0) node.children.shift();
  return marker[1]!.toLowerCase() as CalloutType;
}

function toCallout(node: Parent, type: CalloutType, title: string): void {
  const heading: Paragraph = {
    type: 'paragraph',
    data: { hProperties: { className: ['callout-title'] } },
    children: [{ type: 'text', value: title }],
  };
  node.children.unshift(heading as BlockContent & DefinitionContent);
  node.data = {
    ...node.data,
    hName: 'aside',
    hProperties: { className: ['callout', `callout-${type}`], role: 'note' },
  };
}
