import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { describe, expect, inject, it } from 'vitest';
import { build } from '../../src/api.js';
import { memoryReader } from '../../src/manuscript/resources.js';
import { epubEntries } from '../helpers/epub.js';
import { epubcheck } from '../helpers/tools.js';

/**
 * Random Markdown through the whole pipeline (parse, directives, raw HTML,
 * the browser's layout, the HTML and EPUB writers): a build never throws, it
 * either makes its editions or reports problems, and every EPUB it makes is
 * well-formed XML throughout (checked by a strict XML parser), and, for a
 * few, valid by epubcheck.
 */
const words = fc.constantFrom('China', 'Japan', 'dialogue', 'summit', '日本', '中国', 'سلام', 'שלום', '😀', 'naïve', 'Ⅻ', 'x');
const unicode = fc.string({ unit: 'binary', maxLength: 12 });
const text = fc.array(fc.oneof({ weight: 4, arbitrary: words }, { weight: 1, arbitrary: unicode }), { minLength: 1, maxLength: 8 }).map((parts) => parts.join(' '));
const inline = fc.oneof(
  text,
  text.map((t) => `*${t}*`),
  text.map((t) => `**${t}**`),
  text.map((t) => `\`${t}\``),
  text.map((t) => `[${t}](#nowhere)`),
  text.map((t) => `[${t}](https://example.org/${encodeURIComponent(t)})`),
  text.map((t) => `:span[${t}]{lang=ja}`),
  fc.constantFrom(':ref[#tbl-x]', ':ref[nothing]', ':unknown[x]', '[^1]', '[^note]', '<sup>2</sup>', '<b onclick="x()">b</b>', '<br>', '&amp; &lt; &#0; &#xFFFF;'),
);
const paragraph = fc.array(inline, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(' '));
const block = fc.oneof(
  { weight: 5, arbitrary: paragraph },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1, max: 6 }), text).map(([level, t]) => `${'#'.repeat(level)} ${t}`) },
  { weight: 1, arbitrary: fc.array(paragraph, { minLength: 1, maxLength: 4 }).map((items) => items.map((item) => `- ${item}`).join('\n')) },
  { weight: 1, arbitrary: fc.array(paragraph, { minLength: 1, maxLength: 3 }).map((items) => items.map((item, index) => `${index + 1}. ${item}`).join('\n')) },
  { weight: 1, arbitrary: fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 4 }).map((rows) => `| a | b |\n| - | -: |\n${rows.map(([a, b]) => `| ${a.replace(/\|/g, '')} | ${b.replace(/\|/g, '')} |`).join('\n')}`) },
  { weight: 1, arbitrary: text.map((t) => `> ${t}`) },
  { weight: 1, arbitrary: text.map((t) => `\`\`\`\n${t}\n\`\`\``) },
  { weight: 1, arbitrary: text.map((t) => `[^1]: ${t}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '::table[Caption]{#tbl-x src="data.csv"}',
      '::table[Caption]{src="missing.csv"}',
      '::chart[Chart]{#fig-x src="data.csv" type="bar" label="name" value="value"}',
      '::diagram{src="x"}',
      ':::note\ninside\n:::',
      ':::unterminated\ntext',
      '<div><p>raw <em>html</em></p></div>',
      '<script>alert(1)</script>',
      '<iframe src="https://example.org"></iframe>',
      '<table><tr><td>raw</td></tr></table>',
      '<svg width="10" height="10"><rect width="5" height="5"/><foreignObject><p>x</p></foreignObject></svg>',
      '<details><summary>s</summary>d</details>',
      '<!-- comment -->',
      '---',
      '![an image](image.svg)',
      '![missing](nothing.png)',
      'Line with a \u0000 NUL and \u0008 backspace and \u000b tab and \uFFFE.',
    ),
  },
);
const body = fc.array(block, { minLength: 1, maxLength: 12 }).map((blocks) => blocks.join('\n\n'));
const frontMatter = fc.oneof(
  { weight: 6, arbitrary: fc.constant('---\ntitle: Random\nauthor: A. Writer\nlang: en-GB\n---\n\n') },
  { weight: 1, arbitrary: text.map((t) => `---\ntitle: ${JSON.stringify(t)}\nauthor: [${JSON.stringify(t)}]\nlang: ja\nkeywords: [a, b]\n---\n\n`) },
  { weight: 1, arbitrary: fc.constantFrom('---\ntitle: [unclosed\n---\n\n', '---\ntitle: 3\n---\n\n', '') },
);

const files = {
  '/project/data.csv': 'name,value\nA,1\nB,2\n',
  '/project/image.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
};

/** Problems a strict XML parser finds in a document: none when it is well-formed. */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const parser = new SaxesParser({ xmlns: true });
  parser.on('error', (error) => problems.push(error.message));
  try {
    parser.write(xml).close();
  } catch (cause) {
    problems.push(String(cause));
  }
  return problems;
}

describe('random Markdown through the whole pipeline', () => {
  const made: Uint8Array[] = [];

  it('never throws, and every EPUB it makes is well-formed XML throughout', async () => {
    await fc.assert(
      fc.asyncProperty(frontMatter, body, async (front, markdown) => {
        const source = `${front}${markdown}\n`;
        const result = await build({
          manuscripts: ['/project/report.md'],
          config: false,
          formats: ['html', 'epub'],
          write: false,
          cwd: '/project',
          reader: memoryReader({ ...files, '/project/report.md': source }),
          browser: { wsEndpoint: inject('browserWSEndpoint') },
        });
        const report = result.reports[0]!;
        // Either editions, or the problems that stopped them, each placed in the manuscript.
        if (!report.ok) {
          const errors = result.files.flatMap((file) => file.messages.filter((message) => message.fatal));
          expect(errors.length).toBeGreaterThan(0);
          return;
        }
        const epub = report.editions.find((edition) => edition.format === 'epub')!.bytes;
        for (const [name, bytes] of await epubEntries(epub)) {
          if (!/\.(xhtml|opf|ncx|xml|svg)$/.test(name)) continue;
          expect(xmlProblems(new TextDecoder().decode(bytes)), `${name} of:\n${source}`).toEqual([]);
        }
        if (made.length < 3) made.push(epub);
      }),
      {
        numRuns: 40,
        // Cases found before, always run: no heading at all (an empty contents list is invalid), a control character.
        examples: [
          ['---\ntitle: Random\nauthor: A. Writer\nlang: en-GB\n---\n\n', 'Only a paragraph, no heading.'],
          ['---\ntitle: Random\nauthor: A. Writer\nlang: ja\n---\n\n', '# \u0001 China\n\n> '],
        ],
      },
    );
  });

  it('and the EPUBs it makes pass epubcheck', async () => {
    expect(made.length).toBeGreaterThan(0);
    for (const epub of made) {
      const check = await epubcheck(epub);
      expect([check.fatals, check.errors, check.warnings], check.output).toEqual([0, 0, 0]);
    }
  });
});
