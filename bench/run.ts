/**
 * `npm run bench`: imprint against the floor (a bare Puppeteer script that
 * launches Chromium, loads the same page, prints it, closes) and Pandoc's
 * EPUB, on the default manuscript, a generated long one (~100,000 words,
 * ~250 pages, a 400-row table) and a tenth of it (for the cost of ten times
 * the content). Every measurement is a fresh process (cold: Node starts,
 * Chromium launches), and the runs are interleaved (imprint, floor, Pandoc,
 * imprint, …) so that a machine busy with other work slows both sides of a
 * ratio alike. Reports the median time and stages of each, the peak resident
 * memory of every process (the Node process and each Chromium process,
 * sampled from /proc over the process tree), the target ratios with PASS or
 * FAIL, and writes it all to bench/results/latest.json.
 *
 *   npm run bench                      5 runs of each
 *   npm run bench -- --runs 3          fewer runs
 *   npm run bench -- --only default    one manuscript (default, tenth or long)
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { locateBrowser } from '../src/browser/locate.js';
import { writeLongManuscript } from './long-manuscript.js';
import { processTree } from './process-tree.js';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    only: { type: 'string', multiple: true },
    out: { type: 'string', default: path.join(root, 'bench/results/latest.json') },
  },
});
const runs = Math.max(1, Number(values.runs));
const chromium = locateBrowser({ puppeteerPath: () => undefined }).executablePath;
const MiB = 2 ** 20;

/** One process run: its wall time, its stages (when it reports them) and the peak memory of its tree. */
interface Sample {
  ms: number;
  stages: Record<string, number>;
  /** Peak resident memory of each kind of process of the tree, MiB: `node`, `chromium`, `chromium (renderer)`, … */
  peakByProcess: Record<string, number>;
  /** Peak of the whole tree at one moment, MiB. */
  peakTreeMiB: number;
}

