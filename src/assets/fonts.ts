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
  /** CSS size-adjust, when the face is scaled to the advance of the face it stands in for. */
  sizeAdjust?: string;
  /** Absolute path of the WOFF2 file. */
  file: string;
  /** The folder of the npm package the file comes from (a `@fontsource` package), when it comes from one. */
  packageFolder?: string;
  /** A short stable name for the file in packages and URLs. */
  name: string;
  /** A Chinese, Japanese or Korean face, needed only by text in those scripts. */
  cjk: boolean;
  /** The math face (with an OpenType MATH table), needed only by formulas. */
  math: boolean;
  /**
   * The script a face of another family than the text's is shipped for
   * (`arabic`, `korean`, `emoji`…), loaded only by documents with text in it.
   */
  script?: Script;
}

/** The scripts imprint ships a face for beyond Latin, Greek and Cyrillic (which the text face has). */
export type Script =
  | 'chinese-simplified'
  | 'chinese-traditional'
  | 'japanese'
  | 'korean'
  | 'arabic'
  | 'hebrew'
  | 'devanagari'
  | 'thai'
  | 'bengali'
  | 'tamil'
  | 'telugu'
  | 'gujarati'
  | 'gurmukhi'
  | 'kannada'
  | 'malayalam'
  | 'sinhala'
  | 'khmer'
  | 'lao'
  | 'myanmar'
  | 'georgian'
  | 'armenian'
  | 'ethiopic'
  | 'tibetan'
  | 'box-drawing'
  | 'symbols'
  | 'arrows-and-operators'
  | 'emoji';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));

const latin =
  'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,' +
  'U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD';
const latinExt =
  'U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+0304,U+0308,U+0329,U+1D00-1DBF,' +
  'U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C4,U+2113,U+2C60-2C7F,U+A720-A7FF';

/** Box Drawing and Block Elements (and the bracket pieces some trees draw with). */
const boxDrawingRange = 'U+23B8-23BD,U+2500-259F';
/** Arrows, mathematical operators and their supplements, miscellaneous mathematical symbols. */
const arrowsAndOperators = 'U+2190-21FF,U+2200-22FF,U+27C0-27FF,U+2900-2AFF';

export const families = {
  text: 'Source Serif 4',
  mono: 'Source Code Pro',
  chinese: 'Noto Serif SC',
  traditionalChinese: 'Noto Serif TC',
  japanese: 'Noto Serif JP',
  math: 'Noto Sans Math',
  korean: 'Noto Serif KR',
  arabic: 'Noto Naskh Arabic',
  hebrew: 'Noto Serif Hebrew',
  devanagari: 'Noto Serif Devanagari',
  thai: 'Noto Serif Thai',
  bengali: 'Noto Serif Bengali',
  tamil: 'Noto Serif Tamil',
  telugu: 'Noto Serif Telugu',
  gujarati: 'Noto Serif Gujarati',
  gurmukhi: 'Noto Sans Gurmukhi',
  kannada: 'Noto Sans Kannada',
  malayalam: 'Noto Serif Malayalam',
  sinhala: 'Noto Serif Sinhala',
  khmer: 'Noto Serif Khmer',
  lao: 'Noto Serif Lao',
  myanmar: 'Noto Serif Myanmar',
  georgian: 'Noto Serif Georgian',
  armenian: 'Noto Serif Armenian',
  ethiopic: 'Noto Sans Ethiopic',
  tibetan: 'Noto Serif Tibetan',
  boxDrawing: 'Cascadia Mono',
  symbols: 'Noto Sans Symbols 2',
  emoji: 'Noto Emoji',
} as const;

/**
 * The face for the Han characters of text in each language that writes them (each draws them its own way), by
 * language tag: the tag, or a longer one beginning with it, as CSS `:lang()` matches. The templates write two
 * rules an entry, for text and for code, in this order (test/unit/language-faces.test.ts keeps them in step),
 * and a document in a language here loads its face.
 */
