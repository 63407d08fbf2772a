import path from 'node:path';
import type { VFile } from 'vfile';
import { build, type BuildOptions } from '../../src/api.js';

/** A run's messages as a reader sees them: the file (relative to `dir`), the place, the rule and the words. */
export function located(files: readonly VFile[], dir: string) {
  return files.flatMap((file) =>
    file.messages.map((message) => ({
      file: path.relative(dir, file.path),
      line: message.line,
      column: message.column,
      ruleId: message.ruleId,
      reason: message.reason,
    })),
  );
}

/** Build `dir/report.md` as HTML only, written nowhere and without a configuration file: no browser. */
export async function buildHtml(dir: string, options: Partial<BuildOptions> = {}) {
  const result = await build({
    manuscripts: [path.join(dir, 'report.md')],
    formats: ['html'],
    write: false,
    config: false,
    cwd: dir,
    ...options,
  });
  return { ok: result.ok, files: result.files, messages: located(result.files, dir) };
}
