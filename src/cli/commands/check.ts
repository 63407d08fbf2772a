import { parseArgs } from 'node:util';
import { check } from '../../api.js';
import { exitCodes, printMessages, type Io } from '../io.js';

export const checkUsage = `Usage: imprint check [MANUSCRIPT...] [options]

Check a manuscript (default: manuscript/report.md) without building it: front
matter, directives, data files against their schemas, cross-references, and
every number and date the prose quotes against the data it comes from. A
quote that disagrees with the data is a warning at the quote naming the
data's value and its place.

Options:
      --root DIR    folder the manuscript's files must stay inside (default: its folder)
      --strict      warnings fail the check (exit 1)
  -q, --quiet       print only errors
      --json        print diagnostics as JSON on stdout
  -h, --help        show this help`;

/** `imprint check` */
export async function checkCommand(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        root: { type: 'string' },
        strict: { type: 'boolean', default: false },
        quiet: { type: 'boolean', short: 'q', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (cause) {
    io.stderr(`imprint: ${(cause as Error).message}\n\n${checkUsage}\n`);
    return exitCodes.environment;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${checkUsage}\n`);
    return exitCodes.ok;
  }
  const manuscripts = positionals.length > 0 ? positionals : ['manuscript/report.md'];
  const result = await check({ manuscripts, strict: values.strict, ...(values.root ? { projectRoot: values.root } : {}) });
  printMessages(result.files, values, io);
  if (!values.quiet && !values.json) {
    const count = (fatal: boolean) => result.files.reduce((sum, file) => sum + file.messages.filter((message) => message.fatal === fatal).length, 0);
    const errors = count(true);
    const warnings = count(false);
    if (errors === 0 && warnings === 0) io.stderr(`checked ${manuscripts.join(', ')}: the prose agrees with the data, no problems\n`);
    else if (result.ok) io.stderr('warnings do not fail the check; --strict makes them\n');
  }
  return result.ok ? exitCodes.ok : exitCodes.inputs;
}
