import { setImmediate as nextTurn } from 'node:timers/promises';
import zlib from 'node:zlib';
import type { Metadata } from '../../document/metadata.js';
import { documentInfo } from './document-info.js';
import { destinationId, PdfFile, PdfName, PdfRef, PdfString, pdfText, serialize, type PdfValue } from './pdf-file.js';

/**
 * How long the soft hyphens' step works before it lets the event loop run (an interrupt, the other editions'
 * work). It inflates and deflates on this thread: zlib's asynchronous calls hand each 16 KiB of output to libuv's
 * threads and back, and took 1.8 times as long (535 ms against 297, the long report's 255 page streams, cold).
 */
const sliceMs = 25;

/**
 * A soft hyphen that Chromium did not break at is drawn as an empty glyph in
 * a marked span whose ActualText is U+00AD, so a reader that extracts or
 * searches the text would find "part\u00adner\u00adship". The span and its
 * empty glyph go; the positioning before it stays, so nothing moves. Where the
 * line did break, the visible hyphen Chromium draws is a glyph of its own, and
 * stays: the text reads "part-" / "nership" as in any typeset PDF.
 */
const unbrokenSoftHyphen = /\/Span<<\/ActualText <FEFF00AD> >> BDC\n(\S+ \S+ Td) <[0-9A-F]+> Tj\nEMC\n/gi;

/**
 * Where the soft hyphen falls inside a ligature ("of\u00adten" drawn with the
 * ft ligature), Chromium gives the ligature's span the ActualText "f\u00adt".
 * The span stays, so the ligature still reads as its letters; only the U+00AD
 * code units go from its text (whole UTF-16 units, four hex digits each).
 */
const softHyphenInActualText = /(\/ActualText <FEFF)((?:[0-9A-F]{4})*?00AD(?:[0-9A-F]{4})*)>/gi;

/** A page's content stream (as latin1 text) with the soft hyphens out of its text, or undefined if it has none. */
export function withoutSoftHyphens(content: string): string | undefined {
  if (!/\/ActualText <FEFF(?:[0-9A-F]{4})*?00AD/i.test(content)) return undefined;
  return content
    .replace(unbrokenSoftHyphen, '$1\n')
    .replace(softHyphenInActualText, (match, start: string, units: string) => {
      const kept = (units.match(/[0-9A-F]{4}/gi) ?? []).filter((unit) => unit.toUpperCase() !== '00AD');
      return kept.length === 0 ? match : `${start}${kept.join('')}>`;
    });
}

export interface FinishOptions {
  /** Seconds since the epoch for CreationDate and ModDate (SOURCE_DATE_EPOCH). */
  sourceDateEpoch?: number;
  /** Named destinations to point elsewhere, by element id: the page, and the distance from the top of the page area. */
  destinations?: ReadonlyArray<{ name: string; page: number; top: number }>;
  /** Where the page area begins (the top margin), CSS pixels. */
  pageAreaTop?: number;
  /** The text of every heading of the print page, in order: the titles the bookmarks should have. */
  headings?: readonly string[];
}

/**
 * The printed PDF as imprint ships it: document information from the front
 * matter (Chromium writes only the title, and its user agent as Creator),
 * reproducible dates, and the soft hyphens out of its text. Done by editing
 * those objects in place, so the tags, bookmarks and links stay as Chromium
 * wrote them.
 */
export async function finishPdf(pdf: PdfFile, metadata: Metadata, options: FinishOptions = {}): Promise<Uint8Array> {
  const replacements = new Map<number, Uint8Array>();
  const info = pdf.trailer.get('Info');
  if (info instanceof PdfRef) {
    const entries = documentInfo(metadata, pdf.info(), options.sourceDateEpoch);
    replacements.set(
      info.num,
      PdfFile.dictObject(
        info,
        entries.map(([key, value]) => [key, pdfText(value)] as const),
      ),
    );
  }
  const moved = movedDestinations(pdf, options);
  if (moved) replacements.set(moved.num, moved.bytes);
  for (const [num, bytes] of bookmarkTitles(pdf, options.headings ?? [])) replacements.set(num, bytes);
  const contents = new Set<number>();
  for (const page of pdf.pages()) {
    const value = pdf.dict(new PdfRef(page, 0))?.get('Contents');
    for (const ref of Array.isArray(value) ? value : [value]) if (ref instanceof PdfRef) contents.add(ref.num);
  }
  let slice = performance.now();
  for (const num of contents) {
    if (performance.now() - slice > sliceMs) {
      await nextTurn();
      slice = performance.now();
    }
    const stream = pdf.stream(num);
    const filter = stream?.dict.get('Filter');
    if (!stream || !(filter instanceof PdfName) || filter.name !== 'FlateDecode' || stream.dict.has('DecodeParms'))
      continue;
    const cleaned = withoutSoftHyphens(zlib.inflateSync(stream.data).toString('latin1'));
    if (cleaned === undefined) continue;
    // Level 5: within a tenth of the size Chromium's own compression gives, at about 60% of the time of the default 6.
    const data = zlib.deflateSync(Buffer.from(cleaned, 'latin1'), { level: 5 });
    replacements.set(num, PdfFile.streamObject(new PdfRef(num, 0), stream.dict, data));
  }
  return renumberNodeIds(pdf.rewrite(replacements));
}

