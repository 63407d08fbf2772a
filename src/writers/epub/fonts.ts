import { sfntOf, toSfnt } from '../../assets/font-files.js';
import type { FontFace } from '../../assets/fonts.js';
import type { TemplateFont } from '../print-page/templates.js';

export { sfntOf } from '../../assets/font-files.js';
export { inRanges, parseUnicodeRange } from '../../assets/fonts.js';
import { inRanges, parseUnicodeRange } from '../../assets/fonts.js';
import { onFirstUse } from '../../first-use.js';

/**
 * The subsetter, loaded on first use: it brings the WOFF2 converters with it (about 0.06 s of loading), which a
 * build that makes no EPUB never needs.
 */
export const loadSubsetter = onFirstUse(() => import('subset-font').then((module) => module.default));

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
    const ranges = face.unicodeRange ? parseUnicodeRange(face.unicodeRange) : undefined;
    const wanted = characters.filter((character) => {
      const code = character.codePointAt(0)!;
      if (code < 0x20) return false;
      return ranges ? inRanges(ranges, code) : code > 0xff;
    });
    return wanted.length === 0 || (ranges === undefined && wanted.every((character) => always.includes(character)))
      ? []
      : wanted;
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
        const subsetFont = await loadSubsetter();
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

/** A font file a template brings, subset to the characters of the book, and the URL its style sheet names. */
export interface EmbeddedTemplateFont {
  /** The URL the loaded style sheet names the font by (`TemplateFont.url`). */
  url: string;
  /** File name in the package's `fonts/` folder. */
  filename: string;
  mediaType: 'font/ttf' | 'font/otf';
  bytes: Uint8Array;
}

/**
 * Subset each font the template's EPUB style sheet loads to the characters of `text` (with those every face
 * keeps), as a plain OpenType file like the shipped faces': the template does not say which text it sets in
 * the face, so every character of the book the font has is kept.
 */
export async function embedTemplateFonts(
  fonts: readonly TemplateFont[],
  css: string,
  text: string,
): Promise<EmbeddedTemplateFont[]> {
  const wanted = [...fontCharacters(text)]
    .filter((character) => character.codePointAt(0)! >= 0x20)
    .sort()
    .join('');
  const embedded: EmbeddedTemplateFont[] = [];
  for (const font of fonts.filter((candidate) => css.includes(candidate.url))) {
    const subsetFont = await loadSubsetter();
    const bytes = await subsetFont(await toSfnt(font.bytes), wanted, { targetFormat: 'sfnt' });
    const otf = bytes.toString('latin1', 0, 4) === 'OTTO';
    const name = font.url.slice(font.url.lastIndexOf('/') + 1).replace(/\.[a-z0-9]+$/, '');
    embedded.push({
      url: font.url,
      filename: `template-${name}.${otf ? 'otf' : 'ttf'}`,
      mediaType: otf ? 'font/otf' : 'font/ttf',
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    });
  }
  return embedded;
}

/** The EPUB style sheet with the template's fonts named by their files in the package's `fonts/` folder. */
export function withTemplateFonts(css: string, fonts: readonly EmbeddedTemplateFont[]): string {
  let named = css;
  for (const font of fonts) named = named.replaceAll(font.url, `fonts/${font.filename}`);
  return named;
}

/** The `@font-face` rules of the embedded fonts, for the style sheet next to the `fonts/` folder. */
export function fontFaceRules(fonts: readonly EmbeddedFont[]): string {
  return fonts
    .map(({ face, filename, mediaType }) =>
      [
        `@font-face { font-family: '${face.family}'; font-style: ${face.style}; font-weight: ${face.weight};`,
        ` src: url("fonts/${filename}") format('${mediaType === 'font/otf' ? 'opentype' : 'truetype'}');`,
        face.unicodeRange ? ` unicode-range: ${face.unicodeRange};` : '',
        face.sizeAdjust ? ` size-adjust: ${face.sizeAdjust};` : '',
        ' }',
      ].join(''),
    )
    .join('\n');
}

/** `U+0000-00FF,U+0131` → [[0, 255], [305, 305]] */
