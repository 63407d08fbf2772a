import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bookmarks,
  destinations,
  links,
  pageSizes,
  pageTexts,
  pageWords,
  qpdfJson,
  type Word,
} from '../helpers/pdf.js';
import { VFile } from 'vfile';
import { compile } from '../../src/compile/pipeline.js';
import { diskReader } from '../../src/compile/resources.js';
import { pageBlocks, type PageMap } from '../../src/document/page-map.js';
import { epubFiles } from '../helpers/epub.js';
import { bodyLines, widowProblems } from '../helpers/print-checks.js';
import { epubcheck, temporaryFolder } from '../helpers/tools.js';
import { buildInMemory } from '../helpers/build.js';

/** A seeded generator, so the manuscript is the same at every run. */
function words(seed: number) {
  const vocabulary = (
    'the of and to in report policy relations between states trade investment pledges summit visit ' +
    'minister foreign agreement economic security maritime dialogue'
  ).split(' ');
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const sentence = (length: number) => {
    const text = Array.from({ length }, () => vocabulary[Math.floor(next() * vocabulary.length)]).join(' ');
    return `${text[0]!.toUpperCase()}${text.slice(1)}`;
  };
  return { next, sentence };
}

/**
 * Three chapters of paragraphs, numbered lists and quotations, a note cited every few sentences, and one note
 * longer than a page (it must be continued on the next page's foot).
 */
function manuscript(notes: 'page' | 'end', numbering = 'document'): { text: string; count: number; long: number } {
  const { next, sentence } = words(7);
  const blocks: string[] = [];
  const definitions: string[] = [];
  let count = 0;
  const long = 9;
  for (let chapter = 1; chapter <= 3; chapter++) {
    blocks.push(`# Chapter ${chapter}`);
    for (let block = 0; block < 10; block++) {
      const sentences = Array.from({ length: 3 + Math.floor(next() * 5) }, () => {
        let text = sentence(8 + Math.floor(next() * 10));
        if (next() < 0.3) {
          count++;
          text += `[^n${count}]`;
          const body =
            count === long
              ? Array.from({ length: 60 }, () => `${sentence(14)}.`).join(' ')
              : `${sentence(10 + Math.floor(next() * 10))}.`;
          definitions.push(`[^n${count}]: Note ${count} begins. ${body}`);
        }
        return `${text}.`;
      });
      const kind = next();
      if (kind < 0.15) blocks.push(sentences.map((text, index) => `${index + 1}. ${text}`).join('\n'));
      else if (kind < 0.25) blocks.push(`> ${sentences.join(' ')}`);
      else blocks.push(sentences.join(' '));
    }
  }
  const front = [
    '---',
    'title: Notes at the foot',
    'author: A. Writer',
    'chapters: true',
    `notes: ${notes}`,
    `notes-numbering: ${numbering}`,
    '---',
  ];
  return { text: [...front, '', ...blocks, '', ...definitions, ''].join('\n\n'), count, long };
}

async function printed(notes: 'page' | 'end', numbering = 'document') {
  const dir = await temporaryFolder();
  const { text, count, long } = manuscript(notes, numbering);
  const file = path.join(dir, 'notes.md');
  await writeFile(file, text);
  const result = await buildInMemory({
    manuscripts: [file],
    formats: numbering === 'chapter' ? ['pdf', 'epub', 'html'] : ['pdf'],
  });
  expect(result.files.flatMap((entry) => entry.messages.map(String))).toEqual([]);
  const editions = result.reports[0]!.editions;
  const pdf = editions.find((edition) => edition.format === 'pdf')!.bytes;
  const epub = editions.find((edition) => edition.format === 'epub')?.bytes;
  const html = editions.find((edition) => edition.format === 'html')?.bytes;
  const json = await qpdfJson(pdf);
  return { pdf, epub, html, json, count, long, texts: await pageTexts(pdf), words: await pageWords(pdf) };
}

