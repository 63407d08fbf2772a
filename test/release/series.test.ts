import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import {
  build,
  mergeManifests,
  type BuildOptions,
  type BuildResult,
  type Manifest,
  type ProgressEvent,
} from '../../src/api.js';
import { BrowserSession } from '../../src/browser/session.js';
import { defaultTemplateDir } from '../../src/writers/print-page/templates.js';
import { repositoryRoot } from '../helpers/cli.js';
import { epubFiles } from '../helpers/epub.js';
import {
  copySeries,
  mtimes,
  pdfinfoPages,
  seriesNames,
  sha256File,
  sha256Of,
  sha256sumCheck,
} from '../helpers/series.js';
import { temporaryFolder } from '../helpers/tools.js';

const epoch = 1_499_472_000; // 2017-07-08T00:00:00Z
const browser = () => ({ wsEndpoint: inject('browserWSEndpoint') });
const editionFiles = seriesNames.flatMap((name) => ['html', 'pdf', 'epub'].map((format) => `${name}.${format}`));

async function readManifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

function statuses(result: BuildResult): Record<string, string[]> {
  return Object.fromEntries(
    result.reports.map((report) => [
      report.name,
      report.editions.map((edition) => `${edition.format}:${edition.status}`),
    ]),
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a series built from its configuration file', () => {
  let dir: string;
  let out: string;
  let result: BuildResult;
  const events: ProgressEvent[] = [];
  let opened = 0;

  beforeAll(async () => {
    dir = await copySeries();
    out = path.join(dir, 'dist');
    const open = vi.spyOn(BrowserSession, 'open');
    result = await build({
      cwd: dir,
      browser: browser(),
      sourceDateEpoch: epoch,
      concurrency: 2,
      onProgress: (event) => events.push(event),
    });
    opened = open.mock.calls.length;
    open.mockRestore();
  });

  it('builds every manuscript the configuration lists, with one browser and a progress event per report', () => {
    expect(result.files.flatMap((file) => file.messages.map(String))).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.reports.map((report) => report.name)).toEqual([...seriesNames]);
    expect(opened).toBe(1);
    const reports = events.filter((event) => event.kind === 'report');
    expect(reports.map((event) => [event.done, event.total])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(new Set(reports.map((event) => event.manuscript))).toEqual(
      new Set(seriesNames.map((name) => path.join('notes', `${name}.md`))),
    );
  });

  it('gives every manuscript the configuration’s defaults (publisher, series) in its editions', async () => {
    const catalyst = result.reports.find((report) => report.name === 'catalyst')!;
    const html = new TextDecoder().decode(catalyst.editions.find((edition) => edition.format === 'html')!.bytes);
    expect(html).toContain('imprint test fixtures');
    expect(html).toContain('Reading notes on “Defrosting Sino-Japanese Relations”');
    const epub = await epubFiles(catalyst.editions.find((edition) => edition.format === 'epub')!.bytes);
    const opf = [...epub.entries()].find(([name]) => name.endsWith('.opf'))![1];
    expect(opf).toContain('<dc:publisher>imprint test fixtures</dc:publisher>');
  });

  it('writes the editions, manifest.json and SHA256SUMS, and sha256sum -c accepts the checksums', async () => {
    expect((await readdir(out)).sort()).toEqual([...editionFiles, 'SHA256SUMS', 'manifest.json'].sort());
    const check = await sha256sumCheck(out);
    expect(check.code).toBe(0);
    expect(check.output.trim().split('\n').sort()).toEqual(
      [...editionFiles, 'manifest.json'].map((name) => `${name}: OK`).sort(),
    );
  });

  it('records in the manifest each edition’s size, digest, pages or chapters, and the files it came from', async () => {
    const manifest = await readManifest(out);
    const version = JSON.parse(await readFile(path.join(repositoryRoot, 'package.json'), 'utf8')).version as string;
    expect(manifest).toMatchObject({
      manifest: 1,
      tool: { name: 'imprint', version },
      built: '2017-07-08T00:00:00Z',
      sourceDateEpoch: epoch,
    });
    expect(manifest.shard).toBeUndefined();
    expect(result.manifest).toEqual(manifest);
    expect(manifest.reports.map((report) => report.manuscript.path)).toEqual(
      seriesNames.map((name) => `notes/${name}.md`),
    );

    for (const report of manifest.reports) {
      expect(report.manuscript.sha256).toBe(await sha256File(path.join(dir, report.manuscript.path)));
      for (const data of report.data) expect(data.sha256).toBe(await sha256File(path.join(dir, data.path)));
      expect(report.editions.map((edition) => edition.format)).toEqual(['html', 'pdf', 'epub']);
      for (const edition of report.editions) {
        const bytes = await readFile(path.join(out, edition.path));
        expect(edition.bytes).toBe(bytes.byteLength);
        expect(edition.sha256).toBe(sha256Of(bytes));
        expect(edition.inputs).toMatch(/^[0-9a-f]{64}$/);
        if (edition.format === 'pdf') expect(edition.pages).toBe(await pdfinfoPages(path.join(out, edition.path)));
        if (edition.format === 'epub') {
          const names = [...(await epubFiles(bytes)).keys()].filter(
            (name) => name.endsWith('.xhtml') && !name.endsWith('toc.xhtml'),
          );
          expect(edition.chapters).toBe(names.length);
        }
      }
    }
    const byName = Object.fromEntries(
      manifest.reports.map((report) => [report.name, report.data.map((data) => data.path)]),
    );
    expect(byName).toEqual({
      catalyst: ['data/exchanges.csv', 'data/pledges.yaml'],
      'road-ahead': ['data/exchanges.csv'],
      warmth: ['data/exchanges.csv'],
    });
    // The API returns the same bytes it wrote.
    for (const report of result.reports) {
      for (const edition of report.editions) expect(sha256Of(edition.bytes)).toBe(await sha256File(edition.path));
    }
  });
});

