import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { readDataTable } from '../../src/data/table-data.js';

const read = (path: string, value: string) => {
  const file = new VFile({ path, value });
  return { table: readDataTable(file), messages: file.messages.map((m) => `${m.line}:${m.column} ${m.reason}`) };
};

describe('data tables', () => {
  it('reads a YAML table with columns, sources and rows', () => {
    const { table, messages } = read(
      'pledges.yaml',
      'sources:\n  text: {citation: The commentary}\ncolumns:\n  - {key: year, label: ' +
        'Year}\nrows:\n  - {year: 2015, source: text}\n',
    );
    expect(messages).toEqual([]);
    expect(table?.columns).toEqual([
      { key: 'year', label: 'Year', type: 'year', required: false, align: 'right', scale: 'one' },
    ]);
    expect(table?.rows[0]).toMatchObject({
      values: { year: 2015 },
      source: { citation: 'The commentary' },
      place: { start: { line: 6 } },
    });
  });

  it('reads JSON with the same schema', () => {
    const { table } = read('x.json', '{"rows": [{"a": 1, "source": "A citation"}]}');
    expect(table?.rows[0]?.source).toEqual({ citation: 'A citation' });
    expect(table?.columns).toEqual([
      { key: 'a', label: 'A', type: 'number', required: false, align: 'right', scale: 'one' },
    ]);
  });

  it('reports every row without a source, and schema problems at their place', () => {
    const { table, messages } = read(
      'x.yaml',
      'rows:\n  - {a: 1}\n  - {a: 2, source: ok}\n  - {a: 3}\ncolumns:\n  - {key: a, label: A, align: middle}\n',
    );
    expect(table).toBeUndefined();
    expect(messages).toEqual(['6:31 `columns.0.align`: Invalid option: expected one of "left"|"right"|"center"']);
    const second = read('x.yaml', 'rows:\n  - {a: 1}\n  - {a: 2, source: ok}\n  - {a: 3}\n');
    expect(second.messages).toEqual([
      '2:5 Row 1 has no `source`: every row names where its facts come from',
      '4:5 Row 3 has no `source`: every row names where its facts come from',
    ]);
  });

  it("reads a CSV table whose source columns become each row's source", () => {
    const { table, messages } = read(
      'x.csv',
      'date,event,source,source_url\n2017-05,Forum,The text,\n1972-09-29,Communiqué,MOFA,https://example.org/a\n',
    );
    expect(messages).toEqual([]);
    expect(table?.columns.map((column) => column.key)).toEqual(['date', 'event']);
    expect(table?.rows[1]?.source).toEqual({ citation: 'MOFA', url: 'https://example.org/a' });
  });

  it('reports CSV rows with the wrong number of values, no source, or a bad URL', () => {
    const { table, messages } = read('x.csv', 'a,source,source_url\n1,ok\n2,,\n3,ok,not a url\n');
    expect(table).toBeUndefined();
    expect(messages).toEqual([
      '2:1 Row has 2 values, the header names 3 columns',
      '3:1 Row has an empty `source`: every row names where its facts come from',
      '4:6 `source_url` is not a URL: not a url',
    ]);
  });

  it('refuses a CSV without a source column', () => {
    expect(read('x.csv', 'a,b\n1,2\n').messages).toEqual([
      '1:1 The header row has no `source` column: every row names where its facts come from',
    ]);
  });
});
