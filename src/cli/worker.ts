import { parentPort, workerData } from 'node:worker_threads';
import { watchOutputFolders } from '../release/write-editions.js';
import type { InterruptSignal, Io } from './io.js';
import { main } from './main.js';
import type { FromCommand, ToCommand, CommandData } from './supervisor.js';

/**
 * The thread a command runs on (see supervisor.ts). What it prints, the output folders it locks and whether it
 * listens for interrupts are posted to the main thread; the signals the main thread receives come back here.
 */

const port = parentPort;
if (!port) throw new Error('cli/worker.js runs only as the thread of supervisor.js');
const data = workerData as CommandData;
const post = (message: FromCommand) => port.postMessage(message);

const listeners = new Set<(signal: InterruptSignal) => void>();
let columns = data.columns;
port.on('message', (message: ToCommand) => {
  if (message.kind === 'interrupt') {
    post({ kind: 'heard' });
    for (const listener of [...listeners]) listener(message.signal);
  } else if (message.kind === 'resize') columns = message.columns;
});
// The port does not keep the thread running: it ends when the command is done.
port.unref();

const io: Io = {
  stdout: (text) => post({ kind: 'stdout', text }),
  stderr: (text) => post({ kind: 'stderr', text }),
  isTTY: data.isTTY,
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
  opening: (outDir, made) => post({ kind: 'locking', outDir, made }),
  closed: (outDir) => post({ kind: 'unlocked', outDir }),
});

post({ kind: 'done', code: await main(data.argv, io) });
