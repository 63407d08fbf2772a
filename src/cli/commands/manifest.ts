import path from 'node:path';
import { EnvironmentError, mergeManifests } from '../../api.js';
import { parseCommand } from '../arguments.js';
import { exitCodes, printMessages, type Io } from '../io.js';

export const manifestUsage = `Usage: imprint manifest merge MANIFEST... --out DIR [options]

Combine the manifest.json files of several builds (the shards of a CI matrix,
each beside its editions) into one. Checks every edition against its size and
SHA-256, copies the editions into DIR and writes DIR/manifest.json and
DIR/SHA256SUMS. A manuscript in two manifests, two editions with one name, a
shard missing from the set or different tool versions are errors, and then
nothing is written.

Options:
  -o, --out DIR    folder for the editions, the merged manifest and SHA256SUMS (required)
  -q, --quiet      print only problems
      --json       print diagnostics as JSON on stdout
  -h, --help       show this help`;

/** `imprint manifest merge` */
export async function manifestCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommand(
    argv,
    {
      out: { type: 'string', short: 'o' },
      quiet: { type: 'boolean', short: 'q', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    manifestUsage,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [action, ...manifests] = positionals;
  if (action !== 'merge') {
    io.stderr(
      `imprint: ${action === undefined ? 'missing' : `unknown`} manifest ` +
        `action${action ? ` \`${action}\`` : ''}\n\n${manifestUsage}\n`,
    );
    return exitCodes.environment;
  }
  if (manifests.length === 0 || values.out === undefined) {
    io.stderr(`imprint: manifest merge needs at least one manifest and --out DIR\n\n${manifestUsage}\n`);
    return exitCodes.environment;
  }
  let result: Awaited<ReturnType<typeof mergeManifests>>;
  try {
    result = await mergeManifests({ manifests, outDir: values.out });
  } catch (cause) {
    // The output folder locked by a build, or not writable: said with its path.
    if (!(cause instanceof EnvironmentError)) throw cause;
    io.stderr(`imprint: ${cause.message}\n`);
    return exitCodes.environment;
  }
  printMessages(result.files, values, io);
  if (!result.ok || !result.manifest) return exitCodes.inputs;
  if (!values.quiet && !values.json) {
    const editions = result.manifest.reports.reduce((sum, report) => sum + report.editions.length, 0);
    const reports = result.manifest.reports.length;
    io.stderr(
      `merged ${manifests.length} manifest${manifests.length === 1 ? '' : 's'}: ` +
        `${reports} report${reports === 1 ? '' : 's'}, ` +
        `${editions} edition${editions === 1 ? '' : 's'} in ${values.out}${path.sep}` +
        ` (manifest.json, SHA256SUMS)\n`,
    );
  }
  return exitCodes.ok;
}
