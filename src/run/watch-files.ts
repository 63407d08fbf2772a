import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface WatchOptions {
  /** Quiet time after the last change before `onChange` (editors write in several steps). */
  debounceMs?: number;
  /** Called with the watched files that changed since the last call, absolute, sorted. */
  onChange: (changed: string[]) => void;
}

export interface FileWatcher {
  /**
   * Watch these files from now on, in place of the earlier set; with `anyIn`,
   * also any file saved in these folders (after a failed build: a file it
   * could not find may be the one about to be saved).
   */
  watch(files: Iterable<string>, anyIn?: Iterable<string>): void;
  /** Stop watching. */
  close(): void;
}

/**
 * Watch a set of files for saves. Each file's folder is watched, not the file:
 * editors that save by writing a temporary file and renaming it over the old
 * one (vim, `sed -i`, many IDEs) replace the file, and a watch on the file
 * itself would follow the old one, which is gone; a folder's watch sees every
 * name in it written, created or renamed onto. Only the files asked for count
 * (so a temporary file, a backup or an unrelated file triggers nothing), and
 * changes are gathered until the folders have been quiet for `debounceMs`.
 */
export function watchFiles(options: WatchOptions): FileWatcher {
  const debounceMs = options.debounceMs ?? 80;
  const folders = new Map<string, FSWatcher>();
  let files = new Set<string>();
  let anyIn = new Set<string>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const saved = (folder: string, name: string) => {
    const file = path.join(folder, name);
    if (!files.has(file) && !(anyIn.has(folder) && !temporary(name))) return;
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const changed = [...pending].sort();
      pending.clear();
      if (!closed) options.onChange(changed);
    }, debounceMs);
  };

  return {
    watch(wanted, wantedFolders = []) {
      files = new Set([...wanted].map((file) => path.resolve(file)));
      anyIn = new Set([...wantedFolders].map((folder) => path.resolve(folder)));
      const needed = new Set([...[...files].map((file) => path.dirname(file)), ...anyIn]);
      for (const [folder, watcher] of folders) {
        if (needed.has(folder)) continue;
        watcher.close();
        folders.delete(folder);
      }
      for (const folder of needed) {
        if (folders.has(folder)) continue;
        try {
          const watcher = watch(folder, (_event, name) => {
            if (name) saved(folder, name.toString());
          });
          // A folder removed while watched: stop watching it; the next build says what is missing.
          watcher.on('error', () => {
            watcher.close();
            if (folders.get(folder) === watcher) folders.delete(folder);
          });
          folders.set(folder, watcher);
        } catch {
          // A folder that does not exist (a file the build could not find): nothing to watch there.
        }
      }
    },
    close() {
      closed = true;
      clearTimeout(timer);
      for (const watcher of folders.values()) watcher.close();
      folders.clear();
    },
  };
}

/** Editors' and tools' temporary and backup files: `.x.swp`, `x~`, `#x#`, `sedAbC123`, `x.tmp`. */
function temporary(name: string): boolean {
  return name.startsWith('.') || /(~|\.swp|\.swx|\.tmp)$|^#.*#$/.test(name) || path.extname(name) === '';
}

export interface ChangeBatches {
  /** Files `watchFiles` reports changed: worked on at once, or gathered for when the batch under way ends. */
  add(changed: readonly string[]): void;
  /** Wait for the batch under way, if any, to end. */
  settled(): Promise<void>;
}

/**
 * Work on changed files one batch at a time (a rebuild each): the files reported while one batch is worked on
 * are gathered into the next, which starts when it ends. No batch starts once `stopped()` is true.
 */
export function changeBatches(work: (changed: string[]) => Promise<unknown>, stopped: () => boolean): ChangeBatches {
  let running: Promise<unknown> = Promise.resolve();
  let queued: string[] | undefined;
  return {
    add(changed) {
      if (stopped()) return;
      if (queued) {
        queued.push(...changed);
        return;
      }
      queued = [...changed];
      running = running.then(async () => {
        const files = queued ?? [];
        queued = undefined;
        if (stopped()) return;
        await work(files);
      });
    },
    async settled() {
      await running.catch(() => undefined);
    },
  };
}
