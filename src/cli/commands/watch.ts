import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  build,
  EnvironmentError,
  forgetLoadedTemplates,
  startBrowser,
  type BuildOptions,
  type WarmBrowser,
} from '../../api.js';
import { defaultTemplateDir, templateFiles } from '../../writers/print-page/templates.js';
import { changeBatches, watchFiles } from '../../run/watch-files.js';
import { parseCommand, parseFormats, parsePaper, parseTimeout, usageError } from '../arguments.js';
import { changedReason, exitCodes, onInterrupt, printMessages, stageLine, type Io } from '../io.js';

export const watchUsage = `Usage: imprint watch [MANUSCRIPT] [options]

Build a manuscript (default: manuscript/report.md), then keep one browser
running and build again each time the manuscript, a file it reads (included
parts, data files, images) or a template is saved. Only the editions a
change affects are made again (a change to epub.css makes only the EPUB);
earlier editions stay when a build has problems, which are printed and wait
for the next save. Ctrl-C (or SIGTERM) stops the build under way (its editions
are not written), closes the browser and exits 0; exit 2 when the browser
cannot be started or stops working.

Options:
  -o, --out DIR                 output folder (default: dist)
  -f, --format LIST             editions to keep up to date: html,pdf,epub (default: all)
      --paper a4|letter         paper size of the PDF (overrides front matter)
      --browser PATH            Chromium or Chrome to print with
      --browser-timeout SECONDS longest wait for one step of the browser (default: 60)
      --browser-ws-endpoint URL print through an already running Chromium
      --root DIR                folder the manuscript's files must stay inside
                                (default: the manuscript's folder)
      --templates DIR           template folder (default: the shipped templates)
      --allow-remote            fetch remote images and data files
  -q, --quiet                   print only problems and the line of each build
      --verbose                 print a line as each stage of a build ends, with its time
  -h, --help                    show this help`;

