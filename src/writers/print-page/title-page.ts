import type { Element } from 'hast';
import { h } from 'hastscript';
import type { Metadata } from '../../document/metadata.js';
import { formatPartialDate, isoPartialDate } from '../../data/partial-date.js';

/**
 * The lines of the title page, the same in every edition: series, title,
 * subtitle, author (with their affiliations), date and publisher, each
 * present only when the front matter or the configuration gives it.
 */
export function titlePageLines(metadata: Metadata): Element[] {
  const lines: Array<Element | undefined> = [
    metadata.series ? h('p', { className: ['series'] }, metadata.series) : undefined,
    h('h1', { className: ['title'] }, metadata.title),
    metadata.subtitle ? h('p', { className: ['subtitle'] }, metadata.subtitle) : undefined,
    ...authorLines(metadata),
    metadata.date
      ? h(
          'p',
          { className: ['date'] },
          h('time', { dateTime: isoPartialDate(metadata.date) }, formatPartialDate(metadata.date, metadata.lang)),
        )
      : undefined,
    metadata.publisher ? h('p', { className: ['publisher'] }, metadata.publisher) : undefined,
  ];
  return lines.filter((line): line is Element => line !== undefined);
}

/**
 * The authors, and under them their affiliations. With more than one affiliation each author's are marked by
 * number ("A. Writer¹ ²"), as journals print them; with one, it stands under the names unmarked.
 */
function authorLines(metadata: Metadata): Array<Element | undefined> {
  if (metadata.authors.length === 0) return [];
  const affiliations = metadata.affiliations ?? [];
  const marked = affiliations.length > 1;
  const names = metadata.authors.flatMap((author, index) => {
    const numbers = marked ? (metadata.authorAffiliations?.[index] ?? []) : [];
    return [...(index > 0 ? [', '] : []), author, ...(numbers.length > 0 ? [h('sup', numbers.join(' '))] : [])];
  });
  return [
    h('p', { className: ['author'] }, names),
    affiliations.length > 0
      ? h(
          'p',
          { className: ['affiliations'] },
          affiliations.flatMap((name, index) => [
            ...(index > 0 ? [h('br')] : []),
            ...(marked ? [h('sup', String(index + 1)), ' '] : []),
            name,
          ]),
        )
      : undefined,
  ];
}
