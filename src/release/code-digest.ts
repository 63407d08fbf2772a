import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** The file `npm run compile` writes beside the bundle (lib/bundle/): the digest of the bundle's code. */
export const codeDigestFile = 'code-digest';

/**
 * The SHA-256 of the code in a folder: every module under it, its path and its bytes, in the order of their paths.
 * Declaration files are left out (they change no output), and so are the sub-folders named in `skip`.
 */
export async function codeDigestOf(root: string, skip: readonly string[] = []): Promise<string> {
  const skipped = skip.map((folder) => path.join(root, folder) + path.sep);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && /\.[cm]?[jt]s$/.test(entry.name) && !/\.d\.[cm]?ts$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !skipped.some((folder) => file.startsWith(folder)))
    .sort();
  const hash = createHash('sha256');
  for (const file of files)
    hash
      .update(`${path.relative(root, file)}\0`)
      .update(await readFile(file))
      .update('\0');
  return hash.digest('hex');
}
