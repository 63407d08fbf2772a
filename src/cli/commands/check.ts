import path from 'node:path';
import { check } from '../../api.js';
import { parseCommand } from '../arguments.js';
import { exitCodes, printMessages, type Io } from '../io.js';

export const checkUsage = `Usage: imprint check [MANUSCRIPT...] [options]

Check manuscripts without building them: front matter, directives, data files
against their schemas, cross-references, and every number and date the prose
quotes against the data it comes from. A quote that disagrees with the data is
a warning at the quote naming the data's value and its place. Without a
manuscript: the \`manuscripts\` of the project configuration file
(imprint.config.yaml, .yml or .json in this folder), else manuscript/report.md,
the same as \`imprint build\`.

Options:
  -c, --config FILE  project configuration file (default: imprint.config.yaml/.yml/.json here)
      --no-config    read no configuration file
      --root DIR    folder the manuscript's files must stay inside (default: its folder)
      --allow-remote fetch remote images and data files to check them (default: refuse them)
      --strict      warnings fail the check (exit 1)
  -q, --quiet       print only errors
      --json        print diagnostics as JSON on stdout
  -h, --help        show this help`;

/** `imprint check` */
export async function checkCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommand(
    argv,
    {
      config: { type: 'string', short: 'c' },
      'no-config': { type: 'boolean', default: false },
      root: { type: 'string' },
      strict: { type: 'boolean' },
      'allow-remote': { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    checkUsage,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (values.config !== undefined && values['no-config']) {
    io.stderr('imprint: --config and --no-config cannot be used together\n');
    return exitCodes.environment;
  }
  const result = await check({
    manuscripts: positionals.length > 0 ? positionals : undefined,
    config: values['no-config'] ? false : values.config,
    strict: values.strict,
    allowRemote: values['allow-remote'],
    projectRoot: values.root || undefined,
  });
  const checked = result.manuscripts.map((manuscript) => path.relative(process.cwd(), manuscript) || manuscript);
  printMessages(result.files, values, io);
  if (!values.quiet && !values.json) {
    const count = (fatal: boolean) =>
      result.files.reduce((sum, file) => sum + file.messages.filter((message) => message.fatal === fatal).length, 0);
    const errors = count(true);
    const warnings = count(false);
    if (errors === 0 && warnings === 0)
      io.stderr(`checked ${checked.join(', ')}: the prose agrees with the data, no problems\n`);
    else if (result.ok) io.stderr('warnings do not fail the check; --strict makes them\n');
  }
  return result.ok ? exitCodes.ok : exitCodes.inputs;
}
