import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { descendantsOf, ended, killProcesses, pastWriting } from '../browser/process-tree.js';
import { exitCodes, type InterruptSignal } from './io.js';

/**
 * The `imprint` command runs in a process of its own (child.ts), so that this one, which receives SIGINT and
 * SIGTERM, is never the one that is busy: parsing a long manuscript, running the plugins, serializing the HTML or
 * laying out the EPUB are synchronous and can each hold a process for seconds. This process prints what the command
 * says, passes each signal on, and, if the command has not ended within {@link interruptGraceMs} (it is in the
 * middle of synchronous work, or does not listen), kills its process with SIGKILL (which takes no longer however
 * much memory it holds), kills the browsers it started, removes their profile folders and settles the output
 * folders it held as the next build would (decision 077).
 */

/** What the command's process is told first. */
export interface CommandData {
  isTTY: boolean;
  columns: number | undefined;
  /** This process: the command's stops if its parent is not this one any more. */
  supervisor: number;
}

/** Sent to the command's process. */
export type ToCommand =
  | ({ kind: 'start' } & CommandData)
  | { kind: 'interrupt'; signal: InterruptSignal }
  | { kind: 'resize'; columns: number | undefined };

/** Sent by the command's process. */
export type FromCommand =
  | { kind: 'stdout' | 'stderr'; text: string }
  /** Whether the command listens for interrupts now (an interrupt it does not listen for stops it at once). */
  | { kind: 'listening'; listening: boolean }
  /** An interrupt was passed to the command's listeners: its process is not held by synchronous work. */
  | { kind: 'heard' }
  /** An output folder it is about to lock, and the first folder it made for it. */
  | { kind: 'locking'; outDir: string; made: string | undefined }
  | { kind: 'unlocked'; outDir: string }
  | { kind: 'done'; code: number }
  /**
   * It failed where nothing could catch the error (said already): it is stopped as after an interrupt it did not
   * hear, and what it started cleaned up after, but it ends with this code and says nothing more.
   */
  | { kind: 'failed'; code: number };

/**
 * How long a command that listens for interrupts has to end by itself after one (killing its browser, writing the
 * reports it finished) before its process is killed. Killing it and cleaning up after it take a few tens of
 * milliseconds to a couple of hundred on a loaded machine, so an interrupt is obeyed within a second.
 */
export const interruptGraceMs = 300;

/**
 * How long the command's process has to say it heard the interrupt: one that does not is held by synchronous work
 * (parsing a long manuscript), which would not see the interrupt before it ends, and is killed at once.
 */
export const heardWithinMs = 200;

/**
 * `setpriv` (util-linux) starts the command's process with a parent-death signal: the kernel kills it with SIGKILL
 * when this process ends, however it ends (SIGKILL included), and its browser, driven over a pipe, follows it.
 * Where there is none, the command's process stops when it sees its channel to this one close.
 */
function parentDeathPrefix(): string[] {
  if (process.platform !== 'linux') return [];
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    if (folder && path.isAbsolute(folder) && existsSync(path.join(folder, 'setpriv'))) {
      return [path.join(folder, 'setpriv'), '--pdeathsig', 'KILL', '--'];
    }
  }
  return [];
}

