import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { resolveFrontMatter } from '../../src/compile/front-matter.js';

function resolve(yaml: string) {
  const source = `---\n${yaml}\n---\n\n# Body\n`;
  const file = new VFile({ path: 'report.md', value: source });
  const metadata = resolveFrontMatter(file, { value: yaml, offset: 4 });
  return { metadata, messages: file.messages.map((m) => ({ line: m.line, column: m.column, reason: m.reason, ruleId: m.ruleId, fatal: m.fatal })) };
}

describe('front matter', () => {
  it('resolves metadata with defaults', () => {
    const { metadata, messages } = resolve('title: A Report\nauthor: [A. Writer, B. Writer]\ndate: 2017-07\nkeywords: China, Japan');
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
    });
  });

  it('reports a wrong type at the value, with its line and column', () => {
    const { metadata, messages } = resolve('title: A Report\nauthor: Someone\nlang: 12\npaper: tabloid');
    expect(metadata).toBeUndefined();
    expect(messages).toEqual([
      { line: 4, column: 7, reason: 'Front matter `lang` must be string, not a number', ruleId: 'front-matter-schema', fatal: true },
      { line: 5, column: 8, reason: 'Front matter `paper` must be one of a4, letter, A4, Letter', ruleId: 'front-matter-schema', fatal: true },
    ]);
  });

  it('reports a missing title and a date that is not a date', () => {
    const { messages } = resolve('author: Someone\ndate: July 2017');
    expect(messages.map((m) => m.reason)).toEqual([
      'Front matter `title` is required',
      'Front matter `date` must be a date: YYYY, YYYY-MM or YYYY-MM-DD',
    ]);
    expect(messages[1]).toMatchObject({ line: 3, column: 7 });
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
    expect(messages).toEqual([expect.objectContaining({ line: 4, column: 1, fatal: false, ruleId: 'front-matter-schema' })]);
  });
});

describe('the direction of the text', () => {
  it('is right to left for Arabic, Hebrew, Persian and Urdu, and set by `dir` whatever the language', () => {
    const dirOf = (yaml: string) => resolve(`title: T\nauthor: A\n${yaml}`).metadata?.dir;
    expect(['ar', 'he', 'fa', 'ur', 'ar-EG', 'az-Arab'].map((lang) => dirOf(`lang: ${lang}`))).toEqual(Array(6).fill('rtl'));
    expect(['en', 'zh', 'ja', 'ko', 'ru', 'uz-Latn'].map((lang) => dirOf(`lang: ${lang}`))).toEqual(Array(6).fill('ltr'));
    expect(dirOf('lang: en\ndir: rtl')).toBe('rtl');
    expect(dirOf('lang: ar\ndir: ltr')).toBe('ltr');
    expect(resolve('title: T\nauthor: A\ndir: sideways').messages.map((message) => message.ruleId)).toEqual(['front-matter-schema']);
  });
});
