import { readdirSync, readFileSync } from 'node:fs';

/**
 * The processes below a process, read from /proc (Linux): what the benchmark
 * samples for peak memory and what the tests count Chromium launches with.
 */
export interface TreeProcess {
  pid: number;
  /** Its parent's pid. */
  parent: number;
  /** `node`, `chromium`, … (the kernel's short command name). */
  name: string;
  /**
   * Chromium's process type (`renderer`, `zygote`, `gpu-process`, `utility`); undefined for a browser process or
   * anything else.
   */
  type: string | undefined;
  /** Resident set size, bytes (shared pages counted in every process that maps them). */
  rss: number;
}

const pageSize = 4096;

/** Every live process in the tree rooted at `root`, itself included. */
export function processTree(root: number): TreeProcess[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // gone already
    }
  }
  const tree = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [child, parent] of parents) {
      if (tree.has(parent) && !tree.has(child)) {
        tree.add(child);
        grew = true;
      }
    }
  }
  const processes: TreeProcess[] = [];
  for (const pid of tree) {
    try {
      const statm = readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ');
      const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      // Chromium rewrites the command lines of its helpers as one string: look for the flag anywhere.
      const type = /(?:^|[\s\0])--type=([^\s\0]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1];
      processes.push({ pid, parent: parents.get(pid) ?? 0, name, type, rss: Number(statm[1]) * pageSize });
    } catch {
      // gone already
    }
  }
  return processes;
}

const chromiumName = /^(chromium|chrome|headless_shell)$/;

/**
 * The Chromium browser processes that `launcher`, or a Node process below it, started itself (Puppeteer spawns the
 * browser as a child of the Node process; `imprint` runs its command in a process of its own, decision 077), as
 * opposed to the helpers those start (zygotes, renderers, GPU, utilities).
 */
export function browserProcesses(tree: readonly TreeProcess[], launcher: number): TreeProcess[] {
  const launchers = new Set([launcher, ...tree.filter((member) => member.name === 'node').map((member) => member.pid)]);
  return tree.filter(
    (member) => launchers.has(member.parent) && chromiumName.test(member.name) && member.type === undefined,
  );
}
