import { readFile } from 'node:fs/promises';
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
