import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEntities, epubText } from '../helpers/epub.js';
import { pdfText } from '../helpers/tools.js';
import { squash } from '../helpers/text.js';
import { buildInMemory } from '../helpers/build.js';

/**
 * Nothing dropped in silence: for every fixture that builds, every word of the HTML edition's body is in the PDF
 * and in the EPUB (the PDF's hyphens and line breaks taken out; figures and notes may move, so presence is
 * compared, not order).
 */
const root = path.resolve(import.meta.dirname, '../fixtures');
const folders = (dir: string) =>
  readdirSync(dir)
    .filter((name) => statSync(path.join(dir, name)).isDirectory())
    .sort()
    .map((name) => path.join(dir, name));
const fixtures = folders(root).flatMap(folders);

/** The words of the HTML edition's body, as text. */
function wordsOfHtml(html: string): string[] {
  const body = html.replace(/^[\s\S]*?<body[^>]*>/, '').replace(/<\/body>[\s\S]*$/, '');
  // A drawing's title and description are for screen readers (kept in every edition's markup), never shown.
  const text = decodeEntities(
    body.replace(/<(script|style|title|desc)[^>]*>[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' '),
  );
  return [
    ...new Set(
      text
        .split(/[\s\u00ad]+/)
        .map((word) => squash(word))
        .filter((word) => word.length > 0),
    ),
  ];
}

describe('every fixture’s text in every edition', () => {
  for (const folder of fixtures) {
    const name = path.relative(root, folder);
    it(name, async () => {
      const result = await buildInMemory({
        manuscripts: [path.join(folder, 'input.md')],
        config: false,
        formats: ['html', 'pdf', 'epub'],
        cwd: folder,
      });
      const report = result.reports[0]!;
      // A fixture of errors makes no editions: its messages are the fixtures test's.
      if (!report.ok) return;
      const bytes = (format: string) => report.editions.find((edition) => edition.format === format)!.bytes;
      const words = wordsOfHtml(new TextDecoder().decode(bytes('html')));
      expect(words.length).toBeGreaterThan(0);
      // Math is printed in the math face's own letters (𝑚 for m): compared as the letters they stand for.
      const pdf = squash((await pdfText(bytes('pdf'))).normalize('NFKC'));
      const epub = squash(await epubText(bytes('epub')));
      expect(
        words.filter((word) => !pdf.includes(word)),
        'missing from the PDF',
      ).toEqual([]);
      expect(
        words.filter((word) => !epub.includes(word)),
        'missing from the EPUB',
      ).toEqual([]);
    });
  }
});
