/**
 * `npm run bench`: imprint against the floor (a bare Puppeteer script that
 * launches Chromium, loads the page, prints it, closes) and Pandoc's EPUB,
 * on the default manuscript and a generated long one (~100,000 words, ~300
 * pages, long tables), each run several times in fresh processes (cold).
 * Reports medians per stage, peak memory of every process involved (sampled
 * from /proc over the whole process tree), the target ratios with PASS or
 * FAIL, and writes everything to bench/results/latest.json.
 *
 *   npm run bench                   5 runs of each
 *   npm run bench -- --runs 3       fewer runs
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { locateBrowser } from '../src/browser/locate.js';
import { writeLongManuscript } from './long-manuscript.js';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Math.max(1, Number(values.runs));
const chromium = locateBrowser({ puppeteerPath: () => undefined }).executablePath;
const pageSize = 4096;

interface Measured {
  ms: number;
  /** Largest resident set of any one process of the tree, and of the whole tree at once, in MiB. */
  peakProcessMiB: number;
  /** Which process that was (its command name and type). */
  peakProcess: string;
  peakTreeMiB: number;
  stdout: string;
}

/** Resident memory of every process below `pid` (itself included), in bytes, by process. */
function treeRss(pid: number): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // gone already
    }
  }
  const tree = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [child, parent] of parents) {
      if (tree.has(parent) && !tree.has(child)) {
        tree.add(child);
        grew = true;
      }
    }
  }
  const rss = new Map<number, number>();
  for (const member of tree) {
    try {
      const statm = readFileSync(`/proc/${member}/statm`, 'utf8').split(' ');
      rss.set(member, Number(statm[1]) * pageSize);
    } catch {
      // gone already
    }
  }
  return rss;
}

/** Run a command in a fresh process, timing it from spawn to exit and sampling its tree's memory. */
function measure(command: string, args: string[]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakProcess = 0;
    let peakName = '';
    let peakTree = 0;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const sample = () => {
      if (child.pid === undefined) return;
      const rss = treeRss(child.pid);
      let total = 0;
      for (const [pid, bytes] of rss) {
        total += bytes;
        if (bytes > peakProcess) {
          peakProcess = bytes;
          peakName = processName(pid);
        }
      }
      peakTree = Math.max(peakTree, total);
    };
    const timer = setInterval(sample, 20);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      clearInterval(timer);
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve({ ms, peakProcessMiB: peakProcess / 2 ** 20, peakProcess: peakName, peakTreeMiB: peakTree / 2 ** 20, stdout });
    });
  });
}

/** A process's name for the report: `node`, `chromium (renderer)`, … */
function processName(pid: number): string {
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    const type = command.find((arg) => arg.startsWith('--type='))?.slice(7);
    return type ? `${name} (${type})` : name;
  } catch {
    return '?';
  }
}

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

interface Series {
  ms: number;
  peakProcessMiB: number;
  peakProcess: string;
  peakTreeMiB: number;
  stages?: Record<string, number>;
}

async function series(label: string, command: string, args: string[]): Promise<Series> {
  const all: Measured[] = [];
  for (let run = 0; run < runs; run++) all.push(await measure(command, args));
  const stages: Record<string, number[]> = {};
  for (const run of all) {
    if (!run.stdout.startsWith('{')) continue;
    const parsed = JSON.parse(run.stdout) as { stages: Record<string, number> };
    for (const [stage, ms] of Object.entries(parsed.stages)) (stages[stage] ??= []).push(ms);
  }
  const result: Series = {
    ms: median(all.map((run) => run.ms)),
    peakProcessMiB: Math.max(...all.map((run) => run.peakProcessMiB)),
    peakProcess: [...all].sort((a, b) => b.peakProcessMiB - a.peakProcessMiB)[0]!.peakProcess,
    peakTreeMiB: Math.max(...all.map((run) => run.peakTreeMiB)),
    ...(Object.keys(stages).length > 0 ? { stages: Object.fromEntries(Object.entries(stages).map(([stage, list]) => [stage, median(list)])) } : {}),
  };
  process.stderr.write(`${label.padEnd(44)} ${(result.ms / 1000).toFixed(2).padStart(6)} s  peak ${result.peakProcessMiB.toFixed(0).padStart(4)} MiB (${result.peakProcess})\n`);
  return result;
}

