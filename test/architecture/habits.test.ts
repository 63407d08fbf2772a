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
});
