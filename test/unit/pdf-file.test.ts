import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PdfFile, PdfFormatError, PdfName, PdfRef, type PdfString, serialize } from '../../src/writers/pdf/pdf-file.js';
import { temporaryFolder } from '../helpers/tools.js';

const run = promisify(execFile);

/** A PDF with a classic cross-reference table, objects numbered from 1 in the order given. */
function makePdf(objects: ReadonlyArray<string | Uint8Array>, trailer = '/Root 1 0 R'): Uint8Array {
  const pieces: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = pieces[0]!.length;
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(length);
    const body = typeof object === 'string' ? Buffer.from(object, 'latin1') : Buffer.from(object);
    const piece = Buffer.concat([
      Buffer.from(`${index + 1} 0 obj\n`, 'latin1'),
      body,
      Buffer.from('\nendobj\n', 'latin1'),
    ]);
    pieces.push(piece);
    length += piece.length;
  });
  const table = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f ` +
    `\n${table}trailer\n<<${trailer} /Size ${objects.length + 1}>>\nstartxref\n${length}\n%%EOF\n`;
  pieces.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(pieces);
}

function stream(dict: string, data: string): string {
  return `<<${dict} /Length ${Buffer.byteLength(data, 'latin1')}>>\nstream\n${data}\nendstream`;
}

const twoPages = [
  '<< /Type /Catalog /Pages 2 0 R /Dests << /intro [3 0 R /XYZ 0 800 0] >> /Names << /Dests 6 0 R >> >>',
  '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 595 842] >>',
  '<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>',
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>',
  stream('', 'BT /F1 12 Tf (Hi) Tj ET'),
  '<< /Names [(chapter-2) [4 0 R /Fit] (%E5%89%8D) << /D [3 0 R /Fit] >>] >>',
  '<< /Title (A \\(draft\\) \\\\ note\\101) /Author <FEFF5B89500D> >>',
];

describe('the PDF reader: values', () => {
  it('reads names with #-escapes, dictionaries, arrays, numbers, booleans, null and references', () => {
    const pdf = new PdfFile(
      makePdf(['<< /Type /Catalog >>', '[/A#20B 1 -2.5 .5 true false null 3 0 R 4 5 [6] << /K /V >>] % a comment']),
    );
    const value = pdf.object(2) as unknown[];
    expect(value[0]).toEqual(new PdfName('A B'));
    expect(value.slice(1, 7)).toEqual([1, -2.5, 0.5, true, false, null]);
    expect(value[7]).toEqual(new PdfRef(3, 0));
    expect(value.slice(8, 10)).toEqual([4, 5]);
    expect(value[10]).toEqual([6]);
    expect(value[11]).toEqual(new Map([['K', new PdfName('V')]]));
  });

  it('reads literal strings with escapes, octal codes and nested parentheses, and hex strings', () => {
    const pdf = new PdfFile(
      makePdf(['<< /Type /Catalog >>', '[(a\\(b\\)c) (x (nested) y) (\\n\\t\\101\\0501) <48 65 6C 6C 6F> <4>]']),
    );
    const [escaped, nested, codes, hex, odd] = pdf.object(2) as PdfString[];
    expect(escaped!.text()).toBe('a(b)c');
    expect(nested!.text()).toBe('x (nested) y');
    expect(codes!.text()).toBe('\n\tA(1');
    expect(hex!.text()).toBe('Hello');
    expect(odd!.text()).toBe('@');
  });

  it('writes values back as PDF syntax', () => {
    const value = new Map<string, unknown>([
      ['Type', new PdfName('Page')],
      ['Kids', [new PdfRef(3, 0), 1.5, true, null]],
    ]);
    const written = serialize(value as never);
    const reread = new PdfFile(makePdf(['<< /Type /Catalog >>', written])).object(2);
    expect(reread).toEqual(value);
  });
});

describe('the PDF reader: the cross-reference table, pages, destinations and streams', () => {
  const pdf = new PdfFile(makePdf(twoPages));

  it('finds each object where the table says, and nothing for an object it does not list', () => {
    expect(pdf.offsetOf(1)).toBeGreaterThan(0);
    expect(pdf.catalog.get('Type')).toEqual(new PdfName('Catalog'));
    expect(pdf.object(99)).toBeNull();
  });

  it('lists the pages in order, with the height each inherits or sets', () => {
    expect(pdf.pages()).toEqual([3, 4]);
    expect(pdf.pageHeight(3)).toBe(842);
    expect(pdf.pageHeight(4)).toBe(792);
  });

  it('gives the page of each named destination, from the catalog and from the names tree', () => {
    // By element id: Chromium's percent-encoded name `%E5%89%8D` is the id `前`.
    expect(Object.fromEntries(pdf.namedDestinations())).toEqual({ intro: 1, 'chapter-2': 2, 前: 1 });
  });

  it('reads the document information as text, UTF-16 included', () => {
    expect(Object.fromEntries(new PdfFile(makePdf(twoPages, '/Root 1 0 R /Info 7 0 R')).info())).toEqual({
      Title: 'A (draft) \\ noteA',
      Author: '安倍',
    });
  });

  it('gives a stream’s dictionary and its data, with a direct or an indirect length', () => {
    const direct = pdf.stream(5)!;
    expect(Buffer.from(direct.data).toString('latin1')).toBe('BT /F1 12 Tf (Hi) Tj ET');
    const indirect = new PdfFile(
      makePdf(['<< /Type /Catalog >>', '<< /Length 3 0 R >>\nstream\nabcdef\nendstream', '6']),
    );
    expect(Buffer.from(indirect.stream(2)!.data).toString('latin1')).toBe('abcdef');
    expect(pdf.stream(2)).toBeUndefined();
  });
});

describe('the PDF reader: files it refuses', () => {
  it('says why, for a file with no startxref, a cross-reference stream, an update or a misplaced object', () => {
    expect(() => new PdfFile(Buffer.from('%PDF-1.7\nnothing\n'))).toThrow(PdfFormatError);
    const good = Buffer.from(makePdf(twoPages)).toString('latin1');
    const updated = good.replace('/Size 8>>', '/Size 8 /Prev 10>>');
    expect(() => new PdfFile(Buffer.from(updated, 'latin1'))).toThrow(/incremental updates/);
    const streamed = good.replace(/startxref\n\d+/, 'startxref\n15');
    expect(() => new PdfFile(Buffer.from(streamed, 'latin1'))).toThrow(/cross-reference/);
    const moved = good.replace(
      /(xref\n0 8\n0000000000 65535 f \n)(\d{10})/,
      (_, head: string, offset: string) => head + String(Number(offset) + 1).padStart(10, '0'),
    );
    expect(() => new PdfFile(Buffer.from(moved, 'latin1')).object(1)).toThrow(
      /not where the cross-reference table says/,
    );
  });
});

describe('the PDF rewriter', () => {
  it(
    'replaces objects by longer and shorter ones, moves every offset to match, and gives a file ' + 'qpdf checks clean',
    async () => {
      const pdf = new PdfFile(makePdf(twoPages, '/Root 1 0 R /Info 7 0 R'));
      const info = PdfFile.dictObject(new PdfRef(7, 0), [
        ['Title', '(A much longer title than the one before, to move every later offset)'],
        ['Author', '(Me)'],
      ]);
      const content = PdfFile.streamObject(new PdfRef(5, 0), pdf.stream(5)!.dict, Buffer.from('q Q', 'latin1'));
      const rewritten = new PdfFile(
        pdf.rewrite(
          new Map([
            [7, info],
            [5, content],
          ]),
        ),
      );
      expect(Object.fromEntries(rewritten.info())).toEqual({
        Title: 'A much longer title than the one before, to move every later offset',
        Author: 'Me',
      });
      expect(Buffer.from(rewritten.stream(5)!.data).toString('latin1')).toBe('q Q');
      expect(rewritten.pages()).toEqual([3, 4]);
      expect(Object.fromEntries(rewritten.namedDestinations())).toEqual(Object.fromEntries(pdf.namedDestinations()));
      for (let num = 1; num <= 7; num++) expect(() => rewritten.object(num)).not.toThrow();

      const file = path.join(await temporaryFolder(), 'rewritten.pdf');
      await writeFile(file, rewritten.bytes);
      const { stdout } = await run('qpdf', ['--check', file]);
      expect(stdout).toMatch(/No syntax or stream encoding errors found/);
    },
  );
});
