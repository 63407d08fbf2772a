import { toolName, toolVersion } from '../version.js';
import { buildCommand } from './commands/build.js';
import { checkCommand } from './commands/check.js';
import { initCommand } from './commands/init.js';
import { manifestCommand } from './commands/manifest.js';
import { previewCommand } from './commands/preview.js';
import { watchCommand } from './commands/watch.js';
import { exitCodes, processIo, type Io } from './io.js';

export { exitCodes, type Io } from './io.js';

type Command = (argv: string[], io: Io) => Promise<number>;

/** Every subcommand, one file each in ./commands. */
const commands: Record<string, { run: Command; summary: string }> = {
  init: {
    run: initCommand,
    summary: 'start a project: a manuscript with data, a table, a chart, a configuration and a CI workflow',
  },
  build: { run: buildCommand, summary: 'build the HTML, PDF and EPUB editions of manuscripts' },
  check: { run: checkCommand, summary: 'check manuscripts and their data, and that the prose agrees with the data' },
  manifest: { run: manifestCommand, summary: 'merge the manifests of several builds (the shards of a CI matrix)' },
  watch: {
    run: watchCommand,
    summary: 'build, then build again the editions a saved change affects, with one browser kept running',
  },
  preview: { run: previewCommand, summary: 'serve the HTML edition on localhost, reloading the page on every save' },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  return [
    `Usage: imprint <command> [options]   (${toolName} ${toolVersion})`,
    '',
    'Commands:',
    ...Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`),
    '',
    'Run `imprint <command> --help` for its options.',
    'Exit codes: 0 success, 1 problems in the inputs, 2 usage or environment.',
  ].join('\n');
}

/**
 * Run the command line; returns the exit code. Never throws and never prints a stack trace (unless IMPRINT_DEBUG is
 * set).
 */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-v') {
    io.stdout(`${toolName} ${toolVersion}\n`);
    return exitCodes.ok;
  }
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout(`${usage()}\n`);
    return first === undefined ? exitCodes.environment : exitCodes.ok;
  }
  const command = commands[first];
  if (!command) {
    io.stderr(`imprint: unknown command \`${first}\`\n\n${usage()}\n`);
    return exitCodes.environment;
  }
  try {
    return await command.run(rest, io);
  } catch (cause) {
    io.stderr(`imprint: internal error: ${cause instanceof Error ? cause.message : String(cause)}\n`);
    if (process.env.IMPRINT_DEBUG) io.stderr(`${cause instanceof Error ? cause.stack : ''}\n`);
    return exitCodes.environment;
  }
}
