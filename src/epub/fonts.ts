import { fontBytes } from '../assets/font-files.js';
import type { FontFace } from '../assets/fonts.js';
import subsetFont from 'subset-font';

/** A font file of the package: one face, reduced to the characters the book uses. */
export interface EmbeddedFont {
  face: FontFace;
  /** File name in the package's `fonts/` folder. */
  filename: string;
  bytes: Uint8Array;
}

/**
 * Characters every face keeps whatever the text: ASCII, and the marks
 * reading systems and style sheets add themselves (list bullets, quotes,
 * dashes, the back-link arrow).
 */
const always = ' \u00a0!"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~' +
  '\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u2191\u25e6\u25aa';

/**
 * Subset each face to the characters of `text` it would be used for: those in
 * its `unicode-range`, or, for a face without one (the CJK faces, which the
 * style sheet names after the Latin face), every character outside Latin-1.
 * A face that would hold no character is left out.
 */
export async function embedFonts(faces: readonly FontFace[], text: string): Promise<EmbeddedFont[]> {
  const characters = [...new Set([...always, ...text])].sort();
  const embedded: EmbeddedFont[] = [];
  for (const face of faces) {
    const ranges = face.unicodeRange ? parseUnicodeRange(face.unicodeRange) : undefined;
    const wanted = characters.filter((character) => {
      const code = character.codePointAt(0)!;
      if (code < 0x20) return false;
      return ranges ? ranges.some(([from, to]) => code >= from && code <= to) : code > 0xff;
    });
    if (wanted.length === 0 || (ranges === undefined && !wanted.some((character) => !always.includes(character)))) continue;
    const bytes = await subsetFont(await fontBytes(face), wanted.join(''), { targetFormat: 'woff2' });
    embedded.push({ face, filename: face.name, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
  }
  return embedded;
}

/** `U+0000-00FF,U+0131` → [[0, 255], [305, 305]] */
export function parseUnicodeRange(range: string): Array<[number, number]> {
  return range.split(',').map((part) => {
    const [from, to] = part.trim().replace(/^U\+/i, '').split('-');
    const start = parseInt(from!, 16);
    return [start, to === undefined ? start : parseInt(to, 16)];
  });
}
