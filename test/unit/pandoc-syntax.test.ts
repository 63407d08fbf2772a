import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { compile } from '../../src/compile/pipeline.js';
import { memoryReader } from '../../src/compile/resources.js';

const front = '---\ntitle: Pandoc’s syntax\nauthor: A. Writer\nlang: en-GB\n---\n\n';

async function run(markdown: string) {
  const file = new VFile({ path: '/project/report.md', value: front + markdown });
  const compiled = await compile(file, { reader: memoryReader({}), projectRoot: '/project' });
  return {
    html: compiled ? toHtml(compiled.tree) : '',
    outline: compiled?.outline ?? [],
    messages: file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.reason}`),
  };
}

describe('what Pandoc and Quarto manuscripts write', () => {
  it('takes a heading’s attributes off its text: the id is the heading’s, a target for links and `:ref`', async () => {
    const { html, outline, messages } = await run(
      '# Introduction {#sec-intro}\n\nSee :ref[#sec-method] and [the method](#sec-method).\n\n' +
        '# Method {#sec-method .unnumbered}\n\n## Unnumbered {-}\n\n# Sets {a, b}\n',
    );
    expect(messages).toEqual([]);
    expect(html).toContain('<h2 id="sec-intro">Introduction</h2>');
    expect(html).toContain('<h2 id="sec-method" class="unnumbered">Method</h2>');
    expect(html).toContain('<h3 class="unnumbered" id="unnumbered">Unnumbered</h3>');
    // Not attributes: the title's own braces.
    expect(html).toContain('>Sets {a, b}</h2>');
    expect(html).toContain('<a href="#sec-method" class="xref xref-section">Method</a>');
    expect(html).toContain('<a href="#sec-method">the method</a>');
    expect(outline.map((entry) => entry.text)).toEqual(['Introduction', 'Method', 'Unnumbered', 'Sets {a, b}']);
  });

  it('reads Quarto’s cross-references (`@tbl-x`, `@sec-x`) as `:ref` does; one to nothing is a warning', async () => {
    const { html, messages } = await run(
      '# Method {#sec-method}\n\n| a |\n| - |\n| 1 |\n\n: Values {#tbl-values}\n\n' +
        'As @tbl-values shows (see @sec-method), but not @sec-missing, \\@sec-method or a@sec-method.org.\n',
    );
    expect(html).toContain('As <a href="#tbl-values" class="xref xref-table">Table 1</a> shows');
    expect(html).toContain('(see <a href="#sec-method" class="xref xref-section">Method</a>)');
    expect(html).toContain('but not @sec-missing, @sec-method or <a href="mailto:a@sec-method.org">');
    expect(messages).toEqual([
      '15:49 reference-missing `@sec-missing` reads as a cross-reference, but no table, figure or heading has ' +
        'the id `sec-missing`: it is kept as text',
    ]);
  });

  it('reports a heading id written twice, at the second', async () => {
    const { messages } = await run('# One {#same}\n\n# Two {#same}\n');
    expect(messages).toEqual(['9:1 duplicate-id Duplicate id `#same`: it is also used at line 7']);
  });
});

describe('Pandoc’s fenced divs', () => {
  it('make a Quarto callout a callout, and leave out the fences of any other, with a warning at its line', async () => {
    const { html, messages } = await run(
      '# Notes\n\n:::: {.callout-warning title="Before you travel"}\nCheck the timetable.\n\n' +
        ':::callout{type=tip}\nNested.\n:::\n::::\n\n::: aside\nPlain content.\n:::\n\n```\n::: {.x}\n```\n\n' +
        '::: callout-important\nShort form.\n:::\n',
    );
    expect(html).toContain('<aside class="callout callout-important" role="note">');
    expect(html).toContain('<aside class="callout callout-warning" role="note">');
    expect(html).toContain('Before you travel');
    expect(html).toContain('<aside class="callout callout-tip" role="note">');
    expect(html).toContain('<p>Plain content.</p>');
    expect(html).not.toMatch(/:::(?! \{\.x\})/);
    expect(messages).toEqual([
      '17:1 fenced-div Pandoc’s fenced div `::: aside` has no meaning here: its content prints as ordinary text ' +
        '(a callout is `:::callout{type=note}`)',
    ]);
  });
});

