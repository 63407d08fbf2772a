import { describe, expect, it } from 'vitest';
import {
  comparePartialDates,
  formatPartialDate,
  isoPartialDate,
  parsePartialDate,
  parseWrittenDate,
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

  it('reads a date written in English words, as journals’ front matter has it', () => {
    expect(parseWrittenDate('29 January 2021')).toEqual({ year: 2021, month: 1, day: 29 });
    expect(parseWrittenDate('January 29, 2021')).toEqual({ year: 2021, month: 1, day: 29 });
    expect(parseWrittenDate('Jan. 29th 2021')).toEqual({ year: 2021, month: 1, day: 29 });
    expect(parseWrittenDate('3 Sept 2019')).toEqual({ year: 2019, month: 9, day: 3 });
    expect(parseWrittenDate('July 2017')).toEqual({ year: 2017, month: 7 });
    for (const text of ['30 February 2021', '29 Janvier 2021', 'Ju 2017', 'July', '2021 July 4', 'next spring'])
      expect(parseWrittenDate(text), text).toBeUndefined();
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
