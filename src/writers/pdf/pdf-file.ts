/**
 * Just enough of PDF to read what Chromium writes (PDF 1.4, a classic
 * cross-reference table, no object streams) and to change its document
 * information in place: the page of each named destination, the page count,
 * the Info dictionary. Everything else in the file is kept byte for byte, so
 * the structure tree (tags), bookmarks and links stay as Chromium made them.
 */

export type PdfValue = null | boolean | number | string | PdfName | PdfRef | PdfString | PdfValue[] | PdfDict;

export class PdfName {
  constructor(readonly name: string) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

export type PdfDict = Map<string, PdfValue>;

/** A literal or hex string, as bytes (latin1 code units). */
export class PdfString {
  constructor(readonly bytes: string) {}
  /** The string as text: UTF-16BE with a byte order mark, else PDFDocEncoding (read as latin1). */
  text(): string {
    if (this.bytes.startsWith('\u00fe\u00ff')) {
      let out = '';
      for (let index = 2; index + 1 < this.bytes.length; index += 2) {
        out += String.fromCharCode((this.bytes.charCodeAt(index) << 8) | this.bytes.charCodeAt(index + 1));
      }
      return out;
    }
    return this.bytes;
  }
}

export class PdfFormatError extends Error {}

const whitespace = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const delimiters = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

class Lexer {
  constructor(
    private readonly bytes: Uint8Array,
    public at: number,
  ) {}

  private skip() {
    for (;;) {
      while (this.at < this.bytes.length && whitespace.has(this.bytes[this.at]!)) this.at++;
      if (this.bytes[this.at] === 0x25) {
        while (this.at < this.bytes.length && this.bytes[this.at] !== 0x0a && this.bytes[this.at] !== 0x0d) this.at++;
      } else return;
    }
  }

  private word(): string {
    const start = this.at;
    while (
      this.at < this.bytes.length &&
      !whitespace.has(this.bytes[this.at]!) &&
      !delimiters.has(this.bytes[this.at]!)
    )
      this.at++;
    return latin1(this.bytes, start, this.at);
  }

