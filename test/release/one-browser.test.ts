import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserProcesses, processTree } from '../../bench/process-tree.js';
import { repositoryRoot } from '../helpers/cli.js';
import { copySeries, seriesNames } from '../helpers/series.js';

/**
 * Run `imprint build` as a user would and watch its process tree from /proc
 * while it works: every Chromium browser process it starts, by pid.
 */
function buildWatchingBrowsers(
  args: string[],
  cwd: string,
): Promise<{ code: number | null; stderr: string; browsers: Set<number>; samples: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repositoryRoot, 'bin/imprint.js'), ...args], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const browsers = new Set<number>();
    let samples = 0;
    const sample = () => {
      if (child.pid === undefined || child.exitCode !== null) return;
      samples++;
      for (const member of browserProcesses(processTree(child.pid), child.pid)) browsers.add(member.pid);
    };
    const timer = setInterval(sample, 10);
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ code, stderr, browsers, samples });
    });
  });
}

describe('several manuscripts in one command', () => {
  it('are printed by one Chromium, started once, with reports built side by side', async () => {
    const dir = await copySeries();
    const result = await buildWatchingBrowsers(['build', '--jobs', '3'], dir);
    expect(result.stderr).not.toMatch(/error|warning/i);
    expect(result.code).toBe(0);
    const written = await readdir(path.join(dir, 'dist'));
    for (const name of seriesNames)
      expect(written).toEqual(expect.arrayContaining([`${name}.html`, `${name}.pdf`, `${name}.epub`]));
    // Sampled often enough to have seen the browser at all: three reports printed through it.
    expect(result.samples).toBeGreaterThan(10);
    expect(result.browsers.size).toBe(1);
    expect(result.stderr.match(/^\[\d\/3\]/gm)).toHaveLength(3);
  });

  it('would be seen if each report started its own browser', async () => {
    // The same watch over three separate commands sees three browsers: the count above can fail.
    const dir = await copySeries();
    const seen = new Set<number>();
    for (const name of seriesNames) {
      const result = await buildWatchingBrowsers(['build', `notes/${name}.md`, '--format', 'pdf'], dir);
      expect(result.code).toBe(0);
      for (const pid of result.browsers) seen.add(pid);
    }
    expect(seen.size).toBe(3);
  });
});
