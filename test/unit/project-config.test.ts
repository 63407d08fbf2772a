import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { resolveFrontMatter } from '../../src/compile/front-matter.js';
import { loadProjectConfig, parseProjectConfig } from '../../src/project/config-file.js';
import { temporaryFolder } from '../helpers/tools.js';

function check(text: string, name = 'imprint.config.yaml') {
  const file = new VFile({ path: path.join('/project', name), value: text });
  const config = parseProjectConfig(file);
  const messages = [...file.messages]
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0))
    .map((message) => `${message.line}:${message.column} ${message.ruleId} ${message.reason}`);
  return { config, messages };
}

describe('the project configuration file', () => {
  it('chooses a shipped theme with `theme:`, and refuses one it does not ship at its line', () => {
    expect(check('theme: book\n').config?.theme).toBe('book');
    expect(check('out: x\ntheme: fancy\n').messages).toEqual([
      expect.stringMatching(/^2:8 config-schema .*book.*brief/),
    ]);
  });

  it('overrides the words imprint writes under `labels:`, and the front matter overrides it in turn', () => {
    const { config, messages } = check('labels:\n  contents: Table of Contents\n  source: Data\n');
    expect(messages).toEqual([]);
    expect(config?.defaults.labels).toEqual({ contents: 'Table of Contents', source: 'Data' });
    const file = new VFile({ path: '/project/report.md' });
    const text = 'title: R\nlang: fr\nlabels:\n  source: Données';
    const metadata = resolveFrontMatter(file, { value: text, offset: 4 }, { defaults: config!.defaults });
    expect(metadata?.labels).toMatchObject({ contents: 'Table of Contents', source: 'Données', table: 'Tableau' });
    expect(check('labels:\n  figur: Abb.\n').messages).toEqual([expect.stringMatching(/^2:3 config-schema /)]);
  });

  it('resolves paths against its own folder and gathers the shared defaults', () => {
    const { config, messages } = check(
      [
        'manuscripts:',
        '  - reports/*.md',
        '  - extra/one.md',
        'out: release',
        'templates: house-style',
        'root: .',
        'formats: [pdf, epub, pdf]',
        'paper: Letter',
        'publisher: An Institute',
        'series: Policy Commentaries',
        'concurrency: 3',
        'strict: true',
        'browser:',
        '  ws-endpoint: ws://127.0.0.1:9222/devtools/browser/abc',
        '  timeout: 90',
        '',
      ].join('\n'),
    );
    expect(messages).toEqual([]);
    expect(config).toMatchObject({
      dir: '/project',
      outDir: '/project/release',
      templateDir: '/project/house-style',
      projectRoot: '/project',
      formats: ['pdf', 'epub'],
      defaults: { paper: 'letter', publisher: 'An Institute', series: 'Policy Commentaries' },
      concurrency: 3,
      strict: true,
      browser: { wsEndpoint: 'ws://127.0.0.1:9222/devtools/browser/abc', timeoutMs: 90_000 },
    });
    expect(config!.manuscripts!.map((entry) => [entry.pattern, entry.place?.start.line])).toEqual([
      ['reports/*.md', 2],
      ['extra/one.md', 3],
    ]);
  });

  it('reads JSON too, and a single pattern for `manuscripts`', () => {
    const { config, messages } = check('{\n  "manuscripts": "*.md",\n  "out": "site"\n}\n', 'imprint.config.json');
    expect(messages).toEqual([]);
    expect(config?.manuscripts?.map((entry) => entry.pattern)).toEqual(['*.md']);
    expect(config?.outDir).toBe('/project/site');
  });

  it('reports every problem at its line and column', () => {
    const { config, messages } = check(
      [
        'out: dist',
        'formats: [html, docx]',
        'paper: a5',
        'concurency: 2',
        'browser:',
        '  timeout: -1',
        '  path: /x',
        'strict: yes please',
        '',
      ].join('\n'),
    );
    expect(config).toBeUndefined();
    expect(messages).toEqual([
      expect.stringMatching(/^2:17 config-schema Configuration `formats\.1` must be one of html, pdf, epub$/),
      expect.stringMatching(/^3:8 config-schema Configuration `paper` must be one of a4, letter$/),
      expect.stringMatching(
        /^4:1 config-schema Unknown configuration key `concurency` \(known: manuscripts, out, formats/,
      ),
      expect.stringMatching(
        /^6:12 config-schema Configuration `browser\.timeout` must be a number of seconds above 0$/,
      ),
      expect.stringMatching(
        /^7:3 config-schema Unknown configuration key `browser\.path` \(known: executable, ws-endpoint, timeout\)$/,
      ),
      expect.stringMatching(/^8:9 config-schema Configuration `strict` must be a boolean, not a string$/),
    ]);
  });

  it('reports a syntax error at its place', () => {
    const { config, messages } = check('out: dist\nformats: [html, pdf\n');
    expect(config).toBeUndefined();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^3:1 config-syntax Cannot parse the configuration file/);
  });

  it('is found in the working folder, and two of them are an error', async () => {
    const dir = await temporaryFolder();
    expect(await loadProjectConfig({ cwd: dir })).toEqual({});
    await writeFile(path.join(dir, 'imprint.config.yaml'), 'out: a\n');
    expect((await loadProjectConfig({ cwd: dir })).config?.outDir).toBe(path.join(dir, 'a'));
    expect(await loadProjectConfig({ cwd: dir, path: false })).toEqual({});
    await writeFile(path.join(dir, 'imprint.config.json'), '{"out": "b"}');
    const both = await loadProjectConfig({ cwd: dir });
    expect(both.config).toBeUndefined();
    expect(both.file?.messages.map(String)).toEqual([expect.stringContaining('Two configuration files in one folder')]);
  });

  it('names a configuration file that is not there', async () => {
    const dir = await temporaryFolder();
    await mkdir(path.join(dir, 'sub'));
    const loaded = await loadProjectConfig({ cwd: dir, path: 'sub/imprint.config.yaml' });
    expect(loaded.config).toBeUndefined();
    expect(loaded.file?.path).toBe(path.join(dir, 'sub/imprint.config.yaml'));
    expect(loaded.file?.messages[0]?.ruleId).toBe('config-missing');
  });
});

describe('the configuration’s defaults against the front matter', () => {
  const metadataOf = (yaml: string, overrides: Parameters<typeof resolveFrontMatter>[2]) =>
    resolveFrontMatter(
      new VFile({ path: 'report.md', value: `---\n${yaml}\n---\n` }),
      { value: yaml, offset: 4 },
      overrides,
    );
  const defaults = { paper: 'letter' as const, publisher: 'Series Press', series: 'Notes' };

  it('fills what the front matter leaves out', () => {
    expect(metadataOf('title: T\nauthor: A', { defaults })).toMatchObject({
      paper: 'letter',
      publisher: 'Series Press',
      series: 'Notes',
    });
  });

  it('yields to the front matter, and --paper wins over both', () => {
    const yaml = 'title: T\nauthor: A\npaper: a4\npublisher: Own Press\nseries: Own';
    expect(metadataOf(yaml, { defaults })).toMatchObject({ paper: 'a4', publisher: 'Own Press', series: 'Own' });
    expect(metadataOf(yaml, { defaults, paper: 'letter' })).toMatchObject({ paper: 'letter', publisher: 'Own Press' });
  });
});
