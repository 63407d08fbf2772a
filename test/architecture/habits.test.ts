import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Habits of the code that the formatter does not keep by itself (Biome does not break long strings). */
const root = path.resolve(import.meta.dirname, '../..');
const tracked = (...patterns: string[]) =>
  execFileSync('git', ['ls-files', ...patterns], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);

/**
 * Whether each line of a file begins inside a template literal: the backticks before it are odd in number (a
 * template nested in `${…}` adds two). Test inputs are written as templates, a manuscript's raw lines.
 */
function insideTemplate(text: string): boolean[] {
  const inside: boolean[] = [];
  let open = false;
  for (const line of text.split('\n')) {
    inside.push(open);
    for (let index = 0; index < line.length; index++) {
      if (line[index] === '\\') index++;
      else if (line[index] === '`') open = !open;
    }
  }
  return inside;
}

/**
 * The conditional spreads in a file (`...(x ? { key: x } : {})`, `...(x === undefined ? {} : { x })`), also split
 * over lines, each with the line it starts on (1-based) and the line above it.
 */
function conditionalSpreads(text: string): Array<{ line: number; above: string; code: string }> {
  const lines = text.split('\n');
  const found: Array<{ line: number; above: string; code: string }> = [];
  for (let start = text.indexOf('...('); start !== -1; start = text.indexOf('...(', start + 4)) {
    // The parenthesised expression: up to the bracket that closes the opening one.
    let depth = 0;
    let end = start + 3;
    for (; end < text.length; end++) {
      const char = text[end]!;
      if ('([{'.includes(char)) depth++;
      else if (')]}'.includes(char) && --depth === 0) break;
    }
    const inner = text.slice(start + 4, end);
    if (!inner.includes('?') || !(/:\s*\{\s*\}\s*$/.test(inner) || /\?\s*\{\s*\}\s*:/.test(inner))) continue;
    const line = text.slice(0, start).split('\n').length;
    found.push({ line, above: (lines[line - 2] ?? '').trim(), code: inner.replace(/\s+/g, ' ') });
  }
  return found;
}

describe('habits of the code', () => {
  it('has no line over 120 characters (in tests, a manuscript’s lines and regular expressions aside)', () => {
    const files = tracked('src/*.ts', 'test/*.ts', 'bench/*.ts', 'scripts/*.mjs', 'bin/*.js', '*.ts');
    expect(files.length).toBeGreaterThan(100);
    const long = files.flatMap((file) => {
      const text = readFileSync(path.join(root, file), 'utf8');
      const inside = insideTemplate(text);
      return text.split('\n').flatMap((line, index) => {
        if (line.length <= 120) return [];
        // In tests only: the lines of a manuscript given as a template, and a regular expression of expected
        // output, are what they test, not code; breaking them would change them.
        const data = file.startsWith('test/') && (inside[index] || /^\s*\/\^?[^\s/].*\/[dgimsuy]*[,)]?$/.test(line));
        return data ? [] : [`${file}:${index + 1} (${line.length})`];
      });
    });
    expect(long).toEqual([]);
  });

  it('has no conditional spread in src/ unless the line above says why it is kept', () => {
    // An optional property may be undefined (exactOptionalPropertyTypes is off): `key: x` says the same as
    // `...(x ? { key: x } : {})`, except where the object is laid over another one (defaults, a library's options).
    const files = tracked('src/*.ts');
    expect(files.length).toBeGreaterThan(50);
    const spreads = files.flatMap((file) =>
      conditionalSpreads(readFileSync(path.join(root, file), 'utf8'))
        .filter((spread) => !spread.above.startsWith('// Kept as a spread:'))
        .map((spread) => `${file}:${spread.line} ...(${spread.code})`),
    );
    expect(spreads).toEqual([]);
  });

  it('finds conditional spreads on one line and split over lines', () => {
    const text = [
      'const a = { ...(x ? { key: x } : {}) };',
      'const b = {',
      '  ...(y === undefined',
      '    ? {}',
      '    : { y }),',
      '  // Kept as a spread: an undefined z would override the default.',
      '  ...(z ? { z } : {}),',
      '  ...(list.map((item) => item)),',
      '};',
    ].join('\n');
    expect(conditionalSpreads(text).map(({ line, above }) => [line, above.startsWith('// Kept as a spread:')])).toEqual(
      [
        [1, false],
        [3, false],
        [7, true],
      ],
    );
  });
});