  value(): PdfValue {
    this.skip();
    const byte = this.bytes[this.at];
    if (byte === undefined) throw new PdfFormatError('unexpected end of file');
    if (byte === 0x2f) {
      this.at++;
      const raw = this.word().replace(/#([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      return new PdfName(Buffer.from(raw, 'latin1').toString('utf8'));
    }
    if (byte === 0x3c && this.bytes[this.at + 1] === 0x3c) {
      this.at += 2;
      const dict: Map<string, PdfValue> = new Map();
      for (;;) {
        this.skip();
        if (this.bytes[this.at] === 0x3e && this.bytes[this.at + 1] === 0x3e) {
          this.at += 2;
          return dict;
        }
        const key = this.value();
        if (!(key instanceof PdfName)) throw new PdfFormatError(`dictionary key is not a name at byte ${this.at}`);
        dict.set(key.name, this.value());
      }
    }
    if (byte === 0x5b) {
      this.at++;
      const array: PdfValue[] = [];
      for (;;) {
        this.skip();
        if (this.bytes[this.at] === 0x5d) {
          this.at++;
          return array;
        }
        array.push(this.value());
      }
    }
    if (byte === 0x28) return this.literal();
    if (byte === 0x3c) {
      const end = this.bytes.indexOf(0x3e, this.at);
      const hex = latin1(this.bytes, this.at + 1, end).replace(/\s+/g, '');
      this.at = end + 1;
      let out = '';
      for (let index = 0; index < hex.length; index += 2)
        out += String.fromCharCode(parseInt(hex.slice(index, index + 2).padEnd(2, '0'), 16));
      return new PdfString(out);
    }
    const token = this.word();
    if (token === '') throw new PdfFormatError(`unexpected byte ${byte} at ${this.at}`);
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    const number = Number(token);
    if (Number.isNaN(number)) throw new PdfFormatError(`unexpected token ${token}`);
    // A reference: `num gen R`.
    const save = this.at;
    if (Number.isInteger(number)) {
      this.skip();
      const generation = this.word();
      this.skip();
      if (/^\d+$/.test(generation) && this.bytes[this.at] === 0x52 && !isRegular(this.bytes[this.at + 1])) {
        this.at++;
        return new PdfRef(number, Number(generation));
      }
    }
    this.at = save;
    return number;
  }

  private literal(): PdfString {
    this.at++;
    let depth = 1;
    let out = '';
    while (this.at < this.bytes.length) {
      const byte = this.bytes[this.at++]!;
      if (byte === 0x5c) {
        const next = this.bytes[this.at++]!;
        const escapes: Record<number, string> = { 110: '\n', 114: '\r', 116: '\t', 98: '\b', 102: '\f' };
        if (escapes[next] !== undefined) out += escapes[next];
        else if (next >= 0x30 && next <= 0x37) {
          let octal = String.fromCharCode(next);
          while (octal.length < 3 && this.bytes[this.at]! >= 0x30 && this.bytes[this.at]! <= 0x37)
            octal += String.fromCharCode(this.bytes[this.at++]!);
          out += String.fromCharCode(parseInt(octal, 8) & 0xff);
        } else if (next === 0x0d) {
          if (this.bytes[this.at] === 0x0a) this.at++;
        } else if (next !== 0x0a) out += String.fromCharCode(next);
        continue;
      }
      if (byte === 0x28) depth++;
      if (byte === 0x29 && --depth === 0) break;
      out += String.fromCharCode(byte);
    }
    return new PdfString(out);
  }
}

function isRegular(byte: number | undefined): boolean {
  return byte !== undefined && !whitespace.has(byte) && !delimiters.has(byte);
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

interface XrefEntry {
  offset: number;
  generation: number;
  inUse: boolean;
}

interface XrefSection {
  /** Byte offset of `xref`. */
  start: number;
  first: number;
  entries: XrefEntry[];
}

/** A PDF as Chromium writes it, read lazily. */
export class PdfFile {
  readonly trailer: PdfDict;
  private readonly xref: XrefSection;
  private readonly cache = new Map<number, PdfValue>();

  constructor(readonly bytes: Uint8Array) {
    const tail = latin1(bytes, Math.max(0, bytes.length - 1024), bytes.length);
    const match = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
    if (!match) throw new PdfFormatError('no startxref at the end of the file');
    const start = Number(match[1]);
    if (latin1(bytes, start, start + 4) !== 'xref')
      throw new PdfFormatError('the file has no classic cross-reference table');
    const xref = this.readXref(start);
    this.xref = xref.section;
    const lexer = new Lexer(bytes, xref.trailerAt);
    const trailer = lexer.value();
    if (!(trailer instanceof Map)) throw new PdfFormatError('the trailer is not a dictionary');
    if (trailer.has('Prev') || trailer.has('XRefStm')) throw new PdfFormatError('the file has incremental updates');
    this.trailer = trailer;
  }

  private readXref(start: number): { section: XrefSection; trailerAt: number } {
    const headerEnd = this.bytes.indexOf(0x0a, start + 5);
    const header = latin1(this.bytes, start + 4, headerEnd).trim();
    const [first, count] = header.split(/\s+/).map(Number);
    if (first === undefined || count === undefined || Number.isNaN(count))
      throw new PdfFormatError('unreadable cross-reference table');
    const entries: XrefEntry[] = [];
    let at = headerEnd + 1;
    for (let index = 0; index < count; index++, at += 20) {
      const line = latin1(this.bytes, at, at + 18);
      entries.push({
        offset: Number(line.slice(0, 10)),
        generation: Number(line.slice(11, 16)),
        inUse: line[17] === 'n',
      });
    }
    const rest = latin1(this.bytes, at, Math.min(this.bytes.length, at + 32));
    if (!/^\s*trailer/.test(rest)) throw new PdfFormatError('the cross-reference table has more than one section');
    return { section: { start, first, entries }, trailerAt: at + rest.indexOf('trailer') + 'trailer'.length };
  }

  /** Byte offset of an object's `num gen obj`. */
  offsetOf(num: number): number | undefined {
    const entry = this.xref.entries[num - this.xref.first];
    return entry?.inUse ? entry.offset : undefined;
  }

  object(num: number): PdfValue {
    if (this.cache.has(num)) return this.cache.get(num)!;
    const offset = this.offsetOf(num);
    if (offset === undefined) return null;
    const header = /^\s*(\d+)\s+(\d+)\s+obj/.exec(latin1(this.bytes, offset, Math.min(this.bytes.length, offset + 32)));
    if (!header || Number(header[1]) !== num)
      throw new PdfFormatError(`object ${num} is not where the cross-reference table says`);
    const value = new Lexer(this.bytes, offset + header[0].length).value();
    this.cache.set(num, value);
    return value;
  }

  resolve(value: PdfValue | undefined): PdfValue | undefined {
    return value instanceof PdfRef ? this.object(value.num) : value;
  }

  dict(value: PdfValue | undefined): PdfDict | undefined {
    const resolved = this.resolve(value);
    return resolved instanceof Map ? resolved : undefined;
  }

  get catalog(): PdfDict {
    const catalog = this.dict(this.trailer.get('Root'));
    if (!catalog) throw new PdfFormatError('the file has no catalog');
    return catalog;
  }

  /** Object numbers of the pages, in order. */
  pages(): number[] {
    const out: number[] = [];
    const walk = (ref: PdfValue | undefined, depth: number) => {
      if (!(ref instanceof PdfRef) || depth > 64) throw new PdfFormatError('unreadable page tree');
      const node = this.dict(ref);
      const kids = node?.get('Kids');
      if (Array.isArray(kids)) for (const kid of kids) walk(kid, depth + 1);
      else out.push(ref.num);
    };
    walk(this.catalog.get('Pages'), 0);
    return out;
  }

  /**
   * The 1-based page of each named destination, by the id of the element it
   * points to (the ids the document's links point to; see `destinationId`).
   */
  namedDestinations(): Map<string, number> {
    const pageNumber = new Map(this.pages().map((num, index) => [num, index + 1]));
    const out = new Map<string, number>();
    const add = (name: string, destination: PdfValue | undefined) => {
      let target = this.resolve(destination);
      if (target instanceof Map) target = this.resolve(target.get('D'));
      if (Array.isArray(target) && target[0] instanceof PdfRef) {
        const page = pageNumber.get(target[0].num);
        if (page !== undefined) out.set(destinationId(name), page);
      }
    };
    const dests = this.dict(this.catalog.get('Dests'));
    if (dests) for (const [name, destination] of dests) add(name, destination);
    const tree = this.dict(this.dict(this.catalog.get('Names'))?.get('Dests'));
    const walk = (node: PdfDict | undefined, depth: number) => {
      if (!node || depth > 64) return;
      const names = node.get('Names');
      if (Array.isArray(names)) {
        for (let index = 0; index + 1 < names.length; index += 2) {
          const key = names[index];
          if (key instanceof PdfString) add(key.text(), names[index + 1]);
        }
      }
      const kids = node.get('Kids');
      if (Array.isArray(kids)) for (const kid of kids) walk(this.dict(kid), depth + 1);
    };
    walk(tree, 0);
    return out;
  }

  /** The Info dictionary's entries as text. */
  info(): Map<string, string> {
    const out = new Map<string, string>();
    const info = this.dict(this.trailer.get('Info'));
    for (const [key, value] of info ?? []) {
      const resolved = this.resolve(value);
      if (resolved instanceof PdfString) out.set(key, resolved.text());
    }
    return out;
  }

  /** Where an object ends: just after its `endobj`. */
  private objectEnd(num: number): number {
    const offset = this.offsetOf(num);
    if (offset === undefined) throw new PdfFormatError(`object ${num} is missing`);
    const header = /^\s*\d+\s+\d+\s+obj/.exec(latin1(this.bytes, offset, Math.min(this.bytes.length, offset + 32)))!;
    const lexer = new Lexer(this.bytes, offset + header[0].length);
    const value = lexer.value();
    let at = lexer.at;
    const next = latin1(this.bytes, at, Math.min(this.bytes.length, at + 16));
    const stream = /^\s*stream\r?\n/.exec(next);
    if (stream && value instanceof Map) {
      const length = this.resolve(value.get('Length'));
      if (typeof length !== 'number') throw new PdfFormatError(`stream ${num} has no length`);
      at += stream[0].length + length;
    }
    const end = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length).indexOf(
      'endobj',
      at,
      'latin1',
    );
    if (end < 0) throw new PdfFormatError(`object ${num} has no endobj`);
    return end + 'endobj'.length;
  }

  /** The dictionary and the (still encoded) data of a stream object. */
  stream(num: number): { dict: PdfDict; data: Uint8Array } | undefined {
    const offset = this.offsetOf(num);
    if (offset === undefined) return undefined;
    const header = /^\s*\d+\s+\d+\s+obj/.exec(latin1(this.bytes, offset, Math.min(this.bytes.length, offset + 32)))!;
    const lexer = new Lexer(this.bytes, offset + header[0].length);
    const dict = lexer.value();
    const stream = /^\s*stream\r?\n/.exec(latin1(this.bytes, lexer.at, Math.min(this.bytes.length, lexer.at + 16)));
    if (!(dict instanceof Map) || !stream) return undefined;
    const length = this.resolve(dict.get('Length'));
    if (typeof length !== 'number') return undefined;
    const start = lexer.at + stream[0].length;
    return { dict, data: this.bytes.subarray(start, start + length) };
  }

  /**
   * The file with some objects replaced (each by the whole text of a new
   * `num gen obj … endobj`, written where the old one was), the offsets in the
   * cross-reference table moved to match. Nothing else changes.
   */
  rewrite(replacements: ReadonlyMap<number, Uint8Array>): Uint8Array {
    const spans = [...replacements]
      .map(([num, bytes]) => ({ start: this.offsetOf(num)!, end: this.objectEnd(num), bytes }))
      .sort((a, b) => a.start - b.start);
    const pieces: Uint8Array[] = [];
    const shifts: Array<{ after: number; delta: number }> = [];
    let at = 0;
    let delta = 0;
    for (const span of spans) {
      pieces.push(this.bytes.subarray(at, span.start), span.bytes);
      delta += span.bytes.length - (span.end - span.start);
      shifts.push({ after: span.start, delta });
      at = span.end;
    }
    const xrefStart = this.xref.start;
    const entriesStart = this.bytes.indexOf(0x0a, xrefStart + 5) + 1;
    pieces.push(this.bytes.subarray(at, entriesStart));
    const shiftOf = (offset: number) => {
      let shift = 0;
      for (const candidate of shifts) {
        if (candidate.after < offset) shift = candidate.delta;
        else break;
      }
      return shift;
    };
    const table = this.xref.entries
      .map((entry) => {
        const offset = entry.inUse ? entry.offset + shiftOf(entry.offset) : entry.offset;
        const generation = String(entry.generation).padStart(5, '0');
        return `${String(offset).padStart(10, '0')} ${generation} ${entry.inUse ? 'n' : 'f'} \n`;
      })
      .join('');
    const trailerStart = entriesStart + this.xref.entries.length * 20;
    const trailerText = latin1(this.bytes, trailerStart, this.bytes.length).replace(
      /startxref\s+\d+/,
      `startxref\n${xrefStart + delta}`,
    );
    pieces.push(Buffer.from(table, 'latin1'), Buffer.from(trailerText, 'latin1'));
    return Buffer.concat(pieces);
  }

  /** The height of a page (its MediaBox), in points. */
  pageHeight(num: number): number | undefined {
    for (
      let node = this.dict(new PdfRef(num, 0)), depth = 0;
      node && depth < 64;
      node = this.dict(node.get('Parent')), depth++
    ) {
      const box = this.resolve(node.get('MediaBox'));
      if (Array.isArray(box) && typeof box[1] === 'number' && typeof box[3] === 'number') return box[3] - box[1];
    }
    return undefined;
  }

  /** The text of a replacement dictionary object; values are PDF syntax. */
  static dictObject(ref: PdfRef, entries: ReadonlyArray<readonly [string, string]>): Uint8Array {
    const body = entries.map(([key, value]) => `/${escapeName(key)} ${value}`).join('\n');
    return Buffer.from(`${ref.num} ${ref.gen} obj\n<<${body}>>\nendobj`, 'latin1');
  }

  /** The text of a replacement stream object: its dictionary (with the new Length) and data. */
  static streamObject(ref: PdfRef, dict: PdfDict, data: Uint8Array): Uint8Array {
    const entries = [...dict].filter(([key]) => key !== 'Length').map(([key, value]) => `/${key} ${serialize(value)}`);
    entries.push(`/Length ${data.length}`);
    return Buffer.concat([
      Buffer.from(`${ref.num} ${ref.gen} obj\n<<${entries.join('\n')}>> stream\n`, 'latin1'),
      data,
      Buffer.from('\nendstream\nendobj', 'latin1'),
    ]);
  }
}

/**
 * The element id a named destination of Chromium's points to. Chromium names
 * the destination of an element after its id percent-encoded as in a URL
 * (`#前言` becomes `%E5%89%8D%E8%A8%80`, `a b` becomes `a%20b`); it encodes a
 * `%` of the id too (`%25`), so decoding gives the id back exactly. A name
 * that is not such an encoding is the id as it stands.
 */
export function destinationId(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** A value written back as PDF syntax. */
export function serialize(value: PdfValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
  if (value instanceof PdfName) return `/${escapeName(value.name)}`;
  if (value instanceof PdfRef) return `${value.num} ${value.gen} R`;
  if (value instanceof PdfString) {
    let hex = '';
    for (let index = 0; index < value.bytes.length; index++)
      hex += value.bytes.charCodeAt(index).toString(16).padStart(2, '0');
    return `<${hex}>`;
  }
  if (Array.isArray(value)) return `[${value.map(serialize).join(' ')}]`;
  return `<<${[...(value as PdfDict)].map(([key, item]) => `/${escapeName(key)} ${serialize(item)}`).join('\n')}>>`;
}

function escapeName(name: string): string {
  return [...Buffer.from(name, 'utf8')]
    .map((byte) =>
      byte > 0x20 && byte < 0x7f && !delimiters.has(byte) && byte !== 0x23
        ? String.fromCharCode(byte)
        : `#${byte.toString(16).padStart(2, '0')}`,
    )
    .join('');
}

/** A text string for a PDF: a literal string when it is printable ASCII, else UTF-16BE hex with a byte order mark. */
export function pdfText(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return `(${value.replace(/[\\()]/g, '\\$&')})`;
  let hex = 'FEFF';
  for (let index = 0; index < value.length; index++)
    hex += value.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0');
  return `<${hex}>`;
}

/** A PDF date (`D:YYYYMMDDHHmmSS+00'00'`) for a moment, in UTC. */
export function pdfDate(date: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  const day = `${date.getUTCFullYear()}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}`;
  return `D:${day}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}+00'00'`;
}
