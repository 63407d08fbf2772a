import path from 'node:path';
import { startProject } from '../../run/starter.js';
import { parseCommand, usageError } from '../arguments.js';
import { exitCodes, type Io } from '../io.js';

export const initUsage = `Usage: imprint init [DIR] [options]

Start a project in DIR (default: this folder; made when missing): a manuscript
with front matter, a data file with its schema, a table and a chart made from
it, an image, a cross-reference and a footnote, imprint.config.yaml, a
.gitignore and a GitHub Actions workflow that builds and publishes the
editions. \`imprint build\` in DIR then makes all three editions.
Files already there are not overwritten: then nothing is written (exit 2).

Options:
      --force    overwrite files the starter would write
  -h, --help     show this help`;

/** `imprint init` */
export async function initCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommand(
    argv,
    { force: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    initUsage,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length > 1)
    return usageError(io, `init takes one folder (got ${parsed.positionals.join(' ')})`);
  const dir = path.resolve(parsed.positionals[0] ?? '.');
  const shown = path.relative(process.cwd(), dir) || '.';
  const result = await startProject(dir, { force: parsed.values.force });
  if (result.written.length === 0) {
    io.stderr(
      `imprint: ${shown} already has ${result.existing.length === 1 ? 'a file' : 'files'} the ` +
        `starter would overwrite: ` +
        `${result.existing.join(', ')}\nNothing was written; --force overwrites ` +
        `${result.existing.length === 1 ? 'it' : 'them'}.\n`,
    );
    return exitCodes.environment;
  }
  const next =
    shown === '.' ? 'imprint build' : `cd ${shown.includes(' ') ? JSON.stringify(shown) : shown} && imprint build`;
  io.stdout(
    [
      `Started a project in ${shown}${result.existing.length > 0 ? ` (overwrote ${result.existing.join(', ')})` : ''}:`,
      ...result.written.map((file) => `  ${file}`),
      '',
      `Next: ${next}   (the PDF, the EPUB and the HTML page in dist/)`,
      '',
    ].join('\n'),
  );
  return exitCodes.ok;
}
