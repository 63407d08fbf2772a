import { spawn } from 'node:child_process';
import { chmod, cp, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeLongManuscript } from '../../bench/long-manuscript.js';
import { locateBrowser } from '../../src/browser/locate.js';
import { imprint, repositoryRoot, type CliResult } from '../helpers/cli.js';
import {
  browsers,
  browserMain,
  pageRenderers,
  leftBehind,
  markerVariable,
  newMarker,
  watchProcesses,
  type MarkedProcess,
} from '../helpers/processes.js';
import { sha256File } from '../helpers/series.js';
import { temporaryFolder } from '../helpers/tools.js';

/**
 * A browser that is missing, is not a browser, exits, hangs, freezes or
 * crashes, and a build interrupted by a signal: each ends with a clear message
 * and its exit code within a bounded time, no process the build started left
 * running (found in the process table by a marker in their environment, their
 * process group and their parents, see helpers/processes.ts), and the
 * editions an earlier build wrote intact byte for byte. Fake browsers are
 * small shell scripts, some of which run the real Chromium and then harm it.
 */
const chromium = locateBrowser({ puppeteerPath: () => undefined }).executablePath;

let dir: string;
let long: string;
let out: string;
let earlier: Map<string, string>;
let pristine: string;

/** Chromium's crash handler exits on its own a moment after the browser it watched: give it that moment. */
const settleMs = 2_000;

async function fakeBrowser(name: string, body: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

/** Shell: the pids of the page renderers among the wrapper's process group (the wrapper leads it). */
const renderers =
  `ps -eo pid=,pgid=,args= | awk -v g=$$ '$2 == g && /--type=renderer/ && ` + `!/top-chrome-webui/ { print $1 }'`;

/** Each entry of the output folder, by name: a file's SHA-256, or that it is a folder (one left half-written). */
async function outputs(): Promise<Map<string, string>> {
  const entries = await readdir(out, { withFileTypes: true });
  const folders = new Set(entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name));
  const digest = async (name: string) => (folders.has(name) ? 'a folder' : await sha256File(path.join(out, name)));
  const names = entries.map((entry) => entry.name).sort();
  return new Map(await Promise.all(names.map(async (name) => [name, await digest(name)] as [string, string])));
}

interface Outcome extends CliResult {
  ms: number;
  seen: MarkedProcess[];
  left: MarkedProcess[];
}

/**
 * Build the long manuscript again with these options, as a child process,
 * watching every process the build starts. `harm`, if given, runs once the
 * browser is up and a page renderer runs in it, 0.7 s later: in the middle of
 * loading, laying out and printing the long report.
 */
async function buildWith(
  options: string[],
  harm?: (processes: MarkedProcess[]) => void,
  repeat = 1,
  env: NodeJS.ProcessEnv = {},
): Promise<Outcome & { harmed: boolean }> {
  const marker = newMarker();
  const watch = watchProcesses(marker);
  const started = performance.now();
  let harmed = false;
  const later: NodeJS.Timeout[] = [];
  try {
    const child = spawn(
      process.execPath,
      [path.join(repositoryRoot, 'bin/imprint.js'), 'build', '--no-config', '--force', long, '--out', out, ...options],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, [markerVariable]: marker, ...env },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const poll = harm
      ? setInterval(() => {
          // Once a page renderer runs (the report is printed in the browser's first tab; the process table tells,
          // as the output says little off a terminal), a moment later: while the long report's page loads.
          if (harmed) return;
          if (pageRenderers(watch.left()).length >= 1) {
            harmed = true;
            // Again every 0.3 s when asked: a renderer that is replaced (the first tab's, on navigating) must not
            // escape.
            for (let time = 0; time < repeat; time++)
              later.push(setTimeout(() => harm(watch.left()), 700 + 300 * time));
          }
        }, 25)
      : undefined;
    const code = await new Promise<number>((resolve) => child.on('close', (exit) => resolve(exit ?? -1)));
    clearInterval(poll);
    for (const timer of later) clearTimeout(timer);
    const ms = performance.now() - started;
    const left = await leftBehind(watch, settleMs);
    return { code, stdout, stderr, ms, seen: watch.seen(), left, harmed };
  } finally {
    watch.stop();
  }
}

const signal =
  (name: NodeJS.Signals, pick: (processes: MarkedProcess[]) => MarkedProcess[]) => (processes: MarkedProcess[]) => {
    for (const found of pick(processes)) {
      try {
        process.kill(found.pid, name);
      } catch {
        // Gone already.
      }
    }
  };

