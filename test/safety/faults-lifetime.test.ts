import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeLongManuscript } from '../../bench/long-manuscript.js';
import { removeAbandonedProfiles } from '../../src/browser/profile.js';
import { imprint, repositoryRoot } from '../helpers/cli.js';
import {
  browserMain,
  pageRenderers,
  leftBehind,
  markerVariable,
  newMarker,
  watchProcesses,
  type MarkedProcess,
} from '../helpers/processes.js';
import { temporaryFolder } from '../helpers/tools.js';

/**
 * Chromium never outlives imprint: a build or a watch killed with SIGKILL (which
 * nothing can catch) at several moments leaves no Chromium process running, and
 * the profile folder it could not remove is removed by the next launch. Each
 * moment is an event seen in the output or in the process table, never a time.
 */

let dir: string;
let long: string;
let second: string;
let table: string;

/** Bounded generously: on a loaded machine Chromium's helpers take a while to see the pipe close. */
const goneWithinMs = 30_000;

interface Killed {
  /** The killed imprint's process id. */
  pid: number;
  seen: MarkedProcess[];
  left: MarkedProcess[];
  temporary: string;
}

/**
 * Run imprint with these arguments and its own temporary folder, and SIGKILL it
 * as soon as `moment` says so (polled on its output and the processes it
 * started); then wait for every one of those processes to be gone.
 */
async function killWhen(
  args: string[],
  moment: (output: string, processes: MarkedProcess[]) => boolean,
): Promise<Killed> {
  const marker = newMarker();
  const temporary = await temporaryFolder('imprint-lifetime-tmp-');
  const watch = watchProcesses(marker);
  try {
    const child = spawn(process.execPath, [path.join(repositoryRoot, 'bin/imprint.js'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, [markerVariable]: marker, TMPDIR: temporary },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    let killed = false;
    const poll = setInterval(() => {
      if (!killed && moment(output, watch.left())) {
        killed = true;
        child.kill('SIGKILL');
      }
    }, 25);
    await exited;
    clearInterval(poll);
    expect(killed, `killed before it ended by itself; output:\n${output}`).toBe(true);
    const left = await leftBehind(watch, goneWithinMs);
    return { pid: child.pid!, seen: watch.seen(), left, temporary };
  } finally {
    watch.stop();
  }
}

/** No Chromium left; the profile folder the killed run could not remove is removed by the next launch. */
async function expectNothingLeft(killed: Killed): Promise<void> {
  expect(browserMain(killed.seen), 'a browser was running when imprint was killed').toBeDefined();
  expect(killed.left.map((found) => `${found.pid} ${found.state} ${found.command.slice(0, 120)}`)).toEqual([]);
  const profiles = (await readdir(killed.temporary)).filter((name) =>
    name.startsWith(`imprint-chromium-${killed.pid}-`),
  );
  expect(profiles).toHaveLength(1);
  expect(await removeAbandonedProfiles(killed.temporary)).toEqual([path.join(killed.temporary, profiles[0]!)]);
  expect(await readdir(killed.temporary)).toEqual([]);
}

beforeAll(async () => {
  dir = await temporaryFolder();
  long = (await writeLongManuscript(path.join(dir, 'long'), { words: 6_000, tableRows: 60 })).manuscript;
  second = path.join(path.dirname(long), 'second.md');
  await cp(long, second);
  // A table of 9,999 rows (the limit is 10,000): its parse holds the command's process for seconds.
  table = path.join(dir, 'table.md');
  const rows = Array.from({ length: 9_999 }, (_, row) => `| ${row} | Item ${row} | ${(row * 3.7).toFixed(1)} |`);
  await writeFile(
    table,
    '---\ntitle: Tallies\nauthor: A. Writer\n---\n\n# Tallies\n\n' +
      `| n | name | value |\n|---|---|---:|\n${rows.join('\n')}\n`,
  );
}, 120_000);

describe('a build killed with SIGKILL', () => {
  it('while Chromium is starting leaves no Chromium process', async () => {
    const killed = await killWhen(
      ['build', '--no-config', '--force', long, '--out', path.join(dir, 'a')],
      (_output, processes) => browserMain(processes) !== undefined && pageRenderers(processes).length === 0,
    );
    await expectNothingLeft(killed);
  });

  it('while the report loads in Chromium leaves no Chromium process', async () => {
    const killed = await killWhen(
      ['build', '--no-config', '--force', long, '--out', path.join(dir, 'b')],
      (_output, processes) => browserMain(processes) !== undefined && pageRenderers(processes).length > 0,
    );
    await expectNothingLeft(killed);
  });

  it('while a second report prints, after the first was written, leaves no Chromium process', async () => {
    const args = ['build', '--no-config', '--force', long, second, '--jobs', '1', '--out', path.join(dir, 'c')];
    const killed = await killWhen(args, (output) => /^\[1\/2\].*built /m.test(output));
    await expectNothingLeft(killed);
  });
});

describe('a build killed with SIGKILL while its command process parses a long table', () => {
  it('leaves neither that process nor Chromium running', async () => {
    // Forced, the browser starts at once, while the manuscript is read and parsed.
    const killed = await killWhen(
      ['build', '--no-config', '--force', '--verbose', table, '--out', path.join(dir, 'f')],
      (output, processes) => /: read in \d+ ms$/m.test(output) && browserMain(processes) !== undefined,
    );
    const commands = killed.seen.filter((found) => found.command.includes('lib/bundle/child.js'));
    expect(
      commands.map((found) => found.command.slice(0, 120)),
      'the command ran in a process of its own',
    ).toHaveLength(1);
    await expectNothingLeft(killed);
  });
});

describe('imprint watch killed with SIGKILL', () => {
  it('during its first build leaves no Chromium process', async () => {
    const killed = await killWhen(
      ['watch', long, '--out', path.join(dir, 'd')],
      (_output, processes) => browserMain(processes) !== undefined && pageRenderers(processes).length > 0,
    );
    await expectNothingLeft(killed);
  });

  it(
    'while it waits with its warm browser leaves no Chromium process, and the next build removes ' + 'the profile',
    async () => {
      const killed = await killWhen(['watch', long, '--out', path.join(dir, 'e')], (output) =>
        /^ready: watching /m.test(output),
      );
      expect(browserMain(killed.seen)).toBeDefined();
      expect(killed.left).toEqual([]);
      expect((await readdir(killed.temporary)).some((name) => name.startsWith(`imprint-chromium-${killed.pid}-`))).toBe(
        true,
      );
      // The next build launches Chromium again: the folder of the killed run is gone after it, and its own too.
      const small = path.join(dir, 'small');
      await mkdir(small, { recursive: true });
      await writeFile(
        path.join(small, 'small.md'),
        '---\ntitle: Small\nauthor: A. Writer\n---\n\n# Small\n\nA paragraph.\n',
      );
      const next = await imprint(
        ['build', '--no-config', path.join(small, 'small.md'), '--out', path.join(small, 'out'), '--quiet'],
        {
          env: { TMPDIR: killed.temporary },
        },
      );
      expect(next).toMatchObject({ code: 0, stderr: '' });
      expect(await readdir(killed.temporary)).toEqual([]);
    },
  );
});
