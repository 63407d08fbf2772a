import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fontBytes } from '../assets/font-files.js';
import { fontFaces } from '../assets/fonts.js';
import type { ResourceReader } from '../compile/resources.js';
import type { Templates } from '../writers/print-page/templates.js';
import { toolName, toolVersion } from '../version.js';
import { compareText } from '../project/order.js';

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

let codeDigest: Promise<string> | undefined;

/**
 * A digest of imprint's own code (the folder this module was loaded from),
 * so that editions made by a changed imprint are never taken as up to date,
 * even before its version number moves.
 */
function ownCodeDigest(): Promise<string> {
  codeDigest ??= (async () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    const files = entries
      .filter((entry) => entry.isFile() && /\.(js|ts|mjs|cjs)$/.test(entry.name))
      .map((entry) => path.join(entry.parentPath, entry.name))
      .sort();
    const hash = createHash('sha256');
    for (const file of files)
      hash
        .update(`${path.relative(root, file)}\0`)
        .update(await readFile(file))
        .update('\0');
    return hash.digest('hex');
  })();
  return codeDigest;
}

let fontsDigest: Promise<string> | undefined;

function shippedFontsDigest(): Promise<string> {
  fontsDigest ??= (async () => {
    const hash = createHash('sha256');
    for (const face of fontFaces())
      hash
        .update(`${face.name}\0`)
        .update(await fontBytes(face))
        .update('\0');
    return hash.digest('hex');
  })();
  return fontsDigest;
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
