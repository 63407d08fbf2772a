import path from 'node:path';
import type { VFile } from 'vfile';
import { hasErrors } from '../diagnostics/report.js';
import { readManuscript } from '../compile/read-manuscript.js';
import { diskReader, type ResourceReader } from '../compile/resources.js';
import { compile } from '../compile/pipeline.js';
import { resolveRun } from './resolve-run.js';

export interface CheckOptions {
  /**
   * Manuscript paths or globs, relative to `cwd`. Without them: the
   * `manuscripts` of the project configuration file, else manuscript/report.md,
   * exactly as `build` chooses.
   */
  manuscripts?: readonly string[];
  /** Configuration file to read, or `false` for none (default: imprint.config.yaml/.yml/.json in `cwd`). */
  config?: string | false;
  /**
   * Folder every path a manuscript names must stay inside; default the configuration's, else each manuscript's folder.
   */
  projectRoot?: string;
  /** Warnings (disagreements between the prose and the data) fail the check too. */
  strict?: boolean;
  /** Fetch remote images and data files (default: report them as refused). */
  allowRemote?: boolean;
  cwd?: string;
  reader?: ResourceReader;
}

export interface CheckResult {
  /** No errors (and, with `strict`, no warnings). */
  ok: boolean;
  /** The manuscripts checked, absolute, in the order `build` would build them. */
  manuscripts: string[];
  /** Every manuscript and data file read (and the configuration file), each with its messages. */
  files: VFile[];
}

/**
 * Check manuscripts without making any edition: front matter, directives,
 * data files against their schemas, references, and the numbers and dates the
 * prose quotes against the data. The same checks `build` runs before it
 * writes anything, on the same manuscripts.
 */
export async function check(options: CheckOptions = {}): Promise<CheckResult> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const reader = options.reader ?? diskReader;
  const resolved = await resolveRun({
    cwd,
    reader,
    manuscripts: options.manuscripts,
    config: options.config,
    projectRoot: options.projectRoot,
    strict: options.strict,
    allowRemote: options.allowRemote,
  });
  const files: VFile[] = [...resolved.files];
  const run = resolved.run;
  if (!run) return { ok: false, manuscripts: [], files };
  for (const absolute of run.manuscripts) {
    const file = await readManuscript(absolute, reader, cwd);
    files.push(file);
    if (file.value === undefined) continue;
    const compiled = await compile(file, {
      reader,
      projectRoot: run.projectRoot ?? path.dirname(absolute),
      overrides: { defaults: run.defaults },
      allowRemote: run.allowRemote,
      limits: run.limits,
    });
    if (compiled) files.push(...compiled.dataFiles);
  }
  return { ok: !hasErrors(files, run.strict), manuscripts: run.manuscripts, files };
}
