import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';

const run = promisify(execFile);

/** The folders `temporaryFolder` made in this test file, removed after its tests (test/helpers/clean-up.ts). */
const made = new Set<string>();

/** A fresh temporary folder, removed once the test file's tests have run. */
export async function temporaryFolder(prefix = 'imprint-test-'): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), prefix));
  made.add(folder);
  return folder;
}

/**
 * Remove the folders `temporaryFolder` made: a run of the suite otherwise leaves about a gigabyte in the system's
 * temporary folder (the installed package alone), and a machine whose `/tmp` is memory fills up after a few runs.
 * `IMPRINT_KEEP_TEST_FILES=1` keeps them, to look at what a test made.
 */
export async function removeTemporaryFolders(): Promise<void> {
  if (process.env.IMPRINT_KEEP_TEST_FILES === '1') return;
  const folders = [...made];
  made.clear();
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true, maxRetries: 5 })));
}

async function withFile<T>(bytes: Uint8Array, extension: string, use: (file: string) => Promise<T>): Promise<T> {
  const dir = await temporaryFolder();
  const file = path.join(dir, `input.${extension}`);
  await writeFile(file, bytes);
  return use(file);
}

/** The PDF's text as poppler extracts it, pages separated by form feeds. */
export function pdfText(pdf: Uint8Array, layout = false): Promise<string> {
  return withFile(pdf, 'pdf', async (file) => {
    const { stdout } = await run('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], {
      maxBuffer: 256 * 1024 * 1024,
    });
    return stdout;
  });
}

/** `pdfinfo` as a record. */
export function pdfInfo(pdf: Uint8Array): Promise<Record<string, string>> {
  return withFile(pdf, 'pdf', async (file) => {
    const { stdout } = await run('pdfinfo', [file]);
    return Object.fromEntries(
      stdout
        .split('\n')
        .filter((line) => line.includes(':'))
        .map((line) => [line.slice(0, line.indexOf(':')).trim(), line.slice(line.indexOf(':') + 1).trim()]),
    );
  });
}

/** `pdffonts` rows (of one page, given `page`): name, type, embedded, subset. */
export function pdfFonts(pdf: Uint8Array, page?: number): Promise<Array<{ name: string; embedded: boolean }>> {
  return withFile(pdf, 'pdf', async (file) => {
    const { stdout } = await run('pdffonts', [...(page === undefined ? [] : ['-f', `${page}`, '-l', `${page}`]), file]);
    return stdout
      .split('\n')
      .slice(2)
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const parts = line.trim().split(/\s+/);
        return { name: parts[0]!, embedded: parts[parts.length - 5] === 'yes' };
      });
  });
}

/** Raster images in the PDF (`pdfimages -list`): one entry per image. */
export function pdfImages(pdf: Uint8Array): Promise<string[]> {
  return withFile(pdf, 'pdf', async (file) => {
    const { stdout } = await run('pdfimages', ['-list', file]);
    return stdout
      .split('\n')
      .slice(2)
      .filter((line) => line.trim() !== '');
  });
}

/** Names of the PDF's named destinations (`pdfinfo -dests`): the ids links inside the document point at. */
export function pdfDestinations(pdf: Uint8Array): Promise<string[]> {
  return withFile(pdf, 'pdf', async (file) => {
    const { stdout } = await run('pdfinfo', ['-dests', file]);
    return [...stdout.matchAll(/"([^"]+)"\s*$/gm)].map((match) => match[1]!);
  });
}

export interface EpubcheckResult {
  fatals: number;
  errors: number;
  warnings: number;
  output: string;
}

const epubcheckJar = '/usr/share/java/epubcheck.jar';
const epubcheckProgram = path.resolve(import.meta.dirname, 'Epubcheck.java');

/** Run epubcheck (Debian's jar) on an EPUB. */
export async function epubcheck(epub: Uint8Array): Promise<EpubcheckResult> {
  return (await epubcheckAll([epub]))[0]!;
}

/**
 * Run epubcheck on many EPUBs (Epubcheck.java): on the run's one epubcheck where the test run started it
 * (global-epubcheck.ts), else in a JVM of their own. Starting Java and loading epubcheck's schemas costs far
 * more than checking a small EPUB.
 */
