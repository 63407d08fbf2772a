import { inflateSync } from 'node:zlib';

/**
 * The number of pages of a PDF, read from the file itself: the `/Count` of
 * the root of its page tree (the `/Type /Pages` node without a `/Parent`).
 * Objects packed into compressed object streams (`/Type /ObjStm`, as PDF
 * rewriters write them) are inflated and searched too. Undefined when the
 * file has no page tree this reader can find.
 */
export function pdfPageCount(pdf: Uint8Array): number | undefined {
  const raw = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const texts = [raw, ...objectStreams(raw)];
  let root: number | undefined;
  let leaves = 0;
  for (const text of texts) {
    for (const match of text.matchAll(/\/Type\s*\/Pages(?![A-Za-z0-9])/g)) {
      const span = dictionaryAround(text, match.index);
      const dict = span && text.slice(span.start, span.end);
      if (dict === undefined || /\/Parent\s/.test(dict)) continue;
      const count = /\/Count\s+(\d+)/.exec(dict);
      if (count) root = Math.max(root ?? 0, Number(count[1]));
    }
    leaves += [...text.matchAll(/\/Type\s*\/Page(?![A-Za-z0-9])/g)].length;
  }
  return root ?? (leaves > 0 ? leaves : undefined);
}

/** The inflated contents of every FlateDecode object stream. */
function objectStreams(raw: string): string[] {
  const texts: string[] = [];
  for (const match of raw.matchAll(/\/Type\s*\/ObjStm(?![A-Za-z0-9])/g)) {
    const span = dictionaryAround(raw, match.index);
    if (span === undefined) continue;
    const dict = raw.slice(span.start, span.end);
    if (!/\/Filter\s*\/FlateDecode/.test(dict)) continue;
    const streamAt = raw.indexOf('stream', span.end);
    if (streamAt < 0) continue;
    let start = streamAt + 'stream'.length;
    if (raw[start] === '\r') start++;
    if (raw[start] === '\n') start++;
    // A direct /Length gives the end; an indirect one (`/Length 12 0 R`) falls back to the keyword.
    const lengthMatch = /\/Length\s+(\d+)(\s+\d+\s+R)?/.exec(dict);
    const end = lengthMatch && !lengthMatch[2] ? start + Number(lengthMatch[1]) : raw.indexOf('endstream', start);
    if (end <= start) continue;
    try {
      texts.push(inflateSync(Buffer.from(raw.slice(start, end), 'latin1')).toString('latin1'));
    } catch {
      // A stream this reader cannot inflate holds no page tree it can use.
    }
  }
  return texts;
}

/** Where the `<< … >>` dictionary around `index` starts and ends (exclusive), nesting respected. */
function dictionaryAround(text: string, index: number): { start: number; end: number } | undefined {
  let depth = 0;
  let start = -1;
  for (let at = index; at > 0; at--) {
    const pair = text.slice(at - 1, at + 1);
    if (pair === '>>') {
      depth++;
      at--;
    } else if (pair === '<<') {
      if (depth === 0) {
        start = at - 1;
        break;
      }
      depth--;
      at--;
    }
  }
  if (start < 0) return undefined;
  depth = 0;
  for (let at = start; at < text.length - 1; at++) {
    const pair = text.slice(at, at + 2);
    if (pair === '<<') {
      depth++;
      at++;
    } else if (pair === '>>') {
      depth--;
      at++;
      if (depth === 0) return { start, end: at + 1 };
    }
  }
  return undefined;
}