describe('incremental builds', () => {
  const options = (dir: string, extra: Partial<BuildOptions> = {}): BuildOptions => ({
    cwd: dir,
    browser: browser(),
    sourceDateEpoch: epoch,
    ...extra,
  });

  it('leaves an edition whose inputs are unchanged untouched, and makes again only what a change reaches', async () => {
    const dir = await copySeries();
    const out = path.join(dir, 'dist');
    expect((await build(options(dir))).ok).toBe(true);
    const first = await mtimes(out, [...editionFiles, 'manifest.json', 'SHA256SUMS']);
    await new Promise((resolve) => setTimeout(resolve, 20));

    const open = vi.spyOn(BrowserSession, 'open');
    const again = await build(options(dir));
    expect(again.ok).toBe(true);
    expect(
      Object.values(statuses(again))
        .flat()
        .every((status) => status.endsWith(':unchanged')),
    ).toBe(true);
    expect(open).not.toHaveBeenCalled();
    expect(await mtimes(out, [...editionFiles, 'manifest.json', 'SHA256SUMS'])).toEqual(first);
    // Unchanged editions still come back with their bytes.
    for (const report of again.reports)
      for (const edition of report.editions) expect(edition.bytes.byteLength).toBeGreaterThan(1000);
    open.mockRestore();

    // A data file only one note uses: that note alone is made again.
    const pledges = path.join(dir, 'data/pledges.yaml');
    await writeFile(pledges, (await readFile(pledges, 'utf8')).replace('Raising the ante', 'Raising the stakes'));
    const changed = await build(options(dir));
    expect(statuses(changed)).toEqual({
      catalyst: ['html:built', 'pdf:built', 'epub:built'],
      'road-ahead': ['html:unchanged', 'pdf:unchanged', 'epub:unchanged'],
      warmth: ['html:unchanged', 'pdf:unchanged', 'epub:unchanged'],
    });
    const second = await mtimes(out, editionFiles);
    for (const name of editionFiles) {
      if (name.startsWith('catalyst.')) expect(second[name]).toBeGreaterThan(first[name]!);
      else expect(second[name]).toBe(first[name]);
    }
    const manifest = await readManifest(out);
    const catalyst = manifest.reports.find((report) => report.name === 'catalyst')!;
    expect(catalyst.data.find((data) => data.path === 'data/pledges.yaml')!.sha256).toBe(await sha256File(pledges));
    expect((await sha256sumCheck(out)).code).toBe(0);

    // A removed edition is made again; the others stay.
    await rm(path.join(out, 'warmth.pdf'));
    expect(statuses(await build(options(dir))).warmth).toEqual(['html:unchanged', 'pdf:built', 'epub:unchanged']);

    // --force makes everything again.
    const forced = await build(options(dir, { force: true }));
    expect(
      Object.values(statuses(forced))
        .flat()
        .every((status) => status.endsWith(':built')),
    ).toBe(true);
    const third = await mtimes(out, editionFiles);
    for (const name of editionFiles) expect(third[name]).toBeGreaterThan(second[name]!);
  });

  it('counts templates and options among the inputs, but not where an identical template folder lies', async () => {
    const dir = await copySeries();
    const templates = path.join(dir, 'house-style');
    await cp(defaultTemplateDir, templates, { recursive: true });
    const only = (extra: Partial<BuildOptions>) => build(options(dir, { formats: ['html'], ...extra }));
    expect((await only({})).ok).toBe(true);
    expect(Object.values(statuses(await only({ templateDir: templates }))).flat()).toEqual([
      'html:unchanged',
      'html:unchanged',
      'html:unchanged',
    ]);
    // Template folders are read once per process: the changed style goes in a folder of its own.
    const changed = path.join(dir, 'house-style-2');
    await cp(templates, changed, { recursive: true });
    await writeFile(
      path.join(changed, 'print.css'),
      `${await readFile(path.join(templates, 'print.css'), 'utf8')}\n.series { letter-spacing: 0.02em; }\n`,
    );
    expect(Object.values(statuses(await only({ templateDir: changed }))).flat()).toEqual([
      'html:built',
      'html:built',
      'html:built',
    ]);
    expect(Object.values(statuses(await only({ templateDir: changed }))).flat()).toEqual([
      'html:unchanged',
      'html:unchanged',
      'html:unchanged',
    ]);
    expect(Object.values(statuses(await only({ templateDir: changed, paper: 'letter' }))).flat()).toEqual([
      'html:built',
      'html:built',
      'html:built',
    ]);
    expect(
      Object.values(statuses(await only({ templateDir: changed, paper: 'letter', sourceDateEpoch: epoch + 1 }))).flat(),
    ).toEqual(['html:built', 'html:built', 'html:built']);
  });

  it('makes every edition in memory and writes nothing with write: false', async () => {
    const dir = await copySeries();
    const result = await build(options(dir, { write: false, formats: ['html', 'epub'] }));
    expect(result.ok).toBe(true);
    expect(result.manifest).toBeUndefined();
    expect(result.reports.flatMap((report) => report.editions.map((edition) => edition.status))).toEqual(
      Array(6).fill('built'),
    );
    expect((await readdir(dir)).sort()).toEqual(['data', 'imprint.config.yaml', 'notes']);
  });
});

