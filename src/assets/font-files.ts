import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FontFace } from './fonts.js';

const bytes = new Map<string, Promise<Uint8Array>>();

/** The bytes of a shipped font file, read once per process. */
export function fontBytes(face: FontFace): Promise<Uint8Array> {
  let pending = bytes.get(face.file);
  if (!pending) {
    pending = readFile(face.file);
    bytes.set(face.file, pending);
  }
  return pending;
}

const decompressed = new Map<string, Promise<Buffer>>();
let conversions: Promise<unknown> = Promise.resolve();

/**
 * The face as an OpenType (sfnt) font, decompressed from its WOFF2 file once
 * per process, and kept on disk after the first time: decompressing the two
 * CJK faces takes most of a second, more than the rest of a short report's
 * EPUB. The copy is named after the WOFF2 file's digest, so a changed font is
 * never read from an old copy; without a writable cache folder it is only
 * kept in memory.
 */
export function sfntOf(face: FontFace): Promise<Buffer> {
  let pending = decompressed.get(face.file);
  if (!pending) {
    pending = fontBytes(face).then((bytes) =>
      cachedSfnt(face, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
    );
    decompressed.set(face.file, pending);
  }
  return pending;
}

async function cachedSfnt(face: FontFace, woff2: Buffer): Promise<Buffer> {
  const folder = cacheFolder(face.file);
  const file = folder && path.join(folder, `${createHash('sha256').update(woff2).digest('hex').slice(0, 32)}.sfnt`);
  if (file) {
    const kept = await readFile(file).catch(() => undefined);
    if (kept && isSfnt(kept)) return kept;
  }
  const sfnt = await toSfnt(woff2);
  if (file && folder) {
    // Written beside, then renamed: a build running at the same time reads a whole file or none.
    const partial = `${file}.${process.pid}.tmp`;
    await mkdir(folder, { recursive: true })
      .then(() => writeFile(partial, sfnt))
      .then(() => rename(partial, file))
      .catch(() => undefined);
  }
  return sfnt;
}

/**
 * A font file (WOFF2, WOFF, TrueType or OpenType) as an OpenType (sfnt) font. One conversion at a time: the
 * converter's WebAssembly module is one instance, and conversions started together come back empty. The result
 * is copied out of its memory.
 */
export function toSfnt(bytes: Uint8Array): Promise<Buffer> {
  const font = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isSfnt(font)) return Promise.resolve(font);
  const converted = conversions.then(async () => {
    const { convert } = await import('fontverter');
    return Buffer.from(await convert(font, 'sfnt'));
  });
  conversions = converted.catch(() => undefined);
  return converted;
}

/** `node_modules/.cache/imprint/fonts` of the node_modules the shipped fonts are installed in. */
function cacheFolder(fontFile: string): string | undefined {
  const parts = fontFile.split(path.sep);
  const at = parts.lastIndexOf('node_modules');
  return at < 0 ? undefined : path.join(parts.slice(0, at + 1).join(path.sep), '.cache', 'imprint', 'fonts');
}

function isSfnt(bytes: Buffer): boolean {
  const tag = bytes.toString('latin1', 0, 4);
  return bytes.length > 12 && (tag === '\x00\x01\x00\x00' || tag === 'OTTO' || tag === 'true');
}
