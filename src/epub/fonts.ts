import { convert } from 'fontverter';
import subsetFont from 'subset-font';
import { fontBytes } from '../assets/font-files.js';
import type { FontFace } from '../assets/fonts.js';

/** A font file of the package: one face, reduced to the characters the book uses. */
export interface EmbeddedFont {
  face: FontFace;
  /** File name in the package's `fonts/` folder. */
  filename: string;
  mediaType: 'font/ttf' | 'font/otf';
  bytes: Uint8Array;
}

/**
 * Characters every face keeps whatever the text: ASCII, and the marks
 * reading systems and style sheets add themselves (list bullets, quotes,
 * dashes, the back-link arrow).
 */
const always =
  ' \u00a0!"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~' +
  '\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u2191\u25e6\u25aa';

const decompressed = new Map<string, Promise<Buffer>>();

/** The face as an OpenType (sfnt) font, decompressed from its WOFF2 file once per process. */
let converting: Promise<unknown> = Promise.resolve();

export function sfntOf(face: FontFace): Promise<Buffer> {
  let pending = decompressed.get(face.file);
  if (!pending) {
    // One conversion at a time (the WOFF2 decoder's WebAssembly is not reentrant: two at once
    // garble each other), and a copy of each result, which can be a view on that memory.
    pending = fontBytes(face).then((bytes) => {
      const converted = converting.then(() => convert(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'sfnt')).then((sfnt) => Buffer.from(sfnt));
      converting = converted.catch(() => undefined);
      return converted;
    });
    decompressed.set(face.file, pending);
  }
  return pending;
}

/**
 * Get the faces ready for subsetting (decompressed, and the subsetter's
 * WebAssembly started) ahead of need: a build does this while the browser
 * lays out the print page, when it would otherwise wait.
 */
export async function warmUpFonts(faces: readonly FontFace[]): Promise<void> {
  await Promise.all(faces.map((face) => sfntOf(face)));
  // One small subset starts the WebAssembly; done on a copy of a Latin face, so the cached bytes stay untouched.
  const latin = faces.find((face) => !face.unicodeRange || inRanges(parseUnicodeRange(face.unicodeRange), 0x61));
  if (latin) await subsetFont(Buffer.from(await sfntOf(latin)), 'a', { targetFormat: 'sfnt' });
}

/**
 * Subset each face to the characters of `text` it would be used for: those in
 * its `unicode-range`, or, for a face without one (the CJK faces, which the
 * style sheet names after the Latin face), every character outside Latin-1.
 * A face that would hold no character is left out. The subsets are plain
 * OpenType files (the format every reading system reads; the zip compresses
 * them about as well as WOFF2 would).
 */
export async function embedFonts(faces: readonly FontFace[], text: string): Promise<EmbeddedFont[]> {
  const used = new Set<string>(always);
  for (const character of text) used.add(character);
  const characters = [...used].sort();
  const embedded: EmbeddedFont[] = [];
  for (const face of faces) {
    const ranges = face.unicodeRange ? parseUnicodeRange(face.unicodeRange) : undefined;
    const wanted = characters.filter((character) => {
      const code = character.codePointAt(0)!;
      if (code < 0x20) return false;
      return ranges ? inRanges(ranges, code) : code > 0xff;
    });
    if (wanted.length === 0 || (ranges === undefined && wanted.every((character) => always.includes(character)))) continue;
    const bytes = await subsetFont(await sfntOf(face), wanted.join(''), { targetFormat: 'sfnt' });
    const otf = bytes.toString('latin1', 0, 4) === 'OTTO';
    embedded.push({
      face,
      filename: face.name.replace(/\.woff2$/, otf ? '.otf' : '.ttf'),
      mediaType: otf ? 'font/otf' : 'font/ttf',
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    });
  }
  return embedded;
}

/** The `@font-face` rules of the embedded fonts, for the style sheet next to the `fonts/` folder. */
export function fontFaceRules(fonts: readonly EmbeddedFont[]): string {
  return fonts
    .map(({ face, filename, mediaType }) =>
      [
        `@font-face { font-family: '${face.family}'; font-style: ${face.style}; font-weight: ${face.weight};`,
        ` src: url("fonts/${filename}") format('${mediaType === 'font/otf' ? 'opentype' : 'truetype'}');`,
        face.unicodeRange ? ` unicode-range: ${face.unicodeRange};` : '',
        ' }',
      ].join(''),
    )
    .join('\n');
}

/** `U+0000-00FF,U+0131` → [[0, 255], [305, 305]] */
export function parseUnicodeRange(range: string): Array<[number, number]> {
  return range.split(',').map((part) => {
    const [from, to] = part.trim().replace(/^U\+/i, '').split('-');
    const start = parseInt(from!, 16);
    return [start, to === undefined ? start : parseInt(to, 16)];
  });
}

export function inRanges(ranges: ReadonlyArray<[number, number]>, code: number): boolean {
  return ranges.some(([from, to]) => code >= from && code <= to);
}
