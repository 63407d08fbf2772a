import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { build, check, type BuildOptions } from '../../src/api.js';
import { defaultLimits } from '../../src/compile/limits.js';
import { compile } from '../../src/compile/pipeline.js';
import { memoryReader } from '../../src/compile/resources.js';
import { buildHtml, located } from '../helpers/messages.js';
import { temporaryFolder } from '../helpers/tools.js';

/**
 * Inputs of under 1 MB that would overflow the parser's stack, take it minutes
 * or multiply includes: each is an error at its file, line and column, with
 * the rule id of its limit, before anything parses it (HTML only: no browser).
 */

const header = '---\ntitle: Limits\nauthor: A. Writer\n---\n\n';

async function buildText(body: string, options: Partial<BuildOptions> = {}, extra: Record<string, string> = {}) {
  const dir = await temporaryFolder();
  for (const [name, text] of Object.entries(extra)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  await writeFile(path.join(dir, 'report.md'), `${header}${body}`);
  const { ok, messages } = await buildHtml(dir, options);
  return { ok, messages };
}

/** A build that failed with one error, and no other message: `error`'s place, rule id and words. */
function expectLimitError(result: { ok: boolean; messages: readonly object[] }, error: Record<string, unknown>) {
  expect(result.ok).toBe(false);
  expect(result.messages).toEqual([expect.objectContaining(error)]);
}

describe('limits on what a manuscript may ask', () => {
  it('10,000 nested block quotes are an error at their line, not a stack overflow or a hang', async () => {
    expectLimitError(await buildText(`Fine.\n\n${'>'.repeat(10_000)} deep\n`), {
      file: 'report.md',
      line: 8,
      column: 1,
      ruleId: 'limit-nesting',
      reason: expect.stringContaining('nested 10000 deep'),
    });
  });

  it('nested lists stop at the first line over the limit', async () => {
    // 500 levels, indented two spaces each: 250 KB.
    const lists = Array.from({ length: 500 }, (_, depth) => `${'  '.repeat(depth)}- item\n`).join('');
    expectLimitError(await buildText(lists), { line: 6 + 200, column: 1, ruleId: 'limit-nesting' });
  });

  it('10,000 nested <div>s are an error at the element over the limit', async () => {
    expectLimitError(await buildText(`${'<div>'.repeat(10_000)}x${'</div>'.repeat(10_000)}\n`), {
      line: 6,
      column: 501,
      ruleId: 'limit-nesting',
      reason: expect.stringContaining('HTML elements'),
    });
  });

  it('50,000 nested `*` (and nested emphasis with spaces) are an error, not a parse that never ends', async () => {
    const stars = await buildText(`${'*'.repeat(50_000)}a${'*'.repeat(50_000)}\n`);
    expectLimitError(stars, { line: 6, column: 1001, ruleId: 'limit-inline-delimiters' });
    const spaced = await buildText(`${'*a '.repeat(2_000)}${' a*'.repeat(2_000)}\n`);
    expectLimitError(spaced, { line: 6, ruleId: 'limit-inline-delimiters' });
  });

  it('8 files that include each other 8 times stop at the include limit, said once', async () => {
    const parts: Record<string, string> = {};
    for (let index = 0; index < 8; index++) {
      parts[`part${index}.md`] =
        `Part ${index}.\n\n${Array.from({ length: 8 }, () => `::include{src="part${index + 1}.md"}`).join('\n\n')}\n`;
    }
    parts['part8.md'] = 'The end.\n';
    expectLimitError(await buildText('::include{src="part0.md"}\n', {}, parts), {
      line: 6,
      column: 1,
      ruleId: 'limit-includes',
      reason: expect.stringContaining('More than 256 includes'),
    });
  });

  it('a table of more rows than the limit is an error at its row, in Markdown, in HTML and from data', async () => {
    // 10,001 rows of a Markdown table: 200 KB, a minute of parsing on a loaded machine, and hundreds of pages.
    const rows = Array.from({ length: 10_001 }, (_, index) => `| ${index} | x |\n`).join('');
    expectLimitError(await buildText(`Text.\n\n| n | x |\n|---|---|\n${rows}`), {
      line: 6 + 4 + 10_000,
      column: 1,
      ruleId: 'limit-table-rows',
      reason: expect.stringContaining('more than 10000 rows'),
    });
    const html = await buildText(`<table>\n${'<tr><td>1</td></tr>\n'.repeat(60)}</table>\n`, {
      limits: { tableRows: 50 },
    });
    expectLimitError(html, { line: 6 + 51, ruleId: 'limit-table-rows' });
    // A thematic break, then lines that are not a table, counts nothing.
    const verse = await buildText(`---\n\n${'A line of verse,\n'.repeat(60)}`, { limits: { tableRows: 50 } });
    expect(verse.ok).toBe(true);
    const csv = `name,value,source\n${Array.from({ length: 60 }, (_, index) => `n${index},${index},S`).join('\n')}\n`;
    const data = await buildText(
      '::table[All]{#tbl-all src="data/a.csv"}\n\n::table[Some]{#tbl-some src="data/a.csv" where="name=n5"}\n',
      { limits: { tableRows: 50 } },
      { 'data/a.csv': csv },
    );
    expectLimitError(data, {
      line: 6,
      ruleId: 'limit-table-rows',
      reason: expect.stringContaining('would show 60 rows of a.csv: the limit is 50'),
    });
  });

  it('a chain of includes deeper than the limit is an error naming the chain', async () => {
    const parts: Record<string, string> = {};
    for (let index = 0; index < 30; index++) parts[`part${index}.md`] = `::include{src="part${index + 1}.md"}\n`;
    parts['part30.md'] = 'The end.\n';
    expectLimitError(await buildText('::include{src="part0.md"}\n', { limits: { includeDepth: 4 } }, parts), {
      line: 6,
      ruleId: 'limit-includes',
      reason: expect.stringMatching(/more than 4 deep .*report\.md → part0\.md → .* → part4\.md$/),
    });
  });

  it('an included file is held to the same nesting limit, reported at its directive', async () => {
    const result = await buildText(
      'Text.\n\n::include{src="deep.md"}\n',
      {},
      { 'deep.md': `${'>'.repeat(5_000)} deep\n` },
    );
    expectLimitError(result, { file: 'report.md', line: 8, column: 1, ruleId: 'limit-nesting' });
  });

  it('are set in the configuration file, and a limit that is not a whole number is a located error there', async () => {
    const quotes = `${'>'.repeat(6)} six deep\n`;
    const within = await buildText(quotes, {}, {});
    expect(within.ok).toBe(true);
    const dir = await temporaryFolder();
    await writeFile(
      path.join(dir, 'imprint.config.yaml'),
      'manuscripts: report.md\nformats: [html]\nlimits:\n  nesting: 5\n',
    );
    await writeFile(path.join(dir, 'report.md'), `${header}${quotes}`);
    const limited = await build({ cwd: dir, write: false });
    expect(
      limited.files.flatMap((file) => file.messages.map((message) => [message.line, message.column, message.ruleId])),
    ).toEqual([[6, 1, 'limit-nesting']]);
    await writeFile(
      path.join(dir, 'imprint.config.yaml'),
      'manuscripts: report.md\nlimits:\n  nesting: 2.5\n  depth: 3\n',
    );
    const wrong = await build({ cwd: dir, write: false });
    expect(
      wrong.files.flatMap((file) => file.messages.map((message) => [message.line, message.ruleId, message.reason])),
    ).toEqual([
      [3, 'config-schema', 'Configuration `limits.nesting` must be an int, not a number'],
      [
        4,
        'config-schema',
        expect.stringContaining('Unknown configuration key `limits.depth` (known: nesting, inline-delimiters'),
      ],
    ]);
  });

  it('more headings than the limit are an error at the first one over it, counted outside fenced code', async () => {
    // 3 setext headings, 3 ATX and 3 HTML, and two that are code: with a limit of 8, the ninth is over.
    const body =
      'One\n===\n\nTwo\n---\n\nThree\n---\n\n```\n# code\n```\n\n~~~~\n# code\n~~~\n~~~~\n\n' +
      '# Four\n\n## Five\n---\n\n###### Six\n\n<h1>Seven</h1> <h2 class="x">Eight</h2>\n\n<h6>Nine</h6>\n';
    const within = await buildText(body, { limits: { ...defaultLimits, headings: 9 } });
    expect(within.messages).toEqual([]);
    expectLimitError(await buildText(body, { limits: { ...defaultLimits, headings: 8 } }), {
      line: 33,
      column: 1,
      ruleId: 'limit-headings',
      reason: expect.stringContaining('More than 8 headings'),
    });
  });

  it('more blocks than the limit are an error at the first over it, over includes and tables from data', async () => {
    // 16 list items and a paragraph: the sixteenth item is over a limit of 16.
    const list = await buildText(`Text.\n\n${'- item\n'.repeat(16)}`, { limits: { blocks: 16 } });
    expectLimitError(list, { line: 6 + 2 + 15, column: 1, ruleId: 'limit-blocks' });
    expect((await buildText(`Text.\n\n${'- item\n'.repeat(15)}`, { limits: { blocks: 16 } })).ok).toBe(true);
    // Rows made from a data file are counted in the built document, and reported at the table's directive.
    const csv = `name,value,source\n${Array.from({ length: 30 }, (_, index) => `n${index},${index},S`).join('\n')}\n`;
    const data = await buildText(
      'Text.\n\n::include{src="part.md"}\n',
      { limits: { blocks: 25 } },
      { 'data/a.csv': csv, 'part.md': 'More.\n\n::table[All]{#tbl-all src="data/a.csv"}\n' },
    );
    expectLimitError(data, { line: 8, column: 1, ruleId: 'limit-blocks' });
  });

  it('an image of more pixels than the limit is an error at the image, read from its header', async () => {
    // A PNG signature and header saying 20000 × 20000: decoded, 1.6 GB.
    const png = Buffer.alloc(33);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    png.writeUInt32BE(20_000, 16);
    png.writeUInt32BE(20_000, 20);
    const dir = await temporaryFolder();
    await writeFile(path.join(dir, 'huge.png'), png);
    await writeFile(path.join(dir, 'report.md'), `${header}Text.\n\n![A huge image](huge.png)\n`);
    expectLimitError(await buildHtml(dir), {
      line: 8,
      column: 1,
      ruleId: 'limit-image-pixels',
      reason: expect.stringContaining('is 20000 × 20000 pixels, more than the limit of 50000000'),
    });
  });

  it('compile gives no document for a manuscript over a limit, only the error on the manuscript', async () => {
    for (const [body, ruleId] of [
      [`${'>'.repeat(200)} deep\n`, 'limit-nesting'],
      [`Text.\n\n${'- item\n'.repeat(20)}`, 'limit-blocks'],
    ] as const) {
      const file = new VFile({ path: '/project/report.md', value: `${header}${body}` });
      const options = { reader: memoryReader({}), projectRoot: '/project', limits: { ...defaultLimits, blocks: 16 } };
      expect(await compile(file, options)).toBeUndefined();
      expect(file.messages.map((message) => [message.ruleId, message.fatal])).toEqual([[ruleId, true]]);
    }
  });

  it('`check` holds a manuscript to the same limits as `build`, those of the configuration file included', async () => {
    const dir = await temporaryFolder();
    await writeFile(path.join(dir, 'deep.md'), `${header}${'>'.repeat(10_000)} deep\n`);
    await writeFile(path.join(dir, 'long.md'), `${header}Text.\n\n${'- item\n'.repeat(20)}`);
    await writeFile(path.join(dir, 'imprint.config.yaml'), 'manuscripts: [deep.md, long.md]\nlimits:\n  blocks: 16\n');
    const result = await check({ cwd: dir });
    expect(result.ok).toBe(false);
    expect(located(result.files, dir)).toEqual([
      expect.objectContaining({ file: 'deep.md', line: 6, column: 1, ruleId: 'limit-nesting' }),
      expect.objectContaining({ file: 'long.md', line: 6 + 2 + 15, column: 1, ruleId: 'limit-blocks' }),
    ]);
  });

  it('a YAML alias bomb in the front matter is an error at its first alias, not an internal error', async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(',')}]`);
    }
    const dir = await temporaryFolder();
    await writeFile(
      path.join(dir, 'report.md'),
      `---\ntitle: Bomb\nauthor: A. Writer\n${levels.join('\n')}\n---\n\nText.\n`,
    );
    expectLimitError(await buildHtml(dir), {
      line: 5,
      ruleId: 'front-matter-syntax',
      reason: expect.stringContaining('its aliases expand to too much'),
    });
  });
});
