import type { Root } from 'hast';
import type { Point } from 'unist';
import { visitParents } from 'unist-util-visit-parents';
import type { VFile } from 'vfile';
import { inRanges, parseUnicodeRange, type FontFace } from '../../assets/fonts.js';
import { warn } from '../../diagnostics/report.js';
import type { Metadata } from '../../document/metadata.js';
import { sfntOf } from '../../assets/font-files.js';
import { facesFor } from './print-document.js';

/**
 * Characters that draw nothing of their own: spaces, controls, format
 * characters (soft hyphens, joiners, bidi marks), variation selectors.
 */
const invisible = /^[\p{Z}\p{Cc}\p{Cf}\uFE00-\uFE0F\u{E0100}-\u{E01EF}]$/u;

const cmaps = new Map<string, Promise<Set<number>>>();

/** The characters a shipped face has a glyph for (its cmap), read once per process. */
function cmapOf(face: FontFace): Promise<Set<number>> {
  let pending = cmaps.get(face.file);
  if (!pending) {
    pending = (async () => {
      const hb = await import('harfbuzzjs');
      const sfnt = await sfntOf(face);
      const blob = new hb.Blob(new Uint8Array(sfnt.buffer, sfnt.byteOffset, sfnt.byteLength));
      return new Set(new hb.Face(blob).collectUnicodes());
    })();
    cmaps.set(face.file, pending);
  }
  return pending;
}

/**
 * Warn (`glyph-missing`, an error with `--strict`) about every character of
 * the document that none of the faces it is set in can draw: Chromium would
 * print an empty box or nothing, and the reader would never know. Each
 * character is named once (U+XXXX and the character itself), at the first
 * line it appears on. A face is asked (its cmap read) only for the characters
 * in its `unicode-range`.
 */
export async function reportMissingGlyphs(file: VFile, metadata: Metadata, tree: Root): Promise<void> {
  const faces = facesFor(metadata, tree);
  const first = new Map<number, Point | undefined>();
  const note = (text: string, start: Point | undefined) => {
    let line = start?.line;
    let column = start?.column;
    for (const character of text) {
      if (character === '\n') {
        if (line !== undefined) line++;
        column = 1;
        continue;
      }
      const code = character.codePointAt(0)!;
      if (code > 0x7e && !first.has(code) && !invisible.test(character)) {
        first.set(code, line === undefined ? undefined : { line, column: column ?? 1 });
      }
      if (column !== undefined) column += character.length;
    }
  };
  for (const text of [metadata.title, metadata.subtitle ?? '', ...metadata.authors]) note(text, undefined);
  // A text the pipeline made (a cell of a table from data, a caption) has no place of its own: it is named at the
  // place of the nearest element that has one (the directive it came from).
  visitParents(tree, 'text', (node, ancestors) => {
    const holder = node.position ? node : ancestors.findLast((ancestor) => ancestor.position);
    note(node.value, holder?.position?.start);
  });
  if (first.size === 0) return;

  const candidates = faces.map((face) => ({
    face,
    ranges: face.unicodeRange ? parseUnicodeRange(face.unicodeRange) : undefined,
  }));
  for (const [code, place] of first) {
    let drawn = false;
    for (const { face, ranges } of candidates) {
      if (ranges ? !inRanges(ranges, code) : code <= 0xff) continue;
      if ((await cmapOf(face)).has(code)) {
        drawn = true;
        break;
      }
    }
    if (drawn) continue;
    const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    warn(
      file,
      `No face imprint ships can draw ${name} “${String.fromCodePoint(code)}”: it would print as an empty box`,
      { place, ruleId: 'glyph-missing' },
    );
  }
}
