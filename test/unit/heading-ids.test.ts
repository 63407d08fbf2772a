import path from 'node:path';
import { slug } from 'github-slugger';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { compile } from '../../src/compile/pipeline.js';
import { memoryReader } from '../../src/compile/resources.js';
import { shortSlug } from '../../src/compile/plugins/remark-imprint-numbering.js';

const root = path.resolve('/project');

async function run(markdown: string) {
  const file = new VFile({ path: path.join(root, 'report.md'), value: `---\ntitle: T\nauthor: A\n---\n\n${markdown}` });
  const doc = (await compile(file, { reader: memoryReader({}), projectRoot: root }))!;
  return { html: toHtml(doc.tree), messages: file.messages.map(String) };
}

describe('a heading whose id is cut short', () => {
  // Fifteen Chinese characters take 135 bytes percent-encoded, more than a PDF's names may (see shortSlug).
  const title = '如何处理一个系统设计的面试题目呢';

  it('keeps apart two long headings that begin alike, as GitHub does', async () => {
    const other = `${title.slice(0, -1)}吗`;
    const { html, messages } = await run(`- [First](#${title})\n- [Second](#${other})\n\n# ${title}\n\n# ${other}\n`);
    const id = shortSlug(title);
    expect(shortSlug(other)).toBe(id);
    expect(html).toContain(`<a href="#${encodeURIComponent(id)}">First</a>`);
    expect(html).toContain(`<a href="#${encodeURIComponent(`${id}-1`)}">Second</a>`);
    expect(messages).toEqual([]);
  });

  it('is still reached by a link to its whole slug, as a contents list written for GitHub has it', async () => {
    const id = shortSlug(title);
    expect(id.length).toBeLessThan(slug(title).length);
    const { html, messages } = await run(
      `- [To it](#${title})\n- [To the second](#${title}-1)\n- :ref[#${title}]\n\n# ${title}\n\nText.\n\n` +
        `# ${title}\n\nMore.\n`,
    );
    expect(html).toContain(`<h2 id="${id}">`);
    expect(html).toContain(`<h2 id="${id}-1">`);
    expect(html).toContain(`href="#${encodeURIComponent(id)}"`);
    expect(html).toContain(`href="#${encodeURIComponent(`${id}-1`)}"`);
    expect(html).not.toContain(encodeURIComponent(slug(title)));
    expect(messages).toEqual([]);
  });
});
