import { parseArgs } from 'node:util';
import { build, EnvironmentError, formats, type Format, type ProgressEvent } from '../../api.js';
import type { Paper } from '../../config/metadata.js';
import { exitCodes, formatBytes, printMessages, type Io } from '../io.js';

export const buildUsage = `Usage: imprint build [MANUSCRIPT...] [options]

Build the HTML, PDF and EPUB editions of a manuscript (default: manuscript/report.md).

Options:
  -o, --out DIR                 output folder (default: dist)
  -f, --format LIST             editions to make, comma separated: html,pdf,epub (default: all)
      --paper a4|letter         paper size of the PDF (overrides front matter)
      --browser PATH            Chromium or Chrome to print with
      --browser-ws-endpoint URL print through an already running Chromium
      --root DIR                folder the manuscript's files must stay inside (default: its folder)
      --templates DIR           template folder (default: the shipped templates)
      --strict                  warnings fail the build
  -q, --quiet                   print only problems
      --json                    print diagnostics as JSON on stdout
  -h, --help                    show this help`;

/** `imprint build` */
export async function buildCommand(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string', short: 'o' },
        format: { type: 'string', short: 'f' },
        paper: { type: 'string' },
        browser: { type: 'string' },
        'browser-ws-endpoint': { type: 'string' },
        root: { type: 'string' },
        templates: { type: 'string' },
        strict: { type: 'boolean', default: false },
        quiet: { type: 'boolean', short: 'q', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (cause) {
    io.stderr(`imprint: ${(cause as Error).message}\n\n${buildUsage}\n`);
    return exitCodes.environment;
  }
  const { values, positionals: manuscripts } = parsed;
  if (values.help) {
    io.stdout(`${buildUsage}\n`);
    return exitCodes.ok;
  }

  const wanted = (values.format ?? formats.join(',')).split(',').map((part) => part.trim().toLowerCase());
  const unknown = wanted.filter((part) => !(formats as readonly string[]).includes(part));
  if (unknown.length > 0 || wanted.length === 0) {
    io.stderr(`imprint: --format takes html, pdf and epub, comma separated (got ${values.format})\n`);
    return exitCodes.environment;
  }
  const paper = values.paper?.toLowerCase();
  if (paper !== undefined && paper !== 'a4' && paper !== 'letter') {
    io.stderr(`imprint: --paper takes a4 or letter (got ${values.paper})\n`);
    return exitCodes.environment;
  }

  const controller = new AbortController();
  const interrupt = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const started = performance.now();
  const verbose = !values.quiet && !values.json;
  try {
    const result = await build({
      manuscripts: manuscripts.length > 0 ? manuscripts : ['manuscript/report.md'],
      ...(values.out ? { outDir: values.out } : {}),
      formats: wanted as Format[],
      ...(paper ? { paper: paper as Paper } : {}),
      browser: {
        ...(values.browser ? { executablePath: values.browser } : {}),
        ...(values['browser-ws-endpoint'] ? { wsEndpoint: values['browser-ws-endpoint'] } : {}),
      },
      ...(values.root ? { projectRoot: values.root } : {}),
      ...(values.templates ? { templateDir: values.templates } : {}),
      strict: values.strict,
      signal: controller.signal,
      ...(verbose ? { onProgress: (event: ProgressEvent) => io.stderr(progressLine(event)) } : {}),
    });
    printMessages(result.files, values, io);
    if (!result.ok) return exitCodes.inputs;
    if (verbose) {
      for (const edition of result.reports.flatMap((report) => report.editions)) {
        io.stderr(`wrote ${edition.path} (${formatBytes(edition.bytes.byteLength)})\n`);
      }
      io.stderr(`done in ${Math.round(performance.now() - started)} ms\n`);
    }
    return exitCodes.ok;
  } catch (cause) {
    if (controller.signal.aborted) {
      io.stderr('imprint: interrupted; no edition was written\n');
      return exitCodes.interrupted;
    }
    if (cause instanceof EnvironmentError) {
      io.stderr(`imprint: ${cause.message}\n`);
      return exitCodes.environment;
    }
    throw cause;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

function progressLine(event: ProgressEvent): string {
  const who = event.manuscript ? `${event.manuscript}  ` : '';
  return `${who}${event.stage.padEnd(9)} ${event.ms.toFixed(0).padStart(6)} ms\n`;
}
