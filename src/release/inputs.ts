import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fontBytes } from '../assets/font-files.js';
import { fontFaces } from '../assets/fonts.js';
import type { ResourceReader } from '../compile/resources.js';
import type { Templates } from '../writers/print-page/templates.js';
import { toolName, toolVersion } from '../version.js';
import { compareText } from '../project/order.js';
import { onFirstUse } from '../first-use.js';
import { codeDigestFile, codeDigestOf } from './code-digest.js';

/** The SHA-256 of some bytes, as lowercase hex (what `sha256sum` prints). */
export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A file a report was made from. */
export interface SourceFile {
  /** Absolute path. */
  path: string;
  sha256: string;
  bytes: number;
}

/**
 * A reader that remembers every file read through it with its digest: the
 * manuscript, its data files and anything else it names. What a build read is
 * exactly what its editions depend on.
 */
export class RecordingReader implements ResourceReader {
  private readonly seen = new Map<string, SourceFile>();

  constructor(private readonly inner: ResourceReader) {}

  async read(absolutePath: string): Promise<Uint8Array | undefined> {
    const bytes = await this.inner.read(absolutePath);
    if (bytes !== undefined) {
      const resolved = path.resolve(absolutePath);
      this.seen.set(resolved, { path: resolved, sha256: sha256(bytes), bytes: bytes.byteLength });
    }
    return bytes;
  }

  realPath(absolutePath: string): Promise<string | undefined> {
    return this.inner.realPath ? this.inner.realPath(absolutePath) : Promise.resolve(absolutePath);
  }

  linkCount(absolutePath: string): Promise<number | undefined> {
    return this.inner.linkCount ? this.inner.linkCount(absolutePath) : Promise.resolve(1);
  }

  /** A remote resource is an input too: recorded under its URL. */
  async fetch(url: URL): Promise<Uint8Array> {
    if (!this.inner.fetch) throw new Error('this reader cannot fetch remote resources');
    const bytes = await this.inner.fetch(url);
    this.seen.set(url.href, { path: url.href, sha256: sha256(bytes), bytes: bytes.byteLength });
    return bytes;
  }

  /** Every file read so far, sorted by path. */
  sources(): SourceFile[] {
    return [...this.seen.values()].sort((a, b) => compareText(a.path, b.path));
  }
}

/**
 * A digest of imprint's own code, so that editions made by a changed imprint are never taken as up to date, even
 * before its version number moves. Run from the bundle, it is the digest `npm run compile` wrote beside it, read
 * from one small file; run from the module tree or the sources, the modules of that folder are hashed (decision
 * 086).
 */
const ownCodeDigest = onFirstUse(async (): Promise<string> => {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const recorded = (await readFile(path.join(here, codeDigestFile), 'utf8').catch(() => '')).trim();
  if (/^[0-9a-f]{64}$/.test(recorded)) return recorded;
  return codeDigestOf(fileURLToPath(new URL('..', import.meta.url)), ['bundle']);
});

/**
 * A digest of the shipped faces. Each is known by its file's name and the name and version of the npm package it
 * comes from: the files of a published version never change, so a build does not read and hash the fonts (6.6 MB,
 * most of them faces the report does not use) at every start. A face outside a package with a version is hashed.
 */
const shippedFontsDigest = onFirstUse(async (): Promise<string> => {
  const packages = new Map<string, Promise<string | undefined>>();
  const hash = createHash('sha256');
  for (const face of fontFaces()) {
    const folder = face.packageFolder;
    if (folder !== undefined && !packages.has(folder)) packages.set(folder, packageIdentity(folder));
    const identity = folder === undefined ? undefined : await packages.get(folder);
    hash.update(`${face.name}\0${identity ?? sha256(await fontBytes(face))}\0`);
  }
  return hash.digest('hex');
});

/** `name@version` of the npm package in a folder, if the folder is one. */
async function packageIdentity(folder: string): Promise<string | undefined> {
  try {
    const { name, version } = JSON.parse(await readFile(path.join(folder, 'package.json'), 'utf8'));
    return typeof name === 'string' && typeof version === 'string' ? `${name}@${version}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What every edition of a run depends on besides its own manuscript and
 * data: the tool (name, version, code), the templates and the shipped fonts.
 */
export async function runFingerprint(templates: Templates, format: string): Promise<string> {
  const [code, fonts] = await Promise.all([ownCodeDigest(), shippedFontsDigest()]);
  // Only the templates an edition is made with: a change to epub.css leaves the PDF up to date. The
  // EPUB's page list is where the print layout puts the page breaks, so print.css shapes the EPUB too.
  const used =
    format === 'epub'
      ? { printCss: templates.printCss, epubCss: templates.epubCss, epub: templates.epub }
      : { printCss: templates.printCss };
  return sha256(JSON.stringify({ tool: `${toolName} ${toolVersion}`, code, fonts, templates: used }));
}

/** The key of one edition's inputs: the run's fingerprint, the options that shape it, and its source files. */
export function inputsDigest(parts: {
  run: string;
  format: string;
  options: Record<string, unknown>;
  sources: ReadonlyArray<{ path: string; sha256: string }>;
}): string {
  return sha256(
    JSON.stringify({
      run: parts.run,
      format: parts.format,
      options: Object.fromEntries(
        Object.entries(parts.options)
          .filter(([, value]) => value !== undefined)
          .sort(([a], [b]) => compareText(a, b)),
      ),
      sources: parts.sources.map((source) => [source.path, source.sha256]),
    }),
  );
}
