import path from 'node:path';
import type { ElementContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import type { FootnoteDefinition, Heading, Nodes, Parent, PhrasingContent, Root, RootContent, Text } from 'mdast';
import type { CitationItem } from 'citeproc';
import type { Plugin } from 'unified';
import type { Point, Position } from 'unist';
import { SKIP, visitParents } from 'unist-util-visit-parents';
import type { VFile } from 'vfile';
import { location } from 'vfile-location';
import { error } from '../../diagnostics/report.js';
import { onFirstUse } from '../../first-use.js';
import type { ImprintCitation } from '../../document/nodes.js';
import type { Cluster } from '../citations/citation-style.js';
import { findCitations, type CitedWork, type FoundCitation } from '../citations/citation-syntax.js';
import { labelsOf } from '../../document/labels.js';
import { decodeText } from '../read-manuscript.js';
import { locateResource, readInProject, type ResourceReader } from '../resources.js';
import { nearest } from './remark-imprint-ref.js';

export interface CitationOptions {
  reader: ResourceReader;
  projectRoot: string;
  /** Receives the bibliography files read, each with its own messages. */
  files: VFile[];
}

/** A citation where it was found: the text node, and the citation in it. */
interface Occurrence {
  node: Text;
  parent: Parent;
  found: FoundCitation;
  /** In a footnote the author wrote (a note style then cites in place). */
  inNote: boolean;
  /** The number of the note it is in or makes (note styles order their "ibid."s by it). */
  noteIndex: number;
  /** A data source (a table's or a chart's source note), formatted in place. */
  source: boolean;
}

/**
 * citeproc-js and citation-js, loaded only for a manuscript that cites or names a bibliography: a report
 * without citations does not pay for loading them (about a fifth of a second).
 */
const citationLibraries = onFirstUse(() =>
  Promise.all([import('../citations/citation-style.js'), import('../citations/read-bibliography.js')]),
);
type CitationStyles = Awaited<ReturnType<typeof citationLibraries>>[0];

/** The id of a work's entry in the bibliography. */
export function entryId(key: string): string {
  return `ref-${key.replace(/[^\p{L}\p{N}_-]+/gu, '-')}`;
}

/**
 * Citations in Pandoc's syntax (`[@key]`, `[see @a, p. 3; @b]`, `@key`,
 * `[-@key]`) formatted by citeproc-js in the CSL style `csl:` names, in the
 * language of `lang`, each work linked to its entry in the bibliography, which
 * is set where `::bibliography` stands or at the end. A note style puts each
 * citation in the text into a footnote. Data sources that name a key (see the
 * table and chart plugins) are cited the same way. A key the bibliography does
 * not have is an error at the citation, with the nearest known key.
 */
const remarkImprintCitations: Plugin<[CitationOptions], Root> = function (options) {
  return async (tree, file) => {
    const metadata = file.data.metadata;
    // The front matter failed (and says so): whether it names a bibliography is not known, so nothing is checked.
    if (metadata === undefined) return;
    const occurrences = collect(tree, file);
    const directives: Array<{ parent: Parent; node: RootContent }> = [];
    visitParents(tree, 'leafDirective', (node, ancestors) => {
      if (node.name === 'bibliography') directives.push({ parent: ancestors[ancestors.length - 1]!, node });
    });
    const named = metadata?.bibliography ?? [];
    if (occurrences.length === 0 && directives.length === 0 && named.length === 0) return;

    // Only bracketed citations and data sources count without a bibliography: `@name` in prose is left alone.
    if (named.length === 0) {
      for (const occurrence of occurrences) {
        if (occurrence.found.inText || occurrence.source) continue;
        error(
          file,
          `Citation of \`@${occurrence.found.works[0]!.key}\`, but the manuscript names no ` +
            `bibliography: add \`bibliography:\` to the front matter`,
          {
            place: placeIn(file, occurrence, occurrence.found.works[0]!.at),
            ruleId: 'citation-missing',
          },
        );
      }
      for (const { parent, node } of directives) parent.children.splice(parent.children.indexOf(node), 1);
      return;
    }

    const [styles, { readBibliography }] = await citationLibraries();
    const frontMatterPlace = placeOfFrontMatterKey(file, 'bibliography');
    const bibliography = await readBibliography(named, {
      reader: options.reader,
      projectRoot: options.projectRoot,
      manuscript: file,
      place: frontMatterPlace,
    });
    options.files.push(...bibliography.files);
    const style = await readStyle(styles, file, metadata?.csl, options);
    if (style === undefined) return;

    // Check every key; a data source that is not a key stays the text it is.
    const known = [...bibliography.entries.keys()];
    const unreadable =
      bibliography.files.length < named.length || bibliography.files.some((f) => f.messages.some((m) => m.fatal));
    const cited: Occurrence[] = [];
    for (const occurrence of occurrences) {
      if (occurrence.source) {
        if (bibliography.entries.has(occurrence.found.works[0]!.key)) cited.push(occurrence);
        continue;
      }
      const missing = occurrence.found.works.filter((work) => !bibliography.entries.has(work.key));
      // A bibliography file that failed is reported in that file: the keys it would have held are not reported again.
      for (const work of unreadable ? [] : missing) {
        const near = nearest(work.key, known);
        error(file, `No work \`${work.key}\` in the bibliography${near ? ` (did you mean \`${near}\`?)` : ''}`, {
          place: placeIn(file, occurrence, work.at),
          ruleId: 'citation-missing',
        });
      }
      if (missing.length === 0) cited.push(occurrence);
    }

    const items = new Map([...bibliography.entries].map(([key, entry]) => [key, entry.item]));
    const clusters: Cluster[] = cited.map((occurrence) => ({
      items: occurrence.found.works.map((work) => cslItem(work, occurrence.found.inText)),
      noteIndex: occurrence.noteIndex,
    }));
    let formatted: ReturnType<CitationStyles['formatCitations']>;
    try {
      formatted = styles.formatCitations(style.xml, metadata?.lang ?? 'en', items, clusters, entryId);
    } catch (cause) {
      error(
        file,
        `The citation style \`${style.name}\` cannot be used: ` +
          `${cause instanceof Error ? cause.message : String(cause)}`,
        {
          place: placeOfFrontMatterKey(file, 'csl'),
          ruleId: 'citation-style',
          cause,
        },
      );
      return;
    }

    // Replace the citations, last first in each text node so the offsets before stay right.
    const notes: FootnoteDefinition[] = [];
    const replaced = new Map<Text, Array<{ found: FoundCitation; nodes: PhrasingContent[] }>>();
    cited.forEach((occurrence, index) => {
      const html = formatted.clusters[index]!;
      const keys = occurrence.found.works.map((work) => work.key);
      const citation = citationNode(html, keys, occurrence.node.position);
      let nodes: PhrasingContent[] = [citation];
      const author = occurrence.found.inText && !occurrence.source ? formatted.authorOnly(keys[0]!) : undefined;
      if (formatted.isNoteStyle && !occurrence.inNote && !occurrence.source) {
        const identifier = `imprint-citation-${notes.length + 1}`;
        notes.push({
          type: 'footnoteDefinition',
          identifier,
          label: identifier,
          children: [{ type: 'paragraph', children: [citation] }],
        });
        nodes = [
          ...(author ? [citationNode(author, keys, occurrence.node.position)] : []),
          { type: 'footnoteReference', identifier, label: identifier },
        ];
      } else if (author) {
        nodes = [citationNode(author, keys, occurrence.node.position), { type: 'text', value: ' ' }, citation];
      }
      const list = replaced.get(occurrence.node) ?? [];
      list.push({ found: occurrence.found, nodes });
      replaced.set(occurrence.node, list);
    });
    for (const [node, list] of replaced) {
      const parent = cited.find((occurrence) => occurrence.node === node)!.parent;
      const pieces: PhrasingContent[] = [];
      let at = 0;
      for (const { found, nodes } of list.sort((a, b) => a.found.start - b.found.start)) {
        if (found.start > at) pieces.push({ type: 'text', value: node.value.slice(at, found.start) });
        pieces.push(...nodes);
        at = found.end;
      }
      if (at < node.value.length) pieces.push({ type: 'text', value: node.value.slice(at) });
      parent.children.splice(parent.children.indexOf(node), 1, ...(pieces as RootContent[]));
    }
    tree.children.push(...notes);

    // The bibliography: where `::bibliography` stands (the first one), else at the end.
    const blocks = bibliographyBlocks(formatted.entries, labelsOf(metadata).references);
    const [first, ...others] = directives;
    for (const other of others) {
      error(file, 'The bibliography is set once: remove this `::bibliography`', {
        place: other.node.position,
        ruleId: 'directive-attribute',
      });
      other.parent.children.splice(other.parent.children.indexOf(other.node), 1);
    }
    if (first) {
      const index = first.parent.children.indexOf(first.node);
      const previous = first.parent.children[index - 1];
      // After a heading of the author's own, that heading is the bibliography's title.
      const own = previous?.type === 'heading' ? blocks.slice(1) : blocks;
      first.parent.children.splice(index, 1, ...(formatted.entries.length > 0 ? own : []));
    } else if (formatted.entries.length > 0) {
      // A report that ends with a heading and nothing under it (`# References`, as Pandoc's users write) gets
      // the entries under that heading.
      const content = tree.children.filter(
        (child) => child.type !== 'footnoteDefinition' && child.type !== 'definition',
      );
      const last = content[content.length - 1];
      tree.children.splice(
        last ? tree.children.indexOf(last) + 1 : tree.children.length,
        0,
        ...(last?.type === 'heading' ? blocks.slice(1) : blocks),
      );
    }
  };
};

export default remarkImprintCitations;

function cslItem(work: CitedWork, inText: boolean): CitationItem {
  return {
    id: work.key,
    locator: work.locator,
    label: work.locator === undefined ? undefined : (work.label ?? 'page'),
    prefix: work.prefix,
    suffix: work.suffix === undefined || work.suffix.startsWith(',') ? work.suffix : ` ${work.suffix}`,
    'suppress-author': work.suppressAuthor === true || inText,
  };
}

/** The processor's HTML as a phrasing node of the tree. */
function citationNode(html: string, keys: string[], position: Position | undefined): ImprintCitation {
  return {
    type: 'imprintCitation',
    keys,
    data: {
      hName: 'span',
      hProperties: { className: ['citation'], dataCites: keys.join(' ') },
      hChildren: htmlChildren(html),
    },
    position,
  };
}

function htmlChildren(html: string): ElementContent[] {
  return fromHtml(html, { fragment: true }).children as ElementContent[];
}

/** The bibliography's heading and its entries, each with the id citations link to. */
function bibliographyBlocks(entries: Array<{ id: string; html: string }>, title: string): RootContent[] {
  const heading: Heading = {
    type: 'heading',
    depth: 1,
    children: [{ type: 'text', value: title }],
    data: { hProperties: { id: 'references' } },
  };
  const body: ImprintCitation = {
    type: 'imprintCitation',
    keys: entries.map((entry) => entry.id),
    data: {
      hName: 'div',
      hProperties: { className: ['bibliography', 'csl-bib-body'], role: 'list' },
      hChildren: entries.map((entry) => {
        const [element] = htmlChildren(entry.html).filter((child) => child.type === 'element');
        const children = element?.type === 'element' ? element.children : htmlChildren(entry.html);
        return {
          type: 'element',
          tagName: 'div',
          properties: { id: entryId(entry.id), className: ['csl-entry'], role: 'listitem' },
          children,
        };
      }),
    },
  };
  return [heading, body as unknown as RootContent];
}

/** Every citation in the text and every data source, in the order of the text, with the note each is in or makes. */
function collect(tree: Root, file: VFile): Occurrence[] {
  const occurrences: Occurrence[] = [];
  const noteNumbers = new Map<string, number>();
  let notes = 0;
  visitParents(tree, (node: Nodes, ancestors) => {
    if (node.type === 'link' || node.type === 'linkReference' || node.type === 'imprintGenerated') return SKIP;
    if (node.type === 'footnoteReference') {
      if (!noteNumbers.has(node.identifier)) noteNumbers.set(node.identifier, ++notes);
      return undefined;
    }
    if (node.type !== 'text') return undefined;
    const parent = ancestors[ancestors.length - 1] as Parent;
    const definition = ancestors.find(
      (ancestor): ancestor is FootnoteDefinition => ancestor.type === 'footnoteDefinition',
    );
    const source = (node.data as { imprintSource?: boolean } | undefined)?.imprintSource === true;
    if (source) {
      const key = node.value.trim().replace(/^@/, '');
      if (/^\S+$/.test(key)) {
        occurrences.push({
          node,
          parent,
          found: { start: 0, end: node.value.length, inText: false, works: [{ key, at: 0 }] },
          inNote: true,
          noteIndex: 0,
          source: true,
        });
      }
      return undefined;
    }
    for (const found of findCitations(node.value)) {
      if (escaped(file, node, found)) continue;
      // `@fig-x`, `@tbl-x`, `@sec-x`: Quarto's cross-references, which the ref plugin makes links.
      if (found.works.every((work) => /^(?:fig|tbl|sec|lst|eq)-/.test(work.key))) continue;
      const inNote = definition !== undefined;
      occurrences.push({
        node,
        parent,
        found,
        inNote,
        noteIndex: inNote ? (noteNumbers.get(definition.identifier) ?? notes) : ++notes,
        source: false,
      });
    }
    return undefined;
  });
  return occurrences;
}

/** Where in the source the text of `node` at `index` is: exact when the text is as written, else the node's start. */
function sourceOffset(file: VFile, node: Text, index: number): number | undefined {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return undefined;
  const written = String(file.value).slice(start, end);
  if (written === node.value) return start + index;
  // Escapes or entities changed the text: find the same occurrence of the `@` in what was written.
  const nth = [...node.value.slice(0, index + 1).matchAll(/@/g)].length;
  let at = -1;
  for (let count = 0; count < nth; count++) {
    at = written.indexOf('@', at + 1);
    if (at === -1) return undefined;
  }
  return start + at;
}

/** `\@key` and `\[@key]` are written out as they are. */
function escaped(file: VFile, node: Text, found: FoundCitation): boolean {
  const at = sourceOffset(file, node, found.works[0]!.at);
  if (at === undefined) return false;
  const source = String(file.value);
  if (source[at - 1] === '\\') return true;
  if (!found.inText) {
    const open = source.lastIndexOf('[', at);
    return open > 0 && source[open - 1] === '\\';
  }
  return false;
}

function placeIn(file: VFile, occurrence: Occurrence, index: number): Point | Position | undefined {
  const offset = sourceOffset(file, occurrence.node, index);
  const point = offset === undefined ? undefined : location(file).toPoint(offset);
  return point ?? occurrence.node.position;
}

/** The place of a key of the manuscript's front matter, for messages about its value. */
function placeOfFrontMatterKey(file: VFile, key: string): Point | undefined {
  const source = String(file.value);
  const end = source.startsWith('---') ? source.indexOf('\n---', 3) : -1;
  if (end === -1) return undefined;
  const match = new RegExp(`^${key}\\s*:`, 'm').exec(source.slice(0, end));
  return match ? location(file).toPoint(match.index) : undefined;
}

/** The style `csl:` names: a shipped style, or a CSL file of the project. */
async function readStyle(
  { defaultStyle, shippedStyle, shippedStyles }: CitationStyles,
  file: VFile,
  csl: string | undefined,
  options: CitationOptions,
): Promise<{ name: string; xml: string } | undefined> {
  const name = csl ?? defaultStyle;
  const shipped = shippedStyle(name);
  if (shipped) return { name, xml: shipped };
  const place = placeOfFrontMatterKey(file, 'csl');
  const where = locateResource(name, options.projectRoot, path.dirname(file.path));
  const bytes =
    where.kind === 'file' ? await readInProject(options.reader, options.projectRoot, where.absolute) : undefined;
  const text = bytes && !('refused' in bytes) ? decodeText(bytes) : undefined;
  if (text === undefined || !/<style[\s>]/.test(text)) {
    const why = text === undefined ? 'is neither a shipped style nor a CSL file of the project' : 'is not a CSL style';
    error(file, `The citation style \`${name}\` ${why} (shipped: ${Object.keys(shippedStyles).join(', ')})`, {
      place,
      ruleId: 'citation-style',
    });
    return undefined;
  }
  return { name, xml: text };
}
