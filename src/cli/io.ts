import type { VFile } from 'vfile';
import { formatReport } from './reporter.js';

/** Exit codes, documented in the README. */
export const exitCodes = { ok: 0, inputs: 1, environment: 2, interrupted: 130 } as const;

/** Where a command writes; tests pass their own. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export interface OutputFlags {
  quiet?: boolean;
  json?: boolean;
}

/** Print a run's messages: the reporter on stderr, or JSON on stdout with `--json`. */
export function printMessages(files: readonly VFile[], flags: OutputFlags, io: Io): void {
  const withMessages = files.filter((file) => file.messages.length > 0);
  if (flags.json) {
    const messages = withMessages.flatMap((file) =>
      file.messages.map((message) => ({
        file: file.path,
        line: message.line ?? null,
        column: message.column ?? null,
        endLine: message.place && 'end' in message.place ? message.place.end.line : null,
        endColumn: message.place && 'end' in message.place ? message.place.end.column : null,
        severity: message.fatal ? 'error' : message.fatal === false ? 'warning' : 'info',
        ruleId: message.ruleId ?? null,
        source: message.source ?? null,
        reason: message.reason,
      })),
    );
    io.stdout(`${JSON.stringify({ messages }, null, 2)}\n`);
    return;
  }
  if (withMessages.length === 0) return;
  const text = formatReport(withMessages, { quiet: flags.quiet ?? false });
  if (text) io.stderr(text);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
