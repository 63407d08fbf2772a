import { readFileSync } from 'node:fs';
import { link, mkdir, mkdtemp, open, readdir, readFile, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { EnvironmentError } from '../browser/locate.js';
import { reasonOf } from '../diagnostics/file-errors.js';

/**
 * The files a build writes into its output folder (every report's editions,
 * manifest.json, SHA256SUMS), replaced as one set:
 *
 * 1. the folder is locked (`.imprint-lock`): a second build into it fails at
 *    once, naming the build that holds it;
 * 2. what a killed build left is settled: a set it had begun to move in is
 *    moved in to the end (its journal says which files), anything else it left
 *    (a staging folder, `.tmp` files) is removed;
 * 3. each file is written into a staging folder inside the output folder (the
 *    same file system, so moving it in is a rename);
 * 4. on commit, a journal naming every staged file is renamed into place (the
 *    moment the set counts as written), the files are renamed in one by one,
 *    the checksums last, and the journal and staging folder removed.
 *
 * A build killed before step 4 leaves the earlier set as it was; one killed
 * during it leaves a journal, and the next build (of any outcome) completes
 * the set before it does anything else.
 */

export const lockFileName = '.imprint-lock';
export const journalFileName = '.imprint-journal.json';
const stagingPrefix = '.imprint-staging-';

/**
 * Only for the test that kills a build between two renames: with this set to
 * `first-rename`, a commit stops after moving in its first file, says so on
 * stderr with the id of the process that paused, and waits to be killed.
 */
export const pauseVariable = 'IMPRINT_TEST_PAUSE';

interface Holder {
  pid: number;
  /** When the process started (clock ticks after boot): with the pid, names one process. */
  started?: string | undefined;
  host: string;
  command: string;
  since: string;
}

interface Journal {
  staging: string;
  /** Relative to the output folder, in the order they are moved in. */
  files: string[];
}

export class OutputSet {
  private readonly files = new Map<string, string>();
  private done = false;

  private constructor(
    readonly outDir: string,
    private readonly staging: string,
    /** The first of the folders `open` made (the output folder or one above it), removed again if left empty. */
    private readonly made: string | undefined,
  ) {}

  /**
   * Lock the output folder (made if missing), settle what an earlier build
   * left, and begin a set. Throws EnvironmentError when another build holds
   * the folder. Close it, committed or not.
   */
  static async open(outDir: string): Promise<OutputSet> {
    const folder = path.resolve(outDir);
    let made: string | undefined;
    try {
      made = await mkdir(folder, { recursive: true });
    } catch (cause) {
      throw new EnvironmentError(`Cannot make the output folder ${folder}: ${reasonOf(cause)}`);
    }
    for (const watcher of folderWatchers) watcher.opening(folder, made);
    try {
      await takeLock(folder);
    } catch (cause) {
      for (const watcher of folderWatchers) watcher.closed(folder);
      throw cause;
    }
    try {
      await settleLeftovers(folder);
      const staging = await mkdtemp(path.join(folder, stagingPrefix));
      return new OutputSet(folder, staging, made);
    } catch (cause) {
      await releaseLock(folder);
      for (const watcher of folderWatchers) watcher.closed(folder);
      throw cause instanceof EnvironmentError
        ? cause
        : new EnvironmentError(`Cannot write into ${folder}: ${reasonOf(cause)}`);
    }
  }

  /** Write files of the set into the staging folder; nothing in the output folder changes yet. */
  async stage(files: ReadonlyArray<{ path: string; bytes: Uint8Array | string }>): Promise<void> {
    if (this.done) throw new Error('This set of output files is already committed or closed');
    for (const file of files) {
      const relative = path.relative(this.outDir, path.resolve(file.path));
      if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) {
        throw new Error(`${file.path} is not inside the output folder ${this.outDir}`);
      }
      const staged = path.join(this.staging, relative);
      try {
        await mkdir(path.dirname(staged), { recursive: true });
        await writeFile(staged, file.bytes);
      } catch (cause) {
        throw new EnvironmentError(`Cannot write ${path.join(this.outDir, relative)}: ${reasonOf(cause)}`);
      }
      this.files.set(relative, staged);
    }
  }

  /** Files staged so far, relative to the output folder. */
  get staged(): string[] {
    return [...this.files.keys()];
  }

  /** Move every staged file into place as one set (see above). */
  async commit(): Promise<void> {
    if (this.done) throw new Error('This set of output files is already committed or closed');
    this.done = true;
    if (this.files.size === 0) return;
    const journal: Journal = { staging: path.basename(this.staging), files: movingOrder([...this.files.keys()]) };
    const journalPath = path.join(this.outDir, journalFileName);
    try {
      const temporary = `${journalPath}.tmp`;
      const handle = await open(temporary, 'w');
      try {
        await handle.writeFile(`${JSON.stringify(journal)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, journalPath);
    } catch (cause) {
      throw new EnvironmentError(`Cannot write into ${this.outDir}: ${reasonOf(cause)}`);
    }
    await completeJournal(this.outDir, journal, true);
  }

  /** Remove what was staged and not committed, and unlock the folder. */
  async close(): Promise<void> {
    this.done = true;
    await rm(this.staging, { recursive: true, force: true }).catch(() => undefined);
    await releaseLock(this.outDir);
    // A run that wrote nothing leaves no folder it made (a folder with anything in it is not removed).
    await removeEmptyFolders(this.outDir, this.made);
    for (const watcher of folderWatchers) watcher.closed(this.outDir);
  }
}

/** Remove `outDir` and the folders above it up to `made` (the first one a run made), while they are empty. */
async function removeEmptyFolders(outDir: string, made: string | undefined): Promise<void> {
  if (made === undefined) return;
  for (let folder = outDir; ; folder = path.dirname(folder)) {
    if (
      !(await rmdir(folder).then(
        () => true,
        () => false,
      )) ||
      folder === made
    )
      break;
  }
}

/** Told when this process is about to lock an output folder, and when it has let it go (or never took it). */
export interface OutputFolderWatcher {
  /** `made`: the first folder the run made for it, if it made one. */
  opening(outDir: string, made: string | undefined): void;
  closed(outDir: string): void;
}

const folderWatchers = new Set<OutputFolderWatcher>();

/** The process named as the holder of the locks taken here: this one, unless {@link ownOutputLocksAs} says. */
let lockOwner = process.pid;

/**
 * Name `pid` as the holder of the output folders' locks taken from now on: the `imprint` process whose command runs
 * in this one (supervisor.ts), the one a user who finds the folder locked would stop, and whose end means the
 * build is over.
 */
export function ownOutputLocksAs(pid: number): void {
  lockOwner = pid;
}

/**
 * Follow the output folders this process locks: a supervisor that may have to kill a build's process at once (see
 * `settleStopped`) learns which folders to settle. Returns a function that stops following.
 */
export function watchOutputFolders(watcher: OutputFolderWatcher): () => void {
  folderWatchers.add(watcher);
  return () => folderWatchers.delete(watcher);
}

/**
 * Settle an output folder whose build was stopped at once (its process killed, so it could neither commit nor clean
 * up), as the next build into it would: if the lock names this process's lock owner (itself, or the supervisor of
 * the command it runs), a set that was being moved in is moved in to the end (its journal was written, so it is
 * whole), anything else the build left (its staging folder, `.tmp` files) is removed, the lock released, and the
 * folders the build made removed if empty; in any case the lock's own temporary files, named after `writer` (the
 * process that ran the build: this one, or the command's process its supervisor killed), are removed. Returns true
 * when a set was moved in, false when the folder holds the earlier set as it was.
 */
export async function settleStopped(outDir: string, made?: string, writer = process.pid): Promise<boolean> {
  const lockPath = path.join(outDir, lockFileName);
  const holder = await readHolder(lockPath);
  let completed = false;
  if (holder && holder.pid === lockOwner && holder.host === hostname()) {
    const settled = await settleLeftovers(outDir).catch((): string[] => []);
    completed = settled.includes(path.join(outDir, journalFileName));
    await releaseLock(outDir);
    await removeEmptyFolders(outDir, made);
  }
  for (const mine of [`${lockPath}.${writer}.tmp`, `${lockPath}.${writer}.stale.tmp`]) {
    await unlink(mine).catch(() => undefined);
  }
  return completed;
}

/** Renames in this order: the editions, then manifest.json, SHA256SUMS last. */
function movingOrder(files: string[]): string[] {
  const rank = (file: string) => (file === 'SHA256SUMS' ? 2 : file === 'manifest.json' ? 1 : 0);
  return files.sort((a, b) => rank(a) - rank(b));
}

async function completeJournal(outDir: string, journal: Journal, pauseAllowed: boolean): Promise<void> {
  const staging = path.join(outDir, path.basename(journal.staging));
  for (const [index, file] of journal.files.entries()) {
    const from = path.join(staging, file);
    const to = path.join(outDir, file);
    try {
      await mkdir(path.dirname(to), { recursive: true });
      await rename(from, to);
    } catch (cause) {
      // Moved in already by the build that was killed.
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new EnvironmentError(`Cannot move ${to} into place: ${reasonOf(cause)}`);
    }
    if (index === 0 && pauseAllowed && process.env[pauseVariable] === 'first-rename') await pauseForTest(to);
  }
  await unlink(path.join(outDir, journalFileName)).catch(() => undefined);
  await rm(staging, { recursive: true, force: true }).catch(() => undefined);
}

async function pauseForTest(moved: string): Promise<never> {
  process.stderr.write(`paused after moving in ${moved} (process ${process.pid})\n`);
  return new Promise<never>(() => setInterval(() => undefined, 60_000));
}

/**
 * Complete a set a killed build had begun to move in, then remove every other
 * leftover: staging folders, a journal's temporary file, and the `.NAME.PID.tmp`
 * files single files are written through. Runs under the lock, so nothing else
 * is writing them.
 */
export async function settleLeftovers(outDir: string): Promise<string[]> {
  const settled: string[] = [];
  const journalPath = path.join(outDir, journalFileName);
  const text = await readFile(journalPath, 'utf8').catch(() => undefined);
  if (text !== undefined) {
    const journal = parseJournal(text);
    if (journal) await completeJournal(outDir, journal, false);
    else await unlink(journalPath).catch(() => undefined);
    settled.push(journalPath);
  }
  for (const name of await readdir(outDir)) {
    if (name.startsWith(stagingPrefix) || name === `${journalFileName}.tmp` || /^\..+\.\d+\.tmp$/.test(name)) {
      await rm(path.join(outDir, name), { recursive: true, force: true });
      settled.push(path.join(outDir, name));
    }
  }
  return settled;
}

function parseJournal(text: string): Journal | undefined {
  try {
    const value = JSON.parse(text) as Partial<Journal>;
    const inside = (file: unknown) =>
      typeof file === 'string' && file !== '' && !path.isAbsolute(file) && !file.split(/[\\/]/).includes('..');
    if (typeof value.staging !== 'string' || !value.staging.startsWith(stagingPrefix) || !inside(value.staging))
      return undefined;
    if (!Array.isArray(value.files) || !value.files.every(inside)) return undefined;
    return { staging: value.staging, files: value.files };
  } catch {
    return undefined;
  }
}

async function takeLock(outDir: string): Promise<void> {
  const lockPath = path.join(outDir, lockFileName);
  const me: Holder = {
    pid: lockOwner,
    started: startTimeOf(lockOwner),
    host: hostname(),
    command: ['imprint', ...process.argv.slice(2)].join(' '),
    since: new Date().toISOString(),
  };
  // Written whole under a name of its own, then linked to the lock's name: the link is made only if no lock
  // is there, and a lock is never seen half-written.
  const mine = `${lockPath}.${process.pid}.tmp`;
  try {
    await writeFile(mine, `${JSON.stringify(me)}\n`);
  } catch (cause) {
    throw new EnvironmentError(`Cannot write into the output folder ${outDir}: ${reasonOf(cause)}`);
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(mine, lockPath);
        return;
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new EnvironmentError(`Cannot lock the output folder ${outDir}: ${reasonOf(cause)}`);
        }
      }
      const holder = await readHolder(lockPath);
      if ((holder && (holder.host !== hostname() || alive(holder))) || attempt >= 3) {
        throw new EnvironmentError(
          `Another imprint build is writing into ${outDir}: ${describeHolder(holder)}; wait for it to end, ` +
            `or stop it (a lock left by a build that is no longer running is removed by itself)`,
        );
      }
      // Left by a build that is gone: set it aside (a rename, so a lock just taken by another build is not
      // removed unseen) and try again.
      const aside = `${lockPath}.${process.pid}.stale.tmp`;
      await rename(lockPath, aside).catch(() => undefined);
      const moved = await readHolder(aside);
      if (moved && alive(moved)) await link(aside, lockPath).catch(() => undefined);
      await unlink(aside).catch(() => undefined);
    }
  } finally {
    await unlink(mine).catch(() => undefined);
  }
}

async function releaseLock(outDir: string): Promise<void> {
  const lockPath = path.join(outDir, lockFileName);
  const holder = await readHolder(lockPath);
  if (holder && holder.pid === lockOwner && holder.host === hostname()) await unlink(lockPath).catch(() => undefined);
}

async function readHolder(file: string): Promise<Holder | undefined> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as Holder;
    return typeof value.pid === 'number' && typeof value.host === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function describeHolder(holder: Holder | undefined): string {
  if (!holder) return 'its lock file cannot be read';
  return `\`${holder.command}\` (process ${holder.pid} on ${holder.host}, since ${holder.since})`;
}

function alive(holder: Holder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A pid of a build that ended may have been given to another process since.
  const started = startTimeOf(holder.pid);
  return holder.started === undefined || started === undefined || started === holder.started;
}

function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
