import { createRequire } from 'node:module';
import type { Element, ElementContent, Root, RootContent } from 'hast';
import type { Plugin } from 'unified';

/**
 * Print only: put soft hyphens (U+00AD) into the words of the text, where the
 * rules of each word's language allow a break (Liang's patterns, as in TeX,
 * from the `hyphen` package). Chromium on Linux does not hyphenate by itself
 * (`hyphens: auto` finds no dictionary there), but it breaks at soft hyphens
 * and draws the hyphen only where it breaks, so justified text stays even.
 *
 * The language of a word is the nearest `lang` on its ancestors, else the
 * document's. Languages without patterns (and Chinese, Japanese and Korean,
 * which break between characters) are left alone, and so are headings, code,
 * table cells, URLs, e-mail addresses, acronyms and words with digits.
 */
export interface RehypeImprintHyphenateOptions {
  /** BCP 47 language of the document. */
  lang: string;
}

type Hyphenator = (word: string) => string;

const require = createRequire(import.meta.url);
const loaded = new Map<string, Hyphenator | undefined>();

/**
 * Elements whose text is never hyphenated: headings, code, and table cells
 * (a break in a word narrows its column's minimum width, so an automatic
 * table layout would squeeze short columns and split names like "Ham-burg").
 */
const skipped = new Set([
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'code',
  'pre',
  'kbd',
  'samp',
  'var',
  'script',
  'style',
  'svg',
  'math',
  'time',
  'td',
  'th',
]);

/** Scripts that break between characters: no patterns, no hyphens. */
const unhyphenated = new Set(['zh', 'ja', 'ko', 'und']);

/** The default pattern set of a language named without a region, where the package has several. */
const preferred: Record<string, string> = {
  en: 'en-us',
  de: 'de-1996',
  el: 'el-monoton',
  mn: 'mn-cyrl',
  sr: 'sr-cyrl',
  la: 'la',
};

/** Shortest start and end of a word left by a break (TeX's \lefthyphenmin and \righthyphenmin). */
function minima(code: string): [number, number] {
  return code.startsWith('en') ? [2, 3] : [2, 2];
}

/** The hyphenator for a language tag, or undefined when imprint has no patterns for it. */
export function hyphenatorFor(lang: string): Hyphenator | undefined {
  const tag = lang.toLowerCase();
  if (loaded.has(tag)) return loaded.get(tag);
  const primary = tag.split('-')[0]!;
  let hyphenator: Hyphenator | undefined;
  if (!unhyphenated.has(primary)) {
    for (const code of [tag, preferred[primary], primary]) {
      if (!code || !/^[a-z]{2,3}(-[a-z0-9]{1,8})*$/.test(code)) continue;
      try {
        const module = require(`hyphen/${code}`) as { hyphenateSync: (text: string) => string };
        hyphenator = wordHyphenator(module.hyphenateSync, minima(code));
        break;
      } catch {
        // no patterns under this name; try the next
      }
    }
  }
  loaded.set(tag, hyphenator);
  return hyphenator;
}

function wordHyphenator(hyphenate: (text: string) => string, [left, right]: [number, number]): Hyphenator {
  const cache = new Map<string, string>();
  return (word) => {
    let result = cache.get(word);
    if (result === undefined) {
      result = word.length < left + right ? word : tidy(hyphenate(word), left, right);
      cache.set(word, result);
    }
    return result;
  };
}

/** Keep the breaks that leave at least `left` and `right` letters at the ends and no one-letter piece inside. */
function tidy(hyphenated: string, left: number, right: number): string {
  const pieces = hyphenated.split('\u00ad');
  if (pieces.length === 1) return hyphenated;
  const word = pieces.join('');
  const breaks: number[] = [];
  let at = 0;
  for (const piece of pieces.slice(0, -1)) {
    at += piece.length;
    if (at < left || word.length - at < right) continue;
    const previous = breaks[breaks.length - 1] ?? 0;
    if (breaks.length > 0 && at - previous === 1) continue;
    breaks.push(at);
  }
  let out = '';
  let from = 0;
  for (const position of breaks) {
    out += `${word.slice(from, position)}\u00ad`;
    from = position;
  }
  return out + word.slice(from);
}

const wordPattern = /[\p{L}\p{M}\u00ad]+(?:['’][\p{L}\p{M}\u00ad]+)*/gu;
/** Characters that mark a token as something other than prose (a URL, an address, a number, code). */
const notProse = /[\d@/\\_=<>|~#]|www\./u;

/** Hyphenate the words of a run of text. */
export function hyphenateText(text: string, hyphenate: Hyphenator): string {
  const word = (match: string) =>
    match.length < 5 || (match !== match.toLowerCase() && match === match.toUpperCase()) || match.includes('\u00ad')
      ? match
      : hyphenate(match);
  // Most text is prose throughout: one pass over its words. Otherwise token by token, leaving the others alone.
  if (!notProse.test(text)) return text.replace(wordPattern, word);
  return text.replace(/\S+/g, (token) => (notProse.test(token) ? token : token.replace(wordPattern, word)));
}

const rehypeImprintHyphenate: Plugin<[RehypeImprintHyphenateOptions], Root> = function (options) {
  if (!options?.lang) throw new Error('rehype-imprint-hyphenate: `lang` is required');
  return (tree) => {
    const walk = (nodes: Array<RootContent | ElementContent>, lang: string) => {
      const hyphenate = hyphenatorFor(lang);
      for (const node of nodes) {
        if (node.type === 'text') {
          if (hyphenate) node.value = hyphenateText(node.value, hyphenate);
        } else if (node.type === 'element' && !skipped.has(node.tagName) && !isUrl(node)) {
          walk(node.children, languageOf(node) ?? lang);
        }
      }
    };
    walk(tree.children, options.lang);
  };
};

/** A link whose text is its URL (class `url`, given by rehype-imprint-links). */
function isUrl(element: Element): boolean {
  const classes = element.properties.className;
  return Array.isArray(classes) && classes.includes('url');
}

function languageOf(element: Element): string | undefined {
  const lang = element.properties.lang ?? element.properties.xmlLang;
  return typeof lang === 'string' && lang !== '' ? lang : undefined;
}

export default rehypeImprintHyphenate;
