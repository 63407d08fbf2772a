import path from 'node:path';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { memoryReader } from '../../src/compile/resources.js';
import { compile } from '../../src/compile/pipeline.js';

const root = path.resolve('/project');

async function run(markdown: string) {
  const file = new VFile({ path: path.join(root, 'report.md'), value: `---\ntitle: T\nauthor: A\n---\n\n${markdown}` });
  const doc = (await compile(file, { reader: memoryReader({}), projectRoot: root }))!;
  return {
    html: toHtml(doc.tree),
    outline: doc.outline,
    messages: file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.reason}`),
  };
}

describe('text in another language', () => {
  it('marks :span[…]{lang=…} as a span in that language', async () => {
    const { html, messages } = await run(
      'Shinzo Abe (:span[安倍晋三]{lang=ja}) met Xi Jinping (:span[习近平]{lang="zh-Hans"}).\n',
    );
    expect(messages).toEqual([]);
    expect(html).toBe(
      '<p>Shinzo Abe (<span lang="ja">安倍晋三</span>) met Xi Jinping (<span lang="zh-Hans">习近平</span>).</p>',
    );
  });

  it(
    'reports a span without a language, with a tag that is not BCP 47, or with other attributes, at ' +
      'its line and column',
    async () => {
      // The manuscript's body begins on line 6, after the front matter.
      const { messages } = await run('One :span[a] two :span[b]{lang="not a tag"}\n\nThree :span[c]{lang=ja .big}\n');
      expect(messages).toEqual([
        '6:5 directive-attribute `:span` needs `lang` or `dir`, as in `:span[安倍晋三]{lang=ja}` or ' +
          '`:span[YouTube]{dir=ltr}`',
        '6:18 directive-attribute `:span` needs `lang` to be a BCP 47 language tag such as ja, zh-Hans ' +
          'or en-GB (got `not a tag`)',
        '8:7 directive-attribute Unknown attribute `class` on `:span` (known: lang, dir)',
      ]);
    },
  );

  it('lists the notes as a top-level part after the sections, linked both ways', async () => {
    const { html, outline, messages } = await run('# One\n\nText.[^a]\n\n[^a]: The note.\n');
    expect(messages).toEqual([]);
    expect(outline.map((entry) => [entry.id, entry.depth, entry.text])).toEqual([
      ['one', 1, 'One'],
      ['footnote-label', 1, 'Notes'],
    ]);
    expect(html).toContain('<a href="#user-content-fn-a" id="user-content-fnref-a" data-footnote-ref');
    expect(html).toContain('<h2 id="footnote-label">Notes</h2>');
    expect(html).toContain('<a href="#user-content-fnref-a" data-footnote-backref');
  });
});
