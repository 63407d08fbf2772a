import { readdirSync, readFileSync } from 'node:fs';

/**
 * The processes of a browser imprint started, found in the process table, so
 * that none outlives the run: Chromium starts helpers (zygotes, renderers, the
 * GPU and network processes) in the process group of the one it was launched
 * as, and those are not always gone when the browser itself is (a browser that
 * crashed leaves its helpers to exit on their own; a helper that is stopped
 * never does).
 */

/** Process ids whose process group is `group`, the launched process included. Empty where there is no /proc. */
export function processGroupMembers(group: number): number[] {
  return liveProcesses()
    .filter((found) => found.group === group)
    .map((found) => found.pid);
}

/**
 * Kill every process still in the browser's process group (`SIGKILL`, which a
 * stopped process cannot ignore either). Where /proc cannot be read, the group
 * is signalled without looking.
 */
export function killProcessGroup(group: number): void {
  if (!Number.isInteger(group) || group <= 1) return;
  const members = processGroupMembers(group);
  if (members.length === 0 && readable('/proc')) return;
  try {
    process.kill(-group, 'SIGKILL');
  } catch {
    // Gone already, or not ours to signal.
  }
}

/**
 * Kill every process `parent` started that still runs, each with its process group when it leads one (a browser
 * Puppeteer launched leads its own, with its helpers in it): what a command's process does when the imprint process
 * that started it is gone (supervisor.ts). A child in the parent's own group is killed alone.
 */
export function killChildren(parent: number): number[] {
  const children = childrenOf(parent);
  killProcesses(children);
  return children.map((child) => child.pid);
}

/**
 * Every process below `ancestor` that has not ended (its children, theirs, and so on), with their process groups,
 * parents before their children. Read before `ancestor` is killed: its orphans are then given to another parent, and
 * nothing in /proc says any more whose they were. Empty where there is no /proc.
 */
export function descendantsOf(ancestor: number): Array<{ pid: number; group: number }> {
  const below = new Map<number, Array<{ pid: number; group: number }>>();
  for (const { pid, parent, group } of liveProcesses()) {
    const siblings = below.get(parent) ?? [];
    siblings.push({ pid, group });
    below.set(parent, siblings);
  }
  const found: Array<{ pid: number; group: number }> = [];
  const queue = [ancestor];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const child of below.get(next) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** Every process in /proc that has not ended, with its parent and process group. Empty where there is no /proc. */
function liveProcesses(): Array<{ pid: number; parent: number; group: number }> {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const live: Array<{ pid: number; parent: number; group: number }> = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statOf(Number(entry));
    if (stat && stat.state !== 'Z') live.push({ pid: Number(entry), parent: stat.parent, group: stat.group });
  }
  return live;
}

/**
 * Kill these processes (found by {@link descendantsOf}), each leader of a process group with its group (a browser
 * Puppeteer launched leads its own, with its helpers in it), the others alone.
 */
export function killProcesses(processes: ReadonlyArray<{ pid: number; group: number }>): void {
  for (const found of processes) {
    if (found.group === found.pid) killProcessGroup(found.group);
    else {
      try {
        process.kill(found.pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
  }
}

/** The processes `parent` started that have not ended, with their process groups. Empty where there is no /proc. */
export function childrenOf(parent: number): Array<{ pid: number; group: number }> {
  return liveProcesses()
    .filter((found) => found.parent === parent)
    .map(({ pid, group }) => ({ pid, group }));
}

/** Whether a process has ended: it is gone, or a zombie (ended, not yet reaped by its parent). */
export function ended(pid: number): boolean {
  if (!readable('/proc')) {
    try {
      process.kill(pid, 0);
      return false;
    } catch (cause) {
      return (cause as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }
  const stat = statOf(pid);
  return stat === undefined || stat.state === 'Z';
}

/**
 * Whether a process killed with SIGKILL can no longer write anything: gone, a zombie, or every one of its threads
 * exiting (`PF_EXITING`, set before the kernel frees its memory, which for a process holding gigabytes takes long
 * on a loaded machine, and once any system call a thread was in has returned). Undefined where there is no /proc.
 */
export function pastWriting(pid: number): boolean | undefined {
  if (!readable('/proc')) return undefined;
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return true;
  }
  return threads.every((thread) => {
    const stat = statOf(Number(thread), `/proc/${pid}/task/${thread}/stat`);
    return stat === undefined || stat.state === 'Z' || stat.state === 'X' || (stat.flags & exitingFlag) !== 0;
  });
}

/** `PF_EXITING` in the flags of /proc/PID/stat. */
const exitingFlag = 0x4;

interface Stat {
  state: string;
  parent: number;
  group: number;
  flags: number;
}

function statOf(pid: number, file = `/proc/${pid}/stat`): Stat | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    // pid (comm) state ppid pgrp session tty_nr tpgid flags …; comm may hold spaces and parentheses.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, parent: Number(fields[1]), group: Number(fields[2]), flags: Number(fields[6]) };
  } catch {
    return undefined;
  }
}

function readable(folder: string): boolean {
  try {
    readdirSync(folder);
    return true;
  } catch {
    return false;
  }
}
