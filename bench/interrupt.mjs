// How long `imprint build` takes to end after SIGTERM (or SIGINT) at a chosen stage, on a generated manuscript
// with a Markdown table of 9,999 rows (the table-rows limit is 10,000): the signal is sent as soon as `--verbose`
// prints the stage line that says the stage wanted has begun, and the time to the process's exit is measured.
//
//   node bench/interrupt.mjs [--runs 5] [--after read] [--signal SIGTERM] [--format html] [--bin bin/imprint.js]
//
// `--after read` signals while the manuscript is parsed; `--after template` while Chromium loads the page;
// `--after load` while it is measured and printed. Prints each run and the median and the largest.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    after: { type: 'string', default: 'read' },
    signal: { type: 'string', default: 'SIGTERM' },
    format: { type: 'string' },
    rows: { type: 'string', default: '9999' },
    bin: { type: 'string', default: path.join(import.meta.dirname, '../bin/imprint.js') },
  },
});

const dir = await mkdtemp(path.join(tmpdir(), 'imprint-interrupt-'));
const rows = Array.from({ length: Number(values.rows) }, (_, i) => `| ${i} | Item ${i} | ${(i * 3.7).toFixed(1)} |`);
const manuscript = path.join(dir, 'table.md');
await writeFile(
  manuscript,
  `---\ntitle: A long table\nauthor: A. Writer\n---\n\n# A long table\n\nA paragraph.\n\n` +
    `| n | name | value |\n|---|---|---:|\n${rows.join('\n')}\n`,
);

const latencies = [];
for (let run = 0; run < Number(values.runs); run++) {
  const out = path.join(dir, `out-${run}`);
  const args = [values.bin, 'build', '--no-config', '--force', '--verbose', manuscript, '--out', out];
  if (values.format) args.push('--format', values.format);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let sent;
  const stage = new RegExp(`^\\S+: ${values.after} in \\d+ ms$`, 'm');
  child.stderr.on('data', (chunk) => {
    stderr += chunk.toString();
    if (sent === undefined && stage.test(stderr)) {
      sent = performance.now();
      child.kill(values.signal);
    }
  });
  const code = await new Promise((resolve) => child.on('exit', (exitCode, signal) => resolve(exitCode ?? signal)));
  const ms = sent === undefined ? undefined : performance.now() - sent;
  const left = (await readdir(out).catch(() => [])).join(' ') || 'nothing';
  const last = stderr.trim().split('\n').at(-1);
  console.log(`run ${run + 1}: exit ${code}, ${ms === undefined ? 'never signalled' : `${ms.toFixed(0)} ms`}`);
  console.log(`  in the output folder: ${left}; last line: ${last}`);
  if (ms !== undefined) latencies.push(ms);
}
await rm(dir, { recursive: true, force: true });
latencies.sort((a, b) => a - b);
if (latencies.length > 0) {
  const median = latencies[Math.floor((latencies.length - 1) / 2)];
  const max = latencies.at(-1);
  console.log(`${values.signal} after "${values.after}": median ${median.toFixed(0)} ms, largest ${max.toFixed(0)} ms`);
}