async function main() {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  const work = await mkdtemp(path.join(tmpdir(), 'imprint-bench-'));
  const longDir = path.join(work, 'long');
  await mkdir(longDir, { recursive: true });
  const long = await writeLongManuscript(longDir);
  const manuscripts = { default: path.join(root, 'manuscript/report.md'), long: long.manuscript };
  const words = { default: wordCount(readFileSync(manuscripts.default, 'utf8')), long: long.words };
  process.stderr.write(`imprint bench: ${runs} runs each, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${chromium}\n`);

  const results: Record<string, Record<string, Series>> = {};
  for (const [name, manuscript] of Object.entries(manuscripts)) {
    const out = path.join(work, `out-${name}`);
    const base = path.basename(manuscript, '.md');
    const once = (formats: string) => series(`${name}: imprint ${formats}`, process.execPath, [path.join(root, 'bench/imprint-once.mjs'), manuscript, out, formats]);
    const entry: Record<string, Series> = {};
    entry.all = await once('html,pdf,epub');
    entry.pdf = await once('pdf');
    entry.epub = await once('epub');
    entry.html = await once('html');
    // The floor prints the HTML edition imprint made: the same page, fonts inlined.
    entry.floor = await series(`${name}: floor (bare Puppeteer)`, process.execPath, [path.join(root, 'bench/floor.mjs'), path.join(out, `${base}.html`), path.join(work, `floor-${name}.pdf`), chromium]);
    if (hasPandoc()) {
      entry.pandoc = await series(`${name}: pandoc epub`, 'pandoc', [manuscript, '--resource-path', path.dirname(manuscript), '-o', path.join(work, `pandoc-${name}.epub`)]);
    }
    results[name] = entry;
  }

  const d = results.default!;
  const l = results.long!;
  const targets = [
    { target: 'default, all three editions cold ≤ 1.25 × floor PDF', ratio: d.all!.ms / d.floor!.ms, limit: 1.25 },
    { target: 'long, PDF ≤ 1.2 × floor PDF', ratio: l.pdf!.ms / l.floor!.ms, limit: 1.2 },
    ...(l.pandoc ? [{ target: 'long, EPUB ≤ 1 × Pandoc EPUB', ratio: l.epub!.ms / l.pandoc.ms, limit: 1 }] : []),
    { target: 'long, no process above 300 MiB', ratio: Math.max(...Object.values(l).filter((s, i) => Object.keys(l)[i] !== 'pandoc').map((s) => s.peakProcessMiB)) / 300, limit: 1 },
    { target: `10× the content ≤ 10× the time (${(words.long / words.default).toFixed(0)}× words here, PDF)`, ratio: l.pdf!.ms / d.pdf!.ms / (words.long / words.default), limit: 1 },
  ].map((row) => ({ ...row, pass: row.ratio <= row.limit }));

  process.stderr.write('\nstage medians (ms):\n');
  for (const [name, entry] of Object.entries(results)) {
    process.stderr.write(`  ${name.padEnd(8)} ${Object.entries(entry.all!.stages ?? {}).map(([stage, ms]) => `${stage} ${ms.toFixed(0)}`).join(', ')}\n`);
  }
  process.stderr.write('\ntargets:\n');
  for (const row of targets) process.stderr.write(`  ${row.pass ? 'PASS' : 'FAIL'}  ${row.ratio.toFixed(2).padStart(5)}  ${row.target}\n`);

  const report = {
    date: new Date().toISOString(),
    machine: { cores: cpus().length, model: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, chromium },
    runs,
    words,
    results,
    targets,
  };
  const outDir = path.join(root, 'bench/results');
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`\nwritten bench/results/latest.json\n`);
}

function wordCount(markdown: string): number {
  return markdown.replace(/^---[\s\S]*?\n---\n/, '').split(/\s+/).filter((word) => /\w/.test(word)).length;
}

function hasPandoc(): boolean {
  try {
    execFileSync('pandoc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (!existsSync(chromium)) throw new Error(`No browser at ${chromium}`);
await main();
