import { render } from 'ejs';
import { families, fontFaces, type FontFace } from '../../assets/fonts.js';
import type { Metadata } from '../../document/metadata.js';
import { formatPartialDate } from '../../data/partial-date.js';
import {
  harfBuzz,
  type HarfBuzz,
  shapeLine,
  type ShapedGlyph,
  type ShapingFace,
  shapingFace,
} from '../../assets/font-metrics.js';
import { inRanges, loadSubsetter, parseUnicodeRange, sfntOf } from './fonts.js';

/** How the cover template asks for a block of text. */
export interface TextOptions {
  /** Left edge of the block. */
  x: number;
  /** Top of the block (the first line's ascent starts here). */
  y: number;
  /** Width lines are broken to. */
  width: number;
  /** Font size, in the cover's units. */
  size: number;
  weight?: 400 | 600 | 700;
  style?: 'normal' | 'italic';
  /** Line height as a multiple of the size; default 1.2. */
  lineHeight?: number;
  align?: 'start' | 'middle' | 'end';
  fill?: string;
  /** Shrink the size (down to `minSize`) until the text fits in this many lines. */
  maxLines?: number;
  minSize?: number;
}

/** A block of text set as outlines, for the cover template. */
export interface TextBlock {
  /** SVG paths of the glyphs. */
  svg: string;
  lines: number;
  /** The size used (smaller than asked when the text had to shrink to fit). */
  size: number;
  /** The y just under the last line. */
  bottom: number;
}

export interface CoverImage {
  /** The SVG document. */
  svg: string;
  /** Its text alternative. */
  alt: string;
}

/**
 * The cover image: the template (`templates/epub/cover.svg.ejs`) filled in
 * with the report's metadata. Text is set with HarfBuzz in the project's own
 * fonts and drawn as outlines, so the image looks the same in every reader and
 * needs no font of its own.
 */
export async function renderCover(template: string, metadata: Metadata): Promise<CoverImage> {
  const author = metadata.authors.join(', ');
  const subtitle = metadata.subtitle ? `: ${metadata.subtitle}` : '';
  const alt = `Cover: ${metadata.title}${subtitle}${author ? `, by ${author}` : ''}`;
  const data = {
    title: metadata.title,
    subtitle: metadata.subtitle ?? '',
    authors: metadata.authors,
    author,
    date: metadata.date ? formatPartialDate(metadata.date, metadata.lang) : '',
    publisher: metadata.publisher ?? '',
    series: metadata.series ?? '',
    lang: metadata.lang,
    alt,
  };
  // First pass: learn which text in which face the template sets, so the fonts can be loaded for it.
  const wanted = new Map<string, { options: TextOptions; text: string }[]>();
  render(template, {
    ...data,
    text: (value: unknown, options: TextOptions): TextBlock => {
      const text = String(value ?? '');
      const key = faceKey(options);
      wanted.set(key, [...(wanted.get(key) ?? []), { options, text }]);
      return { svg: '', lines: 1, size: options.size, bottom: options.y + options.size * (options.lineHeight ?? 1.2) };
    },
  });
  const setter = await TextSetter.load(wanted, metadata.lang);
  const svg = render(template, {
    ...data,
    text: (value: unknown, options: TextOptions) => setter.set(String(value ?? ''), options),
  });
  return { svg, alt };
}

function faceKey(options: Pick<TextOptions, 'weight' | 'style'>): string {
  return `${options.weight ?? 400}-${options.style ?? 'normal'}`;
}

/** Sets text in the shipped faces: per character the first face that has it, shaped with HarfBuzz. */
class TextSetter {
  private constructor(
    private readonly hb: HarfBuzz,
    private readonly faces: Map<string, ShapingFace[]>,
  ) {}

