import { ownProfilesAs } from '../browser/profile.js';
import { ownOutputLocksAs, watchOutputFolders } from '../release/write-editions.js';
import { exitCodes, type InterruptSignal, type Io } from './io.js';
import { main } from './main.js';
import { afterStopped, type FromCommand, type ToCommand } from './supervisor.js';

/**
 * The process a command runs in (see supervisor.ts), started by the `imprint` process with an IPC channel. What it
 * prints, the output folders it locks and whether it listens for interrupts are sent to that process; the signals
 * it receives come back here as messages. If that process is gone (killed with SIGKILL), this one is killed with it
 * where the system can say so (Linux, `setpriv --pdeathsig`); elsewhere, it stops as soon as it sees its channel
 * close.
 */

if (!process.send) throw new Error('cli/child.js runs only as the command process of supervisor.js');
const argv = process.argv.slice(2);
let connected = true;
const post = (message: FromCommand, sent?: () => void) => {
  if (!connected) return sent?.();
  // A channel closed under it ends this process (below): what it could not send is lost with the supervisor.
  process.send!(message, undefined, undefined, () => sent?.());
};

const listeners = new Set<(signal: InterruptSignal) => void>();
const folders = new Map<string, string | undefined>();
let columns: number | undefined;
let isTTY = false;
let supervisor: number | undefined;
let done = false;

const started = new Promise<void>((resolve) => {
  process.on('message', (message: ToCommand) => {
    if (message.kind === 'start') {
      isTTY = message.isTTY;
      columns = message.columns;
      supervisor = message.supervisor;
      ownProfilesAs(supervisor);
      ownOutputLocksAs(supervisor);
      // Its supervisor was gone before this process could ask to be killed with it.
      if (process.ppid !== message.supervisor) void orphaned();
      else resolve();
    } else if (message.kind === 'interrupt') {
      post({ kind: 'heard' });
      for (const listener of [...listeners]) listener(message.signal);
    } else if (message.kind === 'resize') columns = message.columns;
  });
});

/**
 * The supervisor is gone, and nothing else will clean up after this command: stop it as the supervisor would have
 * (its browsers killed, their profile folders removed, its output folders settled), and end.
 */
async function orphaned(): Promise<never> {
  connected = false;
  const code = await afterStopped(argv[0], folders, { command: process.pid, profiles: supervisor });
  process.exit(code);
}
process.on('disconnect', () => {
  if (!done) void orphaned();
});

const io: Io = {
  stdout: (text) => post({ kind: 'stdout', text }),
  stderr: (text) => post({ kind: 'stderr', text }),
  get isTTY() {
    return isTTY;
  },
  get columns() {
    return columns;
  },
  onInterrupt: (listener) => {
    listeners.add(listener);
    post({ kind: 'listening', listening: true });
    return () => {
      if (listeners.delete(listener) && listeners.size === 0) post({ kind: 'listening', listening: false });
    };
  },
};

watchOutputFolders({
  opening: (outDir, made) => {
    folders.set(outDir, made);
    post({ kind: 'locking', outDir, made });
  },
  closed: (outDir) => {
    folders.delete(outDir);
    post({ kind: 'unlocked', outDir });
  },
});

// As `main` does for what a command throws: said in one line, without a stack trace unless IMPRINT_DEBUG is set.
// The command is in the middle of its work, holding output folders and a browser: the supervisor stops it and
// cleans up after it as after an interrupt (the folders keep their earlier editions, nothing half-written stays).
let failed = false;
process.on('uncaughtException', (cause) => {
  if (failed) return;
  failed = true;
  post({
    kind: 'stderr',
    text: `imprint: internal error: ${cause instanceof Error ? cause.message : String(cause)}\n`,
  });
  if (process.env.IMPRINT_DEBUG) post({ kind: 'stderr', text: `${cause instanceof Error ? cause.stack : ''}\n` });
  // Without its supervisor, this process is stopped as an orphan already (see `orphaned`).
  post({ kind: 'failed', code: exitCodes.environment });
});

await started;
const code = await main(argv, io);
done = true;
// Every message sent before this one has been written to the channel once it is: nothing printed is lost.
post({ kind: 'done', code }, () => process.exit(code));
