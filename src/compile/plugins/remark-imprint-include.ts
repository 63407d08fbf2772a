import path from 'node:path';
import type { Image, Nodes, Root, RootContent } from 'mdast';
import type { LeafDirective } from 'mdast-util-directive';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import type { Position } from 'unist';
import { error } from '../../diagnostics/report.js';
import { defaultLimits, withinSourceLimits, type Limits } from '../limits.js';
import { markdownParser } from '../markdown-parser.js';
import { pandocFences } from '../pandoc-fences.js';
import { decodeText } from '../read-manuscript.js';
import { locateResource, readInProject, type ResourceReader } from '../resources.js';

export interface RemarkImprintIncludeOptions {
  reader: ResourceReader;
  /** Folder every included file must be inside. */
  projectRoot: string;
  /** How many includes are followed in all, and how deep; each included file is held to the same nesting limits. */
  limits?: Readonly<Limits>;
}

/**
 * `::include{src="part.md"}` puts a Markdown file of the project in place of
 * the directive, before anything else reads the document: its tables, charts,
 * references and notes work as if written there. Paths in the included file
 * (images, data files, further includes) are relative to it. A file outside
 * the project, remote, missing, not text, or one that includes itself (at any
 * depth) is an error at the directive. What comes from an included file is
 * placed, for messages, at the directive that included it.
 */
const remarkImprintInclude: Plugin<[RemarkImprintIncludeOptions], Root> = function (options) {
  const parser = markdownParser();
  const limits = options.limits ?? defaultLimits;
  return async (tree, file) => {
    let followed = 0;
    const manuscriptDir = file.path ? path.dirname(file.path) : options.projectRoot;
    await expand(tree, file.path ? [path.resolve(file.path)] : [], manuscriptDir, undefined);

    /** Replace the include directives among `parent`'s descendants, reading from `fromDir`. */
    async function expand(parent: Root, chain: string[], fromDir: string, place: Position | undefined): Promise<void> {
      const found: Array<{ node: LeafDirective; parent: { children: RootContent[] }; index: number }> = [];
      visit(parent, 'leafDirective', (node, index, container) => {
        if (node.name === 'include' && container && index !== undefined)
          found.push({ node, parent: container as { children: RootContent[] }, index });
      });
      // Last first, so the indexes of the earlier ones stay right.
      for (const { node, parent: container, index } of found.reverse()) {
        const at = place ?? node.position;
        const replacement = await read(node, chain, fromDir, at);
        container.children.splice(index, 1, ...replacement);
      }
    }

    async function read(
      node: LeafDirective,
      chain: string[],
      fromDir: string,
      at: Position | undefined,
    ): Promise<RootContent[]> {
      const src = node.attributes?.src;
      const others = Object.keys(node.attributes ?? {}).filter((key) => key !== 'src');
      if (!src || others.length > 0 || node.children.length > 0) {
        error(
          file,
          'Write an include as `::include{src="part.md"}`, with the path of a Markdown file of the ' +
            'project and nothing else',
          { place: at, ruleId: 'directive-attribute' },
        );
        return [];
      }
      const location = locateResource(src, options.projectRoot, fromDir);
      if (location.kind !== 'file') {
        const reason =
          location.kind === 'refused'
            ? location.reason
            : 'is not a file of the project: only files of the project can be included';
        error(file, `Included file \`${src}\` ${reason}`, { place: at, ruleId: 'include-outside-project' });
        return [];
      }
      const absolute = location.absolute;
      if (chain.includes(absolute)) {
        const names = [...chain, absolute].map((entry) => path.relative(options.projectRoot, entry) || entry);
        error(file, `Included file \`${src}\` includes itself: ${names.join(' → ')}`, {
          place: at,
          ruleId: 'include-cycle',
        });
        return [];
      }
      if (chain.length > limits.includeDepth) {
        const names = [...chain, absolute].map((entry) => path.relative(options.projectRoot, entry) || entry);
        error(
          file,
          `Included files nested more than ${limits.includeDepth} deep (\`limits: include-depth\`): ` +
            `${names.join(' → ')}`,
          {
            place: at,
            ruleId: 'limit-includes',
          },
        );
        return [];
      }
      followed++;
      if (followed > limits.includes) {
        // Said once, at the first include over the limit; the ones after it are left out without a word each.
        if (followed === limits.includes + 1) {
          error(
            file,
            `More than ${limits.includes} includes followed in this report (\`limits: includes\`): ` +
              `files that include each other many times multiply`,
            {
              place: at,
              ruleId: 'limit-includes',
            },
          );
        }
        return [];
      }
      const bytes = await readInProject(options.reader, options.projectRoot, absolute);
      if (bytes === undefined) {
        error(file, `Cannot find included file \`${src}\` (looked for ${absolute})`, {
          place: at,
          ruleId: 'include-missing',
        });
        return [];
      }
      if ('refused' in bytes) {
        error(file, `Included file \`${src}\` ${bytes.refused}`, {
          place: at,
          ruleId: bytes.unreadable ? 'file-unreadable' : 'include-outside-project',
        });
        return [];
      }
      const text = decodeText(bytes);
      if (text === undefined) {
        error(file, `Included file \`${src}\` is not UTF-8 text`, { place: at, ruleId: 'include-missing' });
        return [];
      }
      if (!withinSourceLimits(file, text, limits, at)) return [];
      const fragment = parser.parse(pandocFences(text, file, at)) as Root;
      fragment.children = fragment.children.filter((child) => child.type !== 'yaml' && child.type !== 'toml');
      const includedDir = path.dirname(absolute);
      rebase(fragment, includedDir, path.dirname(file.path ? path.resolve(file.path) : absolute), at);
      await expand(fragment, [...chain, absolute], includedDir, at);
      return fragment.children;
    }
  };
};

export default remarkImprintInclude;

/**
 * Paths in an included file are relative to it; the rest of the pipeline reads
 * them relative to the manuscript. Rewrite them, and place every node at the
 * directive that included it.
 */
function rebase(tree: Root, includedDir: string, manuscriptDir: string, at: Position | undefined): void {
  const move = (reference: string) => {
    if (/^[a-z][a-z0-9+.-]*:|^\/|^#/i.test(reference)) return reference;
    return path.relative(manuscriptDir, path.resolve(includedDir, reference)).split(path.sep).join('/') || '.';
  };
  visit(tree, (node: Nodes) => {
    if (at) node.position = { start: { ...at.start }, end: { ...at.end } };
    else delete node.position;
    // Its place is the directive's, not its own: checks that read the manuscript's text there skip it.
    const marked = node as { data?: Record<string, unknown> };
    marked.data = { ...marked.data, imprintIncluded: true };
    if (node.type === 'image') (node as Image).url = move((node as Image).url);
    if (
      (node.type === 'leafDirective' || node.type === 'containerDirective' || node.type === 'textDirective') &&
      node.name !== 'include'
    ) {
      const src = node.attributes?.src;
      if (typeof src === 'string' && node.attributes) node.attributes.src = move(src);
    }
  });
}
