import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface WatchOptions {
  /** Folders to watch, recursively. */
  folders: readonly string[];
  /** Paths whose changes are ignored (the output folder). */
  ignore: readonly string[];
  /** Quiet time after the last change before `onChange` (editors write in several steps). */
  debounceMs?: number;
  /** Called with the files that changed since the last call, absolute. */
  onChange: (changed: string[]) => void;
}

/**
 * Watch folders for saved files, robust to editors that save by writing a
 * temporary file and renaming it: every event in a folder counts, and changes
 * are gathered until the folder has been quiet for a moment. Hidden files and
 * editor backups (`.x.swp`, `x~`, `#x#`) are ignored. Returns a function that
 * stops watching.
 */
export function watchFiles(options: WatchOptions): () => void {
  const debounceMs = options.debounceMs ?? 80;
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const ignored = (file: string) =>
    options.ignore.some((prefix) => file === prefix || file.startsWith(`${prefix}${path.sep}`)) ||
    path.basename(file).startsWith('.') ||
    /(~|\.swp|\.swx|\.tmp)$|^#.*#$/.test(path.basename(file)) ||
    file.split(path.sep).includes('node_modules') ||
    // Editors' and tools' temporary files (sed's `sedAbC123`, swap files) have no extension.
    path.extname(file) === '';
  const watchers: FSWatcher[] = options.folders.map((folder) =>
    watch(folder, { recursive: true }, (_event, name) => {
      if (!name) return;
      const file = path.join(folder, name.toString());
      if (ignored(file)) return;
      pending.add(file);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const changed = [...pending].sort();
        pending.clear();
        options.onChange(changed);
      }, debounceMs);
    }),
  );
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}
