import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fontBytes } from '../../assets/font-files.js';
import { inRanges, parseRanges, type FontFace } from '../../assets/fonts.js';

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
    pending = fontBytes(face).then((bytes) => cachedSfnt(face, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
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
  // One conversion at a time: the converter's WebAssembly module is one instance, and
  // conversions started together come back empty. The result is copied out of its memory.
  const converted = conversions.then(async () => {
    const { convert } = await import('fontverter');
    return Buffer.from(await convert(woff2, 'sfnt'));
  });
  conversions = converted.catch(() => undefined);
  const sfnt = await converted;
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

/** The characters the fonts are subset to for `text`: its own and those every face keeps. */
export function fontCharacters(text: string): Set<string> {
  const used = new Set<string>(always);
  for (const character of text) used.add(character);
  return used;
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
  const characters = [...fontCharacters(text)].sort();
  const wantedBy = (face: FontFace) => {
    const ranges = face.unicodeRange ? parseRanges(face.unicodeRange) : undefined;
    const wanted = characters.filter((character) => {
      const code = character.codePointAt(0)!;
      if (code < 0x20) return false;
      return ranges ? inRanges(ranges, code) : code > 0xff;
    });
    return wanted.length === 0 || (ranges === undefined && wanted.every((character) => always.includes(character))) ? [] : wanted;
  };
  // A file declared under several families (a script's face under the text family too) is subset once, for all.
  const byFile = new Map<string, Set<string>>();
  for (const face of faces) {
    const wanted = wantedBy(face);
    if (wanted.length > 0) byFile.set(face.name, new Set([...(byFile.get(face.name) ?? []), ...wanted]));
  }
  const subsets = new Map<string, Promise<Omit<EmbeddedFont, 'face'>>>();
  const subset = (face: FontFace) => {
    let pending = subsets.get(face.name);
    if (!pending) {
      pending = (async () => {
        const { default: subsetFont } = await import('subset-font');
        const wanted = [...byFile.get(face.name)!].sort().join('');
        const bytes = await subsetFont(await sfntOf(face), wanted, { targetFormat: 'sfnt' });
        const otf = bytes.toString('latin1', 0, 4) === 'OTTO';
        return {
          filename: face.name.replace(/\.woff2$/, otf ? '.otf' : '.ttf'),
          mediaType: otf ? ('font/otf' as const) : ('font/ttf' as const),
          bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        };
      })();
      subsets.set(face.name, pending);
    }
    return pending;
  };
  const embedded: EmbeddedFont[] = [];
  for (const face of faces) {
    if (wantedBy(face).length === 0) continue;
    embedded.push({ face, ...(await subset(face)) });
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

export { inRanges, parseRanges as parseUnicodeRange } from '../../assets/fonts.js';