export const languageFaces: ReadonlyArray<{ tags: readonly string[]; family: string; script: Script }> = [
  { tags: ['ja'], family: families.japanese, script: 'japanese' },
  { tags: ['zh'], family: families.chinese, script: 'chinese-simplified' },
  { tags: ['zh-Hant', 'zh-TW', 'zh-HK', 'zh-MO'], family: families.traditionalChinese, script: 'chinese-traditional' },
  { tags: ['ko'], family: families.korean, script: 'korean' },
];

const cjkFamilies = new Set<string>([
  families.chinese,
  families.traditionalChinese,
  families.japanese,
  families.korean,
]);

/** The unicode-range fontsource gives a subset of a package (`unicode.json`), when it lists one. */
function subsetRange(pkg: string, subset: string): string | undefined {
  const ranges = require(`${pkg}/unicode.json`) as Record<string, string>;
  return ranges[subset];
}

/** Every range of a package's `unicode.json` together (the emoji face's, listed in many small parts). */
function allRanges(pkg: string): string {
  return Object.values(require(`${pkg}/unicode.json`) as Record<string, string>).join(',');
}

function fontsource(
  pkg: string,
  family: string,
  subset: string,
  weight: number,
  style: 'normal' | 'italic',
  unicodeRange?: string,
  script?: Script,
): FontFace {
  const base = pkg.replace('@fontsource/', '');
  const name = `${base}-${subset}-${weight}-${style}.woff2`;
  const folder = packageDir(pkg);
  return {
    family,
    weight,
    style,
    unicodeRange: unicodeRange || undefined,
    file: path.join(folder, 'files', name),
    packageFolder: folder,
    name,
    cjk: cjkFamilies.has(family),
    math: family === families.math,
    script,
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
    for (const subset of ['greek', 'cyrillic', 'cyrillic-ext', 'vietnamese']) {
      faces.push(fontsource(text, families.text, subset, weight, style, subsetRange(text, subset)));
    }
  }
  faces.push(fontsource('@fontsource/source-code-pro', families.mono, 'latin', 400, 'normal', latin));
  faces.push(fontsource('@fontsource/source-code-pro', families.mono, 'latin-ext', 400, 'normal', latinExt));
  // Highlighted code sets keywords in bold and comments in italic: real faces, not ones Chromium slants or thickens.
  faces.push(fontsource('@fontsource/source-code-pro', families.mono, 'latin', 700, 'normal', latin));
  faces.push(fontsource('@fontsource/source-code-pro', families.mono, 'latin', 400, 'italic', latin));
  // Symbols the text and code faces lack, common in READMEs and reports: a directory tree's box drawing (Cascadia
  // Mono, scaled to Source Code Pro's advance of 0.6 em so a tree's columns stay aligned with the code's), ticks,
  // stars, shapes and keys (Noto Sans Symbols 2), arrows and operators such as ≤ ≠ ∞ (the math face's). Before the
  // emoji face, which wins where their ranges overlap, as before these were shipped.
  const box = '@fontsource/cascadia-mono';
  faces.push({
    ...fontsource(box, families.boxDrawing, 'symbols2', 400, 'normal', boxDrawingRange, 'box-drawing'),
    sizeAdjust: '102.4%',
  });
  const symbols = '@fontsource/noto-sans-symbols-2';
  faces.push(
    fontsource(symbols, families.symbols, 'symbols', 400, 'normal', subsetRange(symbols, 'symbols'), 'symbols'),
  );
  // The math face's file under a name of its own, so the editions subset it for these characters apart from the
  // formulas' whole face; before that face, which wins within its family.
  faces.push({
    ...fontsource('@fontsource/noto-sans-math', families.math, 'latin', 400, 'normal', arrowsAndOperators),
    name: 'noto-sans-math-arrows-400-normal.woff2',
    math: false,
    script: 'arrows-and-operators',
  });
  // The whole face, whatever its file's name says: its MATH table lays out fractions, roots and stretchy operators.
  faces.push(fontsource('@fontsource/noto-sans-math', families.math, 'latin', 400, 'normal'));
  faces.push(
    fontsource(
      '@fontsource/noto-serif-sc',
      families.chinese,
      'chinese-simplified',
      400,
      'normal',
      undefined,
      'chinese-simplified',
    ),
  );
  faces.push(
    fontsource('@fontsource/noto-serif-jp', families.japanese, 'japanese', 400, 'normal', undefined, 'japanese'),
  );
  faces.push(
    fontsource(
      '@fontsource/noto-serif-tc',
      families.traditionalChinese,
      'chinese-traditional',
      400,
      'normal',
      undefined,
      'chinese-traditional',
    ),
  );
  faces.push(fontsource('@fontsource/noto-serif-kr', families.korean, 'korean', 400, 'normal', undefined, 'korean'));
  for (const [pkg, family, subset] of [
    ['@fontsource/noto-naskh-arabic', families.arabic, 'arabic'],
    ['@fontsource/noto-serif-hebrew', families.hebrew, 'hebrew'],
    ['@fontsource/noto-serif-devanagari', families.devanagari, 'devanagari'],
    ['@fontsource/noto-serif-thai', families.thai, 'thai'],
    ['@fontsource/noto-serif-bengali', families.bengali, 'bengali'],
    ['@fontsource/noto-serif-tamil', families.tamil, 'tamil'],
    ['@fontsource/noto-serif-telugu', families.telugu, 'telugu'],
    ['@fontsource/noto-serif-gujarati', families.gujarati, 'gujarati'],
    ['@fontsource/noto-sans-gurmukhi', families.gurmukhi, 'gurmukhi'],
    ['@fontsource/noto-sans-kannada', families.kannada, 'kannada'],
    ['@fontsource/noto-serif-malayalam', families.malayalam, 'malayalam'],
    ['@fontsource/noto-serif-sinhala', families.sinhala, 'sinhala'],
    ['@fontsource/noto-serif-khmer', families.khmer, 'khmer'],
    ['@fontsource/noto-serif-lao', families.lao, 'lao'],
    ['@fontsource/noto-serif-myanmar', families.myanmar, 'myanmar'],
    ['@fontsource/noto-serif-georgian', families.georgian, 'georgian'],
    ['@fontsource/noto-serif-armenian', families.armenian, 'armenian'],
    ['@fontsource/noto-sans-ethiopic', families.ethiopic, 'ethiopic'],
    ['@fontsource/noto-serif-tibetan', families.tibetan, 'tibetan'],
  ] as const) {
    faces.push(fontsource(pkg, family, subset, 400, 'normal', subsetRange(pkg, subset), subset));
  }
  faces.push(
    fontsource(
      '@fontsource/noto-emoji',
      families.emoji,
      'emoji',
      400,
      'normal',
      allRanges('@fontsource/noto-emoji'),
      'emoji',
    ),
  );
  cache = faces;
  return faces;
}

