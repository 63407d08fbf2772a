import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { Position } from 'unist';
import { VFile } from 'vfile';
import { error } from '../diagnostics/report.js';
import { compareText } from './order.js';

/** A manuscript path or glob, and where it was written. */
export interface ManuscriptPattern {
  pattern: string;
  /** Folder the pattern is relative to. */
  base: string;
  /** The file that lists it (the configuration file); absent for a command-line argument. */
  file?: VFile;
  place?: Position;
}

export interface ExpandedManuscripts {
  /** Absolute paths, each once, sorted by their path relative to the project folder. */
  manuscripts: string[];
  /** Files with messages about patterns that matched nothing. */
  files: VFile[];
}

/**
 * Turn manuscript paths and globs into a sorted list of files. A plain path is
 * kept as given (reading it reports a missing file); a glob that matches no
 * file is an error at the place it was written.
 */
export async function expandManuscripts(
  patterns: readonly ManuscriptPattern[],
  projectDir: string,
  cwd: string,
): Promise<ExpandedManuscripts> {
  const found = new Set<string>();
  const files: VFile[] = [];
  for (const entry of patterns) {
    const posix = entry.pattern.split(path.sep).join('/');
    if (!isDynamicPattern(posix)) {
      found.add(path.resolve(entry.base, entry.pattern));
      continue;
    }
    const matches = await glob(posix, {
      cwd: entry.base,
      absolute: true,
      onlyFiles: true,
      expandDirectories: false,
      dot: false,
    });
    if (matches.length === 0) {
      const file = entry.file ?? new VFile({ path: path.resolve(entry.base, entry.pattern), cwd });
      error(file, `No manuscript matches \`${entry.pattern}\` (looked in ${entry.base})`, {
        place: entry.place,
        ruleId: 'manuscript-unmatched',
      });
      if (!entry.file) files.push(file);
      continue;
    }
    for (const match of matches) found.add(path.resolve(match));
  }
  return { manuscripts: sortManuscripts([...found], projectDir), files };
}

/** Manuscripts in a stable order: by path relative to the project folder, compared by code unit (no locale). */
export function sortManuscripts(manuscripts: readonly string[], projectDir: string): string[] {
  const keyed = manuscripts.map((manuscript) => ({ manuscript, key: projectPath(projectDir, manuscript) }));
  keyed.sort((a, b) => compareText(a.key, b.key));
  return keyed.map((entry) => entry.manuscript);
}

/** A path relative to the project folder with `/` separators, as manifests record it. */
export function projectPath(projectDir: string, absolute: string): string {
  // A remote resource (fetched with --allow-remote) is recorded by its URL.
  if (/^https?:\/\//.test(absolute)) return absolute;
  return path.relative(projectDir, absolute).split(path.sep).join('/');
}

/** The base name of a manuscript's editions: `report` for `report.md`. */
export function editionName(manuscript: string): string {
  return path.basename(manuscript).replace(/\.[^.]+$/, '');
}

/**
 * Two manuscripts with the same base name would write the same files into one
 * output folder: an error on each of them, naming the other.
 */
export function nameConflicts(manuscripts: readonly string[], outDir: string, cwd: string): VFile[] {
  const byName = new Map<string, string[]>();
  for (const manuscript of manuscripts) {
    const name = editionName(manuscript);
    byName.set(name, [...(byName.get(name) ?? []), manuscript]);
  }
  const files: VFile[] = [];
  for (const [name, group] of byName) {
    if (group.length < 2) continue;
    for (const manuscript of group) {
      const file = new VFile({ path: manuscript, cwd });
      const others = group.filter((other) => other !== manuscript).map((other) => path.relative(cwd, other) || other);
      error(
        file,
        `Two manuscripts named \`${name}\` would write the same editions into ` +
          `${path.relative(cwd, outDir) || outDir}: ` +
          `this one and ${others.join(', ')}; rename one or build them into separate folders`,
        { ruleId: 'output-conflict' },
      );
      files.push(file);
    }
  }
  return files;
}