beforeAll(async () => {
  dir = await temporaryFolder();
  long = (await writeLongManuscript(path.join(dir, 'long'), { words: 40_000, tableRows: 200 })).manuscript;
  out = path.join(dir, 'out');
  const first = await imprint(['build', '--no-config', long, '--out', out, '--quiet']);
  expect(first).toMatchObject({ code: 0, stderr: '' });
  earlier = await outputs();
  pristine = path.join(dir, 'pristine');
  await cp(out, pristine, { recursive: true, preserveTimestamps: true });
  expect([...earlier.keys()]).toEqual(['SHA256SUMS', 'long.epub', 'long.html', 'long.pdf', 'manifest.json']);
}, 180_000);

afterEach(async () => {
  try {
    // Whatever failed, the earlier editions are there, byte for byte, and nothing was left half-written.
    expect(await outputs()).toEqual(earlier);
  } finally {
    // Put them back if not, so one failure does not fail the tests after it.
    await rm(out, { recursive: true, force: true });
    await cp(pristine, out, { recursive: true, preserveTimestamps: true });
  }
});

describe('with no usable browser', () => {
  it('exits 2 naming the missing path given by --browser, without falling back to another browser', async () => {
    const result = await buildWith(['--browser', '/nonexistent/chromium']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('imprint: --browser names /nonexistent/chromium, which is not an executable file');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(browsers(result.seen)).toEqual([]);
  });

  it('exits 2 naming the missing path given by PUPPETEER_EXECUTABLE_PATH', async () => {
    const marker = newMarker();
    const result = await imprint(['build', '--no-config', '--force', long, '--out', out], {
      env: { PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chrome', [markerVariable]: marker },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'imprint: PUPPETEER_EXECUTABLE_PATH names /nonexistent/chrome, which is not an executable file',
    );
  });

  it('says so and exits 2 when the configured browser is not a browser', async () => {
    const result = await buildWith(['--browser', '/bin/true']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^imprint: Cannot start the browser at \/bin\/true: /m);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.left).toEqual([]);
  });

  it('says so, with what the browser said, and exits 2 when the browser exits at once', async () => {
    const exits = await fakeBrowser('exits.sh', 'echo "exits.sh: cannot open the display" >&2\nexit 3');
    const result = await buildWith(['--browser', exits]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`imprint: Cannot start the browser at ${exits}: `);
    // imprint starts the browser itself and keeps the last lines it wrote on its error output (decision 090).
    expect(result.stderr).toContain(
      'the browser exited before it answered on its DevTools pipe; the browser said: exits.sh: cannot open the display',
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.left).toEqual([]);
  });
});

describe('when the browser hangs', () => {
  it('gives up on a browser that never answers the DevTools handshake, within the wait it is given', async () => {
    const hang = await fakeBrowser('hang.sh', 'exec sleep 600');
    const result = await buildWith(['--browser', hang, '--browser-timeout', '2']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^imprint: Cannot start the browser at .*hang\.sh: Timed out after 2000 ms/m);
    expect(result.ms).toBeLessThan(30_000);
    expect(result.seen.some((found) => found.command.startsWith('sleep 600'))).toBe(true);
    expect(result.left).toEqual([]);
  });

  it('gives up on a browser that freezes in the middle of a build, and kills it', async () => {
    // The real Chromium, stopped (SIGSTOP) while it lays out the report.
    const result = await buildWith(
      ['--browser', chromium, '--browser-timeout', '3'],
      signal('SIGSTOP', (processes) => [browserMain(processes)!]),
    );
    expect(result.harmed).toBe(true);
    expect(result.code).toBe(2);
    // Stopped while it starts (a loaded machine compiles the manuscript for longer), or while it works.
    expect(result.stderr).toMatch(
      /^imprint: (The browser did not answer within \d+ s while [a-z ]+ \(set a longer wait with --browser-timeout\)|Cannot start the browser at .+: Timed out after 3000 ms: the browser did not (finish starting|answer on its DevTools pipe))$/m,
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.ms).toBeLessThan(45_000);
    expect(browsers(result.seen).length).toBeGreaterThan(3);
    expect(result.left).toEqual([]);
  });

  it('gives up on a page that never finishes loading, and kills its renderer too', async () => {
    // Every page renderer is stopped as soon as it appears: the report's page never loads.
    const stall = await fakeBrowser(
      'stall.sh',
      `"${chromium}" "$@" &\nchild=$!\n(while kill -0 $child 2>/dev/null; do for p in ` +
        `$(${renderers}); do kill -STOP $p; done; sleep 0.05; done) &\nwait $child`,
    );
    const result = await buildWith(['--browser', stall, '--browser-timeout', '3']);
    expect(result.code).toBe(2);
    // On a loaded machine the first renderer (the browser's own blank tab) can be stopped before the launch ends.
    expect(result.stderr).toMatch(
      /^imprint: (The browser did not answer within \d+ s while loading the page \(set a longer wait with --browser-timeout\)|Cannot start the browser at .+: Timed out after 3000 ms: the browser did not (finish starting|answer on its DevTools pipe))$/m,
    );
    expect(result.ms).toBeLessThan(45_000);
    // The browser ran (its renderers may be stopped before they name themselves in the process table).
    expect(browsers(result.seen).length).toBeGreaterThan(0);
    expect(result.left).toEqual([]);
  });
});

describe('when the browser crashes', () => {
  it('stops cleanly when the browser is killed in the middle of a build', async () => {
    // The real Chromium, killed (SIGKILL) once the page for the report is open in it.
    const result = await buildWith(
      ['--browser', chromium],
      signal('SIGKILL', (processes) => [browserMain(processes)!]),
    );
    expect(result.harmed).toBe(true);
    expect(result.code).toBe(2);
    // Killed while it starts, or while it works.
    expect(result.stderr).toMatch(
      /^imprint: (The browser stopped \(it crashed or was closed\) (while [a-z ]+|before the page could be loaded)|Cannot start the browser at .+: the browser stopped \(it crashed or was closed\) while starting)/m,
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.ms).toBeLessThan(45_000);
    expect(browsers(result.seen).length).toBeGreaterThan(3);
    expect(result.left).toEqual([]);
  });

  it("stops cleanly when the report's page crashes in the middle of a build", async () => {
    // Its renderer killed (SIGKILL), as when it runs out of memory. A crash the browser reports ends the step at
    // once; one in the middle of the page's navigation is not reported as a crash, and ends at the wait (which
    // grows with the document). Killed again every 0.3 s until the build ends: the browser starts while the
    // manuscript compiles, so the first renderers are of pages made ready ahead, which are replaced; the one that
    // loads the report must not escape.
    const result = await buildWith(
      ['--browser', chromium, '--browser-timeout', '10'],
      signal('SIGKILL', pageRenderers),
      200,
    );
    expect(result.harmed).toBe(true);
    expect(result.code).toBe(2);
    // A renderer killed while Puppeteer attaches to the browser's first page holds the launch until its wait ends.
    expect(result.stderr).toMatch(
      /^imprint: (The browser (stopped \(it crashed or was closed\) (while [a-z ]+|before the page could be loaded)|did not answer within \d+ s while loading the page)|Cannot start the browser at .+: Timed out after \d+ ms: the browser did not (finish starting|answer on its DevTools pipe))/m,
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.ms).toBeLessThan(45_000);
    expect(result.left).toEqual([]);
  });
});

/**
 * Loaded before the command (NODE_OPTIONS): on SIGUSR2 it throws out of any promise, as an error in a library's
 * event handler would.
 */
const faultOnSignal = `process.on('SIGUSR2', () => {
  throw new Error('a fault made for the test');
});
`;

/** The process the command runs in (started by the supervisor, see cli/supervisor.ts). */
const commandProcess = (processes: MarkedProcess[]) =>
  processes.filter((found) => /bundle\/child\.js/.test(found.command));

describe('when the command fails where nothing can catch the error', () => {
  it('is stopped as after an interrupt: exit 2, one line said, nothing half-written or left running', async () => {
    const fault = path.join(dir, 'fault-on-signal.mjs');
    await writeFile(fault, faultOnSignal);
    // In the middle of the build: the report's page open in the browser, the output folder locked, the staging
    // folder made.
    const result = await buildWith(['--browser', chromium], signal('SIGUSR2', commandProcess), 1, {
      NODE_OPTIONS: `--import=${fault}`,
    });
    expect(result.harmed).toBe(true);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('imprint: internal error: a fault made for the test\n');
    expect(browsers(result.seen).length).toBeGreaterThan(3);
    expect(result.left).toEqual([]);
    // The output folder is as it was (see afterEach): the earlier editions, no staging folder, no lock.
  });
});

describe('when the build is interrupted', () => {
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    it(
      `stops on ${name} in the middle of the build: exit 130, the browser gone, nothing ` +
        `half-written, earlier editions intact`,
      async () => {
        // The signal goes to the imprint command (as Ctrl-C or a CI runner's cancel would send it) while the browser
        // lays
        // out the report.
        const result = await buildWith(
          [],
          signal(name, (processes) => processes.filter((found) => found.command.includes('bin/imprint.js build'))),
        );
        expect(result.harmed).toBe(true);
        expect(result.stderr).toContain('imprint: interrupted');
        expect(result.stderr).not.toMatch(/^\s+at /m);
        expect(result.code).toBe(130);
        expect(result.ms).toBeLessThan(45_000);
        expect(browsers(result.seen).length).toBeGreaterThan(3);
        expect(result.left).toEqual([]);
        expect((await readdir(out)).filter((file) => file.startsWith('.') || file.endsWith('.tmp'))).toEqual([]);
      },
    );
  }
});

describe('the wait', () => {
  it('is refused when it is not a number of seconds', async () => {
    const result = await imprint(['build', '--no-config', long, '--out', out, '--browser-timeout', 'soon']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--browser-timeout takes a number of seconds above 0, at most 3600 (got soon)');
  });
});
