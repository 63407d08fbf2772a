import { Worker } from 'node:worker_threads';
import { exitCodes, type InterruptSignal } from './io.js';

/**
 * The `imprint` command runs on a thread of its own (worker.ts), so that the main thread, which receives SIGINT and
 * SIGTERM, is never the one that is busy: parsing a long manuscript, running the plugins, serializing the HTML or
 * laying out the EPUB are synchronous and can each hold a thread for seconds. The main thread prints what the
 * command says, passes each signal on, and, if the command has not ended within {@link interruptGraceMs} (it is in
 * the middle of synchronous work, or does not listen), stops its thread, kills the browsers it started, removes
 * their profile folders and settles the output folders it held as the next build would (decision 077).
 */

/** What the command's thread is given. */
export interface CommandData {
  argv: string[];
  isTTY: boolean;
  columns: number | undefined;
}

/** Sent to the command's thread. */
export type ToCommand =
  | { kind: 'interrupt'; signal: InterruptSignal }
  | { kind: 'resize'; columns: number | undefined };

/** Sent by the command's thread. */
export type FromCommand =
  | { kind: 'stdout' | 'stderr'; text: string }
  /** Whether the command listens for interrupts now (an interrupt it does not listen for stops its thread at once). */
  | { kind: 'listening'; listening: boolean }
  /** An interrupt was passed to the command's listeners: its thread is not held by synchronous work. */
  | { kind: 'heard' }
  /** An output folder it is about to lock, and the first folder it made for it. */
  | { kind: 'locking'; outDir: string; made: string | undefined }
  | { kind: 'unlocked'; outDir: string }
  | { kind: 'done'; code: number };

/**
 * How long a command that listens for interrupts has to end by itself after one (closing its browser, writing the
 * reports it finished) before its thread is stopped. Stopping the thread and cleaning up after it take a few tens
 * of milliseconds to a few hundred on a loaded machine, so an interrupt is obeyed within a second.
 */
export const interruptGraceMs = 500;

/**
 * How long its thread has to say it heard the interrupt: one that does not is held by synchronous work (parsing a
 * long manuscript), which would not see the interrupt before it ends, and is stopped at once.
 */
export const heardWithinMs = 200;

/** Run the command line on a thread of its own; returns the exit code. */
export function supervise(argv: string[]): Promise<number> {
  return new Promise<number>((resolve) => {
    const data: CommandData = { argv, isTTY: process.stderr.isTTY === true, columns: process.stderr.columns };
    const worker = new Worker(new URL('./worker.js', import.meta.url), { argv, workerData: data, stdin: false });
    let done: number | undefined;
    let listening = false;
    const folders = new Map<string, string | undefined>();
    let grace: NodeJS.Timeout | undefined;
    let unheard: NodeJS.Timeout | undefined;
    let stopping: Promise<void> | undefined;
    let ended = false;

    const finish = (code: number) => {
      if (ended) return;
      ended = true;
      clearTimeout(grace);
      clearTimeout(unheard);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.stderr.off('resize', resize);
      resolve(code);
    };

    /** Stop the command's thread now, and clean up after it. */
    const stop = (why: string) =>
      (stopping ??= (async () => {
        const started = performance.now();
        const cleaning = cleanUp();
        await worker.terminate();
        const terminated = performance.now();
        const code = await (await cleaning)(argv[0], folders);
        if (process.env.IMPRINT_DEBUG) {
          const ms = (from: number, to: number) => `${(to - from).toFixed(0)} ms`;
          process.stderr.write(
            `imprint: ${why}: thread stopped in ${ms(started, terminated)}, ` +
              `cleaned up after in ${ms(terminated, performance.now())}\n`,
          );
        }
        finish(code);
      })());

    function onSignal(signal: InterruptSignal): void {
      if (ended) return;
      if (done !== undefined) {
        // Done, and only ending its thread: there is nothing left to stop.
        void worker.terminate().then(() => finish(done!));
        return;
      }
      // A second signal, or one the command does not listen for, stops it at once.
      if (!listening || grace !== undefined) {
        void stop(listening ? 'a second interrupt' : 'an interrupt the command does not listen for');
        return;
      }
      worker.postMessage({ kind: 'interrupt', signal } satisfies ToCommand);
      grace = setTimeout(() => void stop('the command did not end in time'), interruptGraceMs);
      unheard = setTimeout(() => void stop('the command is busy and did not hear the interrupt'), heardWithinMs);
    }
    function resize(): void {
      worker.postMessage({ kind: 'resize', columns: process.stderr.columns } satisfies ToCommand);
    }

    worker.on('message', (message: FromCommand) => {
      if (message.kind === 'stdout') process.stdout.write(message.text);
      else if (message.kind === 'stderr') process.stderr.write(message.text);
      else if (message.kind === 'listening') listening = message.listening;
      else if (message.kind === 'heard') clearTimeout(unheard);
      else if (message.kind === 'locking') folders.set(message.outDir, message.made);
      else if (message.kind === 'unlocked') folders.delete(message.outDir);
      else if (message.kind === 'done') done = message.code;
    });
    worker.on('error', (cause) => {
      process.stderr.write(`imprint: internal error: ${cause instanceof Error ? cause.message : String(cause)}\n`);
      if (process.env.IMPRINT_DEBUG) process.stderr.write(`${cause instanceof Error ? cause.stack : ''}\n`);
    });
    // Every message the thread posted has been handled by the time it has exited.
    worker.on('exit', () => {
      if (!stopping) finish(done ?? exitCodes.environment);
    });
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (process.stderr.isTTY) process.stderr.on('resize', resize);
  });
}

/**
 * What follows a stopped command: its browsers killed (every process it started, each with its process group),
 * their profile folders removed, its output folders settled; then how the command ends, said on stderr. The modules
 * are loaded as the thread is being stopped.
 */
async function cleanUp(): Promise<
  (command: string | undefined, folders: Map<string, string | undefined>) => Promise<number>
> {
  const [{ killChildren }, { removeProfilesOf }, { settleStopped }] = await Promise.all([
    import('../browser/process-tree.js'),
    import('../browser/profile.js'),
    import('../release/write-editions.js'),
  ]);
  return async (command, folders) => {
    // Neither the thread nor its browser runs any more: nothing else writes the folders.
    killChildren(process.pid);
    await removeProfilesOf(process.pid);
    let completed = false;
    for (const [outDir, made] of folders) completed = (await settleStopped(outDir, made)) || completed;
    const { code, message } = stoppedCommand(command, completed);
    if (message) process.stderr.write(message);
    return code;
  };
}

/** How a command stopped by an interrupt ends: as it would have ended hearing it itself. */
function stoppedCommand(command: string | undefined, completed: boolean): { code: number; message?: string } {
  if (command === 'watch' || command === 'preview') return { code: exitCodes.ok };
  if (command === 'build') {
    return {
      code: exitCodes.interrupted,
      message: completed
        ? 'imprint: interrupted; reports finished before are written and in the manifest, no other edition was ' +
          'written\n'
        : 'imprint: interrupted; no edition of this run was written, the output folder is as it was\n',
    };
  }
  if (command === 'check')
    return { code: exitCodes.interrupted, message: 'imprint: interrupted; the check did not end\n' };
  return { code: exitCodes.interrupted, message: 'imprint: interrupted\n' };
}
