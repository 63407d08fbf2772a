import { englishMonthAbbreviations, englishMonths, monthOf, type PartialDate } from '../data/partial-date.js';

/**
 * Numbers and dates as prose quotes them: "US$110 billion", "$200 billion",
 * "8 July 2017", "ON 8 JULY 2017", "May 2017", "in June", "in 2015", "82 %".
 * Pure text in, quotes with their offsets out; the check decides what they
 * refer to.
 */
export type Quote = MoneyQuote | DateQuote | PercentQuote;

interface QuoteBase {
  /** The words as written. */
  text: string;
  start: number;
  end: number;
  /** `about`, `over`, … before the number. */
  qualifier?: Qualifier;
}

export interface MoneyQuote extends QuoteBase {
  kind: 'money';
  /** In whole units of the currency (110 billion → 110e9). */
  value: number;
  /** ISO code, or `$` / `¥` when the symbol does not say which dollar or yen. */
  currency: string;
  /** Half a unit of the last digit written, in whole units: how far rounding can take the value. */
  tolerance: number;
}

export interface DateQuote extends QuoteBase {
  kind: 'date';
  date: PartialDate;
  /** The year was not written ("in June") and comes from the nearest date before it. */
  yearInferred?: boolean;
}

export interface PercentQuote extends QuoteBase {
  kind: 'percent';
  value: number;
  tolerance: number;
}

export type Qualifier = 'about' | 'over' | 'under';

const monthPattern = `(?:${englishMonths.join('|')}|(?:${Object.keys(englishMonthAbbreviations).join('|')})\\.?)`;

const scaleWords: Record<string, number> = {
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  mn: 1e6,
  m: 1e6,
  billion: 1e9,
  bn: 1e9,
  b: 1e9,
  trillion: 1e12,
  tn: 1e12,
};
const scalePattern = '(?:\\s?(thousand|million|billion|trillion|mn|bn|tn|k|m|b)\\b)?';
const numberPattern = '(\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(\\d+))?';

const currencySymbols: Array<[string, string]> = [
  ['US$', 'USD'],
  ['USD', 'USD'],
  ['A$', 'AUD'],
  ['AUD', 'AUD'],
  ['C$', 'CAD'],
  ['CAD', 'CAD'],
  ['HK$', 'HKD'],
  ['S$', 'SGD'],
  ['NZ$', 'NZD'],
  ['$', '$'],
  ['€', 'EUR'],
  ['EUR', 'EUR'],
  ['£', 'GBP'],
  ['GBP', 'GBP'],
  ['JP¥', 'JPY'],
  ['JPY', 'JPY'],
  ['CN¥', 'CNY'],
  ['CNY', 'CNY'],
  ['RMB', 'CNY'],
  ['¥', '¥'],
];
const currencyWords: Record<string, string> = {
  'us dollars': 'USD',
  dollars: '$',
  dollar: '$',
  yen: 'JPY',
  yuan: 'CNY',
  renminbi: 'CNY',
  euros: 'EUR',
  euro: 'EUR',
  pounds: 'GBP',
};
const escape = (text: string) => text.replace(/[$.*+?()[\]{}|^\\]/g, '\\$&');
const symbolPattern = `(${currencySymbols.map(([symbol]) => escape(symbol)).join('|')})\\s?`;
const wordPattern = `\\s(${Object.keys(currencyWords).map(escape).join('|')})\\b`;

const qualifierWords = ['about', 'around', 'approximately', 'roughly', 'some', 'nearly', 'almost', 'over'].concat([
  'more than',
  'above',
  'under',
  'less than',
  'below',
  'up to',
  'at least',
]);
const qualifierPattern = new RegExp(`(?:\\b(${qualifierWords.join('|')})\\s+)$`, 'i');
const qualifiers: Record<string, Qualifier> = {
  about: 'about',
  around: 'about',
  approximately: 'about',
  roughly: 'about',
  some: 'about',
  nearly: 'about',
  almost: 'about',
  over: 'over',
  'more than': 'over',
  above: 'over',
  'at least': 'over',
  under: 'under',
  'less than': 'under',
  below: 'under',
  'up to': 'under',
};

/** Prepositions after which a bare month or year is a date the prose gives ("in June", "in 2015"). */
const datePrepositions = '(?:in|on|since|until|till|by|during|from|of|before|after|to)';

interface Rule {
  pattern: RegExp;
  read(
    match: RegExpExecArray,
  ):
    | Omit<MoneyQuote, keyof QuoteBase>
    | Omit<DateQuote, keyof QuoteBase>
    | Omit<PercentQuote, keyof QuoteBase>
    | undefined;
  /** Part of the match that is the quote (the rest is context such as "in "). */
  group?: number;
}

