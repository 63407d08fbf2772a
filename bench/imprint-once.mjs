// One cold build in its own process, as `imprint build` runs it: the benchmark
// times this process from start to exit and reads its stage times from stdout.
const started = performance.now();
const { build } = await import('../lib/bundle/api.js');
const [manuscript, outDir, formats] = process.argv.slice(2);
const stages = { start: performance.now() - started };
const result = await build({
  manuscripts: [manuscript],
  outDir,
  formats: formats.split(','),
  force: true,
  config: false,
  onProgress: (event) => {
    if (event.kind === 'stage') stages[event.stage] = (stages[event.stage] ?? 0) + event.ms;
  },
});
process.stdout.write(JSON.stringify({ ok: result.ok, stages }));
process.exitCode = result.ok ? 0 : 1;
