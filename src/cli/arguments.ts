import { parseArgs, type ParseArgsConfig } from 'node:util';
import { formats, type Format } from '../api.js';
import type { Paper } from '../document/metadata.js';
import { exitCodes, type Io } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

type Parsed<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
>;

/**
 * A command's arguments (its options include `help`), parsed strictly: the
 * values and positionals, or the exit code when the command is done (its help
 * printed, or a bad argument reported with the usage).
 */
export function parseCommand<T extends Options>(argv: string[], options: T, usage: string, io: Io): Parsed<T> | number {
  let parsed: Parsed<T>;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (cause) {
    io.stderr(`imprint: ${(cause as Error).message}\n\n${usage}\n`);
    return exitCodes.environment;
  }
  if ((parsed.values as Record<string, unknown>).help) {
    io.stdout(`${usage}\n`);
    return exitCodes.ok;
  }
  return parsed;
}

/** A usage problem: said on stderr, exit 2. */
export function usageError(io: Io, message: string): number {
  io.stderr(`imprint: ${message}\n`);
  return exitCodes.environment;
}

/** `--format html,pdf`: the formats, or the problem. */
export function parseFormats(value: string): Format[] | string {
  const parts = value.split(',').map((part) => part.trim().toLowerCase());
  if (parts.length === 0 || parts.some((part) => !(formats as readonly string[]).includes(part))) {
    return `--format takes html, pdf and epub, comma separated (got ${value})`;
  }
  return parts as Format[];
}

/** `--paper a4|letter`: the paper, or the problem. */
export function parsePaper(value: string): Paper | string {
  const paper = value.toLowerCase();
  return paper === 'a4' || paper === 'letter' ? paper : `--paper takes a4 or letter (got ${value})`;
}

/** `--browser-timeout SECONDS`: milliseconds, or the problem. */
export function parseTimeout(value: string): number | string {
  const seconds = Number(value);
  return seconds > 0 && seconds <= 3600
    ? Math.round(seconds * 1000)
    : `--browser-timeout takes a number of seconds above 0, at most 3600 (got ${value})`;
}