/** `@font-face` rules for `faces`, each loading from `urlOf(face)`. */
export function fontFaceCss(faces: readonly FontFace[], urlOf: (face: FontFace) => string): string {
  return faces
    .map(
      (face) =>
        `@font-face { font-family: '${face.family}'; font-style: ${face.style}; font-weight: ${face.weight}; ` +
        `font-display: block; src: url(${JSON.stringify(urlOf(face))}) format('${formatOf(urlOf(face))}');` +
        (face.unicodeRange ? ` unicode-range: ${face.unicodeRange};` : '') +
        (face.sizeAdjust ? ` size-adjust: ${face.sizeAdjust};` : '') +
        ' }',
    )
    .join('\n');
}

/** The format of a font file by its URL: the shipped WOFF2 files, or an OpenType subset inlined as a data: URL. */
function formatOf(url: string): string {
  if (url.startsWith('data:font/ttf')) return 'truetype';
  if (url.startsWith('data:font/otf')) return 'opentype';
  return 'woff2';
}

const cjk = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]/u;

/** Whether `text` needs the Chinese and Japanese faces. */
export function needsCjk(text: string): boolean {
  return cjk.test(text);
}

/** Hangul (jamo, compatibility jamo, syllables): the Korean face's own range among the text face's. */
const hangulRange = 'U+1100-11FF,U+3130-318F,U+A960-A97F,U+AC00-D7AF,U+D7B0-D7FF';