export async function epubcheckAll(epubs: readonly Uint8Array[]): Promise<EpubcheckResult[]> {
  if (epubs.length === 0) return [];
  const dir = await temporaryFolder();
  const files = await Promise.all(
    epubs.map(async (epub, index) => {
      const file = path.join(dir, `book-${index}.epub`);
      await writeFile(file, epub);
      return file;
    }),
  );
  const port = inject('epubcheckPort');
  const result =
    port === undefined
      ? await run('java', ['-cp', epubcheckJar, epubcheckProgram, ...files], {
          maxBuffer: 256 * 1024 * 1024,
        }).catch((failure: { stdout: string; stderr: string }) => failure)
      : { stdout: await checkOn(port, files), stderr: '' };
  const results = new Map<string, EpubcheckResult>();
  for (const match of result.stdout.matchAll(/^@@@ (\S+)\n([\s\S]*?)^@@@ (\d+) (\d+) (\d+)$/gm)) {
    results.set(match[1]!, {
      fatals: Number(match[3]),
      errors: Number(match[4]),
      warnings: Number(match[5]),
      output: match[2]!,
    });
  }
  return files.map((file) => {
    const found = results.get(file);
    if (!found) throw new Error(`epubcheck gave no result for ${file}:\n${result.stdout}\n${result.stderr}`);
    return found;
  });
}

/** Send the paths to the run's epubcheck, and read what it says of them until it closes the connection. */
function checkOn(port: number, files: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port }, () => socket.end(`${files.join('\n')}\n\n`));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

export interface AceViolation {
  /** The file in the EPUB the violation is in. */
  file: string;
  impact: string;
  rule: string;
  description: string;
}

export interface AceResult {
  outcome: string;
  violations: AceViolation[];
}

const aceBin = path.resolve(import.meta.dirname, '../../tools/ace/node_modules/.bin/ace-puppeteer');

/** Run Ace by DAISY (its Puppeteer runner on the Chromium imprint prints with) and read its report. */
export function ace(epub: Uint8Array): Promise<AceResult> {
  return withFile(epub, 'epub', async (file) => {
    const out = path.join(path.dirname(file), 'ace');
    const { locateBrowser } = await import('../../src/browser/locate.js');
    const check = () =>
      run(aceBin, ['-f', '-s', '-o', out, file], {
        env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: locateBrowser().executablePath },
        maxBuffer: 64 * 1024 * 1024,
      });
    // Ace exits 0 whatever it finds (its findings are in the report), and 1 only when it cannot check at all, as
    // when its own Chromium fails to start on a loaded machine: that is tried once more.
    await check().catch(() => check());
    const report = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as {
      'earl:result': { 'earl:outcome': string };
      assertions: Array<{
        'earl:testSubject': { url: string };
        assertions: Array<{
          'earl:test': { 'earl:impact': string; 'dct:title': string };
          'earl:result': { 'dct:description'?: string };
        }>;
      }>;
    };
    return {
      outcome: report['earl:result']['earl:outcome'],
      violations: report.assertions.flatMap((subject) =>
        subject.assertions.map((assertion) => ({
          file: subject['earl:testSubject'].url,
          impact: assertion['earl:test']['earl:impact'],
          rule: assertion['earl:test']['dct:title'],
          description: assertion['earl:result']['dct:description'] ?? '',
        })),
      ),
    };
  });
}

/** The EPUB as Calibre reads it: `ebook-convert book.epub book.txt`. */
export function calibreText(epub: Uint8Array): Promise<string> {
  return withFile(epub, 'epub', async (file) => {
    const out = file.replace(/\.epub$/, '.txt');
    await run('ebook-convert', [file, out], {
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' },
    });
    return readFile(out, 'utf8');
  });
}

/** The EPUB as Pandoc's EPUB reader reads it, as plain text. */
export function pandocText(epub: Uint8Array): Promise<string> {
  return withFile(epub, 'epub', async (file) => {
    const { stdout } = await run('pandoc', ['-f', 'epub', '-t', 'plain', '--wrap=none', file], {
      maxBuffer: 256 * 1024 * 1024,
    });
    return stdout;
  });
}
