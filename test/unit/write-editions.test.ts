import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeEditions } from '../../src/release/write-editions.js';
import { temporaryFolder } from '../helpers/tools.js';

describe('writing editions', () => {
  it('writes every file and leaves no temporary file behind', async () => {
    const out = path.join(await temporaryFolder(), 'dist');
    await writeEditions([
      { path: path.join(out, 'a.html'), bytes: 'html' },
      { path: path.join(out, 'a.pdf'), bytes: new Uint8Array([37, 80, 68, 70]) },
    ]);
    expect((await readdir(out)).sort()).toEqual(['a.html', 'a.pdf']);
    expect(await readFile(path.join(out, 'a.html'), 'utf8')).toBe('html');
  });

  it('keeps the earlier files when a write fails, and cleans up what it staged', async () => {
    const out = path.join(await temporaryFolder(), 'dist');
    await mkdir(out);
    await writeFile(path.join(out, 'a.html'), 'old');
    const blocked = path.join(out, 'blocked');
    await mkdir(blocked);
    await chmod(blocked, 0o500);
    const attempt = writeEditions([
      { path: path.join(out, 'a.html'), bytes: 'new' },
      { path: path.join(blocked, 'sub', 'a.pdf'), bytes: 'pdf' },
    ]);
    if (process.getuid?.() === 0) {
      // root may write anywhere: make the second write fail another way, a file where a folder must be.
      await attempt;
      await writeFile(path.join(out, 'file'), 'x');
      await expect(writeEditions([
        { path: path.join(out, 'a.html'), bytes: 'newer' },
        { path: path.join(out, 'file', 'a.pdf'), bytes: 'pdf' },
      ])).rejects.toThrow();
      expect(await readFile(path.join(out, 'a.html'), 'utf8')).toBe('new');
    } else {
      await expect(attempt).rejects.toThrow();
      expect(await readFile(path.join(out, 'a.html'), 'utf8')).toBe('old');
    }
    expect((await readdir(out)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
