import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * How the pipeline reads files the manuscript names (data files, images).
 * Transforms receive a reader instead of touching the disk, so they can be
 * tested with files held in memory.
 */
export interface ResourceReader {
  /** The bytes at an absolute path, or undefined when there is no such file. */
  read(absolutePath: string): Promise<Uint8Array | undefined>;
}

export const diskReader: ResourceReader = {
  async read(absolutePath) {
    try {
      return await readFile(absolutePath);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
      throw cause;
    }
  },
};

/** Files held in memory, keyed by absolute path (tests, the API). */
export function memoryReader(files: Record<string, string | Uint8Array>): ResourceReader {
  return {
    async read(absolutePath) {
      const value = files[path.resolve(absolutePath)];
      return typeof value === 'string' ? new TextEncoder().encode(value) : value;
    },
  };
}

/**
 * Resolve a path written in the manuscript against the manuscript's folder.
 * Returns undefined for a path that leaves the project folder.
 */
export function resolveInProject(projectRoot: string, fromDir: string, reference: string): string | undefined {
  const resolved = path.resolve(fromDir, reference);
  const relative = path.relative(projectRoot, resolved);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return resolved;
}