/** The PDF alone of a manuscript, built with no message, the text of each page, and the page map. */
async function printedAlone(
  name: string,
  text: string,
): Promise<{ pdf: Uint8Array; texts: string[]; pageMap: PageMap; file: string }> {
  const file = path.join(await temporaryFolder(), name);
  await writeFile(file, text);
  const result = await buildInMemory({
    manuscripts: [file],
    formats: ['pdf'],
  });
  expect(result.files.flatMap((entry) => entry.messages.map(String))).toEqual([]);
  const pdf = result.reports[0]!.editions[0]!.bytes;
  return { pdf, texts: await pageTexts(pdf), pageMap: result.reports[0]!.pageMap!, file };
}

describe('notes at the foot of the page (`notes: page`)', () => {
  let print: Awaited<ReturnType<typeof printed>>;
  beforeAll(async () => {
    print = await printed('page');
  });

  it('begins every note on the page that cites it, below the text, each linked both ways', () => {
    const dests = destinations(print.json);
    const all = links(print.json);
    expect(print.count).toBeGreaterThan(15);
    const problems: string[] = [];
    for (let note = 1; note <= print.count; note++) {
      const reference = all.find((link) => link.to === `user-content-fn-n${note}`);
      const back = all.find((link) => link.to === `user-content-fnref-n${note}`);
      if (!reference || !back) {
        problems.push(`note ${note}: no link ${reference ? 'back' : 'to it'}`);
        continue;
      }
      const page = dests.get(`user-content-fn-n${note}`);
      if (page !== reference.page) problems.push(`note ${note}: cited on page ${reference.page}, set on ${page}`);
      if (dests.get(`user-content-fnref-n${note}`) !== reference.page)
        problems.push(`note ${note}: leads back to page ${dests.get(`user-content-fnref-n${note}`)}`);
      // Below the last line of body text on its page.
      const onPage: Word[] = print.words[reference.page - 1] ?? [];
      const start = onPage.find(
        (word, index) => word.text === 'Note' && onPage[index + 1]?.text === `${note}` && onPage[index + 2],
      );
      const cited = onPage.filter((word) => word.yMin < (start?.yMin ?? 0) && word.text !== 'Note');
      if (!start) problems.push(`note ${note}: its text is not on page ${reference.page}`);
      else if (onPage.some((word) => word.yMin > start.yMin + 1 && /^Chapter$/.test(word.text)))
        problems.push(`note ${note}: a chapter heading below it`);
      else if (cited.length === 0) problems.push(`note ${note}: no text above it`);
    }
    expect(problems).toEqual([]);
  });

  it('continues a note longer than the room left at the foot of the next page', () => {
    const dests = destinations(print.json);
    const back = links(print.json).find((link) => link.to === `user-content-fnref-n${print.long}`)!;
    const begins = dests.get(`user-content-fn-n${print.long}`)!;
    expect(back.page).toBeGreaterThan(begins);
    // The next page holds body text above the note's rest.
    const next = print.texts[begins]!;
    expect(next).toMatch(/\S/);
    expect(print.texts.join('\n')).toContain(`Note ${print.long} begins.`);
  });

  it('sets no notes part at the end, and keeps every chapter on pages of its own', () => {
    const marks = bookmarks(print.json);
    expect(marks.map((mark) => mark.title)).toEqual([
      'Notes at the foot',
      'Contents',
      'Chapter 1',
      'Chapter 2',
      'Chapter 3',
    ]);
    // Every body page after the contents says which chapter it is in.
    for (const [index, text] of print.texts.entries()) if (index >= 2) expect(text).toMatch(/Chapter [1-3]/);
  });
});

describe('notes at the end (`notes: end`)', () => {
  it('sets the notes together under their heading at the end, as before', async () => {
    const print = await printed('end');
    const marks = bookmarks(print.json);
    expect(marks.at(-1)!.title).toBe('Notes');
    const dests = destinations(print.json);
    const notesPage = marks.at(-1)!.page;
    for (let note = 1; note <= print.count; note++)
      expect(dests.get(`user-content-fn-n${note}`)).toBeGreaterThanOrEqual(notesPage);
  });
});

