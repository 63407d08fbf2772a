import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { FrontMatter, nearestKey, resolveFrontMatter } from '../../src/compile/front-matter.js';
import { labelKeys, labelsFor } from '../../src/document/labels.js';
import { compile } from '../../src/compile/pipeline.js';
import { memoryReader } from '../../src/compile/resources.js';
import { titlePageLines } from '../../src/writers/print-page/title-page.js';
import { toHtml } from 'hast-util-to-html';

function resolve(yaml: string) {
  const source = `---\n${yaml}\n---\n\n# Body\n`;
  const file = new VFile({ path: 'report.md', value: source });
  const metadata = resolveFrontMatter(file, { value: yaml, offset: 4 });
  return {
    metadata,
    messages: file.messages.map((m) => ({
      line: m.line,
      column: m.column,
      reason: m.reason,
      ruleId: m.ruleId,
      fatal: m.fatal,
    })),
  };
}

describe('front matter', () => {
  it('resolves metadata with defaults', () => {
    const { metadata, messages } = resolve(
      'title: A Report\nauthor: [A. Writer, B. Writer]\ndate: 2017-07\nkeywords: China, Japan',
    );
    expect(messages).toEqual([]);
    expect(metadata).toEqual({
      title: 'A Report',
      shortTitle: 'A Report',
      authors: ['A. Writer', 'B. Writer'],
      date: { year: 2017, month: 7 },
      lang: 'en',
      dir: 'ltr',
      keywords: ['China', 'Japan'],
      paper: 'a4',
      tocDepth: 2,
      labels: labelsFor('en'),
    });
  });

  it("gives the words imprint writes in the document's language, each one overridable under `labels:`", () => {
    const german = resolve('title: Bericht\nlang: de-AT\nlabels:\n  contents: Inhaltsverzeichnis');
    expect(german.messages).toEqual([]);
    expect(german.metadata?.labels).toMatchObject({
      contents: 'Inhaltsverzeichnis',
      table: 'Tabelle',
      notes: 'Anmerkungen',
    });
    expect(resolve('title: 報告\nlang: zh-TW').metadata?.labels).toMatchObject({ contents: '目錄', figure: '圖' });
    expect(resolve('title: 报告\nlang: zh-Hans').metadata?.labels).toMatchObject({ contents: '目录', figure: '图' });
    // A language imprint has no words for stays English.
    expect(resolve('title: Raport\nlang: pl').metadata?.labels?.contents).toBe('Contents');
    // An unknown label is an error at its key.
    const wrong = resolve('title: R\nlabels:\n  contentz: Index');
    expect(wrong.metadata).toBeUndefined();
    expect(wrong.messages).toEqual([expect.objectContaining({ line: 4, ruleId: 'front-matter-schema' })]);
  });

  it('ships the words for twelve languages and English, every key filled', () => {
    for (const lang of ['en', 'fr', 'de', 'es', 'pt', 'it', 'ru', 'ar', 'he', 'zh', 'zh-Hant', 'ja', 'ko']) {
      const labels = labelsFor(lang);
      expect(Object.keys(labels).sort(), lang).toEqual(Object.values(labelKeys).sort());
      for (const value of Object.values(labels)) expect(value.trim(), lang).not.toBe('');
      if (lang !== 'en') expect(labels.contents, lang).not.toBe('Contents');
    }
  });

  it('reports a wrong type at the value, with its line and column', () => {
    const { metadata, messages } = resolve('title: A Report\nauthor: Someone\nlang: 12\npaper: tabloid');
    expect(metadata).toBeUndefined();
    expect(messages).toEqual([
      {
        line: 4,
        column: 7,
        reason: 'Front matter `lang` must be string, not a number',
        ruleId: 'front-matter-schema',
        fatal: true,
      },
      {
        line: 5,
        column: 8,
        reason: 'Front matter `paper` must be one of a4, letter, A4, Letter',
        ruleId: 'front-matter-schema',
        fatal: true,
      },
    ]);
  });

  it('reads TOML front matter between `+++` lines, as Hugo writes it; a date and time is its day', async () => {
    const run = async (front: string) => {
      const file = new VFile({ path: '/p/report.md', value: `+++\n${front}\n+++\n\n# Body\n\nText.\n` });
      const compiled = await compile(file, { reader: memoryReader({}), projectRoot: '/p' });
      const messages = file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.reason}`);
      return { metadata: compiled ? file.data.metadata : undefined, messages };
    };
    const good = await run('title = "A Report"\nauthor = ["A. Writer"]\ndate = 2017-07-14T09:30:00Z\nlang = "de"');
    expect(good.messages).toEqual([]);
    expect(good.metadata).toMatchObject({
      title: 'A Report',
      authors: ['A. Writer'],
      date: { year: 2017, month: 7, day: 14 },
      lang: 'de',
    });
    expect((await run('title = "A"\nauthr = "B"')).messages).toEqual([
      '3:1 front-matter-schema Unknown front matter key `authr`: did you mean `author`?',
    ]);
    const broken = await run('title = "A');
    expect(broken.messages).toHaveLength(1);
    expect(broken.messages[0]).toMatch(/^2:1 front-matter-syntax Front matter is not valid TOML: /);
  });

  it('reports a date that is not a date', () => {
    const { messages } = resolve('author: Someone\ndate: next spring');
    expect(messages.map((m) => m.reason)).toEqual([
      'Front matter `date` must be a date: YYYY, YYYY-MM or YYYY-MM-DD (a time after it is allowed), or one ' +
        'written in English words such as "29 January 2021" or "January 2021"',
    ]);
    expect(messages[0]).toMatchObject({ line: 3, column: 7 });
  });

  it('reports a front matter that fails once, not again at each citation it would have served', async () => {
    const file = new VFile({
      path: '/p/report.md',
      value: '---\ndate: next spring\nbibliography: works.bib\n---\n\nAs shown [@doe2020].\n',
    });
    await compile(file, {
      reader: memoryReader({ '/p/works.bib': '@book{doe2020, title={T}, author={Doe, J.}, year={2020}}' }),
      projectRoot: '/p',
    });
    expect(file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(['2:7 front-matter-schema']);
  });

  it('reads authors as journals and Quarto write them, with their affiliations', () => {
    const journal = resolve(
      'authors:\n  - name: Ada Writer\n    orcid: 0000-0003-2824-7956\n    affiliation: "1, 2"\n' +
        '  - name: Bo Writer\n    affiliation: 2\naffiliations:\n  - name: An Institute, Bremen\n    index: 1\n' +
        '  - name: A University\n    index: 2',
    );
    expect(journal.messages).toEqual([]);
    expect(resolve('tags: [Python, regression]').metadata?.keywords).toEqual(['Python', 'regression']);
    expect(journal.metadata).toMatchObject({
      authors: ['Ada Writer', 'Bo Writer'],
      affiliations: ['An Institute, Bremen', 'A University'],
      authorAffiliations: [[1, 2], [2]],
    });
    const quarto = resolve(
      'author:\n  - name: {given: Norah, family: Jones}\n    email: nj@example.org\n' +
        '    affiliations:\n      - University of Chicago\n  - name: Bo Writer\n    affiliations:\n' +
        '      - ref: lab\naffiliations:\n  - id: lab\n    name: A Laboratory',
    );
    expect(quarto.messages).toEqual([]);
    expect(quarto.metadata).toMatchObject({
      authors: ['Norah Jones', 'Bo Writer'],
      affiliations: ['University of Chicago', 'A Laboratory'],
      authorAffiliations: [[1], [2]],
    });
    expect(toHtml(titlePageLines(journal.metadata!))).toContain(
      '<p class="author">Ada Writer<sup>1 2</sup>, Bo Writer<sup>2</sup></p><p class="affiliations"><sup>1</sup> ' +
        'An Institute, Bremen<br><sup>2</sup> A University</p>',
    );
  });

  it('reports both `author` and `authors`, and an affiliation no entry has', () => {
    expect(resolve('author: A\nauthors: [B]').messages.map((m) => m.reason)).toEqual([
      'Front matter gives both `author` and `authors`: keep one',
    ]);
    const missing = resolve('authors:\n  - name: A\n    affiliation: 3\naffiliations:\n  - name: One\n    index: 1');
    expect(missing.messages.map((m) => `${m.line}:${m.column} ${m.reason}`)).toEqual([
      '5:1 No affiliation under `affiliations` has the index or id `3` an author names',
    ]);
    expect(missing.metadata?.authors).toEqual(['A']);
  });

  it('reads a date written in English words as the day or month it names', () => {
    expect(resolve('date: 29 January 2021')).toMatchObject({
      messages: [],
      metadata: { date: { year: 2021, month: 1, day: 29 } },
    });
    expect(resolve('date: July 2017').metadata?.date).toEqual({ year: 2017, month: 7 });
  });

  it('forgives: no title, author or date needed', () => {
    const none = new VFile({ path: '/notes/field-notes.md', value: '# Heading\n' });
    expect(resolveFrontMatter(none, undefined, {}, { title: 'Harbour Survey' })).toMatchObject({
      title: 'Harbour Survey',
      shortTitle: 'Harbour Survey',
      authors: [],
    });
    expect(resolveFrontMatter(none, undefined)).toMatchObject({ title: 'field-notes', authors: [] });
    expect(none.messages).toEqual([]);
    const { metadata, messages } = resolve('lang: en-GB');
    expect(messages).toEqual([]);
    expect(metadata).toMatchObject({ title: 'report', authors: [], lang: 'en-GB' });
    expect(metadata?.date).toBeUndefined();
  });

  it('reports YAML that does not parse at its place', () => {
    const { metadata, messages } = resolve('title: [unclosed\nauthor: Someone');
    expect(metadata).toBeUndefined();
    expect(messages[0]).toMatchObject({ ruleId: 'front-matter-syntax', fatal: true });
    expect(messages[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('warns about an unknown key without failing', () => {
    const { metadata, messages } = resolve('title: T\nauthor: A\nsubtitel: typo');
    expect(metadata?.title).toBe('T');
    expect(messages).toEqual([
      expect.objectContaining({ line: 4, column: 1, fatal: false, ruleId: 'front-matter-schema' }),
    ]);
    expect(messages[0]!.reason).toBe('Unknown front matter key `subtitel`: did you mean `subtitle`?');
  });

  it('names the nearest known key of a misspelt one, at its line, and still builds', () => {
    const { metadata, messages } = resolve('title: T\nautor: A. Writer\nTitle: x\npapr: a4\ncolour: red');
    expect(metadata).toMatchObject({ title: 'T', authors: [] });
    expect(messages.map((m) => [m.line, m.fatal, m.reason])).toEqual([
      [3, false, 'Unknown front matter key `autor`: did you mean `author`?'],
      [4, false, 'Unknown front matter key `Title`: did you mean `title`?'],
      [5, false, 'Unknown front matter key `papr`: did you mean `paper`?'],
      [6, false, expect.stringMatching(/^Unknown front matter key `colour` \(known: title, .*author/)],
    ]);
    expect(nearestKey('sereis', ['series', 'subtitle'])).toBe('series');
    expect(nearestKey('tilte', [...Object.keys(FrontMatter.shape)])).toBe('title');
  });
});

describe('the direction of the text', () => {
  it('is right to left for Arabic, Hebrew, Persian and Urdu, and set by `dir` whatever the language', () => {
    const dirOf = (yaml: string) => resolve(`title: T\nauthor: A\n${yaml}`).metadata?.dir;
    expect(['ar', 'he', 'fa', 'ur', 'ar-EG', 'az-Arab'].map((lang) => dirOf(`lang: ${lang}`))).toEqual(
      Array(6).fill('rtl'),
    );
    expect(['en', 'zh', 'ja', 'ko', 'ru', 'uz-Latn'].map((lang) => dirOf(`lang: ${lang}`))).toEqual(
      Array(6).fill('ltr'),
    );
    expect(dirOf('lang: en\ndir: rtl')).toBe('rtl');
    expect(dirOf('lang: ar\ndir: ltr')).toBe('ltr');
    expect(resolve('title: T\nauthor: A\ndir: sideways').messages.map((message) => message.ruleId)).toEqual([
      'front-matter-schema',
    ]);
  });
});
