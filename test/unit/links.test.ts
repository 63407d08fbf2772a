import path from 'node:path';
import type { Element } from 'hast';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { diskReader } from '../../src/compile/resources.js';
import { compile } from '../../src/compile/pipeline.js';
import { printTree } from '../../src/writers/pdf/print-tree.js';
import { toHtml } from 'hast-util-to-html';
import { asUri, namesLocalFile } from '../../src/uri.js';
import { unlink } from '../../src/compile/plugins/rehype-imprint-links.js';

const front = '---\ntitle: Links\nauthor: A. Writer\nlang: en-GB\n---\n\n';

describe('links to files beside the manuscript', () => {
  it('tells a file beside the manuscript from a place in the document and from a full URL', () => {
    expect(['notes.md', '../data/', '/about', 'a%20b.html', '?q=1'].filter(namesLocalFile)).toHaveLength(5);
    expect(
      ['#id', '', 'https://example.org', 'mailto:a@example.org', 'HTTP://EXAMPLE.ORG'].filter(namesLocalFile),
    ).toEqual([]);
  });

  it('are reported once each at their place, kept in the HTML and kept as text in the print page', async () => {
    const file = new VFile({
      path: '/project/report.md',
      value:
        `${front}# Links\n\nSee [the notes](notes/other.md) and [the ` +
        `web](https://example.org/a),\nor <a href="../up.html">up</a>.\n`,
    });
    const compiled = (await compile(file, { reader: diskReader, projectRoot: path.dirname(file.path) }))!;
    expect(file.messages.map((message) => [message.ruleId, message.line, message.column, message.fatal])).toEqual([
      ['link-outside-book', 9, 5, false],
      ['link-outside-book', 10, 4, false],
    ]);
    expect(String(file.messages[0]!.reason)).toContain('Link to `notes/other.md`, a file beside the manuscript');
    expect(toHtml(compiled.tree)).toContain('<a href="notes/other.md">the notes</a>');
    const printed = toHtml(printTree(compiled.tree, 'en-GB'));
    expect(printed).not.toContain('notes/other.md');
    expect(printed).not.toContain('up.html');
    expect(printed).toContain('https://example.org/a');
  });
});

describe('a full URL', () => {
  it('is written as RFC 3986 wants it, which the EPUB is checked against, and a valid one is left as it is', () => {
    expect(asUri('https://matrix.to/#/#tldr-pages:matrix.org')).toBe('https://matrix.to/#/%23tldr-pages:matrix.org');
    expect(asUri('https://example.org/a b/{x}|y?q="1"&p=%ZZ#[z]')).toBe(
      'https://example.org/a%20b/%7Bx%7D%7Cy?q=%221%22&p=%25ZZ#%5Bz%5D',
    );
    for (const valid of ['https://example.org/a%20b?q=1&r=2#frag/ment?x', 'mailto:a@example.org', 'https://例え.jp/道'])
      expect(asUri(valid)).toBe(valid);
  });

  it('reaches every edition so written', async () => {
    const file = new VFile({
      path: '/project/report.md',
      value: `${front}# Links\n\n[chat](https://matrix.to/#/#room:x.org)\n`,
    });
    const compiled = (await compile(file, { reader: diskReader, projectRoot: '/project' }))!;
    expect(toHtml(compiled.tree)).toContain('href="https://matrix.to/#/%23room:x.org"');
  });
});

describe('a URL shown as a link’s text', () => {
  it('may break after `//` and before `/` and `.`, and is never hyphenated', async () => {
    const url = 'https://documentation.example.org/region/asia-paci/china/understanding/treaty78.html';
    const file = new VFile({ path: '/project/report.md', value: `${front}# Links\n\nSee <${url}>.\n` });
    const compiled = (await compile(file, { reader: diskReader, projectRoot: '/project' }))!;
    const printed = toHtml(printTree(compiled.tree, 'en-GB'));
    expect(printed).toContain(
      '>https://<wbr>documentation<wbr>.example<wbr>.org<wbr>/region<wbr>/asia<wbr>-paci<wbr>/china<wbr>/understanding',
    );
    expect(printed).not.toContain('\u00ad');
    expect(printed.replace(/<wbr>/g, '')).toContain(`>${url}</a>`);
  });
});

describe('a link made text', () => {
  it('is a span around phrasing content, and a div around blocks (a link left open in raw HTML holds them)', () => {
    const link = (children: Element['children']): Element => ({
      type: 'element',
      tagName: 'a',
      properties: { href: '#nowhere', id: 'kept' },
      children,
    });
    const inline = link([{ type: 'element', tagName: 'em', properties: {}, children: [{ type: 'text', value: 'x' }] }]);
    unlink(inline);
    expect(toHtml(inline)).toBe('<span id="kept"><em>x</em></span>');
    const blocks = link([
      { type: 'element', tagName: 'pre', properties: {}, children: [{ type: 'text', value: 'x' }] },
    ]);
    unlink(blocks);
    expect(toHtml(blocks)).toBe('<div id="kept"><pre>x</pre></div>');
  });
});
