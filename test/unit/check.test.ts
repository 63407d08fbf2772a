import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/api.js';
import { findQuotes } from '../../src/check/quotes.js';
import { memoryReader } from '../../src/compile/resources.js';

const root = path.resolve(import.meta.dirname, '../..');
const manuscriptDir = path.join(root, 'manuscript');
const files = ['report.md', 'data/pledges.yaml', 'data/exchanges.csv', 'data/exchanges.schema.yaml'];
const original = Object.fromEntries(files.map((name) => [name, readFileSync(path.join(manuscriptDir, name), 'utf8')]));

/** The default manuscript, checked in memory with one file changed. */
async function checkWith(name?: string, change?: (text: string) => string) {
  const contents = { ...original };
  if (name && change) {
    const changed = change(contents[name]!);
    expect(changed, `the change to ${name} applies`).not.toBe(contents[name]);
    contents[name] = changed;
  }
  const reader = memoryReader(
    Object.fromEntries(Object.entries(contents).map(([file, text]) => [path.join(manuscriptDir, file), text])),
  );
  const result = await check({ manuscripts: [path.join(manuscriptDir, 'report.md')], reader, cwd: root });
  return result.files.flatMap((file) =>
    file.messages.map((message) => ({
      file: path.relative(root, file.path),
      line: message.line,
      text: contents['report.md']!.split('\n')[(message.line ?? 1) - 1]!.slice(
        (message.column ?? 1) - 1,
        message.place && 'end' in message.place ? message.place.end.column - 1 : undefined,
      ),
      severity: message.fatal ? 'error' : 'warning',
      ruleId: message.ruleId,
      reason: message.reason,
    })),
  );
}

const lineOf = (needle: string) => original['report.md']!.split('\n').findIndex((line) => line.includes(needle)) + 1;

describe('the consistency check on the default report', () => {
  it('finds the prose and the data in agreement', async () => {
    expect(await checkWith()).toEqual([]);
  });

  const cases: Array<{
    what: string;
    file: string;
    from: string | RegExp;
    to: string;
    quote: string;
    data: string;
    where: RegExp;
  }> = [
    {
      what: 'the 2016 pledge',
      file: 'data/pledges.yaml',
      from: 'amount_usd_bn: 200',
      to: 'amount_usd_bn: 210',
      quote: '$200 billion',
      data: 'US$210 bn',
      where: /data\/pledges\.yaml:41:20/,
    },
    {
      what: 'the 2015 pledge',
      file: 'data/pledges.yaml',
      from: 'amount_usd_bn: 110',
      to: 'amount_usd_bn: 120',
      quote: 'US$110 billion',
      data: 'US$120 bn',
      where: /data\/pledges\.yaml:33:20/,
    },
    {
      what: 'the year of the raised pledge',
      file: 'data/pledges.yaml',
      from: 'year: 2016',
      to: 'year: 2017',
      quote: '2016',
      data: '2017',
      where: /data\/pledges\.yaml:40:11/,
    },
    {
      what: 'the date of the Hamburg meeting',
      file: 'data/exchanges.csv',
      from: /^2017-07-08/m,
      to: '2017-07-09',
      quote: '8 JULY 2017',
      data: '9 July 2017',
      where: /data\/exchanges\.csv:7:1/,
    },
    {
      what: 'the date of Abe’s declaration',
      file: 'data/exchanges.csv',
      from: /^2017-06-05/m,
      to: '2017-06-06',
      quote: '5 June 2017',
      data: '6 June 2017',
      where: /data\/exchanges\.csv:5:1/,
    },
    {
      what: 'the month of Nikai’s visit',
      file: 'data/exchanges.csv',
      from: /^2017-05,/m,
      to: '2017-04,',
      quote: 'May 2017',
      data: 'April 2017',
      where: /data\/exchanges\.csv:4:1/,
    },
    {
      what: 'the month of Yang’s visit (the prose gives no year)',
      file: 'data/exchanges.csv',
      from: /^2017-06,/m,
      to: '2017-07,',
      quote: 'June',
      data: 'July 2017',
      where: /data\/exchanges\.csv:6:1/,
    },
    {
      what: 'a date in the prose',
      file: 'report.md',
      from: 'ON 8 JULY 2017',
      to: 'ON 7 JULY 2017',
      quote: '7 JULY 2017',
      data: '8 July 2017',
      where: /data\/exchanges\.csv:7:1/,
    },
    {
      what: 'a year in the prose',
      file: 'report.md',
      from: 'Japan in 2015 launched',
      to: 'Japan in 2014 launched',
      quote: '2014',
      data: '2015',
      where: /data\/pledges\.yaml:32:11/,
    },
  ];
  for (const { what, file, from, to, quote, data, where } of cases) {
    it(`warns at the quote when ${what} changes, naming the data's value and place`, async () => {
      const all = await checkWith(file, (text) => text.replace(from, to));
      // A changed year also leaves the table's and chart's `change` without its row: those are errors of their own.
      const messages = all.filter((message) => message.ruleId === 'data-mismatch');
      expect(
        all
          .filter((message) => message.ruleId !== 'data-mismatch')
          .every((message) => /`change` on/.test(message.reason)),
      ).toBe(true);
      expect(messages).toHaveLength(1);
      const [message] = messages;
      expect(message).toMatchObject({
        file: 'manuscript/report.md',
        severity: 'warning',
        ruleId: 'data-mismatch',
        text: quote,
      });
      expect(message!.line).toBe(lineOf(typeof from === 'string' && file === 'report.md' ? from : quote));
      expect(message!.reason).toContain(`“${quote}”`);
      expect(message!.reason).toContain(data);
      expect(message!.reason).toMatch(where);
    });
  }

  it('compares each of two changed amounts in one sentence with its own row', async () => {
    const messages = await checkWith('data/pledges.yaml', (text) =>
      text.replace('amount_usd_bn: 110', 'amount_usd_bn: 210').replace('amount_usd_bn: 200', 'amount_usd_bn: 300'),
    );
    expect(messages.map((message) => [message.text, message.reason.match(/data says (\S+ bn)/)?.[1]])).toEqual([
      ['US$110 billion', 'US$210 bn'],
      ['$200 billion', 'US$300 bn'],
    ]);
  });

  it('leaves a date the prose does not quote alone', async () => {
    expect(await checkWith('data/exchanges.csv', (text) => text.replace(/^1978-08-12/m, '1979-08-12'))).toEqual([]);
  });
});

