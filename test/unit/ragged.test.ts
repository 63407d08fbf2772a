import path from 'node:path';
import { toHtml } from 'hast-util-to-html';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { defaultLimits } from '../../src/compile/limits.js';
import { compile } from '../../src/compile/pipeline.js';
import { diskReader } from '../../src/compile/resources.js';

const front = '---\ntitle: Long paragraphs\nauthor: A. Writer\nlang: en-GB\n---\n\n';
const words = (characters: number) =>
  'word '
    .repeat(Math.ceil(characters / 5))
    .slice(0, characters)
    .trim();

async function compiled(body: string, justifiedParagraph?: number) {
  const file = new VFile({ path: '/project/report.md', value: `${front}${body}` });
  const limits = justifiedParagraph === undefined ? undefined : { ...defaultLimits, justifiedParagraph };
  const result = (await compile(file, { reader: diskReader, projectRoot: path.dirname(file.path), limits }))!;
  return { html: toHtml(result.tree), messages: file.messages };
}

describe('a paragraph too long to justify', () => {
  it('is marked ragged, with a warning at its line; a paragraph within the limit is left justified', async () => {
    const long = words(defaultLimits.justifiedParagraph + 1);
    const { html, messages } = await compiled(`# One\n\nShort *paragraph*.\n\nA start ${long}\n\n> ${long}\n`);
    expect(html).toContain('<p>Short <em>paragraph</em>.</p>');
    expect(html.match(/<p class="ragged">/g)).toHaveLength(2);
    expect(messages.map((message) => [message.ruleId, message.line, message.column, message.fatal])).toEqual([
      ['paragraph-ragged', 11, 1, false],
      ['paragraph-ragged', 13, 3, false],
    ]);
    expect(String(messages[0]!.reason)).toContain(
      'A paragraph of 20,009 characters is set ragged-right: one longer than 20,000 is not justified',
    );
  });

  it('counts the text of the elements inside it, and follows `limits: justified-paragraph`', async () => {
    const body = `Some **bold ${words(60)}** and [a link](https://example.org) ${words(60)}\n`;
    expect((await compiled(body)).messages).toEqual([]);
    const limited = await compiled(body, 100);
    expect(limited.html).toContain('<p class="ragged">');
    expect(limited.messages.map((message) => message.ruleId)).toEqual(['paragraph-ragged']);
  });
});

describe('a paragraph that is only inline code', () => {
  it('is set ragged, without a warning, so a command that wraps keeps its spaces; code in prose is not', async () => {
    const command = '`7z a -t{{7z|bzip2|gzip|lzip|tar|zip}} {{path/to/archive}} {{path/to/file_or_directory}}`';
    const { html, messages } = await compiled(`# One\n\n${command}\n\nRun ${command} to pack it.\n`);
    expect(html).toContain('<p class="ragged"><code>7z a -t');
    expect(html).toContain('<p>Run <code>7z a -t');
    expect(messages).toEqual([]);
  });
});

describe('code in a document written right to left', () => {
  it('takes its direction from its own text (`echo $?` does not read `?$ echo`); left to right, none', async () => {
    const html = async (lang: string) => {
      const file = new VFile({
        path: '/project/report.md',
        value: `---\ntitle: T\nauthor: A\nlang: ${lang}\n---\n\n# ا\n\nطباعة \`echo $?\`:\n\n\`\`\`\necho $?\n\`\`\`\n`,
      });
      return toHtml((await compile(file, { reader: diskReader, projectRoot: '/project' }))!.tree);
    };
    const arabic = await html('ar');
    expect(arabic).toContain('<code dir="auto">echo $?</code>');
    expect(arabic).toMatch(/<pre[^>]* dir="auto"/);
    expect(await html('en')).not.toContain('dir="auto"');
  });
});
