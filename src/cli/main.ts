import { parseArgs } from 'node:util';
import type { VFile } from 'vfile';
import { build, EnvironmentError, formats, type Format, type ProgressEvent } from '../api.js';
import type { Paper } from '../config/metadata.js';
import { toolName, toolVersion } from '../version.js';
import { formatReport } from './reporter.js';

/** Exit codes, documented in the README. */
export const exitCodes = { ok: 0, inputs: 1, environment: 2 } as const;

const usage = `Usage: imprint build [MANUSCRIPT...] [options]

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
  -h, --help                    show this help
  -v, --version                 show the version

Exit codes: 0 success, 1 problems in the inputs, 2 usage or environment.`;

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Run the command line; returns the exit code. Never throws. */
export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
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
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (cause) {
    io.stderr(`imprint: ${(cause as Error).message}\n\n${usage}\n`);
    return exitCodes.environment;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${usage}\n`);
    return exitCodes.ok;
  }
  if (values.version) {
    io.stdout(`${toolName} ${toolVersion}\n`);
    return exitCodes.ok;
  }
  const [command = 'build', ...manuscripts] = positionals;
  if (command !== 'build') {
    io.stderr(`imprint: unknown command \`${command}\`\n\n${usage}\n`);
    return exitCodes.environment;
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
      onProgress: values.quiet || values.json ? undefined : (event) => io.stderr(progressLine(event)),
    });
    report(result.files, values, io);
    if (!result.ok) return exitCodes.inputs;
    if (!values.quiet && !values.json) {
      for (const edition of result.reports.flatMap((r) => r.editions)) {
        io.stderr(`wrote ${edition.path} (${formatBytes(edition.bytes.byteLength)})\n`);
      }
      io.stderr(`done in ${Math.round(performance.now() - started)} ms\n`);
    }
    return exitCodes.ok;
  } catch (cause) {
    if (controller.signal.aborted) {
      io.stderr('imprint: interrupted; no edition was written\n');
      return 130;
    }
    if (cause instanceof EnvironmentError) {
      io.stderr(`imprint: ${cause.message}\n`);
      return exitCodes.environment;
    }
    io.stderr(`imprint: internal error: ${(cause as Error)?.message ?? String(cause)}\n`);
    if (process.env.IMPRINT_DEBUG) io.stderr(`${(cause as Error)?.stack}\n`);
    return exitCodes.environment;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

function report(files: VFile[], values: { quiet?: boolean; json?: boolean }, io: Io) {
  const withMessages = files.filter((file) => file.messages.length > 0);
  if (values.json) {
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
  const text = formatReport(withMessages, { quiet: values.quiet ?? false });
  if (text) io.stderr(text);
}

function progressLine(event: ProgressEvent): string {
  const who = event.manuscript ? `${event.manuscript}  ` : '';
  return `${who}${event.stage.padEnd(9)} ${event.ms.toFixed(0).padStart(6)} ms\n`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
