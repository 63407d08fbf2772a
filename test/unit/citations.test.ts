import path from 'node:path';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { findCitations, parseLocator } from '../../src/compile/citations/citation-syntax.js';
import { cslLocale } from '../../src/compile/citations/citation-style.js';
import { compile } from '../../src/compile/pipeline.js';
import { memoryReader } from '../../src/compile/resources.js';
import { ruleIds } from '../../src/diagnostics/rules.js';

const root = path.resolve('/project');

const bibtex = `@article{smith2020,
  author = {Smith, Jane and Doe, John},
  title = {On Things},
  journal = {Journal of Stuff},
  year = {2020}, volume = {3}, pages = {10--20}, doi = {10.1000/xyz123}
}

@book{lee2019,
  author = {Lee, Ann}, title = {A Book}, publisher = {Pub}, address = {Paris}, year = 2019,
  url = {https://example.org/b}
}
`;

const cslJson = JSON.stringify(
  [
    {
      id: 'wu2018',
      type: 'report',
      title: 'Belt and Road',
      author: [{ family: 'Wu', given: 'Li' }],
      issued: { 'date-parts': [[2018]] },
    },
  ],
  null,
  2,
);

const cslYaml = `references:
  - id: kim2017
    type: book
    title: Ports
    author:
      - family: Kim
        given: Su
    issued: 2017
`;

interface Run {
  front?: string;
  files?: Record<string, string>;
}

async function run(markdown: string, { front = 'bibliography: refs.bib\n', files = { 'refs.bib': bibtex } }: Run = {}) {
  const value = `---\ntitle: T\nauthor: A\n${front}---\n\n${markdown}`;
  const file = new VFile({ path: path.join(root, 'report.md'), value });
  const reader = memoryReader(
    Object.fromEntries(Object.entries(files).map(([name, text]) => [path.join(root, name), text])),
  );
  const doc = (await compile(file, { reader, projectRoot: root }))!;
  const messages = [file, ...doc.dataFiles].flatMap((f) =>
    f.messages.map((m) => `${path.basename(f.path)}:${m.line}:${m.column} ${m.ruleId} ${m.reason}`),
  );
  return { doc, html: toHtml(doc.tree), messages };
}

describe('the citation syntax', () => {
  it(
    "reads Pandoc's forms: bracketed, with locators and prefixes, several works, in the text, " + 'author suppressed',
    () => {
      const text = 'A [@a] b [@a, p. 33] c [see @a; @b, chap. 2, emphasis added] d @c says e [-@d] f @e [p. 4].';
      const found = findCitations(text).map(({ inText, works }) => ({
        inText,
        works: works.map(({ at: _at, ...work }) => work),
      }));
      expect(found).toEqual([
        { inText: false, works: [{ key: 'a' }] },
        { inText: false, works: [{ key: 'a', locator: '33', label: 'page' }] },
        {
          inText: false,
          works: [
            { key: 'a', prefix: 'see' },
            { key: 'b', locator: '2', label: 'chapter', suffix: ', emphasis added' },
          ],
        },
        { inText: true, works: [{ key: 'c' }] },
        { inText: false, works: [{ key: 'd', suppressAuthor: true }] },
        { inText: true, works: [{ key: 'e', locator: '4', label: 'page' }] },
      ]);
    },
  );

  it('takes no e-mail address, no bracket that is not all citations, and ends a key before its full stop', () => {
    expect(findCitations('write to jane@example.org or [me @ home]')).toEqual([]);
    // A bracket that is not all citations is text, and the key in it a citation in the text.
    expect(findCitations('[see @a and more; not one]').map((c) => [c.inText, c.works[0]!.key])).toEqual([[true, 'a']]);
    expect(findCitations('as @smith2020.').map((c) => c.works[0]!.key)).toEqual(['smith2020']);
    expect(findCitations('[@{odd key}]')).toEqual([]);
    expect(findCitations('[@{doi:10.1/x}]').map((c) => c.works[0]!.key)).toEqual(['doi:10.1/x']);
  });

  it('reads a labelled locator without a comma, as Pandoc does', () => {
    const [citation] = findCitations('[see @item1 chap. 3; also @b p. 34-35]');
    expect(citation!.works.map(({ at: _at, ...work }) => work)).toEqual([
      { key: 'item1', prefix: 'see', locator: '3', label: 'chapter' },
      { key: 'b', prefix: 'also', locator: '34-35', label: 'page' },
    ]);
  });

  it('reads locators with their labels, and anything else as a suffix', () => {
    expect(parseLocator('pp. 33–35')).toEqual({ locator: '33–35', label: 'page' });
    expect(parseLocator('sec. 4, note')).toEqual({ locator: '4', label: 'section', suffix: ', note' });
    expect(parseLocator('and elsewhere')).toEqual({ suffix: 'and elsewhere' });
  });

  it('maps a language to the CSL locale that serves it', () => {
    expect(
      ['en', 'fr', 'de', 'es', 'pt', 'it', 'ru', 'ar', 'he', 'zh', 'ja', 'ko', 'pt-BR', 'zh-Hant', 'xx'].map(cslLocale),
    ).toEqual([
      'en-US',
      'fr-FR',
      'de-DE',
      'es-ES',
      'pt-PT',
      'it-IT',
      'ru-RU',
      'ar',
      'he-IL',
      'zh-CN',
      'ja-JP',
      'ko-KR',
      'pt-BR',
      'zh-TW',
      'en-US',
    ]);
  });
});

