import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { packagePath } from '../package-files.js';

/** The starter project shipped with imprint (`starter/` in the package). */
export const starterDir = packagePath('starter');

/**
 * Names a package cannot carry as they are (npm leaves out `.gitignore`, and
 * dot-folders are easy to lose): the starter holds them without the dot.
 */
const dotted: ReadonlyArray<[string, string]> = [
  ['gitignore', '.gitignore'],
  ['github/', '.github/'],
];

export interface StarterFile {
  /** Path in the new project, with `/` separators. */
  path: string;
  bytes: Uint8Array;
}

/** The starter's files, each with its path in the new project, in a stable order. */
export async function starterFiles(from: string = starterDir): Promise<StarterFile[]> {
  const entries = await readdir(from, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(from, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const rename = dotted.find(
        ([shipped]) => file === shipped || (shipped.endsWith('/') && file.startsWith(shipped)),
      );
      const target = rename ? rename[1] + file.slice(rename[0].length) : file;
      return { path: target, bytes: await readFile(path.join(from, file)) };
    }),
  );
}

export interface StartProjectResult {
  /** Paths written (relative to the project folder); empty when refused. */
  written: string[];
  /** Files already there that the starter would overwrite; the project is left alone when not forced. */
  existing: string[];
}

/**
 * Write the starter project into `dir` (made when missing). Files already
 * there are never overwritten unless `force`: then nothing at all is written
 * and the result names them. Each file appears whole or not at all.
 */
export async function startProject(dir: string, options: { force?: boolean } = {}): Promise<StartProjectResult> {
  const files = await starterFiles();
  const existing: string[] = [];
  for (const file of files) {
    if (
      await stat(path.join(dir, file.path)).then(
        () => true,
        () => false,
      )
    )
      existing.push(file.path);
  }
  if (existing.length > 0 && !options.force) return { written: [], existing };
  // Each file is written beside its name and renamed into place, so it appears whole or not at all.
  for (const file of files) {
    const target = path.join(dir, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    const partial = `${target}.${process.pid}.tmp`;
    await writeFile(partial, file.bytes);
    await rename(partial, target);
  }
  return { written: files.map((file) => file.path), existing };
}