/** Run a command in a fresh process, timing it from spawn to exit and sampling its tree's memory every 20 ms. */
function measure(command: string, args: string[]): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const peakByProcess: Record<string, number> = {};
    let peakTree = 0;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const sample = () => {
      if (child.pid === undefined || child.exitCode !== null) return;
      let total = 0;
      for (const member of processTree(child.pid)) {
        total += member.rss;
        const kind = member.type ? `${member.name} (${member.type})` : member.name;
        peakByProcess[kind] = Math.max(peakByProcess[kind] ?? 0, member.rss / MiB);
      }
      peakTree = Math.max(peakTree, total / MiB);
    };
    const timer = setInterval(sample, 20);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      clearInterval(timer);
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`));
        return;
      }
      const stages = stdout.startsWith('{')
        ? ((JSON.parse(stdout) as { stages?: Record<string, number> }).stages ?? {})
        : {};
      resolve({ ms, stages, peakByProcess, peakTreeMiB: peakTree });
    });
  });
}

const median = (numbers: readonly number[]): number => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** What one measured command gave over all runs. */
interface Series {
  /** Median wall time, ms, and every run's. */
  ms: number;
  runs: number[];
  /** Median of each stage, ms. */
  stages: Record<string, number>;
  /** Highest resident memory of any one process of each kind over all runs, MiB. */
  peakByProcess: Record<string, number>;
  peakProcessMiB: number;
  peakTreeMiB: number;
}

function summarise(samples: readonly Sample[]): Series {
  const stageNames = [...new Set(samples.flatMap((sample) => Object.keys(sample.stages)))];
  const peakByProcess: Record<string, number> = {};
  for (const sample of samples) {
    for (const [kind, mib] of Object.entries(sample.peakByProcess))
      peakByProcess[kind] = Math.max(peakByProcess[kind] ?? 0, mib);
  }
  return {
    ms: median(samples.map((sample) => sample.ms)),
    runs: samples.map((sample) => Math.round(sample.ms)),
    stages: Object.fromEntries(
      stageNames.map((stage) => [stage, median(samples.map((sample) => sample.stages[stage] ?? 0))]),
    ),
    peakByProcess,
    peakProcessMiB: Math.max(0, ...Object.values(peakByProcess)),
    peakTreeMiB: Math.max(...samples.map((sample) => sample.peakTreeMiB)),
  };
}

interface Job {
  manuscript: string;
  name: string;
  command: string;
  /** The command's arguments in run `run` (a cold build writes into a folder of its own each run). */
  args: (run: number) => string[];
}

async function main() {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  const work = await mkdtemp(path.join(tmpdir(), 'imprint-bench-'));
  const long = await writeLongManuscript(path.join(work, 'long'));
  // A tenth of the long one: the same kinds of content, a tenth of the words and of the table's rows.
  const tenth = await writeLongManuscript(path.join(work, 'tenth'), { words: 10_000, tableRows: 40 });
  const all: Record<string, { file: string; words: number }> = {
    default: {
      file: path.join(root, 'manuscript/report.md'),
      words: wordCount(readFileSync(path.join(root, 'manuscript/report.md'), 'utf8')),
    },
    tenth: { file: tenth.manuscript, words: tenth.words },
    long: { file: long.manuscript, words: long.words },
  };
  // A 500,000-word book (60 chapters, 2,000 table rows): only when asked for (`--only book`), it takes minutes.
  if (values.only?.includes('book')) {
    const book = await writeLongManuscript(path.join(work, 'book'), { words: 500_000, tableRows: 2_000, chapters: 60 });
    all.book = { file: book.manuscript, words: book.words };
  }
  const chosen = Object.entries(all).filter(([name]) => !values.only || values.only.includes(name));
  const pandoc = hasPandoc();
  const node = process.execPath;
  const once = path.join(root, 'bench/imprint-once.mjs');

  const jobs: Job[] = [];
  for (const [manuscript, { file }] of chosen) {
    const out = path.join(work, `out-${manuscript}`);
    const base = path.basename(file, '.md');
    // The floor prints the HTML edition imprint makes (fonts and images inlined): the same page.
    execFileSync(node, [once, file, path.join(work, `page-${manuscript}`), 'html'], { cwd: root });
    const page = path.join(work, `page-${manuscript}`, `${base}.html`);
    // Cold: a new output folder every run, so no manifest of an earlier run helps.
    const imprint = (formats: string): Job => ({
      manuscript,
      name: `imprint ${formats}`,
      command: node,
      args: (run) => [once, file, path.join(out, `${formats.replace(/,/g, '-')}-${run}`), formats],
    });
    // Into a folder whose manifest records the page map of a print of the same inputs (decision 070), forced.
    const recorded = path.join(out, 'recorded');
    const afterPrint = (formats: string): Job => ({
      manuscript,
      name: `imprint ${formats}, page map recorded`,
      command: node,
      args: () => [once, file, recorded, formats],
    });
    jobs.push(imprint('html,pdf,epub'));
    if (manuscript === 'book') continue;
    jobs.push(imprint('pdf'));
    if (manuscript !== 'tenth') {
      execFileSync(node, [once, file, recorded, 'pdf,epub'], { cwd: root });
      jobs.push(imprint('epub'), afterPrint('epub'), imprint('html'));
      if (manuscript === 'default') jobs.push(afterPrint('html,pdf,epub'));
      const floorPdf = path.join(work, `floor-${manuscript}.pdf`);
      const floorArgs = [path.join(root, 'bench/floor.mjs'), page, floorPdf, chromium];
      jobs.push({ manuscript, name: 'floor pdf', command: node, args: () => floorArgs });
      const pandocEpub = path.join(work, `pandoc-${manuscript}.epub`);
      const pandocArgs = [file, '--resource-path', path.dirname(file), '-o', pandocEpub];
      if (pandoc) jobs.push({ manuscript, name: 'pandoc epub', command: 'pandoc', args: () => pandocArgs });
    }
  }

  const machine = {
    cores: cpus().length,
    model: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    chromium: `${chromium} (${browserVersion()})`,
    pandoc: pandoc ? execFileSync('pandoc', ['--version'], { encoding: 'utf8' }).split('\n')[0] : undefined,
    loadAverageAtStart: loadavg().map((load) => Number(load.toFixed(2))),
  };
  process.stderr.write(
    `imprint bench: ${runs} runs of ${jobs.length} commands, ${machine.cores} cores, load ` +
      `${machine.loadAverageAtStart.join(' ')}, ${chromium}\n`,
  );

  const samples = new Map<Job, Sample[]>(jobs.map((job) => [job, []]));
  for (let run = 0; run < runs; run++) {
    // Interleaved, and in a rotated order each run, so a busy spell slows every command alike.
    const order = jobs.map((_, index) => jobs[(index + run) % jobs.length]!);
    for (const job of order) {
      const sample = await measure(job.command, job.args(run));
      samples.get(job)!.push(sample);
      process.stderr.write(
        `  run ${run + 1}/${runs}  ` +
          `${`${job.manuscript}: ${job.name}`.padEnd(32)} ${(sample.ms / 1000).toFixed(2).padStart(6)} s\n`,
      );
    }
  }

  const results: Record<string, Record<string, Series>> = {};
  for (const job of jobs) (results[job.manuscript] ??= {})[job.name] = summarise(samples.get(job)!);
  /** Median over runs of a ratio taken within each run (paired), and the ratio of the medians. */
  const ratio = (manuscript: string, top: string, bottom: string) => {
    const a = samples.get(jobs.find((job) => job.manuscript === manuscript && job.name === top)!)!;
    const b = samples.get(jobs.find((job) => job.manuscript === manuscript && job.name === bottom)!)!;
    return {
      paired: median(a.map((sample, index) => sample.ms / b[index]!.ms)),
      ofMedians: median(a.map((s) => s.ms)) / median(b.map((s) => s.ms)),
    };
  };

  const targets: Array<{
    target: string;
    measured: number;
    ofMedians?: number;
    limit: number;
    unit: string;
    pass: boolean;
  }> = [];
  const add = (target: string, value: { paired: number; ofMedians?: number } | number, limit: number, unit = '×') => {
    const measured = typeof value === 'number' ? value : value.paired;
    targets.push({
      target,
      measured,
      ...(typeof value === 'number' ? {} : { ofMedians: value.ofMedians }),
      limit,
      unit,
      pass: measured <= limit,
    });
  };
  if (results.default) {
    add('default: html+pdf+epub, cold ÷ floor PDF', ratio('default', 'imprint html,pdf,epub', 'floor pdf'), 1.25);
    add('default: pdf, cold ÷ floor PDF', ratio('default', 'imprint pdf', 'floor pdf'), 1.1);
  }
  if (results.long) {
    add('long: pdf ÷ floor PDF', ratio('long', 'imprint pdf', 'floor pdf'), 1.2);
    if (pandoc) {
      const recorded = ratio('long', 'imprint epub, page map recorded', 'pandoc epub');
      add('long: epub, page map recorded (no browser) ÷ Pandoc EPUB', recorded, 1);
    }
    add('long: epub, cold ÷ floor PDF', ratio('long', 'imprint epub', 'floor pdf'), 1);
    const imprintSeries = Object.entries(results.long).filter(([name]) => name.startsWith('imprint'));
    const largest = Math.max(...imprintSeries.map(([, series]) => series.peakProcessMiB));
    const floorLargest = results.long['floor pdf']!.peakProcessMiB;
    add('long: largest process (imprint, any edition) ÷ the floor’s largest', largest / floorLargest, 1);
  }
  if (results.long && results.tenth) {
    const words = all.long!.words / all.tenth!.words;
    for (const formats of ['html,pdf,epub', 'pdf']) {
      const grow = results.long[`imprint ${formats}`]!.ms / results.tenth[`imprint ${formats}`]!.ms;
      add(`${words.toFixed(1)}× the words (tenth → long), ${formats}: time ÷ words`, grow / words, 1);
    }
  }
  if (results.long && results.book) {
    const words = all.book!.words / all.long!.words;
    const grow = results.book['imprint html,pdf,epub']!.ms / results.long['imprint html,pdf,epub']!.ms;
    add(`${words.toFixed(1)}× the words (long → book), html,pdf,epub: time ÷ words`, grow / words, 1);
    const bookMiB = results.book['imprint html,pdf,epub']!.peakProcessMiB;
    const memory = bookMiB / results.long['imprint html,pdf,epub']!.peakProcessMiB;
    add(`${words.toFixed(1)}× the words (long → book), html,pdf,epub: largest process ÷ words`, memory / words, 1);
  }

  printTable(results, targets);
  const report = {
    date: new Date().toISOString(),
    machine,
    runs,
    words: Object.fromEntries(chosen.map(([name, { words }]) => [name, words])),
    results,
    targets,
  };
  await mkdir(path.dirname(values.out!), { recursive: true });
  await writeFile(values.out!, `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`\nwritten ${path.relative(process.cwd(), values.out!)}\n`);
}