describe('citations in a report', () => {
  it('formats citations in Chicago author-date, links each work to its entry, and lists the works cited', async () => {
    const { html, messages, doc } = await run(
      '# One\n\nAs shown [@smith2020, p. 33], and @lee2019 agrees [see @lee2019; @smith2020].\n',
    );
    expect(messages).toEqual([]);
    expect(html).toContain('(<a class="citation-link" href="#ref-smith2020">Smith and Doe 2020, 33</a>)');
    expect(html).toContain(
      '<a class="citation-link" href="#ref-lee2019">Lee</a></span> <span class="citation" ' +
        'data-cites="lee2019">(<a class="citation-link" href="#ref-lee2019">2019</a>)',
    );
    expect(html).toContain('<h2 id="references">References</h2>');
    expect(html).toContain(
      '<div id="ref-lee2019" class="csl-entry" role="listitem">Lee, Ann. 2019. <i>A Book</i>. Pub. ' +
        '<a href="https://example.org/b">https://example.org/b</a>.</div>',
    );
    expect(html).toContain(
      '<a href="https://doi.org/10.1000/xyz123" class="url">' +
        'https://<wbr>doi<wbr>.org<wbr>/10<wbr>.1000<wbr>/xyz123</a>',
    );
    expect(doc.outline.map((entry) => entry.text)).toEqual(['One', 'References']);
    // Every citation link has its target.
    for (const [, id] of html.matchAll(/href="#(ref-[^"]+)"/g)) expect(html).toContain(`id="${id}"`);
  });

  it.each([
    ['apa', '(<a class="citation-link" href="#ref-smith2020">Smith &#x26; Doe, 2020, p. 33</a>)'],
    ['ieee', '<a class="citation-link" href="#ref-smith2020">[1, p. 33]</a>'],
  ])('formats in %s', async (csl, expected) => {
    const { html, messages } = await run('Text [@smith2020, p. 33].\n', {
      front: `bibliography: refs.bib\ncsl: ${csl}\n`,
    });
    expect(messages).toEqual([]);
    expect(html).toContain(expected);
  });

  it(
    'puts each citation into a footnote in a note style, and keeps citations in notes of their ' + 'own in place',
    async () => {
      const { html, messages } = await run(
        'Text [@smith2020, p. 33]. More.[^n] And @lee2019.\n\n[^n]: Compare [@lee2019].\n',
        {
          front: 'bibliography: refs.bib\ncsl: chicago-notes\n',
        },
      );
      expect(messages).toEqual([]);
      expect(html).toMatch(
        /Text <sup><a href="#user-content-fn-imprint-citation-1" id="user-content-fnref-imprint-citation-1" data-footnote-ref[^>]*>1<\/a><\/sup>\./,
      );
      expect(html).toContain('Jane Smith and John Doe, “On Things,” <i>Journal of Stuff</i> 3 (2020): 33');
      // The author's own note cites in place, in the note's form.
      expect(html).toMatch(
        /Compare <span class="citation" data-cites="lee2019"><a class="citation-link" href="#ref-lee2019">Ann Lee, <i>A Book<\/i>/,
      );
      // In the text, the author's name stays in the sentence and the work goes to a note.
      expect(html).toMatch(
        /And <span class="citation" data-cites="lee2019"><a class="citation-link" href="#ref-lee2019">Ann Lee<\/a><\/span><sup>/,
      );
      expect(html).toContain('<h2 id="references">References</h2>');
    },
  );

  it('follows the language: French terms and a French title', async () => {
    const { html, messages } = await run('Texte [@smith2020].\n', { front: 'bibliography: refs.bib\nlang: fr\n' });
    expect(messages).toEqual([]);
    expect(html).toContain('Smith et Doe 2020');
    expect(html).toContain('>Références</h2>');
  });

  it('sets the bibliography where ::bibliography stands, under a heading of the author’s own', async () => {
    const { html, messages } = await run('# One\n\n[@lee2019]\n\n# Works cited\n\n::bibliography\n\n# Annex\n\nEnd.\n');
    expect(messages).toEqual([]);
    expect(html).toMatch(
      /<h2 id="works-cited">Works cited<\/h2>\n<div class="bibliography csl-bib-body" role="list"><div id="ref-lee2019"/,
    );
    expect(html.indexOf('ref-lee2019"')).toBeLessThan(html.indexOf('Annex'));
    expect(html).not.toContain('>References<');
  });

  it('sets the entries under a heading that ends the report with nothing under it, as Pandoc does', async () => {
    const { html, messages } = await run('# One\n\n[@lee2019]\n\n# Bibliography\n');
    expect(messages).toEqual([]);
    expect(html).toMatch(
      /<h2 id="bibliography">Bibliography<\/h2>\n<div class="bibliography csl-bib-body" role="list">/,
    );
    expect(html).not.toContain('>References<');
  });

  it('reads CSL JSON and CSL YAML beside BibTeX', async () => {
    const { html, messages } = await run('[@wu2018; @kim2017; @lee2019]\n', {
      front: 'bibliography: [refs.bib, more.json, more.yaml]\n',
      files: { 'refs.bib': bibtex, 'more.json': cslJson, 'more.yaml': cslYaml },
    });
    expect(messages).toEqual([]);
    expect(html).toContain('Wu 2018');
    expect(html).toContain('Kim 2017');
    expect(html).toContain('id="ref-kim2017"');
  });

  it('reports a missing key at its line and column with the nearest known key, and keeps the text', async () => {
    const { html, messages } = await run('Text.\n\nAs [@smyth2020] and [@lee2019].\n');
    expect(messages).toEqual([
      'report.md:9:5 citation-missing No work `smyth2020` in the bibliography (did you mean `smith2020`?)',
    ]);
    expect(html).toContain('As [@smyth2020] and');
  });

  it('reports a citation without any bibliography, but leaves @names in prose alone', async () => {
    const { messages } = await run('Follow @imprint, or [@smith2020].\n', { front: '', files: {} });
    expect(messages).toEqual([
      'report.md:6:22 citation-missing Citation of `@smith2020`, but the manuscript names no ' +
        'bibliography: add `bibliography:` to the front matter',
    ]);
  });

  it('reports a bibliography that does not parse, and a duplicate key, in that file at line and column', async () => {
    const broken = await run('[@lee2019]\n', {
      files: { 'refs.bib': `${bibtex}\n@book{bad, title = {unterminated\n` },
    });
    expect(
      broken.messages.some((m) => /^refs\.bib:1[45]:\d+ bibliography-syntax Cannot parse the bibliography/.test(m)),
    ).toBe(true);
    const twice = await run('[@lee2019]\n', {
      files: { 'refs.bib': `${bibtex}\n@book{lee2019, title = {Again}, year = 2001}\n` },
    });
    expect(twice.messages).toEqual([
      'refs.bib:13:7 bibliography-duplicate Duplicate bibliography key `lee2019` (first defined at line 8)',
    ]);
    const json = await run('[@wu2018]\n', {
      front: 'bibliography: more.json\n',
      files: { 'more.json': '[\n  {"id": "wu2018",}\n]' },
    });
    expect(json.messages).toEqual([
      expect.stringMatching(/^more\.json:2:\d+ bibliography-syntax Cannot parse the bibliography/),
    ]);
    const yaml = await run('[@kim2017]\n', {
      front: 'bibliography: more.yaml\n',
      files: { 'more.yaml': `${cslYaml}  - id: kim2017\n    title: Again\n` },
    });
    expect(yaml.messages).toEqual([
      'more.yaml:9:9 bibliography-duplicate Duplicate bibliography key `kim2017` (first defined at line 2)',
    ]);
    const missing = await run('[@kim2017]\n', { front: 'bibliography: none.bib\n', files: {} });
    expect(missing.messages).toEqual([
      expect.stringMatching(/^report\.md:4:1 bibliography-missing Bibliography `none\.bib` cannot be found/),
    ]);
  });

  it('refuses a style that is neither shipped nor a CSL file', async () => {
    const { messages } = await run('[@lee2019]\n', { front: 'bibliography: refs.bib\ncsl: harvard\n' });
    expect(messages).toEqual([
      expect.stringMatching(/^report\.md:5:1 citation-style The citation style `harvard` is neither/),
    ]);
  });

  it('reads a CSL style from the project', async () => {
    const { readFileSync } = await import('node:fs');
    const style = readFileSync(path.resolve(import.meta.dirname, '../../csl/styles/apa.csl'), 'utf8');
    const { html, messages } = await run('[@lee2019]\n', {
      front: 'bibliography: refs.bib\ncsl: styles/house.csl\n',
      files: { 'refs.bib': bibtex, 'styles/house.csl': style },
    });
    expect(messages).toEqual([]);
    expect(html).toContain('Lee, 2019');
  });

  it('does not take escaped @ or @ in code for citations', async () => {
    const { html, messages } = await run('Write \\@lee2019 or `[@lee2019]`.\n');
    expect(messages).toEqual([]);
    expect(html).toContain('Write @lee2019 or <code>[@lee2019]</code>.');
  });

  it('formats a data source that names a bibliography key as a citation, and lists the work once', async () => {
    const { html, messages } = await run(
      '[@lee2019]\n\n::table[Events]{#tbl-events src="data/e.csv"}\n\n::chart[Drawn]{#fig-e ' +
        'src="data/e.csv" type="timeline" label="event"}\n',
      {
        files: {
          'refs.bib': bibtex,
          'data/e.csv': 'date,event,source\n2017-07-08,Summit,lee2019\n2017-05,Forum,lee2019\n',
        },
      },
    );
    expect(messages).toEqual([]);
    expect(html).toMatch(
      /<em>Source:<\/em> <span class="citation" data-cites="lee2019">\(<a class="citation-link" href="#ref-lee2019">Lee 2019<\/a>\)<\/span>\./,
    );
    expect(html.match(/class="csl-entry"/g)).toHaveLength(1);
  });

  it('keeps years in citations out of the consistency check', async () => {
    const { messages } = await run(
      'In 2017 the forum met [@lee2019, p. 2016].\n\n::table[Events]{#tbl-events src="data/e.csv"}\n',
      {
        files: { 'refs.bib': bibtex, 'data/e.csv': 'date,event,source\n2017-05,Forum,lee2019\n' },
      },
    );
    expect(messages).toEqual([]);
  });

  it('has rule ids for its messages', () => {
    for (const id of [
      'bibliography-missing',
      'bibliography-syntax',
      'bibliography-duplicate',
      'citation-missing',
      'citation-style',
    ]) {
      expect(ruleIds).toContain(id);
    }
  });
});