describe('quotes in prose', () => {
  const read = (text: string) =>
    findQuotes(text).map((quote) => ({
      kind: quote.kind,
      text: quote.text,
      ...('value' in quote ? { value: quote.value } : { date: quote.date }),
    }));

  it('reads money with currency, scale and rounding', () => {
    expect(read('US$110 billion, $200 bn, €3.5 million, 12 billion yen and ¥40,000')).toEqual([
      { kind: 'money', text: 'US$110 billion', value: 110e9 },
      { kind: 'money', text: '$200 bn', value: 200e9 },
      { kind: 'money', text: '€3.5 million', value: 3.5e6 },
      { kind: 'money', text: '12 billion yen', value: 12e9 },
      { kind: 'money', text: '¥40,000', value: 40000 },
    ]);
  });

  it('reads dates at their precision, in any case, and never the verb may', () => {
    expect(
      read('ON 8 JULY 2017, July 9, 2017, 2017-07-10, in May 2017, in June, since 2015. We may 2017 not.'),
    ).toEqual([
      { kind: 'date', text: '8 JULY 2017', date: { year: 2017, month: 7, day: 8 } },
      { kind: 'date', text: 'July 9, 2017', date: { year: 2017, month: 7, day: 9 } },
      { kind: 'date', text: '2017-07-10', date: { year: 2017, month: 7, day: 10 } },
      { kind: 'date', text: 'May 2017', date: { year: 2017, month: 5 } },
      { kind: 'date', text: 'June', date: { year: 0, month: 6 } },
      { kind: 'date', text: '2015', date: { year: 2015 } },
    ]);
  });

  it('leaves ordinals, counts and ranges alone', () => {
    expect(read('the 45th year, the 40th anniversary, the G20, 19 members, in 2015–2016')).toEqual([]);
  });

  it('reads percentages and qualifiers', () => {
    const [quote] = findQuotes('an increase of about 82 %');
    expect(quote).toMatchObject({ kind: 'percent', value: 82, qualifier: 'about' });
  });
});