function printTable(
  results: Record<string, Record<string, Series>>,
  targets: ReadonlyArray<{
    target: string;
    measured: number;
    ofMedians?: number;
    limit: number;
    unit: string;
    pass: boolean;
  }>,
) {
  const out = (line: string) => process.stderr.write(`${line}\n`);
  out('\nmedian wall time (s), peak resident memory of the largest process (MiB), median stages (ms):');
  for (const [manuscript, entries] of Object.entries(results)) {
    for (const [name, series] of Object.entries(entries)) {
      const largest = Object.entries(series.peakByProcess).sort((a, b) => b[1] - a[1])[0];
      const stages = Object.entries(series.stages)
        .map(([stage, ms]) => `${stage} ${ms.toFixed(0)}`)
        .join(', ');
      out(
        `  ${`${manuscript}: ${name}`.padEnd(30)} ${(series.ms / 1000).toFixed(2).padStart(6)}  ` +
          `${series.peakProcessMiB.toFixed(0).padStart(4)} ${(largest?.[0] ?? '').padEnd(22)} ${stages}`,
      );
    }
  }
  out('\ntargets (ratios are the median of the ratios within each run; "of medians" divides the medians):');
  for (const row of targets) {
    const shown = row.unit === 'MiB' ? `${row.measured.toFixed(0)} MiB` : `${row.measured.toFixed(2)}×`;
    const limit = row.unit === 'MiB' ? `≤ ${row.limit} MiB` : `≤ ${row.limit}×`;
    const ofMedians = row.ofMedians === undefined ? '' : `  (of medians ${row.ofMedians.toFixed(2)}×)`;
    out(`  ${row.pass ? 'PASS' : 'FAIL'}  ${shown.padStart(9)}  ${limit.padEnd(9)} ${row.target}${ofMedians}`);
  }
}

function wordCount(markdown: string): number {
  return markdown
    .replace(/^---[\s\S]*?\n---\n/, '')
    .split(/\s+/)
    .filter((word) => /\w/.test(word)).length;
}

function hasPandoc(): boolean {
  try {
    execFileSync('pandoc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function browserVersion(): string {
  try {
    return execFileSync(chromium, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'version unknown';
  }
}

if (!existsSync(chromium)) throw new Error(`No browser at ${chromium}`);
await main();
