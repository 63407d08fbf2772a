import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { fontFaces, families } from '../assets/fonts.js';

/**
 * Advance widths from the fonts imprint ships, so that charts lay out their
 * text (wrap labels, size columns) without a browser and still fit when the
 * browser or e-reader sets it in the same face. Read from the WOFF 1.0 files
 * of the same @fontsource packages as the WOFF2 files the editions embed (the
 * same glyphs, zlib instead of Brotli).
 */
export interface TextStyle {
  /** Font size in the chart's user units. */
  size: number;
  weight?: 400 | 600;
  style?: 'normal' | 'italic';
}

interface FontMetrics {
  unitsPerEm: number;
  advance(codePoint: number): number | undefined;
}

const cache = new Map<string, FontMetrics[]>();

/** The width of `text` set in Source Serif 4 at `style`, in user units. */
export function measureText(text: string, style: TextStyle): number {
  const fonts = metricsFor(style.weight ?? 400, style.style ?? 'normal');
  let width = 0;
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    let advance: number | undefined;
    for (const font of fonts) {
      const units = font.advance(codePoint);
      if (units !== undefined) {
        advance = units / font.unitsPerEm;
        break;
      }
    }
    // Characters outside the Latin faces: CJK ideographs and kana are a full em wide; anything else, a wide guess.
    width += (advance ?? (/[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]/u.test(char) ? 1 : 0.6)) * style.size;
  }
  return width;
}

function metricsFor(weight: number, style: 'normal' | 'italic'): FontMetrics[] {
  const key = `${weight}-${style}`;
  let fonts = cache.get(key);
  if (!fonts) {
    fonts = fontFaces()
      .filter((face) => face.family === families.text && face.weight === weight && face.style === style)
      .map((face) => readWoff(readFileSync(face.file.replace(/\.woff2$/, '.woff'))));
    cache.set(key, fonts);
  }
  return fonts;
}

/** The tables of a WOFF 1.0 file that give advance widths: head, hhea, hmtx and cmap. */
export function readWoff(bytes: Uint8Array): FontMetrics {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (data.readUInt32BE(0) !== 0x774f4646) throw new Error('not a WOFF 1.0 font');
  const count = data.readUInt16BE(12);
  const tables = new Map<string, Buffer>();
  for (let index = 0; index < count; index++) {
    const entry = 44 + index * 20;
    const tag = data.toString('latin1', entry, entry + 4);
    if (!['head', 'hhea', 'hmtx', 'cmap'].includes(tag)) continue;
    const offset = data.readUInt32BE(entry + 4);
    const compressed = data.readUInt32BE(entry + 8);
    const original = data.readUInt32BE(entry + 12);
    const raw = data.subarray(offset, offset + compressed);
    tables.set(tag, compressed < original ? inflateSync(raw) : raw);
  }
  const table = (tag: string) => {
    const found = tables.get(tag);
    if (!found) throw new Error(`font has no ${tag} table`);
    return found;
  };
  const unitsPerEm = table('head').readUInt16BE(18);
  const metricCount = table('hhea').readUInt16BE(34);
  const hmtx = table('hmtx');
  const advanceOf = (glyph: number) => hmtx.readUInt16BE(4 * Math.min(glyph, metricCount - 1));
  const glyphOf = characterMap(table('cmap'));
  return {
    unitsPerEm,
    advance(codePoint) {
      const glyph = glyphOf(codePoint);
      return glyph ? advanceOf(glyph) : undefined;
    },
  };
}

/** The font's Unicode character map (format 12 or 4 subtable); 0 for a character it does not have. */
function characterMap(cmap: Buffer): (codePoint: number) => number {
  const count = cmap.readUInt16BE(2);
  let format4: number | undefined;
  for (let index = 0; index < count; index++) {
    const platform = cmap.readUInt16BE(4 + index * 8);
    const encoding = cmap.readUInt16BE(6 + index * 8);
    const offset = cmap.readUInt32BE(8 + index * 8);
    const format = cmap.readUInt16BE(offset);
    if (format === 12 && (platform === 0 || (platform === 3 && encoding === 10))) {
      const groups = cmap.readUInt32BE(offset + 12);
      return (codePoint) => {
        for (let group = 0; group < groups; group++) {
          const at = offset + 16 + group * 12;
          const start = cmap.readUInt32BE(at);
          const end = cmap.readUInt32BE(at + 4);
          if (codePoint >= start && codePoint <= end) return cmap.readUInt32BE(at + 8) + codePoint - start;
        }
        return 0;
      };
    }
    if (format === 4 && (platform === 0 || (platform === 3 && encoding === 1))) format4 ??= offset;
  }
  if (format4 === undefined) throw new Error('font has no Unicode character map');
  const offset = format4;
  const segments = cmap.readUInt16BE(offset + 6) / 2;
  const ends = offset + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  return (codePoint) => {
    if (codePoint > 0xffff) return 0;
    for (let segment = 0; segment < segments; segment++) {
      if (codePoint > cmap.readUInt16BE(ends + segment * 2)) continue;
      const start = cmap.readUInt16BE(starts + segment * 2);
      if (codePoint < start) return 0;
      const delta = cmap.readInt16BE(deltas + segment * 2);
      const rangeAt = rangeOffsets + segment * 2;
      const range = cmap.readUInt16BE(rangeAt);
      if (range === 0) return (codePoint + delta) & 0xffff;
      const glyph = cmap.readUInt16BE(rangeAt + range + (codePoint - start) * 2);
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}
