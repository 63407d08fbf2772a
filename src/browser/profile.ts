import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The profile folder of a browser imprint launches: a folder of its own in the
 * temporary folder, named after the process that owns it, removed when the
 * browser is closed. A process that is killed (SIGKILL included) cannot remove
 * its folder, so every launch first removes the folders of owners that are no
 * longer running.
 */

const prefix = 'imprint-chromium-';

/** The process the profile folders made here are named after: this one, unless {@link ownProfilesAs} says. */
let owner = process.pid;

/**
 * Name the profile folders made from now on after `pid`, a process that outlives this one: the `imprint` process
 * whose command runs in this one (supervisor.ts), which removes them if it has to kill this one, and whose end
 * makes them abandoned.
 */
export function ownProfilesAs(pid: number): void {
  owner = pid;
}

/** Make a new profile folder for this process, after removing those left by processes that are gone. */
export async function makeProfileFolder(): Promise<string> {
  await removeAbandonedProfiles();
  return mkdtemp(path.join(tmpdir(), `${prefix}${owner}-`));
}

/**
 * Remove a profile folder, and the folder of the browser's singleton socket beside it when there is one (a browser
 * that was killed leaves it); a folder that cannot be removed is left to the next launch.
 */
export async function removeProfileFolder(folder: string): Promise<void> {
  const socket = await socketFolderOf(folder);
  if (socket) await rm(socket, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  await rm(folder, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
}

/**
 * Chromium keeps its singleton socket in a folder of its own in the temporary folder
 * (`org.chromium.Chromium.XXXXXX/SingletonSocket`), which the profile's `SingletonSocket` link names, and removes it
 * when it exits, unless it is killed. Only a folder beside the profile, named like that, is taken for it.
 */
async function socketFolderOf(profile: string): Promise<string | undefined> {
  try {
    const target = path.resolve(profile, await readlink(path.join(profile, 'SingletonSocket')));
    const folder = path.dirname(target);
    const beside = path.dirname(folder) === path.dirname(profile) && folder !== profile;
    return beside && /^[a-z]+(\.[\w-]+)+$/i.test(path.basename(folder)) && !path.basename(folder).startsWith(prefix)
      ? folder
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The environment a browser is launched with: imprint's, with the temporary folder inside its profile folder.
 * Chromium makes the folder of its singleton socket there (`org.chromium.Chromium.XXXXXX`) as it starts, and
 * removes it when it exits, unless it is killed (a run that was interrupted kills it): inside the profile, it goes
 * with the profile. A socket's path is at most 107 bytes: with a profile folder whose path is too long for that, the
 * temporary folder is left as it is.
 */
export function browserEnvironment(profile: string): NodeJS.ProcessEnv {
  const socketPath = path.join(profile, 'org.chromium.Chromium.XXXXXX', 'SingletonSocket');
  return Buffer.byteLength(socketPath) <= maxSocketPathBytes ? { ...process.env, TMPDIR: profile } : process.env;
}

/** `sun_path` holds 108 bytes, the closing NUL included. */
const maxSocketPathBytes = 107;

/** Remove the profile folders whose owning process is no longer running. */
export function removeAbandonedProfiles(folder = tmpdir()): Promise<string[]> {
  return removeProfiles(folder, (owner) => owner !== undefined && !running(owner));
}

/**
 * Remove every profile folder named after `pid`: for a supervisor whose command's process it killed, with its
 * browser, so that none of its folders waits for a later launch to be removed.
 */
export function removeProfilesOf(pid: number, folder = tmpdir()): Promise<string[]> {
  return removeProfiles(folder, (found) => found === pid);
}

/** Remove the profile folders in `folder` whose owner (the process that made each) `chosen` picks. */
async function removeProfiles(folder: string, chosen: (owner: number | undefined) => boolean): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!chosen(ownerOf(name))) continue;
    const profile = path.join(folder, name);
    await removeProfileFolder(profile);
    removed.push(profile);
  }
  return removed;
}

/**
 * The process id of the browser that holds a profile folder, once it has taken it: Chromium's lock names the host
 * and the process (`SingletonLock` → `host-1234`). Undefined before that, or where there is no such lock.
 */
export async function profileHolder(folder: string): Promise<number | undefined> {
  try {
    const pid = Number(/-(\d+)$/.exec(await readlink(path.join(folder, 'SingletonLock')))?.[1]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function ownerOf(name: string): number | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const pid = Number(name.slice(prefix.length).split('-')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Whether a process with this id runs (one that is not ours to signal runs too). */
export function running(pid: number): boolean {
  if (pid === process.pid || pid === owner) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === 'EPERM';
  }
}
