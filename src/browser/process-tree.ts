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
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statOf(Number(entry));
    if (stat && stat.group === group && stat.state !== 'Z') members.push(Number(entry));
  }
  return members;
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
 * Puppeteer launched leads its own, with its helpers in it): what a supervisor does for a build's thread it stopped
 * at once, which could not close its browser. A child in the parent's own group is killed alone.
 */
export function killChildren(parent: number): number[] {
  const killed: number[] = [];
  for (const child of childrenOf(parent)) {
    if (child.group === child.pid) killProcessGroup(child.group);
    else {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    killed.push(child.pid);
  }
  return killed;
}

/** The processes `parent` started that have not ended, with their process groups. Empty where there is no /proc. */
export function childrenOf(parent: number): Array<{ pid: number; group: number }> {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const children: Array<{ pid: number; group: number }> = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statOf(Number(entry));
    if (stat && stat.parent === parent && stat.state !== 'Z') children.push({ pid: Number(entry), group: stat.group });
  }
  return children;
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

interface Stat {
  state: string;
  parent: number;
  group: number;
}

function statOf(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, parent: Number(fields[1]), group: Number(fields[2]) };
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
