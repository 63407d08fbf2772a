import { onFirstUse } from '../first-use.js';
import { sfntOf, toSfnt } from './font-files.js';
import { families, fontFaces, inRanges, parseUnicodeRange, type FontFace } from './fonts.js';

/**
 * The one font-metrics engine: HarfBuzz (harfbuzzjs), on the faces imprint ships. Charts measure their
 * labels with it, so that they lay out their text (wrap labels, size columns) without a browser and still fit
 * when the browser or e-reader sets it in the same face; the EPUB's cover sets its text with it.
 */
export type HarfBuzz = typeof import('harfbuzzjs');
type HbFont = InstanceType<HarfBuzz['Font']>;

/** HarfBuzz, loaded once per process (its WebAssembly module). */
export const harfBuzz = onFirstUse((): Promise<HarfBuzz> => import('harfbuzzjs'));

/** A face loaded into HarfBuzz, with the characters it is used for. */
export interface ShapingFace {
  font: HbFont;
  upem: number;
  ascender: number;
  /** The face's `unicode-range`; none for a face used for whatever it has. */
  ranges?: Array<[number, number]>;
}

/** Load a face (OpenType bytes) into HarfBuzz. */
export function shapingFace(hb: HarfBuzz, sfnt: Uint8Array, unicodeRange: string | undefined): ShapingFace {
  const face = new hb.Face(new hb.Blob(sfnt));
  const font = new hb.Font(face);
  const loaded: ShapingFace = { font, upem: face.upem, ascender: font.hExtents().ascender };
  if (unicodeRange) loaded.ranges = parseUnicodeRange(unicodeRange);
  return loaded;
}

/** A glyph as shaped: its face, id and advance and offsets in the face's units. */
export interface ShapedGlyph {
  face: ShapingFace;
  id: number;
  advance: number;
  dx: number;
  dy: number;
}

/** Shape a line: per character the first face that has it (else the first face), in runs of one face. */
export function shapeLine(hb: HarfBuzz, faces: readonly ShapingFace[], line: string): ShapedGlyph[] {
  const glyphs: ShapedGlyph[] = [];
  for (const { face, buffer } of shapedRuns(hb, faces, line)) {
    for (const info of buffer.getGlyphInfosAndPositions()) {
      glyphs.push({
        face,
        id: info.codepoint,
        advance: info.xAdvance ?? 0,
        dx: info.xOffset ?? 0,
        dy: info.yOffset ?? 0,
      });
    }
  }
  return glyphs;
}

/**
 * The glyphs' advances of a line shaped as `shapeLine` shapes it, each with its face, in the same order. Only the
 * positions are read: HarfBuzz's glyph infos are objects with four properties defined one by one, which took most
 * of the time of measuring a chart's labels (decision 090).
 */
function eachAdvance(
  hb: HarfBuzz,
  faces: readonly ShapingFace[],
  line: string,
  use: (advance: number, face: ShapingFace) => void,
): void {
  for (const { face, buffer } of shapedRuns(hb, faces, line)) {
    for (const position of buffer.getGlyphPositions()) use(position.xAdvance ?? 0, face);
  }
}

function* shapedRuns(
  hb: HarfBuzz,
  faces: readonly ShapingFace[],
  line: string,
): Generator<{ face: ShapingFace; buffer: InstanceType<HarfBuzz['Buffer']> }> {
  const faceOf = (character: string): ShapingFace | undefined => {
    const code = character.codePointAt(0)!;
    return faces.find(
      (face) => (face.ranges ? inRanges(face.ranges, code) : true) && face.font.nominalGlyph(code) !== undefined,
    );
  };
  const runs: Array<{ face: ShapingFace | undefined; text: string }> = [];
  for (const character of line) {
    const face = faceOf(character);
    const last = runs[runs.length - 1];
    if (last && last.face === face) last.text += character;
    else runs.push({ face, text: character });
  }
  for (const run of runs) {
    const face = run.face ?? faces[0];
    if (!face) continue;
    const buffer = new hb.Buffer();
    buffer.addText(run.text);
    buffer.guessSegmentProperties();
    hb.shape(face.font, buffer);
    yield { face, buffer };
  }
}

