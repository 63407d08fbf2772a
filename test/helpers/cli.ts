import { execFile } from 'node:child_process';
import path from 'node:path';

export const repositoryRoot = path.resolve(import.meta.dirname, '../..');
const bin = path.join(repositoryRoot, 'bin/imprint.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the compiled `imprint` command as a user would. */
export function imprint(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: options.cwd ?? repositoryRoot, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (failure, stdout, stderr) => {
        const code = failure ? (typeof failure.code === 'number' ? failure.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
