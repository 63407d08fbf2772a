import { tests } from 'commonmark-spec';
import type { Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryReader } from '../../src/compile/resources.js';
import { epubcheckAll } from '../helpers/tools.js';
import { buildInMemory } from '../helpers/build.js';

/**
 * Every example of the CommonMark specification (652 pieces of Markdown that nobody here wrote, raw HTML of
 * every kind among them) built into EPUBs that epubcheck must pass with no error. The examples are grouped
 * into a few books, one chapter each; an example that would swallow what follows it (an unclosed fence, an
 * HTML block that runs to the end) closes its book.
 */
const examples = tests.map((test) => ({
  number: test.number,
  markdown: test.markdown.replace(/→/g, '\t'),
}));

const parser = unified().use(remarkParse).use(remarkGfm);
/** Whether a heading written after the example still starts a heading of its own. */
function endsCleanly(markdown: string): boolean {
  const tree = parser.parse(`${markdown}\n\n# Sentinel\n`) as Root;
  const last = tree.children.at(-1);
  return last?.type === 'heading' && last.children[0]?.type === 'text' && last.children[0].value === 'Sentinel';
}

/** Ids an example's raw HTML gives (`id`, `name`): two examples that give the same one go to different books. */
function idsOf(markdown: string): string[] {
  return [...markdown.matchAll(/\b(?:id|name)\s*=\s*["']?([^"'\s>]+)/gi)].map((match) => match[1]!);
}

/**
 * A small drawing at every path the examples name as an image or a link definition (`train.jpg`, `/url`): the
 * examples are about Markdown, not about files, and a missing image is rightly an error.
 */
function imageFiles(): Record<string, string> {
  const drawing = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';
  const files: Record<string, string> = {};
  for (const example of examples) {
    for (const match of example.markdown.matchAll(/\ssrc="([^"]*)"/g)) {
      if (match[1] && !/^[a-z][a-z0-9+.-]*:/i.test(match[1])) files[path.posix.resolve('/', match[1])] = drawing;
    }
    visit(parser.parse(example.markdown) as Root, (node) => {
      if ((node.type === 'image' || node.type === 'definition') && !/^[a-z][a-z0-9+.-]*:/i.test(node.url)) {
        let name = node.url.replace(/[?#].*$/, '');
        try {
          name = decodeURIComponent(name);
        } catch {
          // kept as written
        }
        if (name !== '') files[path.posix.resolve('/', name)] = drawing;
      }
    });
  }
  return files;
}

function books(): Array<{ numbers: number[]; source: string }> {
  const open = examples.filter((example) => !endsCleanly(example.markdown));
  const clean = examples.filter((example) => endsCleanly(example.markdown));
  const count = Math.max(8, open.length);
  const size = Math.ceil(clean.length / count);
  const chosen: Array<Array<(typeof examples)[number]>> = Array.from({ length: count }, () => []);
  const ids: Array<Set<string>> = Array.from({ length: count }, () => new Set());
  clean.forEach((example, index) => {
    const wanted = idsOf(example.markdown);
    let book = Math.floor(index / size);
    while (wanted.some((id) => ids[book]!.has(id))) book = (book + 1) % count;
    chosen[book]!.push(example);
    for (const id of wanted) ids[book]!.add(id);
  });
  open.forEach((example, index) => {
    chosen[index % count]!.push(example);
  });
  return chosen
    .filter((examplesOfBook) => examplesOfBook.length > 0)
    .map((examplesOfBook) => ({
      numbers: examplesOfBook.map((example) => example.number),
      source:
        '---\ntitle: CommonMark examples\nauthor: CommonMark\nlang: en\n---\n\n' +
        examplesOfBook.map((example) => `# Example ${example.number}\n\n${example.markdown}\n\n`).join(''),
    }));
}

describe('the CommonMark specification’s examples', () => {
  // Some twenty books and one epubcheck run: minutes on a loaded machine; the wait only guards against a hang.
  it('build into EPUBs that epubcheck passes', { timeout: 30 * 60_000 }, async () => {
    const made: Array<{ epub: Uint8Array; numbers: number[] }> = [];
    const failed: string[] = [];
    const images = imageFiles();
    for (const book of books()) {
      const result = await buildInMemory({
        manuscripts: ['/examples.md'],
        config: false,
        formats: ['epub'],
        cwd: '/',
        reader: memoryReader({ ...images, '/examples.md': book.source }),
      });
      const report = result.reports[0]!;
      const messages = result.files.flatMap((file) => file.messages.map(String));
      if (!report.ok) {
        failed.push(`examples ${book.numbers.join(', ')}:\n${messages.join('\n')}`);
        continue;
      }
      made.push({ epub: report.editions[0]!.bytes, numbers: book.numbers });
    }
    const checks = await epubcheckAll(made.map((book) => book.epub));
    const failures = checks
      .map((check, index) => ({ check, numbers: made[index]!.numbers }))
      .filter(({ check }) => check.fatals + check.errors > 0)
      .map(({ check, numbers }) => `examples ${numbers[0]}–${numbers.at(-1)}:\n${check.output}`);
    expect([...failed, ...failures]).toEqual([]);
    expect(made.flatMap((book) => book.numbers).sort((a, b) => a - b)).toEqual(
      examples.map((example) => example.number),
    );
  });
});
