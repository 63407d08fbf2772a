import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { noBrowserMessage } from '../../src/browser/locate.js';
import { codeDigestFile, codeDigestOf } from '../../src/release/code-digest.js';
import { repositoryRoot } from '../helpers/cli.js';
import { packageDocument } from '../helpers/epub.js';
import { epubcheck, pdfInfo, temporaryFolder } from '../helpers/tools.js';

/**
 * imprint as a user gets it: the tarball `npm pack` makes, installed into an empty project and globally, and the
 * installed `imprint` run there. The repository's own lib/, node_modules and .puppeteerrc.cjs play no part.
 */

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env ?? env, maxBuffer: 64 * 1024 * 1024 },
      (failure, stdout, stderr) => {
        resolve({ code: failure ? (typeof failure.code === 'number' ? failure.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

/** Whether this machine lets a test hide its browser or its network (Linux namespaces, as root). */
const canUnshare = spawnSync('unshare', ['-m', '-n', 'true']).status === 0;

let root: string;
let home: string;
let tarball: string;
/** An empty project with the tarball installed into it. */
let project: string;
/** The `imprint` that `npm install -g` of the tarball put on the PATH. */
let globalBin: string;
let env: NodeJS.ProcessEnv;
let version: string;

const local = (args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}) =>
  exec(path.join(project, 'node_modules/.bin/imprint'), args, { cwd, env: { ...env, ...extra } });

beforeAll(async () => {
  root = await temporaryFolder('imprint-package-');
  home = path.join(root, 'home');
  await mkdir(home);
  version = (JSON.parse(await readFile(path.join(repositoryRoot, 'package.json'), 'utf8')) as { version: string })
    .version;
  // A home with no Puppeteer cache and no npm configuration; npm's cache is the machine's, so the registry is
  // asked only for what is not there yet.
  env = {
    PATH: process.env.PATH,
    HOME: home,
    npm_config_cache: process.env.npm_config_cache ?? path.join(homedir(), '.npm'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    LANG: 'C.UTF-8',
  };

  // Pack from a copy of the sources, so the build that `prepack` runs leaves this checkout's lib/ alone.
  const source = path.join(root, 'source');
  await mkdir(source);
  for (const name of [
    'package.json',
    'package-lock.json',
    'README.md',
    'LICENSE',
    'tsconfig.json',
    'tsconfig.build.json',
  ]) {
    await cp(path.join(repositoryRoot, name), path.join(source, name));
  }
  for (const name of ['bin', 'src', 'templates', 'starter', 'csl', 'scripts']) {
    await cp(path.join(repositoryRoot, name), path.join(source, name), { recursive: true });
  }
  await symlink(path.join(repositoryRoot, 'node_modules'), path.join(source, 'node_modules'));
  const packed = await exec('npm', ['pack', '--pack-destination', root], { cwd: source });
  expect(packed.code, packed.stderr).toBe(0);
  tarball = path.join(root, packed.stdout.trim().split('\n').at(-1)!);

  project = path.join(root, 'project');
  await mkdir(project);
  await writeFile(path.join(project, 'package.json'), '{ "name": "a-report", "private": true }\n');
  const installed = await exec('npm', ['install', '--prefer-offline', tarball], { cwd: project });
  expect(installed.code, installed.stderr).toBe(0);

  // The global install runs where the network cannot be reached at all (everything comes from npm's cache).
  const prefix = path.join(root, 'global');
  const offline = ['install', '-g', '--offline', '--prefix', prefix, tarball];
  const global = canUnshare
    ? await exec('unshare', ['-n', 'npm', ...offline], { cwd: root })
    : await exec('npm', offline, { cwd: root });
  expect(global.code, global.stderr).toBe(0);
  globalBin = path.join(prefix, 'bin/imprint');
}, 900_000);

// Every test runs the installed command, most of them a whole build with a cold Chromium: on a loaded machine
// a build can take minutes, so the limit is generous (no test asserts a time).
const slow = { timeout: 900_000 };

describe('the package', slow, () => {
  it('holds the compiled code, templates, starter and licence, and no tests, sources or tools', async () => {
    const listed = await exec('tar', ['tzf', tarball], { cwd: root });
    const files = listed.stdout
      .split('\n')
      .filter(Boolean)
      .map((file) => file.replace(/^package\//, ''));
    for (const file of [
      'bin/imprint.js',
      'lib/bundle/supervisor.js',
      'lib/bundle/child.js',
      'lib/bundle/api.js',
      'lib/bundle/parse-worker.js',
      'lib/bundle/code-digest',
      'lib/api.d.ts',
      'templates/print.css',
      'templates/epub/content.opf.ejs',
      'starter/manuscript/report.md',
      'starter/gitignore',
      'starter/github/workflows/editions.yml',
      'csl/styles/chicago-author-date.csl',
      'csl/locales/locales-en-US.xml',
      'csl/LICENSE.md',
      'README.md',
      'LICENSE',
      'package.json',
    ]) {
      expect(files).toContain(file);
    }
    const stray = files.filter((file) => /^(test|src|tools|bench|manuscript|scripts|docs|\.github|\.ci)\//.test(file));
    expect(stray).toEqual([]);
    expect(files.filter((file) => /\.test\.|\.puppeteerrc/.test(file))).toEqual([]);
    // The bundle runs; the modules it was made from are not shipped, only their type declarations.
    expect(files.filter((file) => /^lib\/(?!bundle\/).*\.js$/.test(file))).toEqual([]);
  });

  it('installs without downloading a browser, locally and globally (offline), and prints its version', async () => {
    expect(existsSync(path.join(project, 'node_modules/puppeteer'))).toBe(false);
    expect(existsSync(path.join(project, 'node_modules/puppeteer-core'))).toBe(true);
    expect(existsSync(path.join(home, '.cache/puppeteer'))).toBe(false);
    for (const bin of [path.join(project, 'node_modules/.bin/imprint'), globalBin]) {
      const shown = await exec(bin, ['--version'], { cwd: root });
      expect(shown).toMatchObject({ code: 0, stdout: `imprint ${version}\n` });
    }
    const help = await exec(globalBin, ['--help'], { cwd: root });
    expect(help.stdout).toMatch(/^\s+init\s+start a project/m);
  });

  it('records the digest of the code it runs, which a build reads instead of hashing the bundle', async () => {
    const bundle = path.join(project, 'node_modules/imprint/lib/bundle');
    const recorded = (await readFile(path.join(bundle, codeDigestFile), 'utf8')).trim();
    expect(recorded).toMatch(/^[0-9a-f]{64}$/);
    expect(recorded).toBe(await codeDigestOf(bundle));
  });
});

describe('imprint init, then imprint build, from the installed package', slow, () => {
  it('starts a project that builds at once in all three editions with the system Chromium', async () => {
    const dir = path.join(root, 'started');
    const init = await exec(globalBin, ['init', 'started'], { cwd: root });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('Next: cd started && imprint build');
    const written = (await readdir(dir, { recursive: true })).map(String).sort();
    expect(written).toEqual(
      expect.arrayContaining([
        '.github/workflows/editions.yml',
        '.gitignore',
        'imprint.config.yaml',
        'manuscript/data/calls.csv',
        'manuscript/data/calls.schema.yaml',
        'manuscript/images/harbour.svg',
        'manuscript/report.md',
      ]),
    );
    const manuscript = await readFile(path.join(dir, 'manuscript/report.md'), 'utf8');
    expect(manuscript).toMatch(/^---\ntitle: /);
    for (const part of ['::table[', '::chart[', '](images/harbour.svg)', ':ref[#tbl-calls]', '[^numbers]:']) {
      expect(manuscript).toContain(part);
    }
    expect(await readFile(path.join(dir, '.github/workflows/editions.yml'), 'utf8')).toMatch(
      /uses: [\w-]+\/imprint@v\d+/,
    );

    const built = await exec(globalBin, ['build'], { cwd: dir });
    expect(built.code, built.stderr).toBe(0);
    expect(built.stderr).not.toContain('\x1b[K');
    expect(built.stderr).toMatch(
      /^\[1\/1\] manuscript\/report\.md {2}built report\.html .*, report\.pdf .*, report\.epub/m,
    );
    expect(built.stderr).toMatch(/^1 report: 1 built, in /m);
    const out = path.join(dir, 'dist');
    expect((await readdir(out)).sort()).toEqual([
      'SHA256SUMS',
      'manifest.json',
      'report.epub',
      'report.html',
      'report.pdf',
    ]);
    const info = await pdfInfo(await readFile(path.join(out, 'report.pdf')));
    expect(info.Title).toBe('Harbour Traffic in 2024');
    expect(Number(info.Pages)).toBeGreaterThanOrEqual(3);
    const check = await epubcheck(await readFile(path.join(out, 'report.epub')));
    expect(check, check.output).toMatchObject({ fatals: 0, errors: 0, warnings: 0 });
    const html = await readFile(path.join(out, 'report.html'), 'utf8');
    expect(html).toContain('Table 1');
    expect(html).toContain('Figure 1');

    const strict = await exec(globalBin, ['check', '--strict'], { cwd: dir });
    expect(strict.code, strict.stderr).toBe(0);
  });

  it('refuses to overwrite a project, naming the files, unless --force', async () => {
    const dir = path.join(root, 'existing');
    await mkdir(path.join(dir, 'manuscript'), { recursive: true });
    await writeFile(path.join(dir, 'manuscript/report.md'), '# Mine\n');
    await writeFile(path.join(dir, '.gitignore'), 'mine/\n');
    const refused = await local(['init'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('.gitignore, manuscript/report.md');
    expect(refused.stderr).toContain('--force');
    expect(await readFile(path.join(dir, 'manuscript/report.md'), 'utf8')).toBe('# Mine\n');
    expect(existsSync(path.join(dir, 'imprint.config.yaml'))).toBe(false);
    const forced = await local(['init', '--force'], dir);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await readFile(path.join(dir, 'manuscript/report.md'), 'utf8')).toMatch(/^---\ntitle: Harbour/);
  });
});

describe('front matter that forgives, in the installed package', slow, () => {
  it('builds a manuscript with no front matter, titled by its first heading, with no author anywhere', async () => {
    const dir = path.join(root, 'plain');
    await mkdir(dir);
    await writeFile(path.join(dir, 'notes.md'), '# Harbour notes\n\nThe north pier is busy.\n\n# Later\n\nMore.\n');
    await writeFile(path.join(dir, 'misspelt.md'), '---\ntitle: Misspelt\nautor: A. Writer\n---\n\n# One\n\nText.\n');
    const built = await local(['build', 'notes.md', 'misspelt.md'], dir);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stderr).toMatch(
      /misspelt\.md:3:1-3:6\s+warning\s+Unknown front matter key `autor`: did you mean `author`\?/,
    );
    const html = await readFile(path.join(dir, 'dist/notes.html'), 'utf8');
    expect(html).toContain('<title>Harbour notes</title>');
    expect(html).not.toContain('class="author"');
    const info = await pdfInfo(await readFile(path.join(dir, 'dist/notes.pdf')));
    expect(info.Title).toBe('Harbour notes');
    expect(info.Author).toBeUndefined();
    const epub = await readFile(path.join(dir, 'dist/notes.epub'));
    expect((await packageDocument(epub)).xml).not.toContain('dc:creator');
    const check = await epubcheck(epub);
    expect(check, check.output).toMatchObject({ fatals: 0, errors: 0, warnings: 0 });
  });
});

describe('the apparatus, in the installed package', slow, () => {
  it('formats citations in the shipped styles and languages, highlights code and sets math', async () => {
    const dir = path.join(root, 'apparatus');
    await mkdir(dir);
    await writeFile(
      path.join(dir, 'works.bib'),
      '@book{smith2020,\n  author = {Smith, Jane},\n  title = {Harbours of the North},\n' +
        '  publisher = {Tide Press},\n  year = {2020}\n}\n',
    );
    const body = 'Harbours grew fast [@smith2020, p. 4].\n\n```js\nconst piers = 4;\n```\n\nArea $a^2$.\n';
    await writeFile(path.join(dir, 'cited.md'), `---\ntitle: Cited\nbibliography: works.bib\n---\n\n# One\n\n${body}`);
    await writeFile(
      path.join(dir, 'cite.md'),
      `---\ntitle: Cité\nlang: fr\nbibliography: works.bib\ncsl: apa\n---\n\n# Un\n\n${body}`,
    );
    const built = await local(['build', 'cited.md', 'cite.md', '--format', 'html'], dir);
    expect(built.code, built.stderr).toBe(0);
    const cited = await readFile(path.join(dir, 'dist/cited.html'), 'utf8');
    expect(cited).toContain('Smith 2020, 4');
    expect(cited).toMatch(/Harbours of the North/);
    expect(cited).toContain('class="hljs-keyword"');
    expect(cited).toContain('<math');
    // APA in French: the French locale's terms ("p." for a page) and APA's "(2020)" after the author.
    const cite = await readFile(path.join(dir, 'dist/cite.html'), 'utf8');
    expect(cite).toMatch(/Smith, 2020, p\.\s?4/);
    expect(cite).toMatch(/Smith, J\. \(2020\)/);
  });
});

describe('the first run', slow, () => {
  it('says at once that there is no manuscript, and starts no browser', async () => {
    const dir = path.join(root, 'empty');
    await mkdir(dir);
    // A "browser" that leaves a mark if anything launches it.
    const mark = path.join(root, 'launched');
    const fake = path.join(root, 'fake-chrome');
    await writeFile(fake, `#!/bin/sh\ntouch ${JSON.stringify(mark)}\nexit 1\n`);
    await chmod(fake, 0o755);
    const bare = await local(['build'], dir, { PUPPETEER_EXECUTABLE_PATH: fake });
    expect(bare.code).toBe(1);
    expect(bare.stderr).toMatch(
      /No manuscript named, and no manuscript\/report\.md in .*: start a project here with `imprint init`/,
    );
    expect(bare.stderr).not.toMatch(/^\s+at /m);
    const watch = await local(['watch'], dir, { PUPPETEER_EXECUTABLE_PATH: fake });
    expect(watch.code).toBe(1);
    expect(watch.stderr).toContain('imprint init');
    expect(existsSync(mark)).toBe(false);
  });

  it.skipIf(!canUnshare)('without a browser, names only steps that work, and builds the HTML edition', async () => {
    const dir = path.join(root, 'no-browser');
    expect((await local(['init', 'no-browser'], root)).code).toBe(0);
    // A machine without Chromium: the system's browser hidden in a mount namespace of its own.
    const blank = path.join(root, 'not-a-browser');
    await writeFile(blank, '');
    const hide = [
      'mount -t tmpfs none /usr/lib/chromium 2>/dev/null || true',
      ...[
        '/usr/bin/chromium',
        '/usr/bin/chromium-browser',
        '/usr/bin/google-chrome',
        '/usr/bin/google-chrome-stable',
      ].map((file) => `if [ -e ${file} ]; then mount --bind ${JSON.stringify(blank)} ${file}; fi`),
      'exec "$@"',
    ].join('\n');
    const bin = path.join(project, 'node_modules/.bin/imprint');
    const withoutBrowser = (args: string[]) =>
      exec('unshare', ['-m', 'sh', '-c', hide, 'sh', bin, ...args], { cwd: dir });

    const refused = await withoutBrowser(['build']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`imprint: ${noBrowserMessage}\n`);
    expect(refused.stderr).not.toMatch(/npm run setup|html,epub/);
    expect(existsSync(path.join(dir, 'dist/report.pdf'))).toBe(false);

    const html = await withoutBrowser(['build', '--format', 'html']);
    expect(html.code, html.stderr).toBe(0);
    expect((await readdir(path.join(dir, 'dist'))).sort()).toEqual(['SHA256SUMS', 'manifest.json', 'report.html']);
  });

  it(
    'shows live progress on one line on a terminal, and only the final lines with --quiet or ' + 'no terminal',
    async () => {
      const dir = path.join(root, 'terminal');
      expect((await local(['init', 'terminal'], root)).code).toBe(0);
      const bin = path.join(project, 'node_modules/.bin/imprint');
      // A pseudo-terminal (util-linux `script`); its output is read once the build has ended.
      const log = path.join(root, 'terminal.log');
      const onTerminal = await exec('script', ['-qfec', `stty cols 160; ${bin} build --format html,pdf`, log], {
        cwd: dir,
      });
      expect(onTerminal.code).toBe(0);
      const shown = await readFile(log, 'utf8');
      const updates = shown.split('\r\x1b[K').filter((part) => /editions made/.test(part));
      expect(updates.length).toBeGreaterThan(2);
      expect(shown).toMatch(/manuscript\/report\.md: \w+, \d+ pages laid out, 2\/2 editions made/);
      expect(shown).toMatch(/1 report: 1 built, in /);

      const quiet = await exec('script', ['-qfec', `${bin} build --format html,pdf --force --quiet`, log], {
        cwd: dir,
      });
      expect(quiet.code).toBe(0);
      expect(await readFile(log, 'utf8')).not.toMatch(/\x1b\[K|editions made|built/);

      const json = await local(['build', '--format', 'html', '--force', '--json'], dir);
      expect(json.code).toBe(0);
      expect(json.stderr).toBe('');
      expect(JSON.parse(json.stdout)).toEqual({ messages: [] });
    },
  );
});
