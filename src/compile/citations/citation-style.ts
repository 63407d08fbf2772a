import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packagePath } from '../../package-files.js';
import CSL, { type CitationItem, type Engine } from 'citeproc';
import type { CslItem } from './read-bibliography.js';

/** The CSL styles and locales shipped with imprint (see csl/LICENSE.md). */
const cslDir = packagePath('csl');

/** The styles imprint ships, by the names `csl:` accepts. */
export const shippedStyles: Readonly<Record<string, string>> = {
  'chicago-author-date': 'chicago-author-date.csl',
  'chicago-notes': 'chicago-notes-bibliography.csl',
  'chicago-notes-bibliography': 'chicago-notes-bibliography.csl',
  apa: 'apa.csl',
  ieee: 'ieee.csl',
};

export const defaultStyle = 'chicago-author-date';

/** The XML of a shipped style, or undefined when `name` is not one. */
export function shippedStyle(name: string): string | undefined {
  const file = shippedStyles[name.toLowerCase().replace(/\.csl$/, '')];
  return file ? readFileSync(path.join(cslDir, 'styles', file), 'utf8') : undefined;
}

let primaryDialects: Record<string, string> | undefined;

/** The CSL locale that serves a BCP 47 language tag: itself, its language's primary dialect, else en-US. */
export function cslLocale(lang: string): string {
  if (!primaryDialects) {
    const index = JSON.parse(readFileSync(path.join(cslDir, 'locales', 'locales.json'), 'utf8')) as {
      'primary-dialects': Record<string, string>;
    };
    primaryDialects = index['primary-dialects'];
  }
  const [language = 'en', ...rest] = lang.split('-');
  const region = rest.find((part) => /^[A-Za-z]{2}$/.test(part))?.toUpperCase();
  const script = rest.find((part) => /^[A-Za-z]{4}$/.test(part));
  const candidates = [
    region ? `${language.toLowerCase()}-${region}` : undefined,
    script === 'Hant' ? 'zh-TW' : undefined,
    primaryDialects[language.toLowerCase()],
  ];
  return candidates.find((name): name is string => name !== undefined && localeExists(name)) ?? 'en-US';
}

function localeExists(name: string): boolean {
  try {
    readLocale(name);
    return true;
  } catch {
    return false;
  }
}

const locales = new Map<string, string>();
function readLocale(name: string): string {
  let xml = locales.get(name);
  if (xml === undefined) {
    xml = readFileSync(path.join(cslDir, 'locales', `locales-${name}.xml`), 'utf8');
    locales.set(name, xml);
  }
  return xml;
}

/** A cluster as the processor takes it: one or more works, each with its locator, prefix and suffix. */
export interface Cluster {
  items: CitationItem[];
  /** The footnote the citation is in (a note style numbers its "ibid."s by it); 0 in the text. */
  noteIndex: number;
}

export interface FormattedCitations {
  /** The clusters as HTML, in the order given. */
  clusters: string[];
  /** Each work's author (or what the style puts first) alone, as HTML, for a citation in the text (`@key`). */
  authorOnly(id: string): string | undefined;
  /** The bibliography: each cited work's entry as HTML, in the style's order. */
  entries: Array<{ id: string; html: string }>;
}

interface CachedEngine {
  engine: Engine;
  /** What the processor's callbacks read: set for each document. */
  context: { items: ReadonlyMap<string, CslItem>; linkOf: (id: string) => string };
}

/** Processors by style and locale: building one reads the style's XML, which takes long for the big styles. */
const engines = new Map<string, CachedEngine>();

function engineFor(styleXml: string, locale: string): CachedEngine {
  const cacheKey = `${locale}\n${styleXml}`;
  const cached = engines.get(cacheKey);
  if (cached) return cached;
  const context: CachedEngine['context'] = { items: new Map(), linkOf: (id) => id };
  const engine = new CSL.Engine(
    {
      retrieveLocale: (name) => {
        try {
          return readLocale(name === 'en-US' || localeExists(name) ? name : cslLocale(name));
        } catch {
          return undefined;
        }
      },
      // `system_id` is what the processor hands the citation wrapper.
      retrieveItem: (id) => {
        const item = context.items.get(id);
        return item && { ...item, system_id: id };
      },
      // A work folded into a range (IEEE's "[2]–[4]") has no id of its own: it stays as it is.
      wrapCitationEntry: (text, id) =>
        id === undefined || id === 'undefined'
          ? text
          : `<a class="citation-link" href="#${escapeAttribute(context.linkOf(String(id)))}">${text}</a>`,
    },
    styleXml,
    locale,
    true,
  );
  engine.opt.development_extensions.wrap_url_and_doi = true;
  engine.opt.development_extensions.apply_citation_wrapper = true;
  if (engines.size >= 8) engines.delete(engines.keys().next().value!);
  const cachedEngine = { engine, context };
  engines.set(cacheKey, cachedEngine);
  return cachedEngine;
}

/**
 * Format citations and the bibliography with citeproc-js. Each work is
 * wrapped in `<a href="#…">` to its entry (`linkOf`), and URLs and DOIs are
 * links. Throws when the style is not CSL the processor can read.
 */
export function formatCitations(
  styleXml: string,
  lang: string,
  items: ReadonlyMap<string, CslItem>,
  clusters: readonly Cluster[],
  linkOf: (id: string) => string,
): FormattedCitations & { isNoteStyle: boolean } {
  const { engine, context } = engineFor(styleXml, cslLocale(lang));
  context.items = items;
  context.linkOf = linkOf;
  // Whatever an earlier document left in the processor's registry goes.
  engine.updateItems([]);
  const isNoteStyle = engine.opt.xclass === 'note';
  engine.updateItems([...items.keys()]);
  const citations = clusters.map((cluster, index) => ({
    citationID: `c${index}`,
    citationItems: cluster.items,
    properties: { noteIndex: isNoteStyle ? cluster.noteIndex : 0 },
  }));
  // With the wrapper on, the processor leaves out the layout's own prefix and suffix ("(" and ")", a note's
  // closing full stop): they are put back here.
  const { layout_prefix: prefix, layout_suffix: suffix } = engine.citation.opt;
  const withLayout = (html: string) => {
    const text = html.replace(/<[^>]*>/g, '');
    const end = suffix !== '' && text.endsWith(suffix.slice(0, 1)) && /^[.,;:]/.test(suffix) ? '' : escapeText(suffix);
    return `${text.startsWith(prefix) ? '' : escapeText(prefix)}${html}${text.endsWith(suffix) ? '' : end}`;
  };
  const byId = new Map(engine.rebuildProcessorState(citations, 'html').map(([id, , html]) => [id, withLayout(html)]));
  const bibliography = engine.makeBibliography();
  const entries: Array<{ id: string; html: string }> = [];
  if (bibliography) {
    const [meta, html] = bibliography;
    meta.entry_ids.forEach((ids, index) => {
      entries.push({ id: String(ids[0]), html: html[index]!.trim() });
    });
  }
  return {
    isNoteStyle,
    clusters: citations.map((citation) => byId.get(citation.citationID) ?? ''),
    authorOnly(id) {
      const html = engine.makeCitationCluster([{ id, 'author-only': true }]);
      if (html.includes('NO_PRINTED_FORM') || html.trim() === '') return undefined;
      return `<a class="citation-link" href="#${escapeAttribute(linkOf(id))}">${html}</a>`;
    },
    entries,
  };
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
