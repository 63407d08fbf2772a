import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { errnoOf, reasonOf } from '../diagnostics/file-errors.js';
import { decodeReference } from '../uri.js';

/**
 * How the pipeline reads files the manuscript names (data files, images).
 * Transforms receive a reader instead of touching the disk, so they can be
 * tested with files held in memory.
 */
export interface ResourceReader {
  /** The bytes at an absolute path, or undefined when there is no such file. */
  read(absolutePath: string): Promise<Uint8Array | undefined>;
  /**
   * The path with every symbolic link resolved, or undefined when there is no such file (readers without links leave it
   * out).
   */
  realPath?(absolutePath: string): Promise<string | undefined>;
  /**
   * How many names (hard links) the file has, or undefined when there is no such file (readers without links leave it
   * out).
   */
  linkCount?(absolutePath: string): Promise<number | undefined>;
  /** Bytes of a remote resource (http or https), only ever asked for when remote resources are allowed. */
  fetch?(url: URL): Promise<Uint8Array>;
}

/** Largest remote resource fetched, and how long a fetch may take. */
const remoteLimit = { bytes: 50 * 1024 * 1024, ms: 30_000 };

export const diskReader: ResourceReader = {
  async realPath(absolutePath) {
    try {
      return await realpath(absolutePath);
    } catch (cause) {
      if (absent(cause)) return undefined;
      throw cause;
    }
  },
  async linkCount(absolutePath) {
    try {
      return (await stat(absolutePath)).nlink;
    } catch (cause) {
      if (absent(cause)) return undefined;
      throw cause;
    }
  },
  fetch(url) {
    return fetchCapped(url, remoteLimit.bytes, remoteLimit.ms);
  },
  async read(absolutePath) {
    try {
      return await readFile(absolutePath);
    } catch (cause) {
      if (absent(cause) || errnoOf(cause) === 'EISDIR') return undefined;
      throw cause;
    }
  },
};

/** A file-system error that means there is no such file (any other is a file that is there and cannot be read). */
function absent(cause: unknown): boolean {
  const code = errnoOf(cause);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * A file that cannot be used: `refused` says why, after its reference ("is outside the project folder …",
 * "cannot be read: permission denied (EACCES)"); `unreadable` when it is there but the system would not read it.
 */
export interface Refusal {
  refused: string;
  unreadable?: true;
}

/** Read a file with `reader`: its bytes, undefined when there is none, or why it cannot be read. */
export async function readOrRefuse(
  reader: ResourceReader,
  absolutePath: string,
): Promise<Uint8Array | undefined | Refusal> {
  try {
    return await reader.read(absolutePath);
  } catch (cause) {
    return refusalOf(cause);
  }
}

/** A file-system error as a refusal; any other error is thrown on. */
function refusalOf(cause: unknown): Refusal {
  if (errnoOf(cause) === undefined) throw cause;
  return { refused: `cannot be read: ${reasonOf(cause)}`, unreadable: true };
}

/**
 * The body of a remote resource, read as it streams in and abandoned (the
 * connection closed) as soon as it passes `limit` bytes, whatever its
 * `Content-Length` says, so a huge or endless body costs at most `limit`.
 */
export async function fetchCapped(url: URL, limit: number, ms: number): Promise<Uint8Array> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${ms / 1000} s`)), ms);
  const tooLarge = () => new Error(`it is larger than ${limit / 1024 / 1024} MiB`);
  try {
    const response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    if (!response.ok) throw new Error(`the server answered ${response.status} ${response.statusText}`.trim());
    const length = Number(response.headers.get('content-length') ?? 0);
    if (length > limit || !response.body) {
      controller.abort();
      if (length > limit) throw tooLarge();
      return new Uint8Array(0);
    }
    const chunks: Uint8Array[] = [];
    let received = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > limit) {
        controller.abort();
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks);
  } finally {
    clearTimeout(timer);
  }
}

/** Files held in memory, keyed by absolute path (tests, the API). */
export function memoryReader(files: Record<string, string | Uint8Array>): ResourceReader {
  return {
    async read(absolutePath) {
      const value = files[path.resolve(absolutePath)];
      return typeof value === 'string' ? new TextEncoder().encode(value) : value;
    },
  };
}

/**
 * Resolve a path written in the manuscript against the manuscript's folder.
 * Returns undefined for a path that leaves the project folder.
 */
export function resolveInProject(projectRoot: string, fromDir: string, reference: string): string | undefined {
  const resolved = path.resolve(fromDir, reference);
  const relative = path.relative(projectRoot, resolved);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return resolved;
}

/** Where a reference written in the manuscript points, and whether it may be read. */
export type ResourceLocation =
  | { kind: 'file'; absolute: string }
  | { kind: 'remote'; url: URL }
  | { kind: 'data-url' }
  | { kind: 'refused'; reason: string };

/**
 * Place a reference (an image's `src`, a data file, an included file): a file
 * inside the project, a remote http(s) URL, a data: URL, or refused (a path
 * that leaves the project, a file: URL or any other scheme).
 */
export function locateResource(reference: string, projectRoot: string, fromDir: string): ResourceLocation {
  if (/^data:/i.test(reference)) return { kind: 'data-url' };
  if (/^[a-z][a-z0-9+.-]*:/i.test(reference) && !/^[a-z]:[\\/]/i.test(reference)) {
    let url: URL | undefined;
    try {
      url = new URL(reference);
    } catch {
      return { kind: 'refused', reason: 'is not a URL that can be read' };
    }
    if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'remote', url };
    return {
      kind: 'refused',
      reason: `is a ${url.protocol} URL: name a file of the project by its path, relative to the manuscript`,
    };
  }
  if (reference.startsWith('//'))
    return {
      kind: 'refused',
      reason:
        'is a protocol-relative URL: write it with https: (and allow remote resources) or use a file of the project',
    };
  const path = decodeReference(reference.replace(/[?#].*$/, ''));
  const absolute = resolveInProject(projectRoot, fromDir, path);
  if (!absolute) return { kind: 'refused', reason: `is outside the project folder ${projectRoot}` };
  return { kind: 'file', absolute };
}

/**
 * Read a file of the project, refusing one that a symbolic link takes outside
 * the project folder, and one with several names (hard links): from inside
 * the project there is no telling where its other names are, so it is
 * treated like a link that leads out. Returns the bytes, undefined when there
 * is no such file, or the reason it was refused.
 */
export async function readInProject(
  reader: ResourceReader,
  projectRoot: string,
  absolute: string,
): Promise<Uint8Array | undefined | Refusal> {
  try {
    return await checkedRead(reader, projectRoot, absolute);
  } catch (cause) {
    return refusalOf(cause);
  }
}

async function checkedRead(
  reader: ResourceReader,
  projectRoot: string,
  absolute: string,
): Promise<Uint8Array | undefined | Refusal> {
  if (reader.realPath) {
    const [real, realRoot] = await Promise.all([reader.realPath(absolute), reader.realPath(projectRoot)]);
    if (real === undefined) return undefined;
    const relative = path.relative(realRoot ?? projectRoot, real);
    if (relative.startsWith('..') || path.isAbsolute(relative))
      return { refused: `is a link to ${real}, outside the project folder ${projectRoot}` };
  }
  if (reader.linkCount) {
    const links = await reader.linkCount(absolute);
    if (links !== undefined && links > 1) {
      return {
        refused:
          `has ${links} hard links, so it may be a file outside the project folder ` +
          `${projectRoot}: copy it into the project instead`,
      };
    }
  }
  return reader.read(absolute);
}