describe('notes numbered per chapter (`notes-numbering: chapter`)', () => {
  it('numbers each chapter’s notes from 1 in every edition, the notes still at the foot of their pages', async () => {
    const print = await printed('page', 'chapter');
    const html = new TextDecoder().decode(print.html!);
    const body = html.slice(0, html.indexOf('data-footnotes'));
    // The references' numbers, chapter by chapter.
    const chapters = body.split(/<h2[^>]*>Chapter /).slice(1);
    const numbers = chapters.map((chapter) =>
      [...chapter.matchAll(/data-footnote-ref[^>]*>(\d+)<\/a>/g)].map((match) => Number(match[1])),
    );
    expect(numbers).toHaveLength(3);
    for (const list of numbers) {
      expect(list.length).toBeGreaterThan(2);
      expect(list).toEqual(list.map((_, index) => index + 1));
    }
    // The HTML edition's notes: a list per chapter, after the chapter's title, each note with its number.
    const notes = html.slice(html.indexOf('data-footnotes'));
    expect([...notes.matchAll(/<p class="notes-chapter">([^<]*)<\/p>/g)].map((match) => match[1])).toEqual([
      'Chapter 1',
      'Chapter 2',
      'Chapter 3',
    ]);
    // The PDF: each note on the page of its reference, shown with its number in its chapter.
    const dests = destinations(print.json);
    const all = links(print.json);
    let note = 0;
    for (const [chapter, list] of numbers.entries()) {
      for (const number of list) {
        note++;
        const reference = all.find((link) => link.to === `user-content-fn-n${note}`)!;
        expect(dests.get(`user-content-fn-n${note}`), `note ${note}`).toBe(reference.page);
        const words = print.words[reference.page - 1]!;
        const shown = words.findIndex((word, index) => word.text === 'Note' && words[index + 1]?.text === `${note}`);
        expect(words[shown - 1]?.text, `note ${note} in chapter ${chapter + 1}`).toBe(`${number}.`);
      }
    }
    // The EPUB: each chapter's notes as pop-ups numbered from 1, and a valid book.
    const files = await epubFiles(print.epub!);
    const asides = [...files.entries()]
      .filter(([name]) => /chapter-\d+\.xhtml$/.test(name))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, xhtml]) =>
        [...xhtml.matchAll(/epub:type="footnote"[^>]*><p><span class="footnote-number">(\d+)\.<\/span>/g)].map(
          (match) => Number(match[1]),
        ),
      )
      .filter((list) => list.length > 0);
    expect(asides).toEqual(numbers);
    expect(await epubcheck(print.epub!)).toMatchObject({ errors: 0 });
  });
});

