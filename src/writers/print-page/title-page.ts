import type { Element } from 'hast';
import { h } from 'hastscript';
import type { Metadata } from '../../document/metadata.js';
import { formatPartialDate, isoPartialDate } from '../../data/partial-date.js';

/**
 * The lines of the title page, the same in every edition: series, title,
 * subtitle, author, date and publisher, each present only when the front
 * matter or the configuration gives it.
 */
export function titlePageLines(metadata: Metadata): Element[] {
  const lines: Array<Element | undefined> = [
    metadata.series ? h('p', { className: ['series'] }, metadata.series) : undefined,
    h('h1', { className: ['title'] }, metadata.title),
    metadata.subtitle ? h('p', { className: ['subtitle'] }, metadata.subtitle) : undefined,
    metadata.authors.length > 0 ? h('p', { className: ['author'] }, metadata.authors.join(', ')) : undefined,
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
