import { readdirSync, readFileSync } from 'node:fs';

/**
 * The processes a test started, found by a marker in their environment: a
 * child inherits its parent's environment, so the marker given to a build
 * reaches the browser it launches and every helper process the browser starts,
 * even those that left the browser's process tree (reparented to init, or in a
 * session of their own).
 */
export const markerVariable = 'IMPRINT_TEST_PROCESS_MARKER';

export interface MarkedProcess {
  pid: number;
  /** When it started, in clock ticks after boot: with the pid, names one process even if the pid is reused. */
  started: string;
  /** Process group. */
  group: number;
  /** One letter, as in ps: R, S, T (stopped), Z (zombie, already dead) … */
  state: string;
  /** Its command line, the latest seen (first seen between fork and exec, a process shows its parent's). */
  command: string;
}

/**
 * Chromium's processes among those watched: those whose command names it, less imprint's own (the command, and
 * the child process it runs a command in, which names the browser in its arguments).
 */
export const browsers = (processes: readonly MarkedProcess[]) =>
  processes.filter(
    (found) => found.command.includes('chromium') && !/(?:imprint|bundle\/child)\.js/.test(found.command),
  );

/** Chromium's main process: the one started without a `--type`. */
export const browserMain = (processes: readonly MarkedProcess[]) =>
  browsers(processes).find((found) => !found.command.includes('--type=') && !found.command.includes('crashpad'));

/** The renderers of pages (not of Chromium's own user interface). */
export const pageRenderers = (processes: readonly MarkedProcess[]) =>
  browsers(processes).filter(
    (found) => found.command.includes('--type=renderer') && !found.command.includes('top-chrome-webui'),
  );

export function newMarker(): string {
  return `m${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

function processTable(): Array<MarkedProcess & { parent: number; marked: (needle: string) => boolean }> {
  const table = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      table.push({
        pid,
        state: fields[0]!,
        parent: Number(fields[1]),
        group: Number(fields[2]),
        started: fields[19]!,
        command: readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0').join(' ').trim(),
        marked: (needle: string) => {
          try {
            return `${readFileSync(`/proc/${pid}/environ`, 'latin1')}\0`.includes(needle);
          } catch {
            return false;
          }
        },
      });
    } catch {
      // Gone while being read.
    }
  }
  return table;
}

const dead = (state: string) => state === 'Z' || state === 'X';

/**
 * Watch the processes a build starts while it runs: those whose environment
 * carries the marker (the browser, and helpers such as Chromium's crash
 * handler that leave its process tree), their children and children's
 * children, and every process in their process groups (Chromium's zygotes and
 * renderers, which start with an environment of their own). `left()` lists the
 * ones still running or stopped: none should be, once the build has ended.
 */
export function watchProcesses(marker: string): {
  seen: () => MarkedProcess[];
  left: () => MarkedProcess[];
  stop: () => void;
} {
  const needle = `${markerVariable}=${marker}\0`;
  const seen = new Map<string, MarkedProcess>();
  const groups = new Set<number>();
  const key = (found: { pid: number; started: string }) => `${found.pid}/${found.started}`;
  const look = () => {
    const table = processTable();
    const live = table.filter((found) => !dead(found.state));
    for (const found of live) {
      const known = seen.get(key(found));
      if (known) {
        // The command it has taken since: a process first seen between fork and exec shows its parent's
        // command line (a browser's, imprint's), a zygote's child the zygote's until it names itself.
        if (found.command) known.command = found.command;
        continue;
      }
      const parent = table.find((other) => other.pid === found.parent);
      const related = groups.has(found.group) || (parent && seen.has(key(parent))) || found.marked(needle);
      if (!related) continue;
      const { pid, started, group, state, command } = found;
      seen.set(key(found), { pid, started, group, state, command });
      // The test runner's own group is not the build's.
      if (group !== process.pid && group !== readGroup(process.pid)) groups.add(group);
    }
  };
  look();
  const timer = setInterval(look, 50);
  return {
    seen: () => [...seen.values()],
    left: () => {
      look();
      const now = new Map(processTable().map((found) => [key(found), found]));
      return [...seen.values()].flatMap((found) => {
        const still = now.get(key(found));
        // The command as it is now: a process the zygote forks shows the zygote's command line until it
        // takes its own (a renderer first seen that way must still be found as a renderer).
        return still && !dead(still.state)
          ? [{ ...found, state: still.state, command: still.command || found.command }]
          : [];
      });
    },
    stop: () => clearInterval(timer),
  };
}

function readGroup(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

/** Wait until none of the watched processes is left, up to `withinMs`; returns those still there. */
export async function leftBehind(watch: { left: () => MarkedProcess[] }, withinMs = 0): Promise<MarkedProcess[]> {
  const until = performance.now() + withinMs;
  for (;;) {
    const left = watch.left();
    if (left.length === 0 || performance.now() >= until) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
