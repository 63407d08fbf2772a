import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { bookIdentifier } from '../../src/writers/epub/epub.js';
import { contents, printDocument } from '../../src/writers/print-page/print-document.js';
import type { Metadata } from '../../src/document/metadata.js';

const metadata: Metadata = {
  title: 'A <Title> & more',
  shortTitle: 'Short "title"',
  authors: ['A. Writer'],
  date: { year: 2017, month: 7 },
  lang: 'en-GB',
  keywords: ['one', 'two'],
  paper: 'letter',
  tocDepth: 2,
};

describe('the print page', () => {
  it('nests the contents by heading depth and stops at the depth asked for', () => {
    const nav = contents(
      [
        { id: 'a', depth: 1, text: 'A' },
        { id: 'a1', depth: 2, text: 'A.1' },
        { id: 'a1x', depth: 3, text: 'A.1.x' },
        { id: 'b', depth: 1, text: 'B' },
      ],
      2,
      new Map([['a1', 4]]),
    );
    expect(toHtml(nav!)).toBe(
      '<nav class="toc" role="doc-toc" aria-labelledby="toc-title"><h2 id="toc-title">Contents</h2><ol>' +
        '<li><a href="#a"><span class="toc-text">A</span><span class="toc-page" data-page-of="a"></span></a>' +
        '<ol><li><a href="#a1"><span class="toc-text">A.1</span><span class="toc-page" ' +
        'data-page-of="a1">4</span></a></li></ol></li>' +
        '<li><a href="#b"><span class="toc-text">B</span><span class="toc-page" ' +
        'data-page-of="b"></span></a></li></ol></nav>',
    );
  });

  it('sets a title written the other way from the document its own way in the contents', () => {
    const outline = [
      { id: 'a', depth: 1, text: 'מה זה?' },
      { id: 'b', depth: 1, text: 'Why?' },
    ];
    const html = (direction: 'ltr' | 'rtl') => toHtml(contents(outline, 2, undefined, 'Contents', direction)!);
    expect(html('ltr')).toContain('<span class="toc-text"><span dir="rtl">מה זה?</span></span>');
    expect(html('ltr')).toContain('<span class="toc-text">Why?</span>');
    expect(html('rtl')).toContain('<span class="toc-text">מה זה?</span>');
    expect(html('rtl')).toContain('<span class="toc-text"><span dir="ltr">Why?</span></span>');
  });

  it('has no contents for a document without headings, or with none down to the depth asked for', () => {
    expect(contents([], 2)).toBeUndefined();
    expect(contents([{ id: 'deep', depth: 3, text: 'Deep' }], 2)).toBeUndefined();
  });

  it('escapes metadata, sets the language, paper and running head, and loads only the faces it needs', () => {
    const html = printDocument({
      metadata,
      tree: { type: 'root', children: [] },
      outline: [],
      printCss: '/* template */',
      fontUrl: (face) => `/fonts/${face.name}`,
      contentSecurityPolicy: "default-src 'none'",
    });
    expect(html).toContain('<html lang="en-GB" dir="ltr">');
    expect(html).toContain('<title>A &#x3C;Title> &#x26; more</title>');
    expect(html).toContain('size: letter');
    expect(html).toContain('content: "Short \\22 title\\22 "');
    expect(html).toContain('<time datetime="2017-07">July 2017</time>');
    expect(html).toContain('/fonts/source-serif-4-latin-400-normal.woff2');
    expect(html).not.toContain('noto-serif-sc');
  });

  it('derives a stable book identifier from the metadata', () => {
    const id = bookIdentifier(metadata);
    expect(id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(bookIdentifier({ ...metadata })).toBe(id);
    expect(bookIdentifier({ ...metadata, title: 'Other' })).not.toBe(id);
    expect(bookIdentifier({ ...metadata, identifier: 'isbn:9780000000000' })).toBe('isbn:9780000000000');
  });
});
