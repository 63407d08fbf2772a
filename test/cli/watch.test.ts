import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmod, cp, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { locateBrowser } from '../../src/browser/locate.js';
import { ended } from '../../src/browser/process-tree.js';
import { repositoryRoot } from '../helpers/cli.js';
import { squash } from '../helpers/text.js';
import { pdfText, temporaryFolder } from '../helpers/tools.js';

const bin = path.join(repositoryRoot, 'bin/imprint.js');

/** A running `imprint watch`: its output so far, and a way to wait for a line. */
class Watcher {
  output = '';
  readonly exited: Promise<number | null>;
  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }
  /** Wait until the output after `from` matches. */
  async waitFor(pattern: RegExp, from = 0, timeoutMs = 5 * 60_000): Promise<string> {
    const started = Date.now();
    for (;;) {
      const match = pattern.exec(this.output.slice(from));
      if (match) return match[0];
      if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${pattern} in:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

let running: Watcher | undefined;
afterEach(() => {
  running?.child.kill('SIGKILL');
  running = undefined;
});

/** Running: not gone, and not a zombie (ended; an orphan's is reaped by the first process, in its own time). */
const alive = (pid: number) => !ended(pid);

/** Processes whose command line names this text (a folder only they use). */
async function processesNaming(text: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const commandLine = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (commandLine.includes(text)) found.push(Number(entry));
  }
  return found;
}

/** Save as vim or `sed -i` do: a new file beside, renamed over the old one. */
async function saveByRename(file: string, text: string) {
  const temporary = path.join(path.dirname(file), `sed${Math.random().toString(36).slice(2, 8)}`);
  await writeFile(temporary, text);
  await rename(temporary, file);
}

describe('imprint watch', () => {
  it(
    'builds, then on each save makes only the editions the change affects, keeps the last good ones ' +
      'on a problem, and stops on Ctrl-C',
    async () => {
      const dir = await temporaryFolder();
      await cp(path.join(repositoryRoot, 'manuscript'), path.join(dir, 'manuscript'), { recursive: true });
      await cp(path.join(repositoryRoot, 'templates'), path.join(dir, 'templates'), { recursive: true });
      // The browser watch starts, through a script that writes its process id.
      const chromium = locateBrowser({ puppeteerPath: () => undefined }).executablePath;
      const browser = path.join(dir, 'chromium.sh');
      await writeFile(browser, `#!/bin/sh\necho $$ > "${browser}.pid"\nexec "${chromium}" "$@"\n`);
      await chmod(browser, 0o755);
      const manuscript = path.join(dir, 'manuscript/report.md');
      const out = path.join(dir, 'out');
      const edition = (format: string) => path.join(out, `report.${format}`);
      const mtimes = async () =>
        Promise.all(['html', 'pdf', 'epub'].map(async (format) => (await stat(edition(format))).mtimeMs));

      // Its own temporary folder: the browser's profile goes there, and must be gone at the end.
      const temporary = path.join(dir, 'tmp');
      await mkdir(temporary);

      const child = spawn(
        process.execPath,
        [bin, 'watch', manuscript, '--out', out, '--templates', path.join(dir, 'templates'), '--browser', browser],
        {
          cwd: dir,
          env: { ...process.env, TMPDIR: temporary },
        },
      );
      const watcher = (running = new Watcher(child));
      await watcher.waitFor(/first build: built report\.html, report\.pdf, report\.epub in [\d.]+ s/);
      await watcher.waitFor(
        /watching manuscript\/report\.md, the [1-9]\d* files it reads and the templates in templates/,
      );

      // A change to the text: every edition again, with the new text.
      let from = watcher.output.length;
      await writeFile(
        manuscript,
        (await readFile(manuscript, 'utf8')).replaceAll(
          'The recent commitment to dialogue',
          'The renewed commitment to dialogue',
        ),
      );
      await watcher.waitFor(/report\.md changed: built report\.html, report\.pdf, report\.epub in [\d.]+ s/, from);
      expect(await readFile(edition('html'), 'utf8')).toContain('The renewed commitment to dialogue');
      expect(squash(await pdfText(new Uint8Array(await readFile(edition('pdf')))))).toContain(
        squash('The renewed commitment to dialogue'),
      );

      // Saved by renaming a new file over it, twice (the second save is the one a watch on the file itself misses);
      // a file the manuscript does not read, saved just before, starts nothing and is not named.
      for (const word of ['steady', 'patient']) {
        from = watcher.output.length;
        await writeFile(path.join(dir, 'manuscript/notes.txt'), word);
        await saveByRename(
          manuscript,
          (await readFile(manuscript, 'utf8')).replace(
            /The (renewed|steady) commitment to dialogue/g,
            `The ${word} commitment to dialogue`,
          ),
        );
        await watcher.waitFor(/changed: built report\.html, report\.pdf, report\.epub in [\d.]+ s/, from);
        expect(watcher.output.slice(from)).toMatch(/^manuscript\/report\.md changed: /);
        expect(squash(await pdfText(new Uint8Array(await readFile(edition('pdf')))))).toContain(
          squash(`The ${word} commitment to dialogue`),
        );
      }

      // A data file the report shows: every edition.
      from = watcher.output.length;
      const data = path.join(dir, 'manuscript/data/pledges.yaml');
      await writeFile(data, `${await readFile(data, 'utf8')}\n# checked again\n`);
      await watcher.waitFor(/pledges\.yaml changed: built report\.html, report\.pdf, report\.epub in [\d.]+ s/, from);

      // The print style sheet: every edition too (the EPUB's page list follows the printed pages).
      from = watcher.output.length;
      const printCss = path.join(dir, 'templates/print.css');
      await saveByRename(printCss, `${await readFile(printCss, 'utf8')}\nh1 { word-spacing: 0.01em; }\n`);
      await watcher.waitFor(/print\.css changed: built report\.html, report\.pdf, report\.epub in [\d.]+ s/, from);

      // A change to the EPUB's style sheet: only the EPUB.
      const before = await mtimes();
      from = watcher.output.length;
      const css = path.join(dir, 'templates/epub.css');
      await writeFile(css, `${await readFile(css, 'utf8')}\nh1 { letter-spacing: 0.01em; }\n`);
      await watcher.waitFor(/epub\.css changed: built report\.epub in [\d.]+ s/, from);
      const after = await mtimes();
      expect(after[0]).toBe(before[0]);
      expect(after[1]).toBe(before[1]);
      expect(after[2]).toBeGreaterThan(before[2]!);

      // A problem: reported at its line, the editions left as they were, and watching goes on.
      const good = await readFile(edition('pdf'));
      from = watcher.output.length;
      await writeFile(
        manuscript,
        (await readFile(manuscript, 'utf8')).replace('# Synopsis', '# Synopsis\n\n::diagram{src="x"}'),
      );
      await watcher.waitFor(
        /report\.md changed: problems, listed above; the editions in .* are the last good ones/,
        from,
      );
      expect(watcher.output.slice(from)).toMatch(
        /report\.md:\d+:1-\d+:\d+\s+error\s+Unknown directive `::diagram`\s+directive-unknown/,
      );
      expect(await readFile(edition('pdf'))).toEqual(good);

      // Put back as it was: the editions on disk are those of this text already.
      from = watcher.output.length;
      await writeFile(manuscript, (await readFile(manuscript, 'utf8')).replace('\n\n::diagram{src="x"}', ''));
      await watcher.waitFor(/report\.md changed: every edition up to date/, from);

      child.kill('SIGINT');
      expect(await watcher.exited).toBe(0);
      // The browser and every process it started are gone, and so is its profile: nothing left in the temporary folder.
      expect(alive(Number((await readFile(`${browser}.pid`, 'utf8')).trim()))).toBe(false);
      expect(await processesNaming(temporary)).toEqual([]);
      expect(await readdir(temporary)).toEqual([]);
      expect((await readdir(out)).sort()).toEqual([
        'SHA256SUMS',
        'manifest.json',
        'report.epub',
        'report.html',
        'report.pdf',
      ]);
    },
  );
});
