import path from 'node:path';
import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';

export interface ReportOptions {
  /** Leave out warnings and infos. */
  quiet?: boolean;
  /** Paths are shown relative to this folder when inside it. */
  cwd?: string;
}

/**
 * Every message of a run, one per line in the vfile-reporter style (place,
 * label, reason, rule id, source), with the place written `file:line:column`
 * so editors and CI logs can jump to it. Sorted by file, then place.
 */
export function formatReport(files: readonly VFile[], options: ReportOptions = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const rows: string[][] = [];
  let errors = 0;
  let warnings = 0;
  for (const file of files) {
    const shown = displayPath(file.path, cwd);
    const messages = [...file.messages].sort(byPlace);
    for (const message of messages) {
      if (message.fatal === true) errors++;
      else if (message.fatal === false) warnings++;
      if (options.quiet && message.fatal !== true) continue;
      rows.push([
        `${shown}:${placeText(message)}`,
        message.fatal ? 'error' : message.fatal === false ? 'warning' : 'info',
        message.reason.split('\n').join(' '),
        message.ruleId ?? '',
        message.source ?? '',
      ]);
    }
  }
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd(),
  );
  const summary = [
    errors ? `${errors} error${errors === 1 ? '' : 's'}` : '',
    warnings ? `${warnings} warning${warnings === 1 ? '' : 's'}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `${lines.join('\n')}\n\n${errors ? '✖' : '⚠'} ${summary}\n`;
}

function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function placeText(message: VFileMessage): string {
  const place = message.place;
  if (!place) return '1:1';
  if ('start' in place) {
    const start = `${place.start.line}:${place.start.column}`;
    return place.end && (place.end.line !== place.start.line || place.end.column !== place.start.column)
      ? `${start}-${place.end.line}:${place.end.column}`
      : start;
  }
  return `${place.line}:${place.column}`;
}

function byPlace(a: VFileMessage, b: VFileMessage): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}