describe('Pandoc’s inline notes', () => {
  it('are footnotes numbered with the others, keeping their emphasis, code and links', async () => {
    const { html, messages } = await run(
      '# Notes\n\nFirst^[An *inline* note with `code` and [a link](https://example.org).] then a ' +
        'written one.[^w] And ^[a second [bracketed] one]. Not one: x^2 and ^[ left open.\n\n[^w]: Written.\n',
    );
    expect(messages).toEqual([]);
    const notes = /<section[^>]*class="footnotes"[\s\S]*<\/section>/.exec(html)?.[0] ?? '';
    const items = [...notes.matchAll(/<li id="[^"]*">([\s\S]*?)<\/li>/g)].map((match) =>
      match[1]!
        .replace(/<a [^>]*data-footnote-backref[\s\S]*?<\/a>/g, '')
        .replace(/<[^>]+>/g, '')
        .trim(),
    );
    expect(items).toEqual(['An inline note with code and a link.', 'Written.', 'a second [bracketed] one']);
    expect(html).toContain('<em>inline</em>');
    expect(html).toContain('<a href="https://example.org">a link</a>');
    expect(html).toContain('Not one: x^2 and ^[ left open.');
  });
});

describe('display equations as Pandoc reads them', () => {
  it('reads `$$…$$` written across lines as an equation, never as a fence that runs on', async () => {
    const { html, messages } = await run(
      'Learn\n\n$$p(x, y) =\n    \\sum_{k=1}^K \\pi_k$$\n\nthrough EM, where each\n$$\\mu_x$$\n$$\\Sigma =\n  1$$\n' +
        'is defined.\n\n$$\nx^2\n$$\n\nThe end.\n',
    );
    expect(messages).toEqual([]);
    const equations = html.match(/<math [^>]*>/g) ?? [];
    expect(equations).toHaveLength(4);
    for (const equation of equations) expect(equation).toContain('display="block"');
    // The first stands alone, as a fenced one does; the two in the paragraph stay in it, with its text.
    expect(html).toMatch(/<p>Learn<\/p>\s*<math [^>]*display="block"><mrow><mi>p<\/mi>/);
    expect(html).toMatch(/<p>through EM, where each\s*<math [\s\S]*<\/math>\s*is defined\.<\/p>/);
    expect(html).toContain('<p>The end.</p>');
  });

  it('sets accents in marks the shipped math face has, not in spacing forms it lacks', async () => {
    const { html, messages } = await run('$\\dot{x} \\ddot{x} \\bar{x} \\breve{x} \\check{x} \\acute{x}$\n');
    expect(messages).toEqual([]);
    for (const mark of ['\u0307', '\u0308', '\u0304', '\u0306', '\u030C', '\u0301']) expect(html).toContain(mark);
    expect(html).not.toMatch(/[\u00A8\u00AF\u00B4\u02C7\u02D8\u02D9\u203E]/);
  });
});

describe('what papers written for Pandoc’s PDF write', () => {
  it('numbers an image labelled `\\label{fig:x}`; `\\autoref`, `\\cref` and `\\ref` link to it', async () => {
    const { html, messages } = await run(
      '![Multimodal regression.\\label{fig:multimodal_regression}](plot.png)\n\n' +
        'On the left of \\autoref{fig:multimodal_regression}, as \\Cref{fig:multimodal_regression} and ' +
        'Figure \\ref{fig:multimodal_regression} show; not \\ref{fig:missing}, ' +
        'nor `\\ref{fig:multimodal_regression}`.\n',
    );
    expect(html).toContain('<figure id="fig:multimodal_regression" class="image">');
    expect(html).toContain('alt="Multimodal regression."');
    expect(html).toContain('<span class="figure-label">Figure 1.</span> Multimodal regression.</figcaption>');
    const link = (text: string) => `<a href="#fig:multimodal_regression" class="xref xref-figure">${text}</a>`;
    expect(html).toContain(
      `On the left of ${link('Figure 1')}, as ${link('Figure 1')} and Figure ${link('1')} show; not ` +
        '\\ref{fig:missing}, nor <code>\\ref{fig:multimodal_regression}</code>.',
    );
    expect(messages.filter((message) => !message.includes('image-'))).toEqual([
      '9:142 reference-missing `\\ref{fig:missing}` reads as a cross-reference, but no table, figure or heading ' +
        'has the id `fig:missing`: it is kept as text',
    ]);
  });
});