/** Start the command's process. Called on the main thread: a parent-death signal follows the thread that forks. */
function startCommand(argv: string[]): ChildProcess {
  const entry = fileURLToPath(new URL('./child.js', import.meta.url));
  const [program, ...prefix] = [...parentDeathPrefix(), process.execPath];
  // Detached (a process group of its own): a Ctrl-C, or a signal to imprint's process group, reaches this process
  // only, which passes it on; the command's output comes as messages, so nothing of it is lost on exit. (On
  // Windows, detached would give it a console of its own.)
  return spawn(program!, [...prefix, ...process.execArgv, entry, ...argv], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
}

/** Run the command line in a process of its own; returns the exit code. */
export function supervise(argv: string[]): Promise<number> {
  return new Promise<number>((resolve) => {
    const child = startCommand(argv);
    let done: number | undefined;
    let listening = false;
    const folders = new Map<string, string | undefined>();
    let grace: NodeJS.Timeout | undefined;
    let unheard: NodeJS.Timeout | undefined;
    let stopping: Promise<void> | undefined;
    let ended = false;
    /** The command said it was interrupted: a stop need not say it again. */
    let said = false;
    // Resolved when the process has ended and every message it sent has been handled.
    const closed = new Promise<void>((resolveClosed) => child.on('close', () => resolveClosed()));

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
    const send = (message: ToCommand) => {
      if (child.connected) child.send(message, undefined, undefined, () => undefined);
    };

    /** Kill the command's process now, and clean up after it; `failed`: it failed, with this exit code. */
    const stop = (why: string, failed?: number) =>
      (stopping ??= (async () => {
        const started = performance.now();
        const pid = child.pid!;
        const cleaning = cleanUp();
        // Stopped first, so that it starts nothing while the processes it started are looked for; they are looked
        // for before it is killed, while /proc still says whose they are (its orphans get another parent).
        signal(pid, 'SIGSTOP');
        const processes = descendantsOf(pid);
        signal(pid, 'SIGKILL');
        killProcesses(processes);
        // Its memory is freed after that, which can take long: nothing it wrote is left half-done once it is past
        // writing. What it sent before it was killed is read on the next turns of the event loop.
        let killed = 0;
        const pastWriting = Promise.race([closed, pastWritingOf(pid)])
          .then(() => new Promise((next) => setImmediate(next)))
          .then(() => new Promise((next) => setImmediate(next)))
          .then(() => void (killed = performance.now()));
        const completed = await (await cleaning)(folders, {
          command: pid,
          processes,
          profiles: process.pid,
          pastWriting,
        });
        const { code, message } = failed === undefined ? stoppedCommand(argv[0], completed) : { code: failed };
        // It may have heard the interrupt and said how it ends, and been killed as it was ending.
        if (message && !said) process.stderr.write(message);
        // The end of its process is not waited for.
        child.channel?.unref();
        child.unref();
        if (process.env.IMPRINT_DEBUG) {
          const ms = (from: number, to: number) => `${(to - from).toFixed(0)} ms`;
          process.stderr.write(
            `imprint: ${why}: process killed in ${ms(started, killed)}, ` +
              `cleaned up after in ${ms(killed, performance.now())}\n`,
          );
        }
        finish(code);
      })());

    function onSignal(received: InterruptSignal): void {
      if (ended) return;
      if (done !== undefined) {
        // Done, and only ending its process: there is nothing left to stop.
        signal(child.pid!, 'SIGKILL');
        void closed.then(() => finish(done!));
        return;
      }
      // A second signal, or one the command does not listen for, stops it at once.
      if (!listening || grace !== undefined) {
        void stop(listening ? 'a second interrupt' : 'an interrupt the command does not listen for');
        return;
      }
      send({ kind: 'interrupt', signal: received });
      grace = setTimeout(() => void stop('the command did not end in time'), interruptGraceMs);
      unheard = setTimeout(() => void stop('the command is busy and did not hear the interrupt'), heardWithinMs);
    }
    function resize(): void {
      send({ kind: 'resize', columns: process.stderr.columns });
    }

    child.on('message', (message: FromCommand) => {
      if (message.kind === 'stdout') process.stdout.write(message.text);
      else if (message.kind === 'stderr') {
        process.stderr.write(message.text);
        if (/^imprint: interrupted\b/m.test(message.text)) said = true;
      } else if (message.kind === 'listening') {
        listening = message.listening;
        // Loaded while this process waits, not when a stop needs them: on a loaded machine, loading them took a
        // good part of the second a stop has.
        void cleanUp();
      } else if (message.kind === 'heard') clearTimeout(unheard);
      else if (message.kind === 'locking') folders.set(message.outDir, message.made);
      else if (message.kind === 'unlocked') folders.delete(message.outDir);
      else if (message.kind === 'done') done = message.code;
      else if (message.kind === 'failed') void stop('the command failed', message.code);
    });
    child.on('error', (cause) => {
      process.stderr.write(`imprint: internal error: cannot start the command: ${cause.message}\n`);
      finish(exitCodes.environment);
    });
    void closed.then(async () => {
      if (stopping || ended) return;
      if (done !== undefined) return finish(done);
      // Ended without saying how (killed by someone else, or out of memory): clean up after it as after a stop.
      const pid = child.pid!;
      const how = child.signalCode ?? `exit code ${child.exitCode}`;
      process.stderr.write(`imprint: internal error: the command's process ended (${how})\n`);
      await (await cleanUp())(folders, { command: pid, profiles: process.pid });
      finish(exitCodes.environment);
    });
    send({
      kind: 'start',
      isTTY: process.stderr.isTTY === true,
      columns: process.stderr.columns,
      supervisor: process.pid,
    });
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (process.stderr.isTTY) process.stderr.on('resize', resize);
  });
}

/** How long processes killed with SIGKILL are waited for (only one in uninterruptible sleep takes any time). */
const killedWithinMs = 2_000;

/**
 * Resolved once processes killed with SIGKILL have ended (a zombie at most, which holds nothing), or after
 * {@link killedWithinMs}. Where that cannot be seen (no /proc), at once.
 */
async function killedProcesses(pids: number[]): Promise<void> {
  const until = performance.now() + killedWithinMs;
  if (pids.length === 0 || pastWriting(pids[0]!) === undefined) return;
  while (!pids.every(ended) && performance.now() < until) {
    await new Promise((next) => setTimeout(next, 5));
  }
}

/** Resolved once a process that was killed can no longer write anything; never where that cannot be seen. */
async function pastWritingOf(pid: number): Promise<void> {
  for (;;) {
    const past = pastWriting(pid);
    if (past === undefined) return new Promise<void>(() => undefined);
    if (past) return;
    await new Promise((next) => setTimeout(next, 5));
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone already, or a signal this system does not have.
  }
}

/** Whose processes, profile folders and output folders to clean up after a command that was stopped. */
export interface Stopped {
  /** The command's process: the temporary files of the locks it took are named after it. */
  command: number;
  /** The processes it started, found before it was killed; by default, those it has started now. */
  processes?: ReadonlyArray<{ pid: number; group: number }>;
  /** The process the profile folders of its browsers are named after. */
  profiles: number | undefined;
  /** Resolved once the command's process can write nothing more (by default, it cannot now). */
  pastWriting?: Promise<void>;
}

/**
 * What follows a stopped command: its browsers killed (every process it started, each with its process group),
 * their profile folders removed, its output folders settled. The modules are loaded once, when the command first
 * says it listens for interrupts (or when it is stopped before). The function returned says whether a set of
 * editions was completed in an output folder.
 */
function cleanUp(): Promise<Cleaner> {
  cleaner ??= loadCleaner();
  return cleaner;
}

type Cleaner = (folders: Map<string, string | undefined>, stopped: Stopped) => Promise<boolean>;
let cleaner: Promise<Cleaner> | undefined;

async function loadCleaner(): Promise<Cleaner> {
  const [{ removeProfilesOf }, { settleStopped }] = await Promise.all([
    import('../browser/profile.js'),
    import('../release/write-editions.js'),
  ]);
  return async (folders, stopped) => {
    const processes = stopped.processes ?? descendantsOf(stopped.command);
    killProcesses(processes);
    // Once the browsers can write nothing more, their profile folders are removed while the command's process is
    // ending. Waited for too so that none is left when imprint exits: an orphan's process is reaped by the system's
    // first process, which on some machines takes a second, and till then is seen as running.
    await killedProcesses(processes.map(({ pid }) => pid));
    const removing = stopped.profiles === undefined ? undefined : removeProfilesOf(stopped.profiles);
    await stopped.pastWriting;
    // Neither the command nor its browser runs any more: nothing else writes the folders.
    let completed = false;
    for (const [outDir, made] of folders) {
      completed = (await settleStopped(outDir, made, stopped.command)) || completed;
    }
    await removing;
    return completed;
  };
}

/**
 * Stop a command in this process, whose supervisor is gone: kill what it started, remove its profile folders,
 * settle its output folders, say so on stderr as the supervisor would have; returns the exit code.
 */
export async function afterStopped(
  command: string | undefined,
  folders: Map<string, string | undefined>,
  stopped: Stopped,
): Promise<number> {
  const { code, message } = stoppedCommand(command, await (await cleanUp())(folders, stopped));
  if (message) process.stderr.write(message);
  return code;
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
