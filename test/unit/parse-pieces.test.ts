import { tests } from 'commonmark-spec';
import fc from 'fast-check';
import type { Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { markdownParser } from '../../src/compile/markdown-parser.js';
import { parseManuscript } from '../../src/compile/parse-manuscript.js';
import { cutPieces, definitionStubs, joinPieces, pieceSource } from '../../src/compile/parse-pieces.js';

const parser = markdownParser();

/** A tree as plain data, positions and all, for a deep comparison. */
function plain(tree: Root): unknown {
  return JSON.parse(JSON.stringify(tree));
}

/** The text cut into `count` pieces, each parsed as the parse threads do, and joined: `undefined` where refused. */
function joined(text: string, count: number): { tree: Root | undefined; pieces: number } {
  const pieces = cutPieces(text, count);
  const stubs = definitionStubs(text);
  const sources = pieces.map((_, index) => pieceSource(pieces, index, stubs));
  const trees = sources.map((source) => parser.parse(source.text));
  return { tree: joinPieces(text, pieces, sources, trees), pieces: pieces.length };
}

/** Joined, the pieces give exactly the tree a parse of the whole gives, or are refused; never another tree. */
function expectSameOrRefused(text: string, count: number): 'same' | 'refused' | 'uncut' {
  const { tree, pieces } = joined(text, count);
  if (pieces < 2) return 'uncut';
  if (!tree) return 'refused';
  expect(plain(tree), text).toEqual(plain(parser.parse(text)));
  return 'same';
}

const examples = tests.map((test) => test.markdown.replace(/→/g, '\t'));

describe('a manuscript parsed in pieces (decision 092)', () => {
  it('gives the tree of the whole, positions and all, or is refused: every CommonMark example before a cut', () => {
    const outcomes = { same: 0, refused: 0, uncut: 0 };
    for (const [index, example] of examples.entries()) {
      const next = examples[(index + 1) % examples.length]!;
      outcomes[expectSameOrRefused(`${example}\n\n# Cut here\n\n${next}`, 2)] += 1;
      // A reference before the cut, its definitions after it (and the example's own, which come first).
      const definitions = '[foo]: /a\n[bar]: /b "B"\n\n[^n]: A note.\n';
      const text = `Intro [foo], [bar][] and a note[^n].\n\n${example}\n\n## Next\n\n${definitions}`;
      outcomes[expectSameOrRefused(text, 3)] += 1;
    }
    // Most examples close before the heading; those that leave a fence, a block of HTML or a list item's
    // definitions open are refused.
    expect(outcomes.same).toBeGreaterThan(outcomes.refused * 4);
  });

  it('gives the tree of the whole or is refused, for random Markdown', () => {
    const block = fc.constantFrom(
      '# Chapter',
      '## Section',
      'A paragraph with *emphasis*, `code`, $x^2$ and a [link](/a).',
      'See [foo] and [Bar][] and[^1] and[^two].',
      '[foo]: /foo "Foo"',
      '[bar]: </b a r>',
      '[^1]: A note.',
      '[^two]: Another note,\n    on two lines.',
      '```js\nconst x = 1;\n\n# not a heading\n```',
      '```\nopen fence',
      '~~~~\n[foo]: /not-a-definition\n~~~~',
      '$$\nx = y\n$$',
      '$$\nopen math',
      ':::callout{kind=note}\nInside.\n\n# Inside a container\n:::',
      ':::callout\nopen container',
      ':::callout\n[baz]: /defined-in-a-container\n\n[^two]: A note in a container.\n:::',
      'Cites [baz] and [foo][bar].',
      '<div>\nraw\n</div>',
      '<!-- open comment',
      '<pre>\n# in pre\n</pre>',
      '- item\n- item\n\n  continued',
      '1. one\n2. two',
      '> quoted\n> [baz]: /q',
      '| a | b |\n| - | - |\n| 1 | 2 |',
      'Term\n: Definition',
      '    indented code',
      '---',
      'Setext\n===',
    );
    const document = fc
      .tuple(fc.boolean(), fc.array(block, { minLength: 1, maxLength: 14 }), fc.integer({ min: 2, max: 6 }))
      .map(([frontMatter, blocks, count]) => ({
        text: `${frontMatter ? '---\ntitle: T\n\n# a comment\n---\n\n' : ''}${blocks.join('\n\n')}\n`,
        count,
      }));
    fc.assert(
      fc.property(document, ({ text, count }) => {
        expectSameOrRefused(text, count);
      }),
      { numRuns: 1000 },
    );
  });

  it('joins a manuscript whose notes and links are defined at its end, and moves every position', () => {
    const chapters = Array.from(
      { length: 6 },
      (_, index) =>
        `# Chapter ${index + 1}\n\nText of chapter ${index + 1}, citing [the source] and a note.[^${index}]\n`,
    );
    const notes = chapters.map((_, index) => `[^${index}]: Note ${index + 1}.`).join('\n\n');
    const source = '[the source]: https://example.org';
    const text = `---\ntitle: A report\n---\n\n${chapters.join('\n')}\n# Notes\n\n${notes}\n\n${source}\n`;
    const { tree, pieces } = joined(text, 4);
    expect(pieces).toBe(4);
    expect(tree).toBeDefined();
    expect(plain(tree!)).toEqual(plain(parser.parse(text)));
    const last = tree!.children.at(-1)!;
    expect(last.type).toBe('definition');
    expect(last.position?.start.line).toBe(text.split('\n').length - 1);
  });

  it('never cuts inside the front matter', () => {
    const text = `---\ntitle: T\n\n# a YAML comment\nauthor: A\n---\n\nText.\n\n# One\n\nMore.\n`;
    const pieces = cutPieces(text, 4);
    expect(pieces.map((piece) => piece.text.split('\n')[0])).toEqual(['---', '# One']);
    expect(cutPieces('---\ntitle: T\n\n# never closed\n', 2)).toHaveLength(1);
  });

  it('refuses a cut after a fence left open, and the manuscript is parsed whole', async () => {
    const text = `# One\n\n\`\`\`\ncode\n\n# Inside the fence\n\nstill code\n`;
    expect(cutPieces(text, 2)).toHaveLength(2);
    expect(joined(text, 2).tree).toBeUndefined();
    expect(plain(await parseManuscript(parser, text, 2))).toEqual(plain(parser.parse(text)));
  });

  it('refuses a join where a reference found only a stub (a definition line the parser does not take)', () => {
    const text = `# One\n\nSee [bar][].\n\n# Two\n\n[bar]: /url "Title with "quotes" inside"\n`;
    expect(definitionStubs(text)).toEqual(['[bar]: .']);
    expect(joined(text, 2).tree).toBeUndefined();
  });
});