/** How chart text is set: a size in the chart's user units, a weight and a style of the text face. */
export interface TextStyle {
  size: number;
  weight?: 400 | 600;
  style?: 'normal' | 'italic';
}

interface TextMetrics {
  hb: HarfBuzz;
  faces: Map<string, ShapingFace[]>;
}

let textMetrics: TextMetrics | undefined;
let loadingTextMetrics: Promise<void> | undefined;

/** Load the text faces `measureText` measures with; call (and wait) once before measuring. */
export function loadTextMetrics(): Promise<void> {
  loadingTextMetrics ??= (async () => {
    const hb = await harfBuzz();
    const faces = new Map<string, ShapingFace[]>();
    // Latin and Latin Extended: the subsets chart labels are measured in (the Greek and Cyrillic ones cost a load
    // each).
    const text = fontFaces().filter(
      (face: FontFace) => face.family === families.text && /-latin-(ext-)?\d/.test(face.name),
    );
    for (const face of text) {
      const key = `${face.weight}-${face.style}`;
      const loaded = shapingFace(hb, await sfntOf(face), face.unicodeRange);
      faces.set(key, [...(faces.get(key) ?? []), loaded]);
    }
    textMetrics = { hb, faces };
  })();
  return loadingTextMetrics;
}

/** The width of `text` set in the text face at `style`, in user units (see `loadTextMetrics`). */
export function measureText(text: string, style: TextStyle): number {
  if (!textMetrics) throw new Error('measureText: the text faces are not loaded (await loadTextMetrics() first)');
  return widthIn(textMetrics.faces.get(`${style.weight ?? 400}-${style.style ?? 'normal'}`) ?? [], text, style);
}

/** Measures chart text: `measureText`, or the same in a template's chart face (see `textMeasure`). */
export type MeasureText = (text: string, style: TextStyle) => number;

/** A face a template brings for chart text (`--chart-font`), as its file's bytes. */
export interface ChartFace {
  bytes: Uint8Array;
  weight: number;
  style: 'normal' | 'italic';
}

/**
 * What chart text is measured with: the shipped text face, or, when a template sets its charts in a face of its
 * own, that face first (its nearest weight and style), the shipped one for the characters it lacks.
 */
export async function textMeasure(chartFaces: readonly ChartFace[] = []): Promise<MeasureText> {
  await loadTextMetrics();
  const metrics = textMetrics!;
  if (chartFaces.length === 0) return measureText;
  const loaded = await Promise.all(
    chartFaces.map(async (face) => ({
      ...face,
      shaping: shapingFace(metrics.hb, await toSfnt(face.bytes), undefined),
    })),
  );
  const chosen = new Map<string, ShapingFace[]>();
  return (text, style) => {
    const key = `${style.weight ?? 400}-${style.style ?? 'normal'}`;
    let faces = chosen.get(key);
    if (!faces) {
      const wanted = style.style ?? 'normal';
      const nearest = [...loaded].sort(
        (a, b) =>
          Number(a.style !== wanted) - Number(b.style !== wanted) ||
          Math.abs(a.weight - (style.weight ?? 400)) - Math.abs(b.weight - (style.weight ?? 400)),
      )[0]!;
      faces = [nearest.shaping, ...(metrics.faces.get(key) ?? [])];
      chosen.set(key, faces);
    }
    return widthIn(faces, text, style);
  };
}

function widthIn(faces: readonly ShapingFace[], text: string, style: TextStyle): number {
  const metrics = textMetrics!;
  const upem = faces[0]?.upem ?? 1000;
  let width = 0;
  let covered = '';
  const flush = () => {
    eachAdvance(metrics.hb, faces, covered, (advance, face) => {
      width += (advance / face.upem) * upem;
    });
    covered = '';
  };
  for (const character of text) {
    if (faces.some((face) => covers(face, character))) {
      covered += character;
      continue;
    }
    flush();
    // A character no shipped text face has: CJK ideographs and kana are a full em wide; anything else, a wide guess.
    width += (/[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]/u.test(character) ? 1 : 0.6) * upem;
  }
  flush();
  return (width / upem) * style.size;
}

function covers(face: ShapingFace, character: string): boolean {
  const code = character.codePointAt(0)!;
  return (face.ranges ? inRanges(face.ranges, code) : true) && face.font.nominalGlyph(code) !== undefined;
}
