import type { Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Plugin } from 'unified';
import { resolveFrontMatter, type FrontMatterBlock, type FrontMatterOverrides } from '../front-matter.js';
import type {} from '../../document/nodes.js';

/**
 * Turn the manuscript's front matter (YAML between `---` lines, or TOML
 * between `+++` lines) into `file.data.metadata` and take it out of the tree.
 * Without front matter, or without a `title` in it, the first `#` heading
 * names the report.
 */
const remarkImprintFrontMatter: Plugin<[FrontMatterOverrides?], Root> = function (options) {
  const overrides = options ?? {};
  return (tree, file) => {
    const first = tree.children[0];
    let block: FrontMatterBlock | undefined;
    if (first?.type === 'yaml' || first?.type === 'toml') {
      const source = String(file.value);
      const start = first.position?.start.offset ?? 0;
      const offset = source.indexOf('\n', start) + 1;
      block = { format: first.type, value: first.value, offset, start: first.position?.start };
      tree.children.shift();
    }
    const heading = tree.children.find((node) => node.type === 'heading' && node.depth === 1);
    const metadata = resolveFrontMatter(file, block, overrides, heading ? { title: toString(heading) } : {});
    if (metadata) file.data.metadata = metadata;
  };
};

export default remarkImprintFrontMatter;
