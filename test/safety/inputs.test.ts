import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { imprint } from '../helpers/cli.js';
import { temporaryFolder } from '../helpers/tools.js';

/**
 * The catalogue of bad inputs: each is reported at its file, line and column
 * with its rule id, the run exits 1 (inputs) and writes nothing, and no stack
 * trace is printed. (Missing and malformed data files, references to nothing,
 * missing images, paths outside the project and remote resources have their
 * own tests in test/cli and test/safety/render.test.ts.)
 */
const front = '---\ntitle: A report\nauthor: A. Writer\nlang: en-GB\n---\n\n';

interface Expected {
  place: string;
  ruleId: string;
  reason?: RegExp;
}

async function buildOf(source: string | Uint8Array, files: Record<string, string> = {}, extra: string[] = []) {
  const project = await temporaryFolder();
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(project, name)), { recursive: true });
    await writeFile(path.join(project, name), text);
  }
  const manuscript = path.join(project, 'report.md');
  await writeFile(manuscript, source);
  const out = path.join(project, 'out');
  const result = await imprint([
    'build',
    '--no-config',
    manuscript,
    '--out',
    out,
    '--json',
    '--browser-ws-endpoint',
    inject('browserWSEndpoint'),
    ...extra,
  ]);
  const json = JSON.parse(result.stdout || '{"messages":[]}') as {
    messages: Array<{
      line: number | null;
      column: number | null;
      endLine: number | null;
      endColumn: number | null;
      ruleId: string;
      reason: string;
      severity: string;
    }>;
  };
  return { ...result, messages: json.messages, out };
}

async function expectRejected(source: string | Uint8Array, expected: Expected[], files: Record<string, string> = {}) {
  const result = await buildOf(source, files);
  expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(result.code).toBe(1);
  expect(existsSync(result.out)).toBe(false);
  const errors = result.messages.filter((message) => message.severity === 'error');
  for (const want of expected) {
    const found = errors.find(
      (message) => `${message.line}:${message.column}` === want.place && message.ruleId === want.ruleId,
    );
    expect(found, `${want.ruleId} at ${want.place} in ${JSON.stringify(errors)}`).toBeDefined();
    if (want.reason) expect(found!.reason).toMatch(want.reason);
  }
  return result;
}

