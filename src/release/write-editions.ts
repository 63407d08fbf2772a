import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Write every edition beside its final name, then rename each into place. A
 * reader never sees a half-written file, and a build that fails before this
 * point leaves the earlier outputs untouched.
 */
export async function writeEditions(files: ReadonlyArray<{ path: string; bytes: Uint8Array | string }>): Promise<void> {
  const staged: Array<{ temporary: string; final: string }> = [];
  try {
    for (const file of files) {
      await mkdir(path.dirname(file.path), { recursive: true });
      const temporary = path.join(path.dirname(file.path), `.${path.basename(file.path)}.${process.pid}.tmp`);
      staged.push({ temporary, final: file.path });
      await writeFile(temporary, file.bytes);
    }
    for (const { temporary, final } of staged) await rename(temporary, final);
  } catch (cause) {
    await Promise.all(staged.map(({ temporary }) => rm(temporary, { force: true })));
    throw cause;
  }
}
