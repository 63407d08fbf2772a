import path from 'node:path';
import type { VFile } from 'vfile';
import { hasErrors } from '../diagnostics/report.js';
import { readManuscript } from '../manuscript/read-manuscript.js';
import { diskReader, type ResourceReader } from '../manuscript/resources.js';
import { compile } from '../pipeline.js';

export interface CheckOptions {
  /** Manuscript paths, absolute or relative to `cwd`. */
  manuscripts: string[];
  /** Folder every path a manuscript names must stay inside; default each manuscript's folder. */
  projectRoot?: string;
  /** Warnings (disagreements between the prose and the data) fail the check too. */
  strict?: boolean;
  cwd?: string;
  reader?: ResourceReader;
}

export interface CheckResult {
  /** No errors (and, with `strict`, no warnings). */
  ok: boolean;
  /** Every manuscript and data file read, each with its messages. */
  files: VFile[];
}

/**
 * Check manuscripts without making any edition: front matter, directives,
 * data files against their schemas, references, and the numbers and dates the
 * prose quotes against the data. The same checks `build` runs before it
 * writes anything.
 */
export async function check(options: CheckOptions): Promise<CheckResult> {
  const cwd = options.cwd ?? process.cwd();
  const reader = options.reader ?? diskReader;
  const files: VFile[] = [];
  for (const manuscript of options.manuscripts) {
    const absolute = path.resolve(cwd, manuscript);
    const file = await readManuscript(absolute, reader, cwd);
    files.push(file);
    if (file.value === undefined) continue;
    const compiled = await compile(file, {
      reader,
      projectRoot: options.projectRoot ? path.resolve(cwd, options.projectRoot) : path.dirname(absolute),
    });
    files.push(...compiled.dataFiles);
  }
  return { ok: !hasErrors(files, options.strict), files };
}
