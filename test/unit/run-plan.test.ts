import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandManuscripts, nameConflicts, sortManuscripts } from '../../src/project/manuscripts.js';
import { formatShard, parseShard, shareOf } from '../../src/project/shard.js';
import { eachLimited } from '../../src/run/pool.js';
import { resolveRun } from '../../src/run/resolve-run.js';
import { temporaryFolder } from '../helpers/tools.js';

describe('shards', () => {
  it('parses K/N and refuses anything else', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/2', '3/2', '1/0', '1', '1/2/3', 'a/b', '-1/2', '1.5/2', ''])
      expect(parseShard(bad)).toBeUndefined();
    expect(formatShard({ index: 2, count: 5 })).toBe('2/5');
  });

  it('gives every manuscript to exactly one of N shards, in shares that differ by at most one', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string(), { maxLength: 40 }), fc.integer({ min: 1, max: 12 }), (names, count) => {
        const sorted = [...names].sort();
        const shares = Array.from({ length: count }, (_, index) => shareOf(sorted, { index: index + 1, count }));
        expect(shares.flat().sort()).toEqual(sorted);
        const sizes = shares.map((share) => share.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('bounded concurrency', () => {
  it('runs every item, never more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await eachLimited(
      Array.from({ length: 9 }, (_, index) => index),
      3,
      async (item) => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5 + (item % 3) * 5));
        seen.push(item);
        running--;
      },
    );
    expect(most).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('starts nothing more once aborted, and stops at the first failure', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    await eachLimited(
      [1, 2, 3, 4],
      1,
      async (item) => {
        started.push(item);
        if (item === 2) controller.abort();
      },
      controller.signal,
    );
    expect(started).toEqual([1, 2]);
    const failing = eachLimited([1, 2, 3], 1, async (item) => {
      if (item === 1) throw new Error('broken');
    });
    await expect(failing).rejects.toThrow('broken');
  });
});

describe('the manuscripts of a run', () => {
  it('expands globs, keeps plain paths, and sorts by project path without duplicates', async () => {
    const dir = await temporaryFolder();
    await mkdir(path.join(dir, 'b'), { recursive: true });
    for (const name of ['b/z.md', 'b/a.md', 'c.md', 'b/notes.txt']) await writeFile(path.join(dir, name), 'x');
    const { manuscripts, files } = await expandManuscripts(
      [
        { pattern: 'b/*.md', base: dir },
        { pattern: 'c.md', base: dir },
        { pattern: 'b/a.md', base: dir },
        { pattern: 'missing.md', base: dir },
      ],
      dir,
      dir,
    );
    expect(files).toEqual([]);
    expect(manuscripts.map((file) => path.relative(dir, file))).toEqual(['b/a.md', 'b/z.md', 'c.md', 'missing.md']);
    expect(sortManuscripts(['/p/b.md', '/p/B.md', '/p/a/x.md'], '/p')).toEqual(['/p/B.md', '/p/a/x.md', '/p/b.md']);
  });

  it('reports a glob that matches nothing', async () => {
    const dir = await temporaryFolder();
    const { manuscripts, files } = await expandManuscripts([{ pattern: 'reports/*.md', base: dir }], dir, dir);
    expect(manuscripts).toEqual([]);
    expect(files.map((file) => file.messages.map((message) => message.ruleId))).toEqual([['manuscript-unmatched']]);
    expect(String(files[0]!.messages[0])).toContain('No manuscript matches `reports/*.md`');
  });

  it('refuses two manuscripts that would write the same editions into one folder', () => {
    const files = nameConflicts(['/p/a/report.md', '/p/b/report.md', '/p/other.md'], '/p/dist', '/p');
    expect(files.map((file) => file.path)).toEqual(['/p/a/report.md', '/p/b/report.md']);
    expect(files[0]!.messages[0]!.ruleId).toBe('output-conflict');
    expect(files[0]!.messages[0]!.reason).toContain('b/report.md');
  });

  it('settles options: the request over the configuration file over the defaults', async () => {
    const dir = await temporaryFolder();
    await mkdir(path.join(dir, 'notes'));
    for (const name of ['one.md', 'two.md', 'three.md']) await writeFile(path.join(dir, 'notes', name), 'x');
    await writeFile(
      path.join(dir, 'imprint.config.yaml'),
      'manuscripts: [notes/*.md]\nout: release\npublisher: Config Press\nseries: Notes\nformats: ' +
        '[pdf]\nbrowser:\n  executable: /opt/chrome\n  timeout: 5\n',
    );
    const plain = await resolveRun({ cwd: dir });
    expect(plain.files.flatMap((file) => file.messages)).toEqual([]);
    expect(plain.run).toMatchObject({
      projectDir: dir,
      outDir: path.join(dir, 'release'),
      formats: ['pdf'],
      defaults: { publisher: 'Config Press', series: 'Notes' },
      concurrency: availableParallelism(),
      browser: { executablePath: '/opt/chrome', timeoutMs: 5000 },
    });
    expect(plain.run!.manuscripts.map((file) => path.basename(file))).toEqual(['one.md', 'three.md', 'two.md']);

    const asked = await resolveRun({
      cwd: dir,
      outDir: 'elsewhere',
      formats: ['html', 'epub'],
      defaults: { publisher: 'Flag Press' },
      concurrency: 1,
      shard: { index: 2, count: 2 },
      browser: { wsEndpoint: 'ws://127.0.0.1:1/devtools/browser/x' },
    });
    expect(asked.run).toMatchObject({
      outDir: path.join(dir, 'elsewhere'),
      formats: ['html', 'epub'],
      defaults: { publisher: 'Flag Press', series: 'Notes' },
      concurrency: 1,
      browser: { wsEndpoint: 'ws://127.0.0.1:1/devtools/browser/x', timeoutMs: 5000 },
    });
    expect(asked.run!.browser.executablePath).toBeUndefined();
    expect(asked.run!.manuscripts.map((file) => path.basename(file))).toEqual(['three.md']);
    expect(asked.run!.series).toHaveLength(3);

    const named = await resolveRun({ cwd: dir, manuscripts: ['notes/two.md'], config: false });
    expect(named.run!.manuscripts).toEqual([path.join(dir, 'notes/two.md')]);
    expect(named.run!.outDir).toBe(path.join(dir, 'dist'));
  });
});