describe('bad manuscripts', () => {
  it('an empty manuscript', () => expectRejected('\n  \n', [{ place: '1:1', ruleId: 'manuscript-empty' }]));

  it('a binary file given as the manuscript', () =>
    expectRejected(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0xff, 0xfe]), [
      { place: '1:1', ruleId: 'manuscript-binary' },
    ]));

  it('front matter that does not parse', () =>
    expectRejected('---\ntitle: A report\nauthor: [unclosed\nlang: en-GB\n---\n\n# One\n', [
      { place: '4:1', ruleId: 'front-matter-syntax', reason: /Cannot parse front matter/ },
    ]));

  it('front matter with values of the wrong type, every one reported', async () => {
    const result = await expectRejected(
      '---\ntitle: [1, 2]\nauthor: A. Writer\ndate: not a date\nlang: 42\n---\n\n# One\n',
      [
        { place: '2:8', ruleId: 'front-matter-schema', reason: /title/ },
        { place: '4:7', ruleId: 'front-matter-schema', reason: /date/ },
        { place: '5:7', ruleId: 'front-matter-schema', reason: /lang/ },
      ],
    );
    expect(result.messages.filter((message) => message.ruleId === 'front-matter-schema')).toHaveLength(3);
  });

  it('an unknown directive and an unknown attribute', () =>
    expectRejected(
      `${front}# One\n\n::diagram{src="x.csv"}\n\n::table[Caption]{#tbl-x src="d.csv" colour="red"}\n`,
      [
        { place: '9:1', ruleId: 'directive-unknown', reason: /`::diagram`/ },
        { place: '11:1', ruleId: 'directive-attribute', reason: /colour/ },
      ],
      { 'd.csv': 'name,source\nA,s\n' },
    ));

  it('a container directive that is never closed', () =>
    expectRejected(`${front}# One\n\n:::aside\nThe rest of the report is swallowed.\n\n# Two\n`, [
      { place: '9:1', ruleId: 'directive-unterminated', reason: /never closed/ },
    ]));

  it('a data file against its schema', () =>
    expectRejected(
      `${front}# One\n\n::table[Caption]{#tbl-x src="d.csv"}\n`,
      [{ place: '3:3', ruleId: 'data-schema', reason: /`value` must be a number/ }],
      {
        'd.csv': 'name,value,source\nA,1,s\nB,lots,s\n',
        'd.schema.yaml': 'columns:\n  - key: name\n  - key: value\n    type: number\n  - key: source\n',
      },
    ));

  // An id written in raw HTML takes precedence over a heading's generated one, which steps aside (`one-1`).
  it('the same id twice in directives', () =>
    expectRejected(
      `${front}# One\n\n::table[A]{#tbl-x src="d.csv"}\n\n::table[B]{#tbl-x src="d.csv"}\n\n<span ` +
        `id="one">beside the heading</span>\n`,
      [{ place: '11:1', ruleId: 'duplicate-id', reason: /#tbl-x.*line 9/ }],
      { 'd.csv': 'name,source\nA,s\n' },
    ));

  it('reports every problem of a run at once', async () => {
    const result = await expectRejected(
      `${front}# One\n\n::diagram{}\n\n:ref[#nowhere]\n\n![gone](gone.png)\n\n::table[X]{#tbl-x src="missing.csv"}\n`,
      [
        { place: '9:1', ruleId: 'directive-unknown' },
        { place: '11:1', ruleId: 'reference-missing' },
        { place: '15:1', ruleId: 'data-missing' },
      ],
    );
    expect(result.stderr).not.toContain('internal error');
  });
});

describe('large inputs', () => {
  it('a line of a megabyte builds, in every edition', { timeout: 1_800_000 }, async () => {
    const line = Array.from({ length: 160_000 }, (_, index) => `word${index % 97}`).join(' ');
    expect(line.length).toBeGreaterThan(1_000_000);
    // The browser's wait is sized to the work: a loaded two-core machine lays out a megabyte-long line in minutes.
    const result = await buildOf(`${front}# One\n\n${line}\n\nThe end.\n`, {}, ['--browser-timeout', '600']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.messages.filter((message) => message.severity === 'error')).toEqual([]);
    // Too long to justify (Chromium's justification grows with the square of a paragraph's length): set ragged.
    expect(result.messages.map(({ line, column, ruleId }) => [line, column, ruleId])).toEqual([
      [9, 1, 'paragraph-ragged'],
    ]);
    const html = await readFile(path.join(result.out, 'report.html'), 'utf8');
    expect(html).toContain('<p class="ragged">word0 word1');
    expect(html).toContain('word96 word0');
    expect(existsSync(path.join(result.out, 'report.pdf'))).toBe(true);
    expect(existsSync(path.join(result.out, 'report.epub'))).toBe(true);
  });

  it('a table of 5,000 rows (over a hundred pages) builds, in every edition', { timeout: 900_000 }, async () => {
    const rows = Array.from({ length: 5_000 }, (_, index) => `Row ${index + 1},${index * 3},generated`).join('\n');
    const result = await buildOf(
      `${front}# One\n\n::table[A large table]{#tbl-large src="large.csv"}\n`,
      { 'large.csv': `name,value,source\n${rows}\n` },
      ['--browser-timeout', '600'],
    );
    expect(result.code).toBe(0);
    const html = await readFile(path.join(result.out, 'report.html'), 'utf8');
    expect(html).toContain('Row 5000');
    expect(existsSync(path.join(result.out, 'report.pdf'))).toBe(true);
    expect(existsSync(path.join(result.out, 'report.epub'))).toBe(true);
  });
});
