import type { Parent, PhrasingContent, Root } from 'mdast';
import type { Plugin } from 'unified';
import { SKIP, visit } from 'unist-util-visit';
import { error } from '../../diagnostics/report.js';
import { joinTexts } from './shared/join-texts.js';

/**
 * Runs after every directive plugin: any directive still in the tree is one
 * no plugin knows, and an error. A bare text directive with neither label nor
 * attributes (`10:30`, `see:here`) is ordinary text that the directive syntax
 * happened to match: `remarkImprintBareDirectivesAsText`, below, put it back
 * as text before any plugin ran.
 */
export interface RemarkImprintDirectivesKnownOptions {
  /** Directives other plugins handle; a failed one was already reported by its plugin. */
  known: readonly string[];
}

const remarkImprintDirectivesKnown: Plugin<[RemarkImprintDirectivesKnownOptions?], Root> = function (options) {
  const known = new Set(options?.known ?? []);
  return (tree, file) => {
    visit(tree, (node) => {
      if (
        (node.type === 'leafDirective' || node.type === 'containerDirective' || node.type === 'textDirective') &&
        known.has(node.name)
      ) {
        return SKIP;
      }
      if (node.type === 'textDirective') {
        error(file, `Unknown directive \`:${node.name}\``, { place: node.position, ruleId: 'directive-unknown' });
        return SKIP;
      }
      if (node.type === 'leafDirective' || node.type === 'containerDirective') {
        const marker = node.type === 'leafDirective' ? '::' : ':::';
        error(file, `Unknown directive \`${marker}${node.name}\``, {
          place: node.position,
          ruleId: 'directive-unknown',
        });
        return SKIP;
      }
      return undefined;
    });
  };
};

export default remarkImprintDirectivesKnown;

/**
 * Runs first, before any plugin reads the text: a bare text directive (no label, no attributes) whose name no
 * plugin knows is put back as the text it was written as, joined to the text around it. `fig:one_two` in
 * `\\label{fig:one_two}` or a time such as `10:30` is then one text, as written, for every plugin that reads it
 * (the captions and cross-references read LaTeX's labels and references out of it).
 */
export const remarkImprintBareDirectivesAsText: Plugin<[RemarkImprintDirectivesKnownOptions?], Root> = function (
  options,
) {
  const known = new Set(options?.known ?? []);
  return (tree) => {
    const touched = new Set<Parent>();
    visit(tree, 'textDirective', (node, index, parent) => {
      const bare = node.children.length === 0 && Object.keys(node.attributes ?? {}).length === 0;
      if (!bare || known.has(node.name) || !parent || index === undefined) return undefined;
      // Never one left for remarkImprintDirectivesKnown: this runs on the whole tree, included parts and all.
      parent.children.splice(index, 1, { type: 'text', value: `:${node.name}`, position: node.position });
      touched.add(parent);
      return SKIP;
    });
    for (const parent of touched) parent.children = joinTexts(parent.children as PhrasingContent[]);
  };
};
