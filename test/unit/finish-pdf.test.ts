import { describe, expect, it } from 'vitest';
import { withoutSoftHyphens } from '../../src/writers/pdf/finish-pdf.js';

/** Text lines as Chromium writes them in a page's content stream. */
const lines = (...parts: string[]) => `${parts.join('\n')}\n`;

describe('the soft hyphens out of a content stream', () => {
  it('drops an unbroken soft hyphen, its span and its empty glyph, keeping the move before it', () => {
    const content = lines(
      'BT',
      '<0002> Tj',
      '/Span<</ActualText <feff00ad> >> BDC',
      '9.9679565 0 Td <0001> Tj',
      'EMC',
      '0 0 Td <0020> Tj',
      'ET',
    );
    expect(withoutSoftHyphens(content)).toBe(lines('BT', '<0002> Tj', '9.9679565 0 Td', '0 0 Td <0020> Tj', 'ET'));
  });

  it('takes a soft hyphen in a ligature out of its ActualText, keeping the span ("of\\u00adten" as "often")', () => {
    const content = lines(
      'BT',
      '<0002> Tj',
      '/Span<</ActualText <feff006600ad0074> >> BDC',
      '9.9679565 0 Td <0080> Tj',
      '9.6599579 0 Td <0001> Tj',
      'EMC',
      '/Span<</ActualText <FEFF006600AD006600AD0069> >> BDC',
      '8.1059723 0 Td <0081> Tj',
      'EMC',
      'ET',
    );
    expect(withoutSoftHyphens(content)).toBe(
      lines(
        'BT',
        '<0002> Tj',
        '/Span<</ActualText <feff00660074> >> BDC',
        '9.9679565 0 Td <0080> Tj',
        '9.6599579 0 Td <0001> Tj',
        'EMC',
        '/Span<</ActualText <FEFF006600660069> >> BDC',
        '8.1059723 0 Td <0081> Tj',
        'EMC',
        'ET',
      ),
    );
  });

  it('leaves a broken word (its drawn hyphen is a glyph of its own) and other ActualText as they are', () => {
    // "of-" / "ficially": Chromium draws no ligature across the break, and the hyphen in a text object of its own.
    const broken = lines('BT', '<0029> Tj', '9.0019531 0 Td <001f> Tj', 'ET', 'BT', '<00b2> Tj', 'ET');
    expect(withoutSoftHyphens(broken)).toBeUndefined();
    // 00AD not on a boundary of four hex digits is no soft hyphen: U+0100 U+AD00.
    const other = lines('/Span<</ActualText <FEFF0100AD00> >> BDC', '<0080> Tj', 'EMC');
    expect(withoutSoftHyphens(other)).toBeUndefined();
    const both = `${other}${lines('/Span<</ActualText <FEFF006600AD0066> >> BDC', '<0081> Tj', 'EMC')}`;
    expect(withoutSoftHyphens(both)).toBe(
      `${other}${lines('/Span<</ActualText <FEFF00660066> >> BDC', '<0081> Tj', 'EMC')}`,
    );
  });
});
