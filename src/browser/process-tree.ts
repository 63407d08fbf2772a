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
  group: number;
}

function statOf(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, group: Number(fields[2]) };
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
