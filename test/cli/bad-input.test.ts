import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { imprint, repositoryRoot } from '../helpers/cli.js';
import { temporaryFolder } from '../helpers/tools.js';

let project: string;
const browserArgs = () => ['--browser-ws-endpoint', inject('browserWSEndpoint')];

beforeEach(async () => {
  project = await temporaryFolder();
  await cp(path.join(repositoryRoot, 'manuscript'), project, { recursive: true });
});

async function edit(file: string, change: (text: string) => string) {
  const full = path.join(project, file);
  await writeFile(full, change(await readFile(full, 'utf8')));
}

/** `imprint build` of the project's report into its `out` folder, printing with the shared browser. */
function buildProject() {
  return imprint(['build', path.join(project, 'report.md'), '--out', path.join(project, 'out'), ...browserArgs()]);
}

function expectNoStackTrace(stderr: string) {
  expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

describe('imprint build on bad input', () => {
  it('reports a missing manuscript with its path and exits 1', async () => {
    const result = await imprint([
      'build',
      path.join(project, 'nope.md'),
      '--out',
      path.join(project, 'out'),
      ...browserArgs(),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nope.md');
    expect(result.stderr).toContain('Cannot find the manuscript');
    expect(result.stderr).toContain('manuscript-missing');
    expectNoStackTrace(result.stderr);
  });

  it('reports a missing data file at the directive that names it', async () => {
    await rm(path.join(project, 'data/pledges.yaml'));
    const result = await buildProject();
    expect(result.code).toBe(1);
    const line =
      (await readFile(path.join(project, 'report.md'), 'utf8'))
        .split('\n')
        .findIndex((l) => l.includes('data/pledges.yaml')) + 1;
    expect(result.stderr).toMatch(new RegExp(`report\\.md:${line}:1`));
    expect(result.stderr).toContain('data-missing');
    expectNoStackTrace(result.stderr);
  });

  it('reports a data file that does not parse at its line and column', async () => {
    await edit('data/pledges.yaml', (text) => text.replace('  - key: led_by\n', '  - key: led_by\n   bad: [\n'));
    const result = await buildProject();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/pledges\.yaml:\d+:\d+/);
    expect(result.stderr).toContain('data-syntax');
    expectNoStackTrace(result.stderr);
  });

  it('reports a malformed CSV row at its line', async () => {
    await edit('data/exchanges.csv', (text) => text.replace('2017-05,"Toshihiro', '2017-05,"Toshihiro "Nikai"'));
    const result = await buildProject();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/exchanges\.csv:4:\d+/);
    expectNoStackTrace(result.stderr);
  });

  it('reports an unknown directive at its line and column', async () => {
    await edit('report.md', (text) => text.replace('# Synopsis', '# Synopsis\n\n::diagram{src="x"}'));
    const result = await buildProject();
    expect(result.code).toBe(1);
    const line =
      (await readFile(path.join(project, 'report.md'), 'utf8'))
        .split('\n')
        .findIndex((l) => l.startsWith('::diagram')) + 1;
    expect(result.stderr).toContain(`report.md:${line}:1`);
    expect(result.stderr).toContain('Unknown directive `::diagram`');
    expectNoStackTrace(result.stderr);
  });

  it('reports every problem of a run at once', async () => {
    await rm(path.join(project, 'data/pledges.yaml'));
    await edit('data/exchanges.csv', (text) => `${text}1999-01-01,"An event",Tokyo,\n`);
    await edit('report.md', (text) => text.replace('# Synopsis', '# Synopsis\n\n::diagram{src="x"}'));
    const result = await buildProject();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('data-missing');
    expect(result.stderr).toContain('directive-unknown');
    expect(result.stderr).toMatch(/exchanges\.csv:8:1/);
  });

  it("reports a template's missing font at its url( in the style sheet, builds nothing and exits 1", async () => {
    const templates = path.join(project, 'house');
    await cp(path.join(repositoryRoot, 'test/templates/house-style'), templates, { recursive: true });
    await rm(path.join(templates, 'fonts/House.woff2'));
    const out = path.join(project, 'out');
    const result = await imprint([
      'build',
      path.join(project, 'report.md'),
      '--templates',
      templates,
      '--out',
      out,
      ...browserArgs(),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/house\/print\.css:7:8\s+error\s+Font `fonts\/House\.woff2` cannot be found/);
    expect(result.stderr).toContain('template-font-missing');
    expectNoStackTrace(result.stderr);
    await expect(readdir(out)).rejects.toThrow();
  });

  it('never replaces a good earlier output and leaves no partial file when a build fails', async () => {
    const out = path.join(project, 'out');
    const good = await imprint(['build', path.join(project, 'report.md'), '--out', out, ...browserArgs()]);
    expect(good.code).toBe(0);
    const before = await Promise.all(
      ['report.html', 'report.pdf', 'report.epub'].map((name) => readFile(path.join(out, name))),
    );
    await edit('data/pledges.yaml', (text) => text.replace('rows:', 'rows: ['));
    const bad = await imprint(['build', path.join(project, 'report.md'), '--out', out, ...browserArgs()]);
    expect(bad.code).toBe(1);
    const after = await Promise.all(
      ['report.html', 'report.pdf', 'report.epub'].map((name) => readFile(path.join(out, name))),
    );
    expect(after).toEqual(before);
    expect((await readdir(out)).sort()).toEqual([
      'SHA256SUMS',
      'manifest.json',
      'report.epub',
      'report.html',
      'report.pdf',
    ]);
  });
});

describe('imprint build usage', () => {
  it('builds any manuscript path into the named folder with a line per stage', async () => {
    await cp(path.join(project, 'report.md'), path.join(project, 'other-name.md'));
    const out = path.join(project, 'elsewhere');
    const result = await imprint(['build', path.join(project, 'other-name.md'), '--out', out, '--format', 'html,epub']);
    expect(result.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['SHA256SUMS', 'manifest.json', 'other-name.epub', 'other-name.html']);
    for (const stage of ['read', 'parse', 'transform', 'html', 'epub', 'write']) {
      expect(result.stderr).toMatch(new RegExp(`${stage}\\s+\\d+ ms`));
    }
  });

  it('exits 2 for an unknown format', async () => {
    const result = await imprint(['build', '--format', 'docx']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--format');
  });

  it('exits 2 when the configured browser does not exist, without falling back', async () => {
    const result = await imprint([
      'build',
      path.join(project, 'report.md'),
      '--out',
      path.join(project, 'out'),
      '--browser',
      '/no/such/chrome',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/no/such/chrome');
    expectNoStackTrace(result.stderr);
  });
});
