import GithubSlugger, { slug } from 'github-slugger';
import type { Heading, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import { error } from '../../diagnostics/report.js';
import { labelsOf } from '../../document/labels.js';
import type { FigureKind, ImprintFigure, Target } from '../../document/nodes.js';

/**
 * Number tables and figures in reading order ("Table 1."), give every heading
 * an id, and record every id the text can refer to in `file.data.targets`.
 */
const remarkImprintNumbering: Plugin<[], Root> = function () {
  return (tree, file) => {
    const words = labelsOf(file.data.metadata);
    const labels: Record<FigureKind, string> = {
      table: words.table,
      figure: words.figure,
      listing: words.listing,
      equation: words.equation,
    };
    const targets = new Map<string, Target>();
    const counters: Record<FigureKind, number> = { table: 0, figure: 0, listing: 0, equation: 0 };
    const slugger = new GithubSlugger();
    const claimed = new Map<string, ImprintFigure | Heading>();

    // Ids written by the author come first, so headings' generated ids avoid them: a figure's, then a heading's
    // own (`# Method {#sec-method}`). An id written twice is an error at the second.
    const claim = (id: string, node: ImprintFigure | Heading) => {
      const earlier = claimed.get(id);
      if (earlier) {
        error(file, `Duplicate id \`#${id}\`: it is also used at line ${earlier.position?.start.line ?? '?'}`, {
          place: node.position,
          ruleId: 'duplicate-id',
        });
        return;
      }
      claimed.set(id, node);
      slugger.slug(id);
    };
    visit(tree, 'imprintFigure', (node) => claim(node.identifier, node));
    visit(tree, 'heading', (node) => {
      const id = node.data?.hProperties?.id;
      if (typeof id === 'string') claim(id, node);
    });

    // And so do the ids raw HTML gives (`id`, and `name` on a link target, which becomes an id).
    const written = new Set<string>();
    visit(tree, 'html', (node) => {
      for (const match of node.value.matchAll(/\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/gi)) {
        written.add(match[1] ?? match[2] ?? match[3]!);
      }
    });
    const headingId = (base: string, fallback: string): string => {
      let id = slugger.slug(base) || fallback;
      while (written.has(id)) id = slugger.slug(base || fallback);
      return id;
    };
    // The ids GitHub gives the headings (the whole slug, `-1` for a repeat), which a contents list written for it
    // names: where a heading's id was cut short, its GitHub id is kept to point such links at it.
    const github = new GithubSlugger();
    const cut: Array<{ whole: string; id: string }> = [];

    let section = 0;
    visit(tree, (node) => {
      if (node.type === 'imprintFigure') {
        const number = ++counters[node.kind];
        node.number = number;
        const label = `${labels[node.kind]} ${number}`;
        const caption = node.children.find(
          (child) => (child.data as { hName?: string } | undefined)?.hName === 'figcaption',
        );
        const captionText = caption ? toString(caption).trim() : '';
        targets.set(node.identifier, {
          id: node.identifier,
          kind: node.kind,
          label,
          caption: captionText || undefined,
        });
        if (node.kind === 'equation') {
          // A display equation is numbered at its right margin: "(1)".
          node.children.push({
            type: 'text',
            value: `(${number})`,
            data: { hName: 'span', hProperties: { className: ['equation-number'] } },
          } as unknown as ImprintFigure['children'][number]);
        } else if (caption && 'children' in caption) {
          (caption.children as unknown[]).unshift(
            {
              type: 'text',
              value: `${label}.`,
              data: { hName: 'span', hProperties: { className: ['figure-label'] } },
            },
            { type: 'text', value: ' ' },
          );
        }
      } else if (node.type === 'heading') {
        const own = node.data?.hProperties?.id;
        const text = toString(node);
        const whole = slug(text);
        const base = cutSlug(whole);
        const id = typeof own === 'string' ? own : headingId(base, `section-${section + 1}`);
        const atGithub = github.slug(text);
        if (typeof own !== 'string' && base !== whole) cut.push({ whole: atGithub, id });
        node.data = { ...node.data, hProperties: { ...node.data?.hProperties, id } };
        section++;
        targets.set(id, { id, kind: 'section', label: toString(node) });
      }
    });
    file.data.targets = targets;
    // Never in place of an id the document has: that one names its own element.
    file.data.shortenedIds = new Map(
      cut.filter(({ whole }) => !targets.has(whole) && !written.has(whole)).map(({ whole, id }) => [whole, id]),
    );
  };
};

export default remarkImprintNumbering;

/**
 * Most bytes a heading's id may take once percent-encoded (as Chromium names the PDF's destinations after it):
 * PDF readers are held to names of 127 bytes, and a heading of fifteen Chinese characters already passes that
 * (poppler warns "name token is longer than what the specification says it can be"). A suffix for a repeated
 * heading (`-1`) fits in what is left.
 */
const maxIdBytes = 120;

/** The heading's slug, cut at a character so that it takes at most {@link maxIdBytes} percent-encoded. */
export function shortSlug(text: string): string {
  return cutSlug(slug(text));
}

/** A slug cut at a character so that it takes at most {@link maxIdBytes} percent-encoded. */
function cutSlug(whole: string): string {
  if (encodeURIComponent(whole).length <= maxIdBytes) return whole;
  let cut = '';
  for (const character of whole) {
    if (encodeURIComponent(cut + character).length > maxIdBytes) break;
    cut += character;
  }
  return cut.replace(/-+$/, '');
}
