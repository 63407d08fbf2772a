import path from 'node:path';
import { toHtml } from 'hast-util-to-html';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/pipeline.js';
import { memoryReader } from '../../src/compile/resources.js';

const front = '---\ntitle: Notes\nauthor: A. Writer\nlang: en-GB\n---\n\n';

async function compiled(body: string, files: Record<string, string> = {}) {
  const file = new VFile({ path: '/project/report.md', value: `${front}${body}` });
  const reader = memoryReader(
    Object.fromEntries(Object.entries(files).map(([name, text]) => [`/project/${name}`, text])),
  );
  const result = (await compile(file, { reader, projectRoot: path.dirname(file.path) }))!;
  return {
    html: toHtml(result.tree),
    messages: file.messages.map((message) => [message.ruleId, message.line, message.column, message.fatal]),
  };
}

describe('footnotes that would be lost or print wrong', () => {
  it('are warnings at their places: cited but not defined, defined twice, defined but never cited', async () => {
    const { html, messages } = await compiled(
      'Text[^a] and [^missing] and `[^code]`.\n\n[^a]: First A.\n[^a]: Second A.\n[^unused]: Never cited.\n',
    );
    expect(messages).toEqual([
      ['footnote-undefined', 7, 14, false],
      ['footnote-duplicate', 10, 1, false],
      ['footnote-unused', 11, 1, false],
    ]);
    // What each warning is about: the reference prints as written, the first definition is the one used.
    expect(html).toContain('[^missing]');
    expect(html).toContain('First A.');
    expect(html).not.toContain('Second A.');
  });

  it('say nothing of notes cited and defined once, in the manuscript and in an included file', async () => {
    const { messages } = await compiled('One[^a].\n\n[^a]: A.\n\n::include{src="part.md"}\n', {
      'part.md': 'Two[^b] and three[^c].\n\n[^b]: B.\n\n[^c]: C.\n',
    });
    expect(messages).toEqual([]);
  });

  it('warn of a note cited in one file and defined in another (each file is read on its own)', async () => {
    const { messages } = await compiled('One[^b].\n\n::include{src="part.md"}\n', { 'part.md': '[^b]: B.\n' });
    expect(messages).toEqual([
      ['footnote-undefined', 7, 4, false],
      ['footnote-unused', 9, 1, false],
    ]);
  });
});