const rules: Rule[] = [
  {
    pattern: new RegExp(`${symbolPattern}${numberPattern}${scalePattern}`, 'giu'),
    read: (match) => money(match[2]!, match[3], match[4], currencyOf(match[1]!)),
  },
  {
    pattern: new RegExp(`(?<![\\p{L}\\d.,])${numberPattern}${scalePattern}${wordPattern}`, 'giu'),
    read: (match) => money(match[1]!, match[2], match[3], currencyWords[match[4]!.toLowerCase()]!),
  },
  {
    pattern: new RegExp(`(?<![\\p{L}\\d.,])${numberPattern}\\s?(?:%|per ?cent\\b)`, 'giu'),
    read: (match) => ({
      kind: 'percent',
      value: Number(`${match[1]!.replace(/,/g, '')}.${match[2] ?? '0'}`),
      tolerance: halfUnit(match[2]),
    }),
  },
  {
    // 8 July 2017, 8th of July, 2017
    pattern: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${monthPattern}),?\\s+(\\d{4})\\b`, 'giu'),
    read: (match) => date(Number(match[3]), match[2]!, Number(match[1])),
  },
  {
    // July 8, 2017
    pattern: new RegExp(`\\b(${monthPattern})\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'giu'),
    read: (match) => date(Number(match[3]), match[1]!, Number(match[2])),
  },
  {
    pattern: /\b(\d{4})-(\d{2})(?:-(\d{2}))?\b/g,
    read: (match) => {
      const month = Number(match[2]);
      const day = match[3] === undefined ? undefined : Number(match[3]);
      if (month < 1 || month > 12 || (day !== undefined && (day < 1 || day > 31))) return undefined;
      return { kind: 'date', date: { year: Number(match[1]), month, day } };
    },
  },
  {
    // May 2017
    pattern: new RegExp(`\\b(${monthPattern}),?\\s+(\\d{4})\\b`, 'giu'),
    read: (match) => date(Number(match[2]), match[1]!),
  },
  {
    // in June (the year comes from context)
    pattern: new RegExp(`\\b${datePrepositions}\\s+(?:early\\s+|mid-?|late\\s+)?(${monthPattern})(?!\\s*\\d)`, 'giu'),
    read: (match) => date(0, match[1]!),
    group: 1,
  },
  {
    // in 2015
    pattern: new RegExp(
      `\\b${datePrepositions}\\s+(?:early\\s+|mid-?|late\\s+)?((?:1[5-9]|20)\\d{2})` +
        '\\b(?!\\s*[-–—]\\s*\\d)(?![.,]\\d)',
      'giu',
    ),
    read: (match) => ({ kind: 'date', date: { year: Number(match[1]) } }),
    group: 1,
  },
];

/** Every quote in `text`, in order. Earlier rules win where two overlap ("8 July 2017" is a day, not "July 2017"). */
export function findQuotes(text: string): Quote[] {
  // Every quote has a digit, or a month name ("in June"): most passages have neither.
  if (!/\d/.test(text) && !anyMonth.test(text)) return [];
  const taken: Array<[number, number]> = [];
  const quotes: Quote[] = [];
  for (const rule of rules) {
    rule.pattern.lastIndex = 0;
    for (let match = rule.pattern.exec(text); match; match = rule.pattern.exec(text)) {
      const whole = match[0];
      const part = rule.group === undefined ? whole : match[rule.group]!;
      const start = match.index + (rule.group === undefined ? 0 : whole.lastIndexOf(part));
      const end = start + part.length;
      if (taken.some(([from, to]) => start < to && end > from)) continue;
      if (!monthCaseOk(part)) continue;
      const read = rule.read(match);
      if (!read) continue;
      const before = qualifierPattern.exec(text.slice(Math.max(0, start - 20), start));
      const qualifier = before ? qualifiers[before[1]!.toLowerCase()] : undefined;
      quotes.push({ ...read, text: part, start, end, qualifier } as Quote);
      taken.push([start, end]);
    }
  }
  return quotes.sort((a, b) => a.start - b.start);
}

const anyMonth = new RegExp(`\\b${monthPattern}`, 'iu');
const monthWord = new RegExp(monthPattern, 'iu');

/**
 * A month name is a month when it is capitalised or the whole word is upper case: "May" and "MAY", never the verb
 * "may".
 */
function monthCaseOk(text: string): boolean {
  const word = monthWord.exec(text)?.[0].replace(/\.$/, '');
  if (!word) return true;
  return word === word.toUpperCase() || word === word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

function money(
  integer: string,
  fraction: string | undefined,
  scale: string | undefined,
  currency: string,
): Omit<MoneyQuote, keyof QuoteBase> {
  const multiplier = scale ? (scaleWords[scale.toLowerCase()] ?? 1) : 1;
  const value = Number(`${integer.replace(/,/g, '')}.${fraction ?? '0'}`) * multiplier;
  return { kind: 'money', value, currency, tolerance: halfUnit(fraction) * multiplier };
}

function halfUnit(fraction: string | undefined): number {
  return 0.5 * 10 ** -(fraction?.length ?? 0);
}

function currencyOf(symbol: string): string {
  return currencySymbols.find(([written]) => written.toLowerCase() === symbol.toLowerCase())?.[1] ?? '$';
}

function date(year: number, monthName: string, day?: number): Omit<DateQuote, keyof QuoteBase> | undefined {
  const month = monthOf(monthName);
  if (!month) return undefined;
  if (day !== undefined) {
    const probe = new Date(Date.UTC(year, month - 1, day));
    if (probe.getUTCDate() !== day) return undefined;
  }
  return {
    kind: 'date',
    date: { year, month, day },
    yearInferred: year === 0 ? true : undefined,
  };
}
