import path from 'node:path';
import type { Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import rehypeRaw from 'rehype-raw';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { memoryReader } from '../../src/compile/resources.js';
import { compile } from '../../src/compile/pipeline.js';

const root = path.resolve('/project');
const frontMatter = '---\ntitle: T\nauthor: A\nlang: en-GB\n---\n\n';

async function run(markdown: string, files: Record<string, string> = {}) {
  const file = new VFile({ path: path.join(root, 'report.md'), value: frontMatter + markdown });
  const reader = memoryReader(
    Object.fromEntries(Object.entries(files).map(([name, text]) => [path.join(root, name), text])),
  );
  const doc = (await compile(file, { reader, projectRoot: root }))!;
  return {
    doc,
    html: toHtml(doc.tree),
    messages: [...file.messages, ...doc.dataFiles.flatMap((f) => f.messages)].map(
      (m) => `${m.line}:${m.column} ${m.ruleId} ${m.reason}`,
    ),
  };
}

describe('compile', () => {
  it("keeps a long heading's id within what a PDF destination may be named, twice over unique", async () => {
    const title = '科技爱好者周刊（第 358 期）：如何拯救一家濒临倒闭的创业公司';
    const { doc, messages } = await run(`# ${title}\n\nText.\n\n# ${title}\n\nMore.\n\n# A short one\n`);
    expect(messages).toEqual([]);
    const ids = doc.outline.map((entry) => entry.id);
    expect(ids[0]).toBe('科技爱好者周刊第-358-期如何拯');
    expect(ids[1]).toBe('科技爱好者周刊第-358-期如何拯-1');
    expect(ids[2]).toBe('a-short-one');
    // PDF names are held to 127 bytes; Chromium names each destination after its id, percent-encoded.
    for (const id of ids) expect(encodeURIComponent(id).length).toBeLessThanOrEqual(127);
  });

  it('shifts headings under the title, gives them ids and wraps sections', async () => {
    const { html, doc, messages } = await run('# One\n\nText.\n\n## Sub\n\nMore.\n\n# Two\n');
    expect(messages).toEqual([]);
    expect(html).toBe(
      '<section class="level-1" aria-labelledby="one"><h2 id="one">One</h2>\n<p>Text.</p>\n' +
        '<section class="level-2" aria-labelledby="sub"><h3 id="sub">Sub</h3>\n<p>More.</p>\n</section></section>' +
        '<section class="level-1" aria-labelledby="two"><h2 id="two">Two</h2></section>',
    );
    expect(doc.outline).toEqual([
      { id: 'one', depth: 1, text: 'One' },
      { id: 'sub', depth: 2, text: 'Sub' },
      { id: 'two', depth: 1, text: 'Two' },
    ]);
    expect(doc.metadata?.lang).toBe('en-GB');
  });

  it('generates a numbered table from a data file, sorted, with its source note', async () => {
    const { html, messages, doc } = await run('::table[Events]{#tbl-events src="data/e.csv" sort="date"}\n', {
      'data/e.csv': 'date,event,source\n2017-07-08,Summit,The text\n2017-05,Forum,The text\n',
    });
    expect(messages).toEqual([]);
    expect(html).toContain(
      '<figure id="tbl-events" class="data-table"><figcaption><span class="figure-label">Table ' +
        '1.</span> Events</figcaption>',
    );
    expect(html.indexOf('May 2017')).toBeLessThan(html.indexOf('8 July 2017'));
    expect(html).toContain('<p class="table-source"><em>Source:</em> The text.</p>');
    expect(doc.targets.get('tbl-events')).toEqual({
      id: 'tbl-events',
      kind: 'table',
      label: 'Table 1',
      caption: 'Events',
    });
  });

  it('reports a missing data file, an unknown attribute and an unknown directive at their lines', async () => {
    const { messages } = await run(
      '::table[X]{#t src="data/none.csv" color="red"}\n\n::diagram{src="x"}\n\n:::aside\nText\n:::\n',
    );
    expect(messages).toEqual([
      '7:1 directive-attribute Unknown attribute `color` on `::table` (known: id, src, columns, ' +
        'sort, where, format, align, total, change)',
      '7:1 data-missing Cannot find data file `data/none.csv` (looked for /project/data/none.csv)',
      '9:1 directive-unknown Unknown directive `::diagram`',
      '11:1 directive-unknown Unknown directive `:::aside`',
    ]);
  });

  it('refuses a data file outside the project folder', async () => {
    const { messages } = await run('::table[X]{#t src="../secret.csv"}\n');
    expect(messages).toEqual([
      '7:1 data-outside-project Data file `../secret.csv` is outside the project folder /project',
    ]);
  });

  it('reports duplicate ids', async () => {
    const data = { 'd.csv': 'a,source\n1,s\n' };
    const { messages } = await run('::table[X]{#t src="d.csv"}\n\n::table[Y]{#t src="d.csv"}\n', data);
    expect(messages).toEqual(['9:1 duplicate-id Duplicate id `#t`: it is also used at line 7']);
  });

  it('keeps a colon followed by a word as text', async () => {
    const { html, messages } = await run('Meet at 10:30, see:here and ratio 1:2.\n');
    expect(messages).toEqual([]);
    expect(html).toBe('<p>Meet at 10:30, see:here and ratio 1:2.</p>');
  });

  it('skips the raw-HTML parse for a tree made from Markdown alone, which that parse leaves as it is', async () => {
    const markdown = [
      '# Title {#top}\n\nA *word*, **strong**, `code`, ~~gone~~, <https://example.org/a?b=1#c> and a note.[^n]',
      '[^n]: The note, with a [link](#top).\n',
      '| a | b |\n|:-|-:|\n| 1 | **2** |\n',
      '- [x] done\n- [ ] not\n\n1. one\n2. two\n\n> Quoted ^[inline note].\n',
      '```js\nconst x = 1 < 2;\n```\n\n$$\nx^2 + y^2 = z^2\n$$\n\nInline $a_1$ math.\n',
      ':::callout{type=warning}\nCareful & **bold**.\n:::\n\nTerm\n: Its definition.\n\n***\n\nLast.\n',
    ].join('\n');
    const { doc, messages } = await run(markdown);
    expect(messages).toEqual([]);
    const reparsed = (await unified().use(rehypeRaw).run(structuredClone(doc.tree))) as Root;
    // parse5 writes a true property of an attribute that is not boolean as its empty value: the same in HTML.
    expect(toHtml(reparsed).replaceAll('=""', '')).toBe(toHtml(doc.tree).replaceAll('=""', ''));
    expect(toHtml(doc.tree)).toContain('<math');
    expect(toHtml(doc.tree)).toContain('data-footnote-ref');
  });
});
