import { existsSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { imprint, repositoryRoot } from '../helpers/cli.js';
import { copySeries } from '../helpers/series.js';
import { temporaryFolder } from '../helpers/tools.js';

let project: string;

beforeEach(async () => {
  project = await temporaryFolder();
  await cp(path.join(repositoryRoot, 'manuscript'), project, { recursive: true });
});

async function edit(file: string, change: (text: string) => string) {
  const full = path.join(project, file);
  const before = await readFile(full, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  await writeFile(full, after);
}

const lineOf = async (needle: string) =>
  (await readFile(path.join(project, 'report.md'), 'utf8')).split('\n').findIndex((line) => line.includes(needle)) + 1;

describe('imprint check', () => {
  it('passes the default manuscript', async () => {
    const result = await imprint(['check']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('the prose agrees with the data');
  });

  it(
    'warns at the prose line when a number in the data changes, naming the data file, line and ' +
      'column; --strict fails',
    async () => {
      await edit('data/pledges.yaml', (text) => text.replace('amount_usd_bn: 200', 'amount_usd_bn: 210'));
      const line = await lineOf('$200 billion');
      const result = await imprint(['check', path.join(project, 'report.md')], { cwd: project });
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(
        new RegExp(
          `report\\.md:${line}:\\d+-${line}:\\d+\\s+warning\\s+The text says “\\$200 billion” but the ` +
            `data says US\\$210 bn .*data/pledges\\.yaml:41:20\\)\\s+data-mismatch`,
        ),
      );

      const strict = await imprint(['check', '--strict', path.join(project, 'report.md')], { cwd: project });
      expect(strict.code).toBe(1);
      expect(strict.stderr).toContain('data-mismatch');

      const json = await imprint(['check', '--json', path.join(project, 'report.md')], { cwd: project });
      const { messages } = JSON.parse(json.stdout) as {
        messages: Array<{ file: string; line: number; ruleId: string; severity: string }>;
      };
      expect(messages).toEqual([
        expect.objectContaining({
          file: path.join(project, 'report.md'),
          line,
          ruleId: 'data-mismatch',
          severity: 'warning',
        }),
      ]);
    },
  );

  it('runs in imprint build too: a warning that --strict turns into a failure that writes nothing', async () => {
    await edit('data/exchanges.csv', (text) => text.replace(/^2017-07-08/m, '2017-07-09'));
    const out = path.join(project, 'out');
    const strict = await imprint(
      ['build', '--strict', '--format', 'html', '--out', out, path.join(project, 'report.md')],
      { cwd: project },
    );
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(
      new RegExp(
        `report\\.md:${await lineOf('ON 8 JULY 2017')}:4-\\d+:\\d+\\s+warning\\s+The text says “8 ` +
          `JULY 2017” but the data says 9 July 2017`,
      ),
    );
    expect(existsSync(out)).toBe(false);
    const lenient = await imprint(['build', '--format', 'html', '--out', out, path.join(project, 'report.md')], {
      cwd: project,
    });
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toContain('data-mismatch');
  });

  it('reports data that break their schema at their place, every problem at once, with exit 1', async () => {
    await edit('data/pledges.yaml', (text) =>
      text.replace('amount_usd_bn: 110', 'amount_usd_bn: lots').replace('year: 2016', 'year: 20.16'),
    );
    await edit('data/exchanges.csv', (text) => text.replace(/^2017-05,/m, '2017-13,'));
    const result = await imprint(['check', path.join(project, 'report.md')], { cwd: project });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /data\/pledges\.yaml:33:20-33:24\s+error\s+`rows\.0\.amount_usd_bn` must be a number/,
    );
    expect(result.stderr).toMatch(/data\/pledges\.yaml:40:11-40:16\s+error\s+`rows\.1\.year` must be a year/);
    expect(result.stderr).toMatch(/data\/exchanges\.csv:4:1\s+error\s+`date` must be a date/);
  });

  it('reports a reference to nothing at its line', async () => {
    await edit('report.md', (text) => text.replace(':ref[#fig-pledges]', ':ref[#fig-pledge]'));
    const result = await imprint(['check', path.join(project, 'report.md')], { cwd: project });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `report\\.md:${await lineOf(':ref[#fig-pledge]')}:\\d+.*Reference to \`#fig-pledge\`.*did ` +
          `you mean \`#fig-pledges\`.*reference-missing`,
      ),
    );
  });

  it(
    'checks the manuscripts the configuration file names, as build would, and reports each at ' + 'its own file',
    async () => {
      const series = await copySeries();
      const clean = await imprint(['check'], { cwd: series });
      expect(clean.code).toBe(0);
      expect(clean.stderr).toMatch(/checked notes\/catalyst\.md, notes\/road-ahead\.md, notes\/warmth\.md:/);

      const warmth = path.join(series, 'notes/warmth.md');
      await writeFile(warmth, (await readFile(warmth, 'utf8')).replace(/\n\n/, '\n\n::diagram{src="x"}\n\n'));
      const broken = await imprint(['check', '--json'], { cwd: series });
      expect(broken.code).toBe(1);
      const { messages } = JSON.parse(broken.stdout) as { messages: Array<{ file: string; ruleId: string }> };
      expect(messages.map((message) => [path.relative(series, message.file), message.ruleId])).toContainEqual([
        'notes/warmth.md',
        'directive-unknown',
      ]);

      const named = await imprint(['check', '--no-config', '--root', '.', 'notes/catalyst.md'], { cwd: series });
      expect(named.code).toBe(0);
      expect(named.stderr).toMatch(/checked notes\/catalyst\.md:/);
    },
  );
});
