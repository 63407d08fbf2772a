import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { imprint } from '../helpers/cli.js';
import { copySeries, seriesNames, sha256sumCheck } from '../helpers/series.js';

const browserArgs = () => ['--browser-ws-endpoint', inject('browserWSEndpoint')];

function expectNoStackTrace(stderr: string) {
  expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

describe('imprint build of a series', () => {
  it('builds what the configuration lists with a progress line per report, then says what is up to date', async () => {
    const dir = await copySeries();
    const first = await imprint(['build', ...browserArgs()], { cwd: dir });
    expect(first.code).toBe(0);
    for (const name of seriesNames) {
      expect(first.stderr).toMatch(
        new RegExp(
          `^\\[[1-3]/3\\] notes/${name}\\.md  built ${name}\\.html \\([\\d.]+ KiB\\), ${name}\\.pdf ` +
            `\\([\\d.]+ KiB\\), ${name}\\.epub \\([\\d.]+ KiB\\)  in `,
          'm',
        ),
      );
    }
    expect(first.stderr).toMatch(/^manifest dist\/manifest\.json and dist\/SHA256SUMS$/m);
    expect(first.stderr).toMatch(/^3 reports: 3 built, in /m);
    expect((await sha256sumCheck(path.join(dir, 'dist'))).code).toBe(0);

    const second = await imprint(['build', ...browserArgs()], { cwd: dir });
    expect(second.code).toBe(0);
    for (const name of seriesNames) {
      expect(second.stderr).toMatch(
        new RegExp(`notes/${name}\\.md  unchanged ${name}\\.html, ${name}\\.pdf, ${name}\\.epub`),
      );
    }
    expect(second.stderr).toMatch(/^3 reports: 0 built, 3 unchanged, in /m);

    const forced = await imprint(['build', '--force', '--jobs', '1', ...browserArgs()], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/^3 reports: 3 built, in /m);
  });

  it('takes globs on the command line, and builds two shards that merge into one release', async () => {
    const dir = await copySeries();
    const common = ['notes/*.md', '--no-config', '--root', '.', '--format', 'html,epub'];
    const one = await imprint(['build', ...common, '--shard', '1/2', '-o', 'shard-1'], { cwd: dir });
    const two = await imprint(['build', ...common, '--shard', '2/2', '-o', 'shard-2'], { cwd: dir });
    expect([one.code, two.code]).toEqual([0, 0]);
    const lines = (stderr: string) => stderr.split('\n').filter((line) => /^\[\d+\/\d+\]/.test(line));
    expect([...lines(one.stderr), ...lines(two.stderr)]).toHaveLength(3);

    const merged = await imprint(
      ['manifest', 'merge', 'shard-1/manifest.json', 'shard-2/manifest.json', '-o', 'release'],
      { cwd: dir },
    );
    expect(merged.code).toBe(0);
    expect(merged.stderr).toContain('merged 2 manifests: 3 reports, 6 editions in release');
    const release = path.join(dir, 'release');
    expect((await readdir(release)).filter((name) => name.endsWith('.html') || name.endsWith('.epub'))).toHaveLength(6);
    const check = await sha256sumCheck(release);
    expect(check.code).toBe(0);
    expect(check.output.match(/: OK$/gm)).toHaveLength(7);

    const incomplete = await imprint(['manifest', 'merge', 'shard-2/manifest.json', '-o', 'release-2'], { cwd: dir });
    expect(incomplete.code).toBe(1);
    expect(incomplete.stderr).toMatch(
      /shard-2\/manifest\.json:\d+:\d+(-\d+:\d+)?\s+error\s+Shard 1\/2 missing from the merge\s+manifest-incomplete/,
    );
  });

  it('reports a bad configuration file at its line and column, exits 1 and writes nothing', async () => {
    const dir = await copySeries();
    const config = path.join(dir, 'imprint.config.yaml');
    await writeFile(config, (await readFile(config, 'utf8')).replace('paper: a4', 'paper: a5\nformat: [pdf]'));
    const result = await imprint(['build', ...browserArgs()], { cwd: dir });
    expect(result.code).toBe(1);
    const lines = (await readFile(config, 'utf8')).split('\n');
    const paperLine = lines.findIndex((line) => line.startsWith('paper:')) + 1;
    const formatLine = lines.findIndex((line) => line.startsWith('format:')) + 1;
    expect(result.stderr).toMatch(
      new RegExp(
        `imprint\\.config\\.yaml:${paperLine}:8(-\\d+:\\d+)?\\s+error\\s+Configuration ` +
          `\`paper\` must be one of a4, letter\\s+config-schema`,
      ),
    );
    expect(result.stderr).toMatch(
      new RegExp(
        `imprint\\.config\\.yaml:${formatLine}:1(-\\d+:\\d+)?\\s+error\\s+Unknown configuration key \`format\``,
      ),
    );
    expectNoStackTrace(result.stderr);
    expect(await readdir(dir)).not.toContain('dist');
  });

  it('reports a glob that matches nothing, and two manuscripts of one name', async () => {
    const dir = await copySeries();
    const unmatched = await imprint(['build', 'drafts/*.md', '--format', 'html'], { cwd: dir });
    expect(unmatched.code).toBe(1);
    expect(unmatched.stderr).toContain('No manuscript matches `drafts/*.md`');
    expect(unmatched.stderr).toContain('manuscript-unmatched');

    await writeFile(path.join(dir, 'warmth.md'), await readFile(path.join(dir, 'notes/warmth.md')));
    const clash = await imprint(['build', 'warmth.md', 'notes/warmth.md', '--no-config', '--format', 'html'], {
      cwd: dir,
    });
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain('output-conflict');
    expect(clash.stderr).toContain('Two manuscripts named `warmth` would write the same editions into dist');
    expectNoStackTrace(clash.stderr);
  });

  it('exits 2 for a bad --shard, --jobs or manifest usage', async () => {
    const dir = await copySeries();
    for (const args of [
      ['build', '--shard', '3/2'],
      ['build', '--shard', 'half'],
      ['build', '--jobs', '0'],
      ['build', '--config', 'a.yaml', '--no-config'],
      ['manifest', 'merge', 'a.json'],
      ['manifest', 'split'],
    ]) {
      const result = await imprint(args, { cwd: dir });
      expect(result.code, args.join(' ')).toBe(2);
      expectNoStackTrace(result.stderr);
    }
  });
});
