import { describe, expect, it } from 'vitest';
import { documentInfo } from '../../src/writers/pdf/document-info.js';
import { destinationId, pdfDate, pdfText } from '../../src/writers/pdf/pdf-file.js';
import type { Metadata } from '../../src/document/metadata.js';

describe('PDF document information', () => {
  it('writes ASCII text as a literal string and anything else as UTF-16 with a byte order mark', () => {
    expect(pdfText('A (draft) \\ note')).toBe('(A \\(draft\\) \\\\ note)');
    expect(pdfText('安倍 ‘new’')).toBe('<FEFF5B89500D00202018006E006500772019>');
  });

  it('writes dates in UTC, whatever the time zone', () => {
    expect(pdfDate(new Date(1499472000 * 1000))).toBe("D:20170708000000+00'00'");
  });

  it('takes title, author, subject and keywords from the front matter and names imprint as the creator', () => {
    const metadata: Metadata = {
      title: 'Defrosting Sino-Japanese Relations: What Now?',
      shortTitle: 'Defrosting',
      authors: ['Amrita Jash', 'A. N. Other'],
      description: 'The synopsis.',
      lang: 'en-GB',
      keywords: ['China', 'Japan'],
      paper: 'a4',
      tocDepth: 2,
    };
    const printed = new Map([
      ['Creator', 'Mozilla/5.0 HeadlessChrome'],
      ['Producer', 'Skia/PDF m156'],
      ['CreationDate', "D:20261128133756+00'00'"],
    ]);
    expect(Object.fromEntries(documentInfo(metadata, printed, 1499472000))).toEqual({
      Title: 'Defrosting Sino-Japanese Relations: What Now?',
      Author: 'Amrita Jash; A. N. Other',
      Subject: 'The synopsis.',
      Keywords: 'China, Japan',
      Creator: expect.stringMatching(/^imprint \d+\.\d+\.\d+/),
      Producer: 'Skia/PDF m156',
      CreationDate: "D:20170708000000+00'00'",
      ModDate: "D:20170708000000+00'00'",
    });
    expect(Object.fromEntries(documentInfo(metadata, printed)).CreationDate).toBe("D:20261128133756+00'00'");
  });
});

describe('named destinations', () => {
  it('reads the element id back from the percent-encoded name Chromium gives a destination', () => {
    // Names as Chromium 14x wrote them for these ids (`%` itself is written `%25`).
    expect(destinationId('gr%C3%B6%C3%9Fe-1')).toBe('größe-1');
    expect(destinationId('%E5%89%8D%E8%A8%80')).toBe('前言');
    expect(destinationId('%F0%9F%9A%80go')).toBe('🚀go');
    expect(destinationId('100%25')).toBe('100%');
    expect(destinationId('a%2541')).toBe('a%41');
    expect(destinationId('h#?/x')).toBe('h#?/x');
    expect(destinationId('synopsis')).toBe('synopsis');
    // Not an encoding: the name as it stands.
    expect(destinationId('50%')).toBe('50%');
  });
});
