import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/csv.js';

describe('CSV parsing', () => {
  it('reads quoted values, escaped quotes, commas and newlines inside quotes', () => {
    const { rows, problems } = parseCsv('a,b\n"x, y","say ""hi""\nagain"\n');
    expect(problems).toEqual([]);
    expect(rows.map((row) => row.map((cell) => cell.value))).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nagain'],
    ]);
  });

  it('keeps the line and column where each cell starts', () => {
    const { rows } = parseCsv('date,event\n2017-05,"Forum"\r\n2017-06,Dialogue');
    expect(rows[1]![1]!.start).toMatchObject({ line: 2, column: 9 });
    expect(rows[2]![0]!.start).toMatchObject({ line: 3, column: 1 });
  });

  it('skips blank lines and a byte order mark, and keeps trailing empty values', () => {
    const { rows } = parseCsv('\ufeffa,b\n\n1,\n');
    expect(rows.map((row) => row.map((cell) => cell.value))).toEqual([
      ['a', 'b'],
      ['1', ''],
    ]);
  });

  it('reports an unclosed quote and text after a closing quote at their places', () => {
    expect(parseCsv('a\n"open').problems).toEqual([
      { reason: 'Quoted value is not closed', place: { line: 2, column: 1, offset: 2 } },
    ]);
    expect(parseCsv('a,b\n"x"y,1').problems[0]).toMatchObject({
      reason: 'Unexpected text after a closing quote',
      place: { line: 2, column: 4 },
    });
  });
});
