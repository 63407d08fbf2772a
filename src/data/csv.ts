import type { Point } from 'unist';

/** One cell of a CSV file with the place where it starts. */
export interface CsvCell {
  value: string;
  start: Point;
  end: Point;
}

export interface CsvResult {
  rows: CsvCell[][];
  problems: Array<{ reason: string; place: Point }>;
}

/**
 * RFC 4180 CSV (comma separated, `"` quoting, `""` escapes, CRLF or LF),
 * keeping the line and column of every cell so that schema problems can be
 * reported where they are. Blank lines are skipped.
 */
export function parseCsv(text: string): CsvResult {
  const rows: CsvCell[][] = [];
  const problems: CsvResult['problems'] = [];
  let line = 1;
  let column = 1;
  let index = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let row: CsvCell[] = [];

  const point = (): Point => ({ line, column, offset: index });
  const advance = () => {
    if (text[index] === '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
    index++;
  };

  while (index < text.length) {
    const start = point();
    let value = '';
    if (text[index] === '"') {
      advance();
      let closed = false;
      while (index < text.length) {
        if (text[index] === '"') {
          if (text[index + 1] === '"') {
            value += '"';
            advance();
            advance();
            continue;
          }
          advance();
          closed = true;
          break;
        }
        value += text[index];
        advance();
      }
      if (!closed) problems.push({ reason: 'Quoted value is not closed', place: start });
      if (index < text.length && !isDelimiter(text, index)) {
        problems.push({ reason: 'Unexpected text after a closing quote', place: point() });
        while (index < text.length && !isDelimiter(text, index)) advance();
      }
    } else {
      while (index < text.length && !isDelimiter(text, index)) {
        if (text[index] === '"') problems.push({ reason: 'Quote inside an unquoted value', place: point() });
        value += text[index];
        advance();
      }
    }
    row.push({ value, start, end: point() });

    if (text[index] === ',') {
      advance();
      if (index >= text.length) row.push({ value: '', start: point(), end: point() });
      continue;
    }
    // End of a record: CRLF, LF or end of text.
    if (text[index] === '\r') advance();
    if (text[index] === '\n') advance();
    if (
      !(row.length === 1 && row[0]?.value === '' && !text.slice(row[0].start.offset, row[0].end.offset).includes('"'))
    ) {
      rows.push(row);
    }
    row = [];
  }
  return { rows, problems };
}

function isDelimiter(text: string, index: number): boolean {
  const char = text[index];
  return char === ',' || char === '\n' || (char === '\r' && text[index + 1] === '\n');
}
