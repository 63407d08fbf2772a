import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { repositoryRoot } from './cli.js';
import { temporaryFolder } from './tools.js';

const run = promisify(execFile);

/** The series fixture: three short notes sharing data files, with its configuration file. */
export const seriesFixture = path.join(repositoryRoot, 'test/projects/series');
export const seriesNames = ['catalyst', 'road-ahead', 'warmth'] as const;

/** A fresh copy of the series fixture to build in (tests never write into fixtures). */
export async function copySeries(): Promise<string> {
  const dir = path.join(await temporaryFolder(), 'series');
  await cp(seriesFixture, dir, { recursive: true });
  return dir;
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function sha256File(file: string): Promise<string> {
  return sha256Of(await readFile(file));
}

/** `sha256sum -c SHA256SUMS` in `dir`: its exit code and output. */
export async function sha256sumCheck(dir: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: dir });
    return { code: 0, output: stdout + stderr };
  } catch (failure) {
    const { code, stdout, stderr } = failure as { code: number; stdout: string; stderr: string };
    return { code, output: stdout + stderr };
  }
}

/** Modification times of files, by name. */
export async function mtimes(dir: string, names: readonly string[]): Promise<Record<string, number>> {
  const entries = await Promise.all(
    names.map(async (name) => [name, (await stat(path.join(dir, name))).mtimeMs] as const),
  );
  return Object.fromEntries(entries);
}

/** Page count as poppler's pdfinfo reads it. */
export async function pdfinfoPages(file: string): Promise<number> {
  const { stdout } = await run('pdfinfo', [file]);
  return Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1]);
}
