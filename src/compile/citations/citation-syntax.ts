/** One work a citation names, as Pandoc's syntax writes it. */
export interface CitedWork {
  key: string;
  prefix?: string;
  suffix?: string;
  locator?: string;
  /** CSL locator label: page, chapter, section, … */
  label?: string;
  /** `-@key`: the author is named in the text already. */
  suppressAuthor?: boolean;
  /** Offset of the `@` in the text it was found in. */
  at: number;
}

/** A citation found in a run of text: `[see @a, p. 3; @b]` (bracketed) or `@a` (in the text). */
export interface FoundCitation {
  start: number;
  end: number;
  inText: boolean;
  works: CitedWork[];
}

/** A citation key: letters, digits and `_`, with single inner punctuation (Pandoc's rule), or `{anything}`. */
const key = String.raw`(?:[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*|\{[^{}\s]+\})`;
const bracketed = /\[([^[\]]*@[^[\]]*)\]/gu;
const item = new RegExp(String.raw`^([^@]*?)(-?)@(${key})([\s\S]*)$`, 'u');
const inText = new RegExp(String.raw`(?<![\p{L}\p{N}_@.\\-])@(${key})(?:(\s?)\[([^[\]@]*)\])?`, 'gu');

const labels: ReadonlyArray<[RegExp, string]> = [
  [/^(?:pp?\.|pages?)\s*/i, 'page'],
  [/^(?:chaps?\.|chapters?|ch\.)\s*/i, 'chapter'],
  [/^(?:secs?\.|sections?|§§?)\s*/i, 'section'],
  [/^(?:figs?\.|figures?)\s*/i, 'figure'],
  [/^(?:vols?\.|volumes?)\s*/i, 'volume'],
  [/^(?:paras?\.|paragraphs?|¶)\s*/i, 'paragraph'],
  [/^(?:nn?\.|notes?)\s*/i, 'note'],
  [/^(?:ll?\.|lines?)\s*/i, 'line'],
];

/** `p. 33, emphasis added` → locator 33 (page), suffix `, emphasis added`; text without a locator is a suffix. */
export function parseLocator(text: string): Pick<CitedWork, 'locator' | 'label' | 'suffix'> {
  let rest = text.trim();
  if (rest === '') return {};
  let label: string | undefined;
  for (const [pattern, name] of labels) {
    const match = pattern.exec(rest);
    if (match) {
      label = name;
      rest = rest.slice(match[0].length);
      break;
    }
  }
  const locator = /^[\p{N}\p{L}]*\p{N}[\p{N}\p{L}]*(?:\s*[-–—,]\s*[\p{N}\p{L}]*\p{N}[\p{N}\p{L}]*)*/u.exec(rest);
  const roman = /^[ivxlcdm]+\b/i.exec(rest);
  const found = locator?.[0] || (label ? roman?.[0] : undefined);
  if (!found) return { suffix: text.trim() };
  const suffix = rest.slice(found.length).trim();
  return { locator: found.trim(), label: label ?? 'page', suffix: suffix || undefined };
}

function work(text: string, offset: number): CitedWork | undefined {
  const match = item.exec(text);
  if (!match) return undefined;
  const [, prefix = '', dash, rawKey = '', rest = ''] = match;
  const citedKey = rawKey.startsWith('{') ? rawKey.slice(1, -1) : rawKey;
  const after = rest.trim();
  // After the key, a locator (after a comma, or a labelled one without: `@a p. 3`), else a suffix.
  const tail = after.startsWith(',') ? parseLocator(after.slice(1)) : after ? parseLocator(after) : {};
  return {
    key: citedKey,
    prefix: prefix.trim() || undefined,
    ...tail,
    suppressAuthor: dash ? true : undefined,
    at: offset + prefix.length + dash!.length,
  };
}

/**
 * The citations in a run of text, in order. A bracket is a citation when
 * every part between its semicolons names one key (`[see @a; @b, p. 3]`);
 * `@key` elsewhere is a citation in the text when it does not follow a letter,
 * a digit or a dot (so `name@example.org` is not one), optionally followed by
 * a locator in brackets (`@a [p. 3]`).
 */
export function findCitations(text: string): FoundCitation[] {
  const found: FoundCitation[] = [];
  for (const match of text.matchAll(bracketed)) {
    const inner = match[1]!;
    const parts: CitedWork[] = [];
    let offset = match.index! + 1;
    let ok = true;
    for (const part of inner.split(';')) {
      const cited = work(part, offset);
      if (!cited) {
        ok = false;
        break;
      }
      parts.push(cited);
      offset += part.length + 1;
    }
    if (ok && parts.length > 0)
      found.push({ start: match.index!, end: match.index! + match[0].length, inText: false, works: parts });
  }
  const taken = (index: number) => found.some((citation) => index >= citation.start && index < citation.end);
  for (const match of text.matchAll(inText)) {
    if (taken(match.index!)) continue;
    const rawKey = match[1]!;
    const citedKey = rawKey.startsWith('{') ? rawKey.slice(1, -1) : rawKey;
    const locator = match[3] === undefined ? {} : parseLocator(match[3]);
    found.push({
      start: match.index!,
      end: match.index! + match[0].length,
      inText: true,
      works: [{ key: citedKey, ...locator, at: match.index! }],
    });
  }
  return found.sort((a, b) => a.start - b.start);
}