/** Whether a language tag is `tag` or a longer one beginning with it (`zh-Hant-TW` is `zh-Hant`), as `:lang()`. */
function isLanguage(lang: string, tag: string): boolean {
  const [wanted, given] = [tag.toLowerCase(), lang.toLowerCase()];
  return given === wanted || given.startsWith(`${wanted}-`);
}

/**
 * The faces a document with this language and text needs, in the order their
 * `@font-face` rules are written:
 *
 * - the faces of another script than the text face's (Arabic, Hebrew,
 *   the scripts of India and South-East Asia, Georgian, Armenian, Ethiopic,
 *   Tibetan, Hangul, symbols, emoji) that the text uses, each declared again
 *   under the text and code families with its `unicode-range`, so every rule
 *   naming those families (the body, the headings, the running heads and
 *   folios in the page margins, a template's own) draws those characters
 *   without naming the script's face; written first, so where a range
 *   overlaps the text face's (punctuation, digits), the text face wins;
 * - every face of the text and code families;
 * - the Chinese and Japanese faces when the text has Han or kana (the
 *   templates name them, by `:lang`), and the face of the document's
 *   language in {@link languageFaces}: the traditional Chinese face for a
 *   `zh-Hant` (`zh-TW`, `zh-HK`, `zh-MO`) document, the Korean face for a Korean one.
 *
 * Faces of scripts the document does not use are left out: the browser and
 * the EPUB never load them.
 */
export function documentFaces(lang: string, text: string): FontFace[] {
  const all = fontFaces();
  const own = all
    .filter((face) => !face.script && face.unicodeRange)
    .flatMap((face) => parsedRanges(face.unicodeRange!));
  const seen = new Set<number>();
  for (let index = 0; index < text.length; index++) {
    const code = text.codePointAt(index)!;
    if (code > 0xffff) index++;
    if (code > 0x7f) seen.add(code);
  }
  // Sorted, so that whether a face's ranges hold one of them is a search per range, not a look at every character
  // for every range (a long report has thousands of characters, the CJK faces hundreds of ranges each).
  const characters = [...seen].filter((code) => !inRanges(own, code)).sort((a, b) => a - b);
  const uses = (range: string) =>
    parsedRanges(range).some(([from, to]) => {
      let low = 0;
      let high = characters.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (characters[middle]! < from) low = middle + 1;
        else high = middle;
      }
      return low < characters.length && characters[low]! <= to;
    });
  const scripts = new Set<Script>();
  if (needsCjk(text)) {
    // The text family's stack names the simplified Chinese face, and a `:lang(ja)` span may be anywhere.
    scripts.add('chinese-simplified').add('japanese');
    for (const { tags, script } of languageFaces) if (tags.some((tag) => isLanguage(lang, tag))) scripts.add(script);
  }
  if (uses(hangulRange)) scripts.add('korean');
  for (const face of all) if (face.script && face.unicodeRange && uses(face.unicodeRange)) scripts.add(face.script);

  const styles = all.filter((face) => face.family === families.text && /-latin-\d/.test(face.name));
  const aliases: FontFace[] = [];
  for (const face of all.filter((candidate) => candidate.script && scripts.has(candidate.script))) {
    const range = face.script === 'korean' ? hangulRange : face.unicodeRange;
    if (range === undefined) continue;
    for (const style of styles)
      aliases.push({ ...face, family: families.text, weight: style.weight, style: style.style, unicodeRange: range });
    aliases.push({ ...face, family: families.mono, weight: 400, style: 'normal', unicodeRange: range });
  }
  return [...aliases, ...all.filter((face) => !face.script || scripts.has(face.script))];
}

const parsed = new Map<string, Array<[number, number]>>();

/** `parseUnicodeRange`, once per value: the shipped faces' ranges are read again by every build. */
function parsedRanges(range: string): Array<[number, number]> {
  let ranges = parsed.get(range);
  if (!ranges) parsed.set(range, (ranges = parseUnicodeRange(range)));
  return ranges;
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