describe('Quarto’s and R Markdown’s executable cells', () => {
  it('sets a cell’s code without its options, leaves out what it hides, and warns once that none ran', async () => {
    const { html, messages } = await run(
      '```{r}\n#| echo: false\nsource("_common.R")\n```\n\n```{r}\n#| label: tidy\nx <- 1 + 2\n```\n\n' +
        '```{r setup, include=FALSE}\nlibrary(ggplot2)\n```\n\n```{python}\nprint("hi")\n```\n',
    );
    expect(html).not.toContain('_common.R');
    expect(html).not.toContain('ggplot2');
    expect(html).not.toContain('#|');
    expect(html).toContain('<code class="language-r">');
    expect(html).toContain('<code class="language-python">');
    expect(messages).toEqual([
      '7:1 code-cell 4 executable cells (`{r}`, `{python}`) not run: imprint runs no code, so what they make ' +
        '(plots, tables, printed values) is not in the editions; 2 are set as code, and 2 whose options hide their ' +
        'code (`echo: false`, `include: false`) are left out. Render with Quarto or R Markdown to Markdown first ' +
        'to include their results',
    ]);
  });

  it('makes a cell that only shows a picture file a figure, numbered by its `fig-` label', async () => {
    const { html, messages } = await run(
      'As @fig-cycle shows.\n\n```{r}\n#| label: fig-cycle\n#| echo: false\n#| fig-cap: |\n#|   The data\n' +
        '#|   science cycle.\n#| fig-alt: A diagram of the cycle.\nknitr::include_graphics("cycle.png", dpi = 270)\n```\n',
    );
    expect(html).toContain('<figure id="fig-cycle" class="image">');
    expect(html).toContain('alt="A diagram of the cycle."');
    expect(html).toContain('<span class="figure-label">Figure 1.</span> The data science cycle.</figcaption>');
    expect(html).toContain('As <a href="#fig-cycle" class="xref xref-figure">Figure 1</a> shows.');
    // The picture is the cell's result: no cell is left unrun; the missing file is reported as any image's is.
    expect(messages.filter((message) => message.includes('code-cell'))).toEqual([]);
  });
});

describe('typographic quotes and dashes, as Pandoc’s `smart` sets them', () => {
  it('sets them in the prose, never in code, math, raw HTML or a link’s address', async () => {
    const { html, messages } = await run(
      'She said "it\'s the *best* answer"---and then \'left\'... Pages 10--20, `--force "x"`.\n' +
        'A [link "here"](https://example.org/a--b), $x = "y"$ and <span title="a--b">"raw"</span>.\n\n' +
        '```sh\necho "a" -- \'b\' ...\n```\n\nThe \'90s, <https://example.org/c--d> and "<https://example.org>".\n',
    );
    // An address shown as the link's text stays as typed (with places it may break at).
    expect(html.replace(/<wbr>/g, '')).toContain(
      '<p>The ’90s, <a href="https://example.org/c--d" class="url">https://example.org/c--d</a> and ' +
        '“<a href="https://example.org">https://example.org</a>”.</p>',
    );
    expect(messages).toEqual([]);
    expect(html).toContain(
      '<p>She said “it’s the <em>best</em> answer”—and then ‘left’… Pages 10–20, <code>--force "x"</code>.',
    );
    expect(html).toContain('<a href="https://example.org/a--b">link “here”</a>');
    expect(html).toContain('<span title="a--b">“raw”</span>');
    expect(html).toContain('<mi>"</mi>');
    expect(html.replace(/<[^>]+>/g, '')).toContain(`echo "a" -- 'b' ...`);
  });

  it('keeps the text as typed with `smart: false`', async () => {
    const file = new VFile({
      path: '/project/report.md',
      value: '---\ntitle: T\nsmart: false\n---\n\nUse "--force" ... now.\n',
    });
    const compiled = await compile(file, { reader: memoryReader({}), projectRoot: '/project' });
    expect(toHtml(compiled!.tree)).toBe('<p>Use "--force" ... now.</p>');
  });
});

describe('definition lists', () => {
  it('are read as Pandoc writes them, and a table’s `: Caption` stays its caption', async () => {
    const { html, messages } = await run(
      '# Terms\n\nApple\n:   A fruit.\n\nPear\n:   Another fruit.\n:   And a shape.\n\n| a |\n| - |\n| 1 |\n\n' +
        ': Values {#tbl-values}\n',
    );
    expect(messages).toEqual([]);
    expect(html).toMatch(/<dl>\s*<dt>Apple<\/dt>\s*<dd>A fruit\.\s*<\/dd>\s*<dt>Pear<\/dt>/);
    expect(html).toContain('<figure id="tbl-values" class="pipe-table">');
  });
});

describe('a report named by its first heading', () => {
  it('takes the heading’s text without its attributes', async () => {
    const file = new VFile({ path: '/project/report.md', value: '# Data visualization {#sec-viz}\n\nText.\n' });
    await compile(file, { reader: memoryReader({}), projectRoot: '/project' });
    expect(file.data.metadata?.title).toBe('Data visualization');
  });
});