  static async load(wanted: Map<string, { text: string }[]>, lang: string): Promise<TextSetter> {
    const hb = await harfBuzz();
    const japaneseFirst = /^ja\b/i.test(lang);
    const cjk = fontFaces().filter((face) => face.cjk);
    if (japaneseFirst)
      cjk.sort((a, b) => Number(b.family === families.japanese) - Number(a.family === families.japanese));
    const faces = new Map<string, ShapingFace[]>();
    for (const [key, blocks] of wanted) {
      const text = blocks.map((block) => block.text).join('');
      if (text === '') continue;
      const [weight, style] = key.split('-');
      const candidates: FontFace[] = [
        ...fontFaces().filter(
          (face) => face.family === families.text && String(face.weight) === weight && face.style === style,
        ),
        ...cjk,
      ];
      const loaded: ShapingFace[] = [];
      for (const face of candidates) {
        const ranges = face.unicodeRange ? parseUnicodeRange(face.unicodeRange) : undefined;
        const characters = [...new Set(text)].filter((character) => {
          const code = character.codePointAt(0)!;
          return ranges ? inRanges(ranges, code) : code > 0xff;
        });
        if (characters.length === 0) continue;
        const subsetFont = await loadSubsetter();
        const sfnt = await subsetFont(await sfntOf(face), characters.join(''), { targetFormat: 'sfnt' });
        loaded.push(shapingFace(hb, new Uint8Array(sfnt.buffer, sfnt.byteOffset, sfnt.byteLength), face.unicodeRange));
      }
      faces.set(key, loaded);
    }
    return new TextSetter(hb, faces);
  }

  set(text: string, options: TextOptions): TextBlock {
    const lineHeight = options.lineHeight ?? 1.2;
    const minSize = options.minSize ?? options.size * 0.5;
    let size = options.size;
    let lines = this.wrap(text, size, options);
    while (
      size > minSize &&
      (lines.length > (options.maxLines ?? Infinity) ||
        lines.some((line) => this.width(line, size, options) > options.width))
    ) {
      size = Math.max(minSize, size * 0.92);
      lines = this.wrap(text, size, options);
    }
    const faces = this.faces.get(faceKey(options)) ?? [];
    const ascender = faces[0] ? faces[0].ascender / faces[0].upem : 0.9;
    const paths: string[] = [];
    lines.forEach((line, index) => {
      const baseline = options.y + size * (ascender + index * lineHeight);
      const width = this.width(line, size, options);
      const x =
        options.align === 'middle'
          ? options.x + (options.width - width) / 2
          : options.align === 'end'
            ? options.x + options.width - width
            : options.x;
      const d = this.outline(line, size, options, x, baseline);
      if (d) paths.push(`<path d="${d}"/>`);
    });
    const fill = options.fill ? ` fill="${escapeAttribute(options.fill)}"` : '';
    return {
      svg: paths.length > 0 ? `<g${fill}>${paths.join('')}</g>` : '',
      lines: lines.length,
      size,
      bottom: options.y + size * (lines.length === 0 ? 0 : (lines.length - 1) * lineHeight + lineHeight),
    };
  }

  /** Break `text` into lines no wider than `options.width` where it can: at spaces, and between CJK characters. */
  private wrap(text: string, size: number, options: TextOptions): string[] {
    const tokens = text
      .trim()
      .split(/(?<=\s)|(?=[\u3000-\u9fff\uf900-\ufaff])|(?<=[\u3000-\u9fff\uf900-\ufaff])/u)
      .filter(Boolean);
    const lines: string[] = [];
    let current = '';
    for (const token of tokens) {
      const candidate = current + token;
      if (current !== '' && this.width(candidate.trimEnd(), size, options) > options.width) {
        lines.push(current.trimEnd());
        current = token.trimStart();
      } else {
        current = candidate;
      }
    }
    if (current.trim() !== '') lines.push(current.trimEnd());
    return lines;
  }

  private width(line: string, size: number, options: TextOptions): number {
    return this.shape(line, options).reduce((sum, glyph) => sum + (glyph.advance * size) / glyph.face.upem, 0);
  }

  private outline(line: string, size: number, options: TextOptions, x: number, baseline: number): string {
    const parts: string[] = [];
    let pen = x;
    for (const glyph of this.shape(line, options)) {
      const scale = size / glyph.face.upem;
      const originX = pen + glyph.dx * scale;
      const originY = baseline - glyph.dy * scale;
      for (const command of glyph.face.font.glyphToJson(glyph.id)) {
        const values = command.values.map((value, index) =>
          round(index % 2 === 0 ? originX + value * scale : originY - value * scale),
        );
        parts.push(command.type + values.join(' '));
      }
      pen += glyph.advance * scale;
    }
    return parts.join('');
  }

  /** Shape a line in the faces of its weight and style. */
  private shape(line: string, options: TextOptions): ShapedGlyph[] {
    const faces = this.faces.get(faceKey(options)) ?? [];
    return faces.length === 0 ? [] : shapeLine(this.hb, faces, line);
  }
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
