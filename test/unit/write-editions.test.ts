import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { journalFileName, lockFileName, OutputSet } from '../../src/release/write-editions.js';
import { temporaryFolder } from '../helpers/tools.js';

const outFolder = async () => path.join(await temporaryFolder(), 'dist');

describe('the set of files a build writes', () => {
  it('moves every staged file in on commit and leaves nothing else behind', async () => {
    const out = await outFolder();
    const set = await OutputSet.open(out);
    expect(await readdir(out)).toContain(lockFileName);
    await set.stage([
      { path: path.join(out, 'a.html'), bytes: 'html' },
      { path: path.join(out, 'a.pdf'), bytes: new Uint8Array([37, 80, 68, 70]) },
    ]);
    await set.stage([{ path: path.join(out, 'SHA256SUMS'), bytes: 'sums' }]);
    // Nothing is in place before the commit.
    expect((await readdir(out)).filter((name) => !name.startsWith('.'))).toEqual([]);
    await set.commit();
    await set.close();
    expect((await readdir(out)).sort()).toEqual(['SHA256SUMS', 'a.html', 'a.pdf']);
    expect(await readFile(path.join(out, 'a.html'), 'utf8')).toBe('html');
  });

  it('keeps the earlier files when the set is closed without a commit', async () => {
    const out = await outFolder();
    await mkdir(out);
    await writeFile(path.join(out, 'a.html'), 'old');
    const set = await OutputSet.open(out);
    await set.stage([{ path: path.join(out, 'a.html'), bytes: 'new' }]);
    await set.close();
    expect(await readdir(out)).toEqual(['a.html']);
    expect(await readFile(path.join(out, 'a.html'), 'utf8')).toBe('old');
  });

  it('leaves no folder it made when nothing was committed', async () => {
    const out = path.join(await outFolder(), 'reports');
    const set = await OutputSet.open(out);
    await set.close();
    await expect(readdir(path.dirname(out))).rejects.toThrow(/ENOENT/);
  });

  it(
    'refuses a second writer while the folder is locked, naming the holder, and takes a lock whose ' + 'holder is gone',
    async () => {
      const out = await outFolder();
      await mkdir(out);
      const first = await OutputSet.open(out);
      await expect(OutputSet.open(out)).rejects.toThrow(
        new RegExp(`Another imprint build is writing into ${out}: .*\\(process ${process.pid} on `),
      );
      await first.close();
      // A lock left by a process that no longer runs.
      await writeFile(
        path.join(out, lockFileName),
        JSON.stringify({
          pid: 2 ** 22 + 7,
          host: (await import('node:os')).hostname(),
          command: 'imprint build',
          since: '',
        }),
      );
      const second = await OutputSet.open(out);
      await second.close();
      expect(await readdir(out)).toEqual([]);
    },
  );

  it('completes a set a killed build had begun to move in, and removes what other builds left', async () => {
    const out = await outFolder();
    const staging = path.join(out, '.imprint-staging-abc123');
    await mkdir(staging, { recursive: true });
    // Killed after moving in a.html: a.pdf and SHA256SUMS are still staged.
    await writeFile(path.join(out, 'a.html'), 'new html');
    await writeFile(path.join(out, 'a.pdf'), 'old pdf');
    await writeFile(path.join(out, 'SHA256SUMS'), 'old sums');
    await writeFile(path.join(staging, 'a.pdf'), 'new pdf');
    await writeFile(path.join(staging, 'SHA256SUMS'), 'new sums');
    await writeFile(
      path.join(out, journalFileName),
      JSON.stringify({ staging: '.imprint-staging-abc123', files: ['a.html', 'a.pdf', 'SHA256SUMS'] }),
    );
    // Left by other killed builds: a staging folder never committed, a file written through a temporary name.
    await mkdir(path.join(out, '.imprint-staging-xyz789'));
    await writeFile(path.join(out, '.imprint-staging-xyz789', 'a.pdf'), 'never committed');
    await writeFile(path.join(out, '.a.epub.12345.tmp'), 'half');

    const set = await OutputSet.open(out);
    await set.close();
    expect((await readdir(out)).sort()).toEqual(['SHA256SUMS', 'a.html', 'a.pdf']);
    expect(await readFile(path.join(out, 'a.pdf'), 'utf8')).toBe('new pdf');
    expect(await readFile(path.join(out, 'SHA256SUMS'), 'utf8')).toBe('new sums');
  });

  it('names the path it cannot write', async () => {
    const root = await temporaryFolder();
    await writeFile(path.join(root, 'file'), 'x');
    // A file where the output folder must be (EACCES cannot be had as root; the message is made the same way).
    await expect(OutputSet.open(path.join(root, 'file', 'dist'))).rejects.toThrow(
      `Cannot make the output folder ${path.join(root, 'file', 'dist')}: a part of the path is not a folder (ENOTDIR)`,
    );
  });
});
