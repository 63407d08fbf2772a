import { spawn } from 'node:child_process';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { imprint, repositoryRoot } from '../helpers/cli.js';
import {
  browserMain,
  leftBehind,
  markerVariable,
  newMarker,
  watchProcesses,
  type MarkedProcess,
} from '../helpers/processes.js';
import { sha256File } from '../helpers/series.js';
import { temporaryFolder } from '../helpers/tools.js';

/**
 * SIGTERM and SIGINT are obeyed in the middle of synchronous work: while a Markdown table of 9,999 rows (the limit
 * is 10,000) is parsed, which holds a thread for seconds. The build, or `watch`'s rebuild, is stopped before its
 * compile ends (no `transform` stage line follows the signal), with its exit code and message, the browser it had
 * started gone with its profile folder, and the output folder as an earlier build left it, with nothing of the
 * stopped build in it. The moment is an event: `--verbose` prints `report.md: read in N ms` as the parse begins.
 */

const rows = 9_999;
/** Bounded generously: on a loaded machine Chromium's crash handler takes a while to follow the browser out. */
const goneWithinMs = 30_000;

let dir: string;
let small: string;
let table: string;

const frontMatter = '---\ntitle: Tallies\nauthor: A. Writer\n---\n\n# Tallies\n\nCounted by hand.\n\n';
const tableOf = (count: number) =>
  `| n | name | value |\n|---|---|---:|\n${Array.from(
    { length: count },
    (_, row) => `| ${row} | Item ${row} | ${(row * 3.7).toFixed(1)} |`,
  ).join('\n')}\n`;

/** Replace a file by a rename, as an editor saves it: a reader sees the old text or the new, never part of it. */
async function save(file: string, text: string): Promise<void> {
  await writeFile(`${file}.saving`, text);
  await rename(`${file}.saving`, file);
}

async function outputs(out: string): Promise<Map<string, string>> {
  const names = (await readdir(out)).sort();
  return new Map(
    await Promise.all(names.map(async (name) => [name, await sha256File(path.join(out, name))] as [string, string])),
  );
}

interface Interrupted {
  code: number | null;
  output: string;
  /** What was printed after the signal was sent. */
  after: string;
  seen: MarkedProcess[];
  left: MarkedProcess[];
  temporary: string;
}

/**
 * Run imprint in `cwd` with a temporary folder of its own, send `signal` once `moment` says so (looked at on
 * every output and every 25 ms in the process table), and wait for it to end and for every process it started to
 * be gone. `onOutput` may act on the output meanwhile (save a file).
 */
async function interruptWhen(
  args: string[],
  cwd: string,
  signal: NodeJS.Signals,
  moment: (output: string, processes: MarkedProcess[]) => boolean,
  onOutput?: (output: string) => void,
): Promise<Interrupted> {
  const marker = newMarker();
  const temporary = await temporaryFolder('imprint-int-');
  const watch = watchProcesses(marker);
  try {
    const child = spawn(process.execPath, [path.join(repositoryRoot, 'bin/imprint.js'), ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, [markerVariable]: marker, TMPDIR: temporary },
    });
    let output = '';
    let sentAt: number | undefined;
    const look = () => {
      if (sentAt === undefined && moment(output, watch.left())) {
        sentAt = output.length;
        child.kill(signal);
      }
    };
    const heard = (chunk: Buffer) => {
      output += chunk.toString();
      onOutput?.(output);
      look();
    };
    child.stdout.on('data', heard);
    child.stderr.on('data', heard);
    const poll = setInterval(look, 25);
    const code = await new Promise<number | null>((resolve) => child.on('close', (exit) => resolve(exit)));
    clearInterval(poll);
    expect(sentAt, `ended before the moment came; output:\n${output}`).toBeDefined();
    const left = await leftBehind(watch, goneWithinMs);
    return { code, output, after: output.slice(sentAt), seen: watch.seen(), left, temporary };
  } finally {
    watch.stop();
  }
}

beforeAll(async () => {
  dir = await temporaryFolder();
  small = `${frontMatter}${tableOf(20)}`;
  table = `${frontMatter}${tableOf(rows)}`;
}, 60_000);

describe('a build interrupted while it parses a table of 9,999 rows', () => {
  it('ends on SIGTERM before the parse ends: exit 130, the browser gone, the earlier editions intact', async () => {
    const project = path.join(dir, 'build');
    const out = path.join(project, 'out');
    const manuscript = path.join(project, 'report.md');
    await mkdir(project, { recursive: true });
    await save(manuscript, small);
    const first = await imprint(['build', '--no-config', 'report.md', '--out', out, '--quiet'], { cwd: project });
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const earlier = await outputs(out);
    expect([...earlier.keys()]).toEqual(['SHA256SUMS', 'manifest.json', 'report.epub', 'report.html', 'report.pdf']);

    await save(manuscript, table);
    // Forced, the browser starts at once, while the manuscript is read and parsed.
    const result = await interruptWhen(
      ['build', '--no-config', '--force', '--verbose', 'report.md', '--out', out],
      project,
      'SIGTERM',
      (output, processes) => /^report\.md: read in \d+ ms$/m.test(output) && browserMain(processes) !== undefined,
    );
    expect(result.code, result.output).toBe(130);
    expect(result.after).toMatch(/^imprint: interrupted; /m);
    expect(result.output).not.toMatch(/^\s+at /m);
    // Stopped in the parse, not after the compile.
    expect(result.after).not.toMatch(/: (transform|html|template|load) in \d+ ms$/m);
    expect(browserMain(result.seen), 'a browser was running when the signal was sent').toBeDefined();
    expect(result.left.map((found) => `${found.pid} ${found.state} ${found.command.slice(0, 120)}`)).toEqual([]);
    expect(await readdir(result.temporary), 'profile folders left').toEqual([]);
    expect(await outputs(out)).toEqual(earlier);
  });
});

describe('imprint watch interrupted while a rebuild parses a table of 9,999 rows', () => {
  it('ends on SIGINT before the parse ends: exit 0, the browser gone, the last editions intact', async () => {
    const project = path.join(dir, 'watch');
    const out = path.join(project, 'out');
    const manuscript = path.join(project, 'report.md');
    await mkdir(project, { recursive: true });
    await save(manuscript, small);
    let saved = false;
    let earlier: Map<string, string> | undefined;
    const ready = /^ready: watching /m;
    const result = await interruptWhen(
      ['watch', '--verbose', 'report.md', '--out', out],
      project,
      'SIGINT',
      (output) => {
        const since = output.search(ready);
        return saved && since >= 0 && /^report\.md: read in \d+ ms$/m.test(output.slice(since));
      },
      (output) => {
        if (saved || !ready.test(output)) return;
        saved = true;
        // The first build is written: keep what it wrote, then save the long table.
        void outputs(out).then(async (written) => {
          earlier = written;
          await save(manuscript, table);
        });
      },
    );
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toMatch(/^\s+at /m);
    expect(result.after).not.toMatch(/: (transform|html|template|load) in \d+ ms$/m);
    expect(browserMain(result.seen), 'a browser was running when the signal was sent').toBeDefined();
    expect(result.left.map((found) => `${found.pid} ${found.state} ${found.command.slice(0, 120)}`)).toEqual([]);
    expect(await readdir(result.temporary), 'profile folders left').toEqual([]);
    expect(earlier && [...earlier.keys()]).toEqual([
      'SHA256SUMS',
      'manifest.json',
      'report.epub',
      'report.html',
      'report.pdf',
    ]);
    expect(await outputs(out)).toEqual(earlier);
  });
});