describe('a note cited more than once (`notes: page`)', () => {
  it('sets each note once, on the page of its first reference, the foot in number order', async () => {
    const { sentence } = words(11);
    const paragraph = () => Array.from({ length: 12 }, () => `${sentence(12)}.`).join(' ');
    // Notes 3 and 5 cited again on their page (references 3 4 5 5 3), notes 1 and 3 again pages later.
    const text = [
      '---\ntitle: Notes cited twice\nauthor: A. Writer\nnotes: page\n---',
      '# One',
      'The first page cites[^a] and[^b].',
      ...Array.from({ length: 3 }, paragraph),
      'Then[^c] and[^d] and[^e] and again[^e] and[^c].',
      ...Array.from({ length: 14 }, paragraph),
      'Much later, again[^a] and[^c] and a new one[^f].',
      ...'abcdef'.split('').map((name) => `[^${name}]: Note ${name.toUpperCase()} says so.`),
      '',
    ].join('\n\n');
    const { pdf, texts } = await printedAlone('twice.md', text);
    // Each page's notes, as printed at its foot: their numbers and letters.
    const feet = texts.map((page) => [...page.matchAll(/(\d+)\. Note ([A-F]) says so/g)].map((m) => `${m[1]}${m[2]}`));
    const cites = (pattern: RegExp) => texts.findIndex((page) => pattern.test(page));
    const first = cites(/The first page cites/);
    const then = cites(/Then 3 and 4 and 5/);
    const later = cites(/Much later/);
    expect(later).toBeGreaterThan(then);
    expect(feet.flat()).toEqual(['1A', '2B', '3C', '4D', '5E', '6F']);
    expect(feet[later]).toEqual(['6F']);
    if (first === then) expect(feet[first]).toEqual(['1A', '2B', '3C', '4D', '5E']);
    else {
      expect(feet[first]).toEqual(['1A', '2B']);
      expect(feet[then]).toEqual(['3C', '4D', '5E']);
    }
    // Linked from its first reference's page.
    const dests = destinations(await qpdfJson(pdf));
    expect(dests.get('user-content-fn-a')).toBe(first + 1);
    expect(dests.get('user-content-fn-c')).toBe(then + 1);
  });
});

describe('notes on the last page (`notes: page`)', () => {
  it('keep the text after their reference on their page, and a report with no headings has no contents', async () => {
    const { texts } = await printedAlone(
      'short.md',
      '---\ntitle: A short note\nauthor: A. Writer\n---\n\nA paragraph with a note.[^1]\n\nAnother paragraph after ' +
        'it.\n\nAnd a last one.\n\n[^1]: The note.\n',
    );
    // The title page, then one page: the three paragraphs, then the note at its foot.
    expect(texts).toHaveLength(2);
    expect(texts[1]).toMatch(
      /A paragraph with a note\. ?1\s+Another paragraph after it\.\s+And a last one\.\s+1\. The note\./,
    );
    expect(texts.join('\n')).not.toContain('Contents');
  });
});

describe('a heading before the notes (`notes: page`)', () => {
  it('goes with the first heading of its section to the next page, never left above the notes', async () => {
    const { sentence } = words(5);
    // Chapters whose text runs a little further each time, so the notes' limit falls, in one of them, between a
    // section's heading and the heading of its first subsection.
    const chapters = Array.from({ length: 16 }, (_, index) => {
      const paragraph = Array.from({ length: 40 + 3 * index }, () => `${sentence(10)}.`).join(' ');
      const list = Array.from({ length: 12 }, (_, item) => `${item + 1}. ${sentence(12)}?`).join('\n');
      const headings = `## Lead ${index + 1}\n\n### Sub ${index + 1}`;
      return `# Chapter ${index + 1}\n\n${paragraph}[^c${index}]\n\n${headings}\n\n${list}`;
    });
    const notes = Array.from({ length: 16 }, (_, index) => `[^c${index}]: ${sentence(30)}.`);
    const { texts } = await printedAlone(
      'headings.md',
      ['---\ntitle: Headings\nauthor: A. Writer\nchapters: true\n---', ...chapters, ...notes, ''].join('\n\n'),
    );
    // The last page that names it: the contents pages name it too.
    const pageOf = (heading: string) => texts.findLastIndex((page) => new RegExp(`^${heading}$`, 'm').test(page));
    for (let chapter = 1; chapter <= 16; chapter++)
      expect(pageOf(`Lead ${chapter}`), `chapter ${chapter}`).toBe(pageOf(`Sub ${chapter}`));
  });
});

