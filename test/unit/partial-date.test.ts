import { describe, expect, it } from 'vitest';
import {
  comparePartialDates,
  formatPartialDate,
  isoPartialDate,
  parsePartialDate,
} from '../../src/data/partial-date.js';

describe('partial dates', () => {
  it('keeps the precision the source gives', () => {
    expect(parsePartialDate('2018')).toEqual({ year: 2018 });
    expect(parsePartialDate('2017-05')).toEqual({ year: 2017, month: 5 });
    expect(parsePartialDate('2017-07-08')).toEqual({ year: 2017, month: 7, day: 8 });
  });

  it('rejects what is not a date', () => {
    for (const text of ['', '17', '2017-13', '2017-02-30', '2017/05', 'May 2017', '2017-5']) {
      expect(parsePartialDate(text)).toBeUndefined();
    }
  });

  it('formats in the words of the language', () => {
    expect(formatPartialDate({ year: 2017, month: 7, day: 8 }, 'en-GB')).toBe('8 July 2017');
    expect(formatPartialDate({ year: 2017, month: 7, day: 8 }, 'en-US')).toBe('July 8, 2017');
    expect(formatPartialDate({ year: 2017, month: 5 }, 'en-GB')).toBe('May 2017');
    expect(formatPartialDate({ year: 1972 }, 'en-GB')).toBe('1972');
  });

  it('sorts a month before the days within it', () => {
    const dates = ['2017-06-05', '2017-06', '2017-05', '1972-09-29', '2017'].map((text) => parsePartialDate(text)!);
    expect(dates.sort(comparePartialDates).map(isoPartialDate)).toEqual([
      '1972-09-29',
      '2017',
      '2017-05',
      '2017-06',
      '2017-06-05',
    ]);
  });
});
