import { dateFormat } from './intl-cache.js';
/**
 * Dates with the precision their source gives them: a year ("2018"), a month
 * ("2017-05") or a day ("2017-07-08"). Sorting puts a less precise date before
 * the more precise ones within it.
 */
export interface PartialDate {
  year: number;
  month?: number;
  day?: number;
}

const pattern = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

export function parsePartialDate(text: string): PartialDate | undefined {
  const match = pattern.exec(text.trim());
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = match[2] === undefined ? undefined : Number(match[2]);
  const day = match[3] === undefined ? undefined : Number(match[3]);
  if (month !== undefined && (month < 1 || month > 12)) return undefined;
  if (day !== undefined) {
    const probe = new Date(Date.UTC(year, (month ?? 1) - 1, day));
    if (probe.getUTCDate() !== day) return undefined;
  }
  return { year, month, day };
}

/** The months' names in English, January first. */
export const englishMonths = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** The months' short names in English ("Sept" too), by number. */
export const englishMonthAbbreviations: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** A month's number from its English name or short name, in any case, with or without a full stop. */
export function monthOf(word: string): number | undefined {
  const name = word.toLowerCase().replace(/\.$/, '');
  return englishMonths.indexOf(name) + 1 || englishMonthAbbreviations[name];
}

/**
 * A date written in English words, as Pandoc's and journals' front matter often has it: "29 January 2021",
 * "January 29, 2021", "Jan. 29th 2021" or "January 2021". Undefined for anything else.
 */
export function parseWrittenDate(text: string): PartialDate | undefined {
  const words = text.trim().replace(/,/g, ' ').split(/\s+/).filter(Boolean);
  const day = (word: string) => (/^\d{1,2}(st|nd|rd|th)?$/i.test(word) ? parseInt(word, 10) : undefined);
  const year = (word: string) => (/^\d{4}$/.test(word) ? word : undefined);
  let parts: { year?: string; month?: number; day?: number } = {};
  if (words.length === 3 && day(words[0]!) !== undefined)
    parts = { day: day(words[0]!), month: monthOf(words[1]!), year: year(words[2]!) };
  else if (words.length === 3) parts = { month: monthOf(words[0]!), day: day(words[1]!), year: year(words[2]!) };
  else if (words.length === 2) parts = { month: monthOf(words[0]!), year: year(words[1]!) };
  if (parts.year === undefined || parts.month === undefined || (words.length === 3 && parts.day === undefined))
    return undefined;
  const pad = (n: number) => String(n).padStart(2, '0');
  return parsePartialDate(
    [parts.year, pad(parts.month), ...(parts.day === undefined ? [] : [pad(parts.day)])].join('-'),
  );
}

export function comparePartialDates(a: PartialDate, b: PartialDate): number {
  return a.year - b.year || (a.month ?? 0) - (b.month ?? 0) || (a.day ?? 0) - (b.day ?? 0);
}

/** "2017", "May 2017", "8 July 2017" (in the order and words of `lang`); `short` gives "8 Jul 2017". */
export function formatPartialDate(date: PartialDate, lang: string, style: 'long' | 'short' = 'long'): string {
  const when = new Date(Date.UTC(date.year, (date.month ?? 1) - 1, date.day ?? 1));
  const options: Intl.DateTimeFormatOptions =
    date.day !== undefined
      ? { year: 'numeric', month: style, day: 'numeric', timeZone: 'UTC' }
      : date.month !== undefined
        ? { year: 'numeric', month: style, timeZone: 'UTC' }
        : { year: 'numeric', timeZone: 'UTC' };
  return dateFormat(lang, options).format(when);
}

/** ISO 8601 text of the date at its own precision. */
export function isoPartialDate(date: PartialDate): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return [String(date.year).padStart(4, '0'), date.month && pad(date.month), date.day && pad(date.day)]
    .filter(Boolean)
    .join('-');
}
