import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { resolveColumn } from '../../src/data/column-schema.js';
import { formatCell, formatDifference, formatMoney, formatPercent } from '../../src/data/format-cell.js';
import { computeChange, computeTotal, parseChangeSpec, parseConditions } from '../../src/data/summary.js';
import { readDataTable } from '../../src/data/table-data.js';

const nbsp = (text: string) => text.replace(/\u00a0/g, ' ');
const money = resolveColumn({ key: 'amount', type: 'money', currency: 'USD', scale: 'billion' });

describe('formats', () => {
  it('writes money in the column’s currency and scale, short, long or plain', () => {
    expect(nbsp(formatCell(110, money, 'en-GB'))).toBe('US$110 bn');
    expect(nbsp(formatCell(110, money, 'en-GB', 'long'))).toBe('US$110 billion');
    expect(formatCell(110, money, 'en-GB', 'plain')).toBe('110');
    expect(nbsp(formatMoney(1.25, { currency: 'EUR', scale: 'million' }, 'en-GB'))).toBe('€1.25 m');
    expect(nbsp(formatMoney(3, { currency: 'JPY', scale: 'trillion' }, 'en-GB', 'long'))).toBe('JP¥3 trillion');
    expect(nbsp(formatMoney(110, { currency: 'USD', scale: 'billion' }, 'de', 'long'))).toContain('110 Milliarden');
  });

  it('writes changes signed, with a true minus, and percentages of percentages as points', () => {
    expect(nbsp(formatDifference(90, money, 'en-GB'))).toBe('+US$90 bn');
    expect(nbsp(formatDifference(-20, money, 'en-GB'))).toBe('\u2212US$20 bn');
    expect(formatPercent(81.818, 'en-GB', true)).toBe('+82%');
    expect(formatPercent(5.25, 'en-GB')).toBe('5.3%');
    expect(nbsp(formatDifference(2.5, resolveColumn({ key: 'share', type: 'percent' }), 'en-GB'))).toBe('+2.5 pp');
  });

  it('writes dates at their precision', () => {
    const date = resolveColumn({ key: 'date' });
    expect(formatCell('2017-05', date, 'en-GB')).toBe('May 2017');
    expect(formatCell('2017-07-08', date, 'en-GB')).toBe('8 July 2017');
    expect(formatCell('2017-07-08', date, 'en-GB', 'short')).toBe('8 Jul 2017');
    expect(formatCell('2018', date, 'en-GB')).toBe('2018');
    expect(formatCell(null, date, 'en-GB')).toBe('—');
  });
});

describe('totals and changes', () => {
  const file = new VFile({
    path: 'p.yaml',
    value:
      'columns:\n  - {key: name}\n  - {key: year, type: year}\n  - {key: amount, type: money, ' +
      'currency: USD, scale: billion}\n' +
      'rows:\n  - {name: a, year: 2015, amount: 110, source: s}\n  - {name: b, year: 2016, amount: ' +
      '200, source: s}\n  - {name: c, year: null, amount: null, source: s}\n',
  });
  const table = readDataTable(file)!;
  const amount = table.columns.find((column) => column.key === 'amount')!;

  it('computes the change between two rows named by a value, or the first and last rows with one', () => {
    const spec = parseChangeSpec('amount from year=2015 to year=2016', table);
    expect(spec).toEqual({
      ok: true,
      value: {
        keys: ['amount'],
        from: { key: 'year', test: '=', value: '2015' },
        to: { key: 'year', test: '=', value: '2016' },
      },
    });
    const change = computeChange(table.rows, amount, spec.ok ? spec.value : { keys: [] });
    expect(change.ok && [change.value.difference, Math.round(change.value.percent! * 10) / 10]).toEqual([90, 81.8]);
    const implicit = computeChange(table.rows, amount, { keys: ['amount'] });
    expect(implicit.ok && implicit.value.difference).toBe(90);
    expect(computeTotal(table.rows, amount)).toBe(310);
  });

  it('says what is wrong with a change or a condition', () => {
    expect(parseChangeSpec('name', table)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('a text column'),
    });
    expect(parseChangeSpec('amount from year=2015', table)).toMatchObject({ ok: false });
    const missing = parseChangeSpec('amount from year=2014 to year=2016', table);
    expect(missing.ok && computeChange(table.rows, amount, missing.value)).toMatchObject({
      ok: false,
      problem: '`from year=2014` matches no row',
    });
    const none = parseChangeSpec('amount from name=c to name=b', table);
    expect(none.ok && computeChange(table.rows, amount, none.value)).toMatchObject({
      ok: false,
      problem: 'the row where name=c has no `amount`',
    });
    expect(parseConditions('colour=red', table)).toMatchObject({ ok: false });
  });
});
