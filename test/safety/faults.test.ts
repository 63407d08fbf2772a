import { spawn } from 'node:child_process';
import { chmod, cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeLongManuscript } from '../../bench/long-manuscript.js';
import { locateBrowser } from '../../src/browser/locate.js';
import { imprint, repositoryRoot } from '../helpers/cli.js';
import { sha256File } from '../helpers/series.js';
import { temporaryFolder } from '../helpers/tools.js';

/**
 * A browser that is missing, is not a browser, hangs or crashes, and a build
 * interrupted by a signal: each ends with a clear message and its exit code
 * within a bounded time, no Chromium left running, and the editions an
 * earlier build wrote intact. Fake browsers are small shell scripts that
 * write their process id, so the test can tell whether the process is gone.
 */
const chromium = locateBrowser({ puppeteerPath: () => undefined }).executablePath;

let dir: string;
let long: string;
let out: string;
let earlier: Map<string, string>;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const pidIn = async (file: string) => Number((await readFile(file, 'utf8')).trim());

async function fakeBrowser(name: string, body: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\necho $$ > "${file}.pid"\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

async function outputs(): Promise<Map<string, string>> {
  const names = (await readdir(out)).sort();
  return new Map(await Promise.all(names.map(async (name) => [name, await sha256File(path.join(out, name))] as [string, string])));
}

beforeAll(async () => {
  dir = await temporaryFolder();
  long = (await writeLongManuscript(path.join(dir, 'long'), { words: 40_000, tableRows: 200 })).manuscript;
  out = path.join(dir, 'out');
  const first = await imprint(['build', '--no-config', long, '--out', out, '--quiet']);
  expect(first).toMatchObject({ code: 0, stderr: '' });
  earlier = await outputs();
  expect([...earlier.keys()]).toEqual(['SHA256SUMS', 'long.epub', 'long.html', 'long.pdf', 'manifest.json']);
}, 180_000);

describe('when the browser fails', () => {
  it('says so and exits 2 when the configured browser is not a browser', async () => {
    const result = await imprint(['build', '--no-config', '--force', long, '--out', out, '--browser', '/bin/true']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/imprint: Cannot start the browser at \/bin\/true: /);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(await outputs()).toEqual(earlier);
  });

  it('gives up on a browser that never answers within the wait it is given, and leaves no process behind', async () => {
    const hang = await fakeBrowser('hang.sh', 'exec sleep 600');
    const started = performance.now();
    const result = await imprint(['build', '--no-config', '--force', long, '--out', out, '--browser', hang, '--browser-timeout', '2']);
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/imprint: Cannot start the browser at .*hang\.sh: Timed out after 2000 ms/);
    expect(alive(await pidIn(`${hang}.pid`))).toBe(false);
    expect(await outputs()).toEqual(earlier);
  });

  it('stops cleanly when the browser crashes in the middle of a build', async () => {
    // The real Chromium, killed two seconds after it starts: in the middle of laying out the long report
    // (the browser starts while the manuscript compiles, so one second can still be within the launch).
    const crash = await fakeBrowser('crash.sh', `"${chromium}" "$@" &\nchild=$!\necho $child > "$0.child"\n(sleep 2; kill -9 $child) &\nwait $child`);
    const result = await imprint(['build', '--no-config', '--force', long, '--out', out, '--browser', crash]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/imprint: The browser stopped \(it crashed or was closed\) while /);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(alive(await pidIn(`${crash}.child`))).toBe(false);
    expect(await outputs()).toEqual(earlier);
  });
});

describe('when the build is interrupted', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`stops on ${signal}: exit 130, the browser closed, nothing half-written, earlier editions intact`, async () => {
      const browser = await fakeBrowser(`browser-${signal}.sh`, `exec "${chromium}" "$@"`);
      const child = spawn(process.execPath, [path.join(repositoryRoot, 'bin/imprint.js'), 'build', '--no-config', '--force', long, '--out', out, '--browser', browser], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // Interrupt once the browser is up and the report is being laid out.
      await new Promise<void>((resolve) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (/^browser\s/m.test(stderr)) resolve();
        });
        void exited.then(() => resolve());
      });
      child.kill(signal);
      const code = await exited;
      expect(stderr).toContain('imprint: interrupted');
      expect(code).toBe(130);
      expect(alive(await pidIn(`${browser}.pid`))).toBe(false);
      expect(await outputs()).toEqual(earlier);
      expect((await readdir(out)).filter((name) => name.startsWith('.'))).toEqual([]);
    });
  }
});

describe('with no browser at all', () => {
  it('exits 2 naming the missing path, without falling back to another browser', async () => {
    const project = await temporaryFolder();
    await cp(path.join(repositoryRoot, 'manuscript'), project, { recursive: true });
    const result = await imprint(['build', '--no-config', path.join(project, 'report.md'), '--out', path.join(project, 'out'), '--browser', '/nonexistent/chromium']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/nonexistent/chromium');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
