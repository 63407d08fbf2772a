import path from 'node:path';
import type { VFile } from 'vfile';

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