/** `imprint watch` */
export async function watchCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommand(
    argv,
    {
      out: { type: 'string', short: 'o' },
      format: { type: 'string', short: 'f' },
      paper: { type: 'string' },
      browser: { type: 'string' },
      'browser-timeout': { type: 'string' },
      'browser-ws-endpoint': { type: 'string' },
      root: { type: 'string' },
      templates: { type: 'string' },
      'allow-remote': { type: 'boolean', default: false },
      quiet: { type: 'boolean', short: 'q', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    watchUsage,
    io,
  );
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    io.stderr('imprint: watch takes one manuscript\n');
    return exitCodes.environment;
  }
  const wanted = values.format === undefined ? undefined : parseFormats(values.format);
  if (typeof wanted === 'string') return usageError(io, wanted);
  const paper = values.paper === undefined ? undefined : parsePaper(values.paper);
  if (paper !== undefined && paper !== 'a4' && paper !== 'letter') return usageError(io, paper);
  const timeoutMs = values['browser-timeout'] === undefined ? undefined : parseTimeout(values['browser-timeout']);
  if (typeof timeoutMs === 'string') return usageError(io, timeoutMs);
  if (values.quiet && values.verbose) return usageError(io, '--quiet and --verbose cannot be used together');

  const manuscript = path.resolve(positionals[0] ?? 'manuscript/report.md');
  const outDir = path.resolve(values.out ?? 'dist');
  const root = path.resolve(values.root ?? path.dirname(manuscript));
  const templateDir = values.templates !== undefined ? path.resolve(values.templates) : undefined;
  const needsBrowser = !wanted || wanted.some((format) => format !== 'html');

  const shownAtStart = path.relative(process.cwd(), manuscript) || manuscript;
  // Nothing starts (no browser) for a manuscript that is not there.
  if (!existsSync(manuscript)) {
    io.stderr(
      positionals[0] === undefined
        ? `imprint: no manuscript named, and no ${shownAtStart} here: start a project with \`imprint init\`, ` +
            'or name a manuscript (`imprint watch report.md`)\n'
        : `imprint: cannot find the manuscript ${shownAtStart}\n`,
    );
    return exitCodes.inputs;
  }
  if (!values.quiet) {
    io.stderr(`imprint watch: starting ${needsBrowser ? 'a browser and ' : ''}the first build of ${shownAtStart}…\n`);
  }
  let browser: WarmBrowser | undefined;
  try {
    if (needsBrowser) {
      browser = await startBrowser({
        executablePath: values.browser || undefined,
        wsEndpoint: values['browser-ws-endpoint'] || undefined,
        timeoutMs,
      });
    }
  } catch (cause) {
    if (cause instanceof EnvironmentError) {
      io.stderr(`imprint: ${cause.message}\n`);
      return exitCodes.environment;
    }
    throw cause;
  }

  const options: BuildOptions = {
    manuscripts: [manuscript],
    config: false,
    outDir,
    formats: wanted,
    paper,
    projectRoot: values.root !== undefined ? root : undefined,
    templateDir,
    allowRemote: values['allow-remote'] ? true : undefined,
    warmBrowser: browser,
  };
  const shown = (file: string) => path.relative(process.cwd(), file) || file;
  // What the editions depend on: the files the last build read, and the templates.
  const templateFolder = templateDir ?? defaultTemplateDir;
  const templates = templateFiles.map((name) => path.join(templateFolder, name));
  let inputs: string[] = [manuscript];
  let lastFailed = false;
  // Ctrl-C stops the build under way (see `stop`); until the first build is done, only that.
  let stopping = false;
  let current: AbortController | undefined;
  let stopNow: () => void = () => undefined;
  const stopListening = onInterrupt(io, () => {
    stopListening();
    stopping = true;
    current?.abort(new Error('interrupted'));
    stopNow();
  });

  /** One build; never throws (a failed build is reported and waits for the next save). */
  const rebuild = async (reason: string): Promise<boolean> => {
    const started = performance.now();
    const stages = new Map<string, number>();
    const controller = new AbortController();
    current = controller;
    if (stopping) controller.abort(new Error('interrupted'));
    try {
      const result = await build({
        ...options,
        signal: controller.signal,
        onProgress: (event) => {
          if (event.kind !== 'stage') return;
          stages.set(event.stage, (stages.get(event.stage) ?? 0) + event.ms);
          if (values.verbose) io.stderr(stageLine(event.manuscript, event.stage, event.ms));
        },
      });
      printMessages(result.files, { quiet: values.quiet }, io);
      const report = result.reports[0];
      if (report && report.inputs.length > 0) inputs = [...new Set([manuscript, ...report.inputs])];
      lastFailed = !result.ok;
      const made =
        report?.editions
          .filter((edition) => edition.status === 'built')
          .map((edition) => path.basename(edition.path)) ?? [];
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      if (!result.ok)
        io.stderr(
          `${reason}: problems, listed above; the editions in ${shown(outDir)} are the last good ones (${seconds} s)\n`,
        );
      else if (made.length === 0) io.stderr(`${reason}: every edition up to date (${seconds} s)\n`);
      else {
        const detail = values.quiet
          ? ''
          : ` (${[...stages].map(([stage, ms]) => `${stage} ${ms.toFixed(0)} ms`).join(', ')})`;
        io.stderr(`${reason}: built ${made.join(', ')} in ${seconds} s${detail}\n`);
      }
      return true;
    } catch (cause) {
      lastFailed = true;
      // Stopped by Ctrl-C: nothing more to say.
      if (controller.signal.aborted) return true;
      io.stderr(`imprint: ${cause instanceof Error ? cause.message : String(cause)}\n`);
      return !(cause instanceof EnvironmentError);
    } finally {
      if (current === controller) current = undefined;
    }
  };

  const firstOk = await rebuild('first build');
  if (!firstOk || stopping) {
    stopListening();
    await (stopping ? browser?.session.close({ now: true }) : browser?.close());
    return firstOk ? exitCodes.ok : exitCodes.environment;
  }

  return new Promise<number>((resolve) => {
    let failed = false;
    const changes = changeBatches(
      async (files) => {
        if (files.some((file) => templates.includes(file))) forgetLoadedTemplates();
        const ok = await rebuild(changedReason([...new Set(files.map(shown))]));
        if (stopping) return;
        follow();
        if (!ok) {
          failed = true;
          void stop(false);
        }
      },
      () => stopping,
    );
    const watcher = watchFiles({ onChange: changes.add });
    /** Watch what the last build read and the templates; after a failure, any file saved beside the manuscript too. */
    const follow = () => watcher.watch([...inputs, ...templates], lastFailed ? [path.dirname(manuscript)] : []);
    follow();
    io.stderr(
      `ready: watching ${shown(manuscript)}, the ` +
        `${inputs.length - 1} file${inputs.length === 2 ? '' : 's'} it reads and the templates in ` +
        `${shown(templateFolder)} (Ctrl-C stops)\n`,
    );
    let closing: Promise<void> | undefined;
    /** Stop watching: interrupted, the build under way stops, and the browser is killed rather than closed. */
    const stop = (interrupted: boolean) =>
      (closing ??= (async () => {
        stopping = true;
        stopListening();
        watcher.close();
        current?.abort(new Error('interrupted'));
        // The build under way, if any, stops: its steps in the browser fail at once, and it writes nothing new.
        await (interrupted ? browser?.session.close({ now: true }) : browser?.close());
        await changes.settled();
        resolve(failed ? exitCodes.environment : exitCodes.ok);
      })());
    stopNow = () => void stop(true);
  });
}