describe('shards of a series', () => {
  it('build each manuscript exactly once, and their manifests merge into one whose checksums match', async () => {
    const dir = await copySeries();
    const shards = [1, 2].map((index) => ({ index, count: 2, out: path.join(dir, `shard-${index}`) }));
    const results = [];
    for (const shard of shards) {
      results.push(
        await build({
          cwd: dir,
          browser: browser(),
          sourceDateEpoch: epoch,
          outDir: shard.out,
          shard: { index: shard.index, count: 2 },
        }),
      );
    }
    const built = results.map((result) => result.reports.map((report) => report.name));
    expect(built.flat().sort()).toEqual([...seriesNames]);
    expect(built.every((names) => names.length > 0)).toBe(true);
    const manifests = await Promise.all(shards.map((shard) => readManifest(shard.out)));
    expect(manifests.map((manifest) => manifest.shard)).toEqual([
      { index: 1, count: 2 },
      { index: 2, count: 2 },
    ]);
    expect(manifests.map((manifest) => manifest.reports.map((report) => report.name))).toEqual(built);
    for (const shard of shards) expect((await sha256sumCheck(shard.out)).code).toBe(0);

    const release = path.join(dir, 'release');
    const merged = await mergeManifests({
      cwd: dir,
      manifests: ['shard-2/manifest.json', 'shard-1/manifest.json'],
      outDir: 'release',
    });
    expect(merged.files.flatMap((file) => file.messages.map(String))).toEqual([]);
    expect(merged.ok).toBe(true);
    const manifest = await readManifest(release);
    expect(manifest.shard).toBeUndefined();
    expect(manifest.reports.map((report) => report.name)).toEqual([...seriesNames]);
    expect((await readdir(release)).sort()).toEqual([...editionFiles, 'SHA256SUMS', 'manifest.json'].sort());
    const check = await sha256sumCheck(release);
    expect(check.code).toBe(0);
    expect(check.output.match(/: OK$/gm)).toHaveLength(editionFiles.length + 1);
  });

  it('refuses a merge with a shard missing, a manuscript twice, or a file that does not match', async () => {
    const dir = await copySeries();
    for (const index of [1, 2]) {
      await build({
        cwd: dir,
        formats: ['html'],
        outDir: `shard-${index}`,
        shard: { index, count: 2 },
        sourceDateEpoch: epoch,
      });
    }
    const rules = (result: Awaited<ReturnType<typeof mergeManifests>>) =>
      result.files.flatMap((file) => file.messages.map((message) => message.ruleId)).sort();

    const missing = await mergeManifests({ cwd: dir, manifests: ['shard-1/manifest.json'], outDir: 'release' });
    expect(missing.ok).toBe(false);
    expect(rules(missing)).toEqual(['manifest-incomplete']);

    const twice = await mergeManifests({
      cwd: dir,
      manifests: ['shard-1/manifest.json', 'shard-1/manifest.json', 'shard-2/manifest.json'],
      outDir: 'release',
    });
    expect(twice.ok).toBe(false);
    expect(rules(twice)).toContain('manifest-overlap');

    const tampered = (await readdir(path.join(dir, 'shard-2'))).find((name) => name.endsWith('.html'))!;
    await writeFile(path.join(dir, 'shard-2', tampered), 'not what was built');
    const mismatch = await mergeManifests({
      cwd: dir,
      manifests: ['shard-1/manifest.json', 'shard-2/manifest.json'],
      outDir: 'release',
    });
    expect(mismatch.ok).toBe(false);
    expect(rules(mismatch)).toEqual(['manifest-mismatch']);
    const place = mismatch.files.flatMap((file) => file.messages)[0]!;
    expect(place.line).toBeGreaterThan(1);
    expect(await readdir(dir)).not.toContain('release');
  });
});

