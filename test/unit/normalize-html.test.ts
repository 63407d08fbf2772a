import path from 'node:path';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { memoryReader } from '../../src/compile/resources.js';
import { compile } from '../../src/compile/pipeline.js';
import { toXhtml } from '../../src/writers/epub/xhtml.js';
import { xmlProblems } from '../../src/writers/epub/well-formed.js';

const root = path.resolve('/project');
/** A one-pixel PNG. */
const dot =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAE' +
  'hQGAhKmMIQAAAABJRU5ErkJggg==';
const frontMatter = '---\ntitle: T\nauthor: A\nlang: en-GB\n---\n\n';

async function run(markdown: string) {
  const file = new VFile({ path: path.join(root, 'report.md'), value: frontMatter + markdown });
  const doc = (await compile(file, { reader: memoryReader({}), projectRoot: root }))!;
  const xhtml = toXhtml(doc.tree);
  return {
    html: toHtml(doc.tree),
    xhtml,
    wellFormed: xmlProblems(
      `<body xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">${xhtml}</body>`,
    ),
    messages: file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.reason}`),
  };
}

describe('raw HTML normalised to what the editions allow', () => {
  it('makes `<a name>` a link target', async () => {
    const { html, messages } = await run('<a name="old-anchor"></a>Text and [a link](#old-anchor).\n');
    expect(html).toContain('<a id="old-anchor"></a>');
    expect(messages).toEqual([]);
  });

  it("keeps a README's centred block as a class the templates set, removing an alignment they lack", async () => {
    const { html, wellFormed, messages } = await run(
      `<p align="center"><img src="${dot}" alt="Logo"></p>\n\n<h3 align="center">Title</h3>\n\n` +
        '<div align="right">Right</div>\n\n<p align="middle">Odd</p>\n',
    );
    expect(html).toContain('<p class="align-center"><img');
    expect(html).toMatch(/<h\d class="align-center"[^>]*>Title</);
    expect(html).toContain('<div class="align-right">Right</div>');
    expect(html).not.toContain('align=');
    expect(wellFormed).toEqual([]);
    expect(messages).toEqual(['13:1 html-unsafe Removed `align` from `<p>`']);
  });

  it('sets each block written the other way from the document its own way, as GitHub sets a README', async () => {
    const { html, wellFormed, messages } = await run(
      '# שאלות\n\nשלום, `code first` עולם?\n\n- פריט אחד\n- פריט שני\n\nEnglish, then עברית.\n\n' +
        '> ציטוט\n\n`npm test` then words.\n\n- תרגומים:\n  - Español\n  - עברית\n',
    );
    expect(messages).toEqual([]);
    expect(wellFormed).toEqual([]);
    expect(html).toMatch(/<h2 [^>]*dir="rtl"[^>]*>שאלות<\/h2>/);
    // Code does not decide: the first letter outside it does.
    expect(html).toContain('<p dir="rtl">שלום, <code>code first</code> עולם?</p>');
    // Its items take the list's direction: they need none of their own.
    expect(html).toContain('<ul dir="rtl">\n<li>פריט אחד</li>');
    expect(html).toContain('<p>English, then עברית.</p>');
    expect(html).toContain('<blockquote dir="rtl">\n<p>ציטוט</p>');
    expect(html).toContain('<p><code>npm test</code> then words.</p>');
    // A list in a Hebrew item takes its direction against the item's: English items in it are set left to right.
    const nested = /<ul dir="rtl">\s*<li>תרגומים:\s*<ul dir="ltr">\s*<li>Español<\/li>\s*<li dir="rtl">עברית<\/li>/;
    expect(html).toMatch(nested);
    const arabic = new VFile({
      path: path.join(root, 'report.md'),
      value: '---\ntitle: T\nlang: ar\n---\n\nنص عربي.\n\nEnglish text.\n',
    });
    const compiled = (await compile(arabic, { reader: memoryReader({}), projectRoot: root }))!;
    expect(toHtml(compiled.tree)).toBe('<p>نص عربي.</p>\n<p dir="ltr">English text.</p>');
  });

  it('gives `width` and `height` a number of pixels, or moves another size to the style', async () => {
    const { html, messages } = await run(
      '<img src="data:image/png;base64,AAAA" alt="x" width="50%" height="20px">\n\n<img ' +
        'src="data:image/png;base64,AAAA" alt="y" width="wide">\n',
    );
    expect(html).toContain('style="width: 50%"');
    expect(html).toContain('height="20"');
    expect(html).not.toContain('wide');
    expect(messages.filter((message) => message.includes('html-normalized'))).toEqual([
      '9:1 html-normalized Removed `width="wide"` from `<img>`: it is not a size',
    ]);
  });

  it('makes block content inside phrasing content a span, keeping its text, with a warning at its line', async () => {
    const { html, messages } = await run(
      '<div><span>text <div>inside</div> a span</span></div>\n\n# Title <div>block</div>\n',
    );
    expect(html).toContain('<span>text <span>inside</span> a span</span>');
    expect(html).toContain('>Title <span>block</span></h2>');
    expect(messages).toEqual([
      '7:17 html-normalized Made `<div>` a `<span>`: it cannot stand inside `<span>`; its content stays',
      '9:9 html-normalized Made `<div>` a `<span>`: it cannot stand inside `<h1>`; its content stays',
    ]);
  });

  it('makes a list item outside a list a div', async () => {
    const { html, messages } = await run('<div><li>loose item</li></div>\n');
    expect(html).toContain('<div><div>loose item</div></div>');
    expect(messages).toEqual([
      '7:6 html-normalized Made `<li>` a `<div>`: it stands only in `<ul>`, `<ol>`, `<menu>`; its content stays',
    ]);
  });

  it('makes a term or definition a div unless it stands in a `dl` or in a `div` that stands in one', async () => {
    const { html, messages } = await run(
      '<div><dd>loose definition</dd></div>\n\n<dl><div><dt>term</dt><dd>definition</dd></div></dl>\n',
    );
    expect(html).toContain('<div><div>loose definition</div></div>');
    expect(html).toContain('<dl><div><dt>term</dt><dd>definition</dd></div></dl>');
    expect(messages).toEqual([
      '7:6 html-normalized Made `<dd>` a `<div>`: it stands only in `<dl>`, a `<div>` in a `<dl>`; its content stays',
    ]);
  });

  it('keeps the image a `<picture>` falls back to, and says its other sources went', async () => {
    const { html, messages } = await run(
      '<picture><source media="(prefers-color-scheme: dark)" srcset="dark.png"><img ' +
        `src="${dot}" alt="Logo"></picture>\n\n<picture><source srcset="x.png"></picture>\n`,
    );
    expect(html).toContain(`<img src="${dot}" alt="Logo">`);
    expect(html).not.toMatch(/<picture|<source|dark\.png/);
    expect(messages).toEqual([
      '7:1 html-unsafe Kept only the `<img>` of `<picture>`: its other sources (`<source>`) choose among images on ' +
        'screens',
      '9:1 html-unsafe Dropped `<picture>`: it has no `<img>`; media and canvases cannot be printed; use an image',
    ]);
  });

  it('keeps what an element no edition knows wraps: the code in a `<Listing>` of mdBook', async () => {
    const { html, messages } = await run(
      '<Listing number="4-2" caption="A">\n\n```rust\nlet x = 5;\n```\n\n</Listing>\n',
    );
    expect(html).toContain('<code class="language-rust">');
    expect(html).toContain('<span class="hljs-number">5</span>;');
    expect(html).not.toContain('<listing');
    expect(messages).toEqual([
      '7:1 html-unsafe Unwrapped `<listing>`: no edition knows this element, so only its content is kept',
    ]);
  });

  it('removes attributes whose names XML cannot hold, and declares the XLink namespace in SVG', async () => {
    const { xhtml, wellFormed, messages } = await run(
      '<div a\'b="1" foo:bar="2">x</div>\n\n<svg width="10" height="10"><a xlink:href="#t"><rect ' +
        'width="5" height="5"/></a></svg>\n',
    );
    expect(wellFormed).toEqual([]);
    expect(xhtml).toContain('xmlns:xlink="http://www.w3.org/1999/xlink"');
    // The sanitizer's allow-list takes such attributes first; whichever step removes them says so.
    expect(xhtml).not.toContain('foo:bar');
    expect(messages.filter((message) => /html-normalized|html-unsafe/.test(message)).length).toBeGreaterThanOrEqual(1);
  });
});
