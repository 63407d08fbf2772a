import type { VFile } from 'vfile';
import { formatReport } from './reporter.js';

/** Exit codes, documented in the README. */
export const exitCodes = { ok: 0, inputs: 1, environment: 2, interrupted: 130 } as const;

/** Where a command writes; tests pass their own. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stderr is a terminal: progress may be shown live on one line. */
  readonly isTTY?: boolean;
  /** The terminal's width, when it is one. */
  readonly columns?: number;
  /**
   * Call `listener` on SIGINT or SIGTERM (each time) until the returned function is called. Default: the process's
   * signals; a command run in a process of its own hears them from the supervisor that receives them (child.ts).
   */
  onInterrupt?: (listener: (signal: InterruptSignal) => void) => () => void;
}

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

/** Listen for SIGINT and SIGTERM the way `io` hears them; returns a function that stops listening. */
export function onInterrupt(io: Io, listener: (signal: InterruptSignal) => void): () => void {
  return (io.onInterrupt ?? processSignals)(listener);
}

function processSignals(listener: (signal: InterruptSignal) => void): () => void {
  process.on('SIGINT', listener);
  process.on('SIGTERM', listener);
  return () => {
    process.off('SIGINT', listener);
    process.off('SIGTERM', listener);
  };
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  onInterrupt: processSignals,
  get isTTY() {
    return process.stderr.isTTY === true;
  },
  get columns() {
    return process.stderr.columns;
  },
};

/**
 * One line of live progress on a terminal, rewritten in place; nothing at all
 * when stderr is not one (or `--quiet`, `--json`). Cleared before any other
 * line is printed, so the final lines stand alone.
 */
export class ProgressLine {
  private shown = false;

  constructor(
    private readonly io: Io,
    readonly enabled: boolean,
  ) {}

  show(text: string): void {
    if (!this.enabled) return;
    const width = Math.max(20, (this.io.columns || 100) - 1);
    const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    this.io.stderr(`\r\x1b[K${line}`);
    this.shown = true;
  }

  /** Print a whole line (ending in a newline) as it is. */
  write(text: string): void {
    this.io.stderr(text);
  }

  clear(): void {
    if (!this.shown) return;
    this.io.stderr('\r\x1b[K');
    this.shown = false;
  }
}

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

/**
 * The line `--verbose` prints as a stage of a report ends (`report.md: parse in 4748 ms`), or as the run's
 * browser has started (`browser: started in 812 ms`): a stage line says the next stage has begun.
 */
export function stageLine(manuscript: string, stage: string, ms: number): string {
  return manuscript === ''
    ? `browser: started in ${ms.toFixed(0)} ms\n`
    : `${manuscript}: ${stage} in ${ms.toFixed(0)} ms\n`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** What a rebuild is for: the first three of the files changed (as shown), and how many more. */
export function changedReason(names: readonly string[]): string {
  return `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''} changed`;
}
