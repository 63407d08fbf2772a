import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changeBatches, watchFiles, type FileWatcher } from '../../src/run/watch-files.js';
import { temporaryFolder } from '../helpers/tools.js';

let watcher: FileWatcher | undefined;
afterEach(() => watcher?.close());

/**
 * A watcher whose changes are queued, and a way to wait for the next batch. The quiet time is longer than the
 * gap a loaded machine can leave between the events of one save (a write truncates, then writes: two events),
 * which would otherwise come as two batches.
 */
function watching(debounceMs = 500) {
  const batches: string[][] = [];
  let taken = 0;
  watcher = watchFiles({ debounceMs, onChange: (changed) => batches.push(changed) });
  return {
    watcher,
    batches,
    /**
     * The batch after the last one taken. On a loaded machine a batch can come before the test asks for it
     * (the save's own callback runs after the watcher's), so batches are taken in order, not counted from the call.
     */
    async next(timeoutMs = 5 * 60_000): Promise<string[]> {
      const started = Date.now();
      while (batches.length <= taken) {
        if (Date.now() - started > timeoutMs) throw new Error('no change reported');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return batches[taken++]!;
    },
  };
}

/** Save as vim or `sed -i` do: write a temporary file beside, then rename it over the file. */
async function saveByRename(file: string, text: string) {
  const temporary = path.join(path.dirname(file), `sed${Math.random().toString(36).slice(2, 8)}`);
  await writeFile(temporary, text);
  await rename(temporary, file);
}

describe('watchFiles', () => {
  it('sees every save of a file, in place or by rename, and only the files asked for', async () => {
    const dir = await temporaryFolder();
    const manuscript = path.join(dir, 'report.md');
    const data = path.join(dir, 'data', 'pledges.yaml');
    await mkdir(path.dirname(data));
    await writeFile(manuscript, '# One\n');
    await writeFile(data, 'a: 1\n');
    const { watcher: files, next } = watching();
    files.watch([manuscript, data]);

    // Saved by rename twice: a watch on the file itself would lose it after the first.
    for (const text of ['# Two\n', '# Three\n', '# Four\n']) {
      await saveByRename(manuscript, text);
      expect(await next()).toEqual([manuscript]);
    }
    await writeFile(manuscript, '# Five\n');
    expect(await next()).toEqual([manuscript]);

    // An unrelated file and an editor's swap file start nothing; the data file in its own folder does.
    await writeFile(path.join(dir, 'notes.txt'), 'x');
    await writeFile(path.join(dir, '.report.md.swp'), 'x');
    await writeFile(data, 'a: 2\n');
    expect(await next()).toEqual([data]);
  });

  it('reports saves close together as one batch', async () => {
    const dir = await temporaryFolder();
    const manuscript = path.join(dir, 'report.md');
    const data = path.join(dir, 'pledges.yaml');
    await writeFile(manuscript, '# One\n');
    await writeFile(data, 'a: 1\n');
    // A quiet time far longer than two saves take on a loaded machine, so that they are close together anywhere.
    const { watcher: files, next } = watching(2000);
    files.watch([manuscript, data]);
    await writeFile(manuscript, '# Six\n');
    await writeFile(data, 'a: 3\n');
    expect(await next()).toEqual([data, manuscript].sort());
  });

  it('after a failed build, also reports any file saved in the folders given; a new set replaces the old', async () => {
    const dir = await temporaryFolder();
    const manuscript = path.join(dir, 'report.md');
    const other = path.join(dir, 'elsewhere', 'x.css');
    await mkdir(path.dirname(other));
    await writeFile(manuscript, '# One\n');
    const { watcher: files, next, batches } = watching();

    // The part the manuscript includes does not exist yet: saving it must start a build.
    files.watch([manuscript], [dir]);
    const part = path.join(dir, 'part.md');
    await writeFile(part, 'text\n');
    expect(await next()).toEqual([part]);
    // Temporary files still start nothing.
    await writeFile(path.join(dir, 'sedAbC123'), 'x');
    await writeFile(path.join(dir, 'part.md~'), 'x');
    await writeFile(manuscript, '# Two\n');
    expect(await next()).toEqual([manuscript]);

    // Now only the other file: the manuscript's folder is no longer watched.
    files.watch([other]);
    await writeFile(manuscript, '# Three\n');
    await writeFile(other, 'p {}');
    expect(await next()).toEqual([other]);

    // Closed: nothing more.
    files.close();
    const count = batches.length;
    await writeFile(other, 'p { color: red }');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(batches.length).toBe(count);
  });
});

describe('changeBatches', () => {
  it('works on one batch at a time, gathering what changes meanwhile, and starts none once stopped', async () => {
    const worked: string[][] = [];
    const ends: Array<() => void> = [];
    let stopped = false;
    const changes = changeBatches(
      (files) => {
        worked.push(files);
        return new Promise<void>((resolve) => ends.push(resolve));
      },
      () => stopped,
    );
    const turn = () => new Promise((resolve) => setTimeout(resolve, 0));
    changes.add(['a']);
    await turn();
    expect(worked).toEqual([['a']]);
    // Saved while the first batch is worked on: one batch, after it.
    changes.add(['b']);
    changes.add(['c', 'd']);
    await turn();
    expect(worked).toEqual([['a']]);
    ends[0]!();
    await turn();
    expect(worked).toEqual([['a'], ['b', 'c', 'd']]);
    // Stopped while a batch waits: it never starts, and `settled` waits only for the one under way.
    changes.add(['e']);
    stopped = true;
    changes.add(['f']);
    ends[1]!();
    await changes.settled();
    expect(worked).toEqual([['a'], ['b', 'c', 'd']]);
  });
});
