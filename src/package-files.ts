import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder imprint is installed in, the one with its package.json, found by walking up from this module: it runs
 * from src/ (the tests), lib/ (compiled module by module) or a chunk of lib/bundle/ (the package), each at another
 * depth, so a path relative to the module would name a different folder in each.
 */
export const packageRoot: string = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`imprint's package.json is neither in ${from} nor above it`);
  }
}

/** A file or folder shipped with imprint, as `packagePath('templates')`. */
export function packagePath(...parts: string[]): string {
  return path.join(packageRoot, ...parts);
}