describe('problems in a run', () => {
  it('refuses two manuscripts with one base name in one output folder, and builds nothing', async () => {
    const dir = await copySeries();
    await cp(path.join(dir, 'notes/warmth.md'), path.join(dir, 'data/warmth.md'));
    const result = await build({ cwd: dir, manuscripts: ['notes/*.md', 'data/*.md'], sourceDateEpoch: epoch });
    expect(result.ok).toBe(false);
    expect(result.reports).toEqual([]);
    const messages = result.files.flatMap((file) =>
      file.messages.map((message) => [path.relative(dir, file.path), message.ruleId]),
    );
    expect(messages).toEqual([
      ['data/warmth.md', 'output-conflict'],
      ['notes/warmth.md', 'output-conflict'],
    ]);
    expect(await readdir(dir)).not.toContain('dist');
  });

  it(
    'builds the other reports when one fails, and keeps the failed one’s earlier editions in ' + 'the manifest',
    async () => {
      const dir = await copySeries();
      const out = path.join(dir, 'dist');
      expect(
        (await build({ cwd: dir, browser: browser(), formats: ['html', 'epub'], sourceDateEpoch: epoch })).ok,
      ).toBe(true);
      const before = await mtimes(out, ['warmth.html', 'warmth.epub']);
      const warmth = path.join(dir, 'notes/warmth.md');
      await writeFile(warmth, (await readFile(warmth, 'utf8')).replace('::table[', '::tabel['));
      const road = path.join(dir, 'notes/road-ahead.md');
      await writeFile(road, `${await readFile(road, 'utf8')}\nOne more line.\n`);
      const result = await build({ cwd: dir, browser: browser(), formats: ['html', 'epub'], sourceDateEpoch: epoch });
      expect(result.ok).toBe(false);
      expect(result.reports.map((report) => [report.name, report.ok])).toEqual([
        ['catalyst', true],
        ['road-ahead', true],
        ['warmth', false],
      ]);
      expect(result.files.flatMap((file) => file.messages.map((message) => message.ruleId))).toEqual([
        'directive-unknown',
      ]);
      expect(statuses(result)['road-ahead']).toEqual(['html:built', 'epub:built']);
      expect(await mtimes(out, ['warmth.html', 'warmth.epub'])).toEqual(before);
      const manifest = await readManifest(out);
      expect(manifest.reports.map((report) => report.name)).toEqual([...seriesNames]);
      expect((await sha256sumCheck(out)).code).toBe(0);
    },
  );

  it('writes no manifest into a new folder when its only report fails', async () => {
    const dir = await temporaryFolder();
    await writeFile(path.join(dir, 'bad.md'), '# A report\n\n::no-such-directive\n');
    const result = await build({ cwd: dir, manuscripts: ['bad.md'], formats: ['html'] });
    expect(result.ok).toBe(false);
    expect(result.manifest).toBeUndefined();
    expect(await readdir(dir)).toEqual(['bad.md']);
  });
});