describe('page breaks with notes at the foot (`notes: page`)', () => {
  it('leaves no page but a chapter’s last with room its next page’s text would have filled', async () => {
    // A chapter of a technical book, in the manner of one that showed the fault: paragraphs with notes, and short
    // code listings after the sentences that introduce them. A listing or a short paragraph broken with a line
    // alone is moved whole; the break asked for it must be asked on the layout with the notes.
    const { next, sentence } = words(12);
    const blocks: string[] = [];
    const definitions: string[] = [];
    let count = 0;
    for (let chapter = 1; chapter <= 2; chapter++) {
      blocks.push(`# Chapter ${chapter}`);
      for (let block = 0; block < 40; block++) {
        if (next() < 0.3) {
          blocks.push(`${sentence(6 + Math.floor(next() * 6))} as follows:`);
          const lines = Array.from(
            { length: 2 + Math.floor(next() * 5) },
            (_, line) => `${line + 1}> call(${sentence(3).toLowerCase().replace(/ /g, ', ')}).`,
          );
          blocks.push(['```', ...lines, '```'].join('\n'));
          continue;
        }
        const sentences = Array.from({ length: 2 + Math.floor(next() * 6) }, () => {
          let text = sentence(8 + Math.floor(next() * 10));
          if (next() < 0.25) {
            count++;
            text += `[^n${count}]`;
            definitions.push(`[^n${count}]: Note ${count}. ${sentence(6 + Math.floor(next() * 20))}.`);
          }
          return `${text}.`;
        });
        blocks.push(sentences.join(' '));
      }
    }
    const text = [
      '---\ntitle: Breaks and notes\nauthor: A. Writer\nchapters: true\n---',
      ...blocks,
      ...definitions,
      '',
    ].join('\n\n');
    const { pdf, pageMap, file } = await printedAlone('breaks.md', text);
    const json = await qpdfJson(pdf);
    const pages = await pageWords(pdf);
    const height = (await pageSizes(pdf))[0]!.height;
    // Where the text of a page ends, and where its notes begin (the first "Note" in reading order: the body's
    // words have none); the foot is the lowest line of any page above the folio.
    const folio = height * 0.93;
    const ends = pages.map((words) => {
      const first = words.findIndex((word) => word.text === 'Note');
      const notes = first < 0 ? folio : words[first]!.yMin;
      // Above the notes: not the note's number, on its line.
      const body = (first < 0 ? words : words.slice(0, first)).filter((word) => word.yMax < notes);
      return { text: Math.max(0, ...body.map((word) => word.yMax)), notes: first < 0 ? undefined : notes };
    });
    const foot = Math.max(
      ...pages
        .flat()
        .filter((word) => word.yMax < folio)
        .map((word) => word.yMax),
    );
    const chapters = bookmarks(json)
      .filter((mark) => /^Chapter/.test(mark.title))
      .map((mark) => mark.page);
    expect(chapters).toHaveLength(2);
    // The last page of each chapter may end anywhere.
    const last = new Set([...chapters.slice(1).map((page) => page - 1), pages.length]);
    const empty: string[] = [];
    for (let page = chapters[0]!; page <= pages.length; page++) {
      if (last.has(page)) continue;
      const { text, notes } = ends[page - 1]!;
      const room = (notes ?? foot) - text;
      if (room > 0.3 * (foot - 60)) empty.push(`page ${page}: ${Math.round(room)} pt empty above the foot`);
    }
    expect(count).toBeGreaterThan(25);
    expect(empty).toEqual([]);
    // The pages' ends were still corrected: no paragraph broken with fewer than two lines on a side (of the text
    // above the notes).
    const doc = await compile(new VFile({ path: file, value: text }), {
      reader: diskReader,
      projectRoot: path.dirname(file),
    });
    const { problems, broken } = widowProblems(pageMap, pageBlocks(doc!.tree), (page) =>
      bodyLines(pages[page - 1]!, height * 0.07, ends[page - 1]!.notes ?? folio),
    );
    expect(broken).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    // And every note still begins on the page that cites it.
    const dests = destinations(json);
    const all = links(json);
    for (let note = 1; note <= count; note++) {
      const reference = all.find((link) => link.to === `user-content-fn-n${note}`);
      expect(dests.get(`user-content-fn-n${note}`), `note ${note}`).toBe(reference?.page);
    }
  });
});
