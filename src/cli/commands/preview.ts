import path from 'node:path';
import { build, forgetLoadedTemplates, type BuildOptions } from '../../api.js';
import { startPreviewServer } from '../../run/preview-server.js';
import { defaultTemplateDir } from '../../writers/print-page/templates.js';
import { changeBatches, watchFiles } from '../../run/watch-files.js';
import { parseCommand } from '../arguments.js';
import { changedReason, exitCodes, onInterrupt, printMessages, type Io } from '../io.js';
import { formatReport } from '../reporter.js';

export const previewUsage = `Usage: imprint preview [MANUSCRIPT] [options]

Serve the HTML edition of a manuscript (default: manuscript/report.md) on
localhost and reload the page in the browser each time a file of the project
or a template is saved. Problems are shown over the page and printed here.
Nothing is written to disk. Ctrl-C stops.

Options:
  -p, --port N          port (default: 4173; 0 for any free port)
      --host HOST       address to listen on (default: 127.0.0.1, this machine only)
      --root DIR        folder the manuscript's files must stay inside
                        (default: the manuscript's folder)
      --templates DIR   template folder (default: the shipped templates)
      --allow-remote    fetch remote images and data files
  -h, --help            show this help`;

/** `imprint preview` */
export async function previewCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommand(
    argv,
    {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      root: { type: 'string' },
      templates: { type: 'string' },
      'allow-remote': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    previewUsage,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const port = values.port === undefined ? 4173 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr(`imprint: --port takes a port number, 0 to 65535 (got ${values.port})\n`);
    return exitCodes.environment;
  }
  if (positionals.length > 1) {
    io.stderr('imprint: preview takes one manuscript\n');
    return exitCodes.environment;
  }
  const manuscript = path.resolve(positionals[0] ?? 'manuscript/report.md');
  const root = path.resolve(values.root ?? path.dirname(manuscript));
  const templateDir = values.templates !== undefined ? path.resolve(values.templates) : undefined;
  const options: BuildOptions = {
    manuscripts: [manuscript],
    config: false,
    formats: ['html'],
    write: false,
    projectRoot: values.root !== undefined ? root : undefined,
    templateDir,
    allowRemote: values['allow-remote'] ? true : undefined,
  };

  let server: Awaited<ReturnType<typeof startPreviewServer>>;
  try {
    server = await startPreviewServer({ port, host: values.host || undefined });
  } catch (cause) {
    io.stderr(`imprint: cannot serve the preview: ${cause instanceof Error ? cause.message : String(cause)}\n`);
    return exitCodes.environment;
  }
  const preview = server;
  // What the page depends on: the files the last build read, and the print style sheet.
  const printCss = path.join(templateDir ?? defaultTemplateDir, 'print.css');
  let inputs: string[] = [manuscript];
  let lastFailed = false;

  const refresh = async (reason: string) => {
    const started = performance.now();
    try {
      const result = await build(options);
      printMessages(result.files, {}, io);
      const report = result.reports[0];
      if (report && report.inputs.length > 0) inputs = [...new Set([manuscript, ...report.inputs])];
      lastFailed = !result.ok;
      const html = result.reports[0]?.editions.find((edition) => edition.format === 'html');
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      if (result.ok && html) {
        preview.show(new TextDecoder().decode(html.bytes));
        io.stderr(`${reason}: page reloaded (${seconds} s)\n`);
      } else {
        preview.showProblems(
          formatReport(
            result.files.filter((file) => file.messages.length > 0),
            { quiet: false },
          ),
        );
        io.stderr(`${reason}: problems, shown on the page (${seconds} s)\n`);
      }
    } catch (cause) {
      lastFailed = true;
      const message = cause instanceof Error ? cause.message : String(cause);
      preview.showProblems(message);
      io.stderr(`imprint: ${message}\n`);
    }
  };

  await refresh('first build');
  io.stderr(`preview of ${path.relative(process.cwd(), manuscript) || manuscript} at ${preview.url} (Ctrl-C stops)\n`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const changes = changeBatches(
      async (files) => {
        if (files.includes(printCss)) forgetLoadedTemplates();
        await refresh(changedReason([...new Set(files.map((file) => path.relative(process.cwd(), file) || file))]));
        follow();
      },
      () => stopping,
    );
    const watcher = watchFiles({ onChange: changes.add });
    /** Watch what the last build read and print.css; after a failure, any file saved beside the manuscript too. */
    const follow = () => watcher.watch([...inputs, printCss], lastFailed ? [path.dirname(manuscript)] : []);
    follow();
    const stop = async () => {
      stopping = true;
      stopListening();
      watcher.close();
      await changes.settled();
      await preview.close();
      resolve(exitCodes.ok);
    };
    const stopListening = onInterrupt(io, () => void stop());
  });
}
