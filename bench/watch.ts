/**
 * `npx tsx bench/watch.ts`: what a save costs in `imprint watch`. On a copy of
 * the default manuscript, with one browser kept running (as watch keeps it),
 * the text is changed and the PDF alone built again, several times; beside it,
 * the warm floor (bench/warm-floor.mjs: a bare Puppeteer page already open,
 * `setContent` + `pdf` of the same report's HTML edition). Rounds alternate
 * between the two so that a busy machine slows both alike. Prints the medians,
 * the stages of imprint's rebuild, and the ratio (target: about 2).
 *
 *   npx tsx bench/watch.ts              7 rebuilds, 7 floor renders
 *   npx tsx bench/watch.ts --runs 11
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build, startBrowser } from '../src/api.js';
import { locateBrowser } from '../src/browser/locate.js';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Math.max(1, Number(values.runs));
const chromium = locateBrowser({ puppeteerPath: () => undefined }).executablePath;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const work = await mkdtemp(path.join(tmpdir(), 'imprint-bench-watch-'));
try {
  await cp(path.join(root, 'manuscript'), path.join(work, 'manuscript'), { recursive: true });
  const manuscript = path.join(work, 'manuscript/report.md');
  const outDir = path.join(work, 'out');
  const original = await readFile(manuscript, 'utf8');
  const browser = await startBrowser({ executablePath: chromium });
  const rebuild = async (formats: Array<'html' | 'pdf' | 'epub'>) => {
    const stages: Record<string, number> = {};
    const started = performance.now();
    const result = await build({
      manuscripts: [manuscript],
      config: false,
      outDir,
      formats,
      warmBrowser: browser,
      onProgress: (event) => {
        if (event.kind === 'stage') stages[event.stage] = (stages[event.stage] ?? 0) + event.ms;
      },
    });
    if (!result.ok) throw new Error('the build failed');
    return { ms: performance.now() - started, stages };
  };
  try {
    await rebuild(['html', 'pdf']);
    const page = path.join(outDir, 'report.html');
    const imprint: Array<{ ms: number; stages: Record<string, number> }> = [];
    const floor: number[] = [];
    // Warm-up rebuild: the pipeline's modules are loaded and compiled once, as after watch's first build.
    await writeFile(manuscript, original.replace('The recent commitment', 'The warm commitment'));
    await rebuild(['pdf']);
    for (let run = 0; run < runs; run++) {
      await writeFile(manuscript, original.replace('The recent commitment', `The recent (${run}) commitment`));
      imprint.push(await rebuild(['pdf']));
      const warm = JSON.parse(
        execFileSync(process.execPath, [path.join(root, 'bench/warm-floor.mjs'), page, chromium, '1'], {
          cwd: root,
        }).toString(),
      ) as { ms: number[] };
      floor.push(...warm.ms);
    }
    const stageNames = [...new Set(imprint.flatMap((sample) => Object.keys(sample.stages)))];
    const imprintMs = median(imprint.map((sample) => sample.ms));
    const floorMs = median(floor);
    console.log(`default report, PDF rebuilt after a text change, warm browser (${runs} runs, medians):`);
    console.log(`  imprint watch rebuild  ${imprintMs.toFixed(0)} ms`);
    for (const stage of stageNames)
      console.log(
        `    ${stage.padEnd(10)} ${median(imprint.map((sample) => sample.stages[stage] ?? 0)).toFixed(0)} ms`,
      );
    console.log(`  warm floor (setContent + pdf)  ${floorMs.toFixed(0)} ms`);
    console.log(`  ratio  ${(imprintMs / floorMs).toFixed(2)} (target about 2)`);
    console.log(
      `  all samples: imprint ${imprint.map((sample) => sample.ms.toFixed(0)).join(' ')}; floor ` +
        `${floor.map((ms) => ms.toFixed(0)).join(' ')}`,
    );
  } finally {
    await browser.close();
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