/**
 * Chromium names the structure elements of table headers after its internal
 * node numbers (`/ID (node00001862)`, with the cells' `/Headers` and the ID
 * tree pointing at them). Those numbers depend on what else the renderer made
 * before, so two builds of the same page differ. They are numbered again from
 * 1 in the same order, in place and at the same length, so the ID tree stays
 * sorted and every offset stays where it was.
 */
export function renumberNodeIds(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const pattern = /\(node(\d{8})\)/g;
  const ids = new Set<string>();
  for (const match of text.matchAll(pattern)) ids.add(match[1]!);
  if (ids.size === 0) return bytes;
  const order = [...ids].sort();
  const renumbered = new Map(order.map((id, index) => [id, String(index + 1).padStart(8, '0')]));
  return Buffer.from(
    text.replace(pattern, (_, id: string) => `(node${renumbered.get(id)!})`),
    'latin1',
  );
}

/** The catalog's named destinations with some of them pointing at other pages. */
function movedDestinations(pdf: PdfFile, options: FinishOptions): { num: number; bytes: Uint8Array } | undefined {
  const ref = pdf.catalog.get('Dests');
  const dests = pdf.dict(ref);
  if (!options.destinations?.length || !(ref instanceof PdfRef) || !dests) return undefined;
  const pages = pdf.pages();
  const updated = new Map<string, PdfValue>(dests);
  const nameOfId = new Map([...dests.keys()].map((name) => [destinationId(name), name]));
  for (const destination of options.destinations) {
    const name = nameOfId.get(destination.name);
    if (name === undefined) continue;
    const old = pdf.resolve(dests.get(name));
    const page = pages[destination.page - 1];
    const height = page === undefined ? undefined : pdf.pageHeight(page);
    if (!Array.isArray(old) || page === undefined || height === undefined) continue;
    const x = typeof old[2] === 'number' ? old[2] : 0;
    const y = height - ((options.pageAreaTop ?? 0) + destination.top) * 0.75;
    updated.set(name, [new PdfRef(page, 0), new PdfName('XYZ'), x, Math.max(0, y), 0]);
  }
  return {
    num: ref.num,
    bytes: PdfFile.dictObject(
      ref,
      [...updated].map(([name, value]) => [name, serialize(value)] as const),
    ),
  };
}

/**
 * Bookmarks titled with their headings' text. Chromium takes a bookmark's title
 * from the text drawn for its heading, so a heading at the top of a page, which
 * it also draws (empty) at the foot of the page before, is titled twice
 * ("SynopsisSynopsis"), and a heading set on two lines loses the space between
 * them. Each bookmark is matched to the heading in the same place of the
 * document order; when they do not match one to one, the bookmarks stay as they are.
 */
function bookmarkTitles(pdf: PdfFile, headings: readonly string[]): Map<number, Uint8Array> {
  const items: Array<{ ref: PdfRef; dict: Map<string, PdfValue> }> = [];
  const walk = (ref: PdfValue | undefined, depth: number) => {
    for (let current = ref, guard = 0; current instanceof PdfRef && guard < 100_000; guard++) {
      const dict = pdf.dict(current);
      if (!dict || depth > 64) return;
      items.push({ ref: current, dict });
      walk(dict.get('First'), depth + 1);
      current = dict.get('Next');
    }
  };
  walk(pdf.dict(pdf.catalog.get('Outlines'))?.get('First'), 0);
  const out = new Map<number, Uint8Array>();
  if (items.length !== headings.length || items.length === 0) return out;
  // Compared by their characters in any order: Chromium titles a right-to-left heading with its words in the
  // order they are drawn (“البحث مقدمة” for “مقدمة البحث”).
  const letters = (text: string) => [...text.replace(/\s+/g, '').normalize('NFC')].sort().join('');
  for (const [index, item] of items.entries()) {
    const title = item.dict.get('Title');
    const printed = letters(title instanceof PdfString ? title.text() : '');
    const heading = headings[index]!;
    if (printed !== letters(heading) && printed !== letters(heading + heading)) return new Map();
  }
  for (const [index, item] of items.entries()) {
    const entries = [...item.dict].map(
      ([key, value]) => [key, key === 'Title' ? pdfText(headings[index]!) : serialize(value)] as const,
    );
    out.set(item.ref.num, PdfFile.dictObject(item.ref, entries));
  }
  return out;
}
