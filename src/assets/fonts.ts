import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The fonts imprint ships (as npm packages, so every machine prints with the
 * same faces) and the CSS that loads them. No edition takes a font from the
 * machine it is built on.
 */
export interface FontFace {
  family: string;
  weight: number;
  style: 'normal' | 'italic';
  /** CSS unicode-range, when the file covers only part of the family. */
  unicodeRange?: string;
  /** Absolute path of the WOFF2 file. */
  file: string;
  /** A short stable name for the file in packages and URLs. */
  name: string;
  /** A Chinese or Japanese face, needed only by text in those scripts. */
  cjk: boolean;
}

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

const latin =
  'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD';
const latinExt =
  'U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+0304,U+0308,U+0329,U+1D00-1DBF,U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C4,U+2113,U+2C60-2C7F,U+A720-A7FF';

export const families = {
  text: 'Source Serif 4',
  mono: 'Source Code Pro',
  chinese: 'Noto Serif SC',
  japanese: 'Noto Serif JP',
} as const;

function fontsource(
  pkg: string,
  family: string,
  subset: string,
  weight: number,
  style: 'normal' | 'italic',
  unicodeRange?: string,
): FontFace {
  const base = pkg.replace('@fontsource/', '');
  const name = `${base}-${subset}-${weight}-${style}.woff2`;
  return {
    family,
    weight,
    style,
    ...(unicodeRange ? { unicodeRange } : {}),
    file: path.join(packageDir(pkg), 'files', name),
    name,
    cjk: family === families.chinese || family === families.japanese,
  };
}

let cache: FontFace[] | undefined;

/** Every face the templates can use. */
export function fontFaces(): FontFace[] {
  if (cache) return cache;
  const text = '@fontsource/source-serif-4';
  const faces: FontFace[] = [];
  for (const [weight, style] of [
    [400, 'normal'],
    [400, 'italic'],
    [600, 'normal'],
    [600, 'italic'],
    [700, 'normal'],
    [700, 'italic'],
  ] as const) {
    faces.push(fontsource(text, families.text, 'latin', weight, style, latin));
    faces.push(fontsource(text, families.text, 'latin-ext', weight, style, latinExt));
  }
  faces.push(fontsource('@fontsource/source-code-pro', families.mono, 'latin', 400, 'normal', latin));
  faces.push(fontsource('@fontsource/source-code-pro', families.mono, 'latin-ext', 400, 'normal', latinExt));
  faces.push(fontsource('@fontsource/noto-serif-sc', families.chinese, 'chinese-simplified', 400, 'normal'));
  faces.push(fontsource('@fontsource/noto-serif-jp', families.japanese, 'japanese', 400, 'normal'));
  cache = faces;
  return faces;
}

/** `@font-face` rules for `faces`, each loading from `urlOf(face)`. */
export function fontFaceCss(faces: readonly FontFace[], urlOf: (face: FontFace) => string): string {
  return faces
    .map(
      (face) =>
        `@font-face { font-family: '${face.family}'; font-style: ${face.style}; font-weight: ${face.weight}; ` +
        `font-display: block; src: url(${JSON.stringify(urlOf(face))}) format('woff2');` +
        (face.unicodeRange ? ` unicode-range: ${face.unicodeRange};` : '') +
        ' }',
    )
    .join('\n');
}

const cjk = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]/u;

/** Whether `text` needs the Chinese and Japanese faces. */
export function needsCjk(text: string): boolean {
  return cjk.test(text);
}

/** The ranges of a CSS `unicode-range` value (`U+0000-00FF, U+0131`). */
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
