import type { Element } from 'hast';
import { toString } from 'hast-util-to-string';
import type { PageMap } from '../../src/document/page-map.js';
import type { Bookmark, Word } from './pdf.js';
import { squash } from './text.js';

/**
 * Checks of a printed report made from the PDF's own text, words and
 * bookmarks. Each returns the problems it finds (empty when all is well), so a
 * failing test says where.
 */

export interface ContentsEntry {
  title: string;
  page: number;
  /** The page of the contents it is listed on. */
  on: number;
}

/**
 * The entries of the contents pages (from `pdftotext -layout`), found by their heading (`title`, in the document's
 * language): a title and the page number at the end of its line.
 */
export function contentsEntries(layoutPages: string[], title = 'Contents'): ContentsEntry[] {
  const first = layoutPages.findIndex((page) => page.split('\n').some((line) => line.trim() === title));
  const entriesOf = (index: number) =>
    layoutPages[index]!.split('\n')
      .map((line) => /^\s*(\S.*?)\s{2,}(\d+)\s*$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null && !/^\d+\s*\/\s*\d+$/.test(match[0].trim()))
      .map((match) => ({ title: match[1]!.trim(), page: Number(match[2]), on: index + 1 }));
  if (first < 0) return [];
  // The contents run from their heading to the page before the first entry's.
  const body = entriesOf(first)[0]?.page ?? first + 2;
  return layoutPages.slice(first, body - 1).flatMap((_, offset) => entriesOf(first + offset));
}

/**
 * Every contents entry against where its heading really is: the page of the
 * bookmark Chromium made for the heading, and the page whose text has the heading.
 */
export function contentsProblems(entries: ContentsEntry[], marks: Bookmark[], pages: string[]): string[] {
  const problems: string[] = [];
  let from = 0;
  for (const entry of entries) {
    const at = marks.findIndex((mark, index) => index >= from && squash(mark.title) === squash(entry.title));
    if (at < 0) {
      problems.push(`no bookmark for contents entry “${entry.title}”`);
      continue;
    }
    from = at + 1;
    const mark = marks[at]!;
    if (mark.page !== entry.page)
      problems.push(`“${entry.title}”: contents say page ${entry.page}, the heading is on page ${mark.page}`);
    const lines = (pages[entry.page - 1] ?? '').split('\n').map((line) => line.trim());
    if (!lines.includes(entry.title)) problems.push(`“${entry.title}” is not a line of page ${entry.page}`);
  }
  return problems;
}

/**
 * Running heads and folios, from the words above and below the page area: none
 * on the cover; on every other page the short title (and `heads[page]`, the
 * chapter's title, where given) on top and “N / M” at the foot.
 */
export function runningHeadProblems(
  words: Word[][],
  area: { top: number; bottom: number },
  shortTitle: string,
  heads: ReadonlyMap<number, string> = new Map(),
): string[] {
  const problems: string[] = [];
  const total = words.length;
  words.forEach((page, index) => {
    const text = (list: Word[]) =>
      list
        .sort((a, b) => a.xMin - b.xMin)
        .map((word) => word.text)
        .join(' ');
    const head = text(page.filter((word) => (word.yMin + word.yMax) / 2 <= area.top));
    const foot = text(page.filter((word) => (word.yMin + word.yMax) / 2 >= area.bottom));
    if (index === 0) {
      if (head !== '' || foot !== '') problems.push(`the cover has a running head or folio (“${head}”, “${foot}”)`);
      return;
    }
    const chapter = heads.get(index + 1);
    const expected = chapter ? `${shortTitle} ${chapter}` : shortTitle;
    if (squash(head) !== squash(expected))
      problems.push(`page ${index + 1}: running head “${head}”, not “${expected}”`);
    if (foot !== `${index + 1} / ${total}`)
      problems.push(`page ${index + 1}: folio “${foot}”, not “${index + 1} / ${total}”`);
  });
  return problems;
}

/**
 * Lines of a page's body (running head and folio left out): words grouped by
 * line, top to bottom, left to right. A word joins a line when its middle lies
 * within the line's height, so superscripts stay on their line.
 */
export function bodyLines(words: Word[], top: number, bottom: number): Word[][] {
  const middle = (word: Word) => (word.yMin + word.yMax) / 2;
  const lines: Array<{ yMin: number; yMax: number; words: Word[] }> = [];
  const inside = words.filter((word) => middle(word) > top && middle(word) < bottom);
  // The tallest words first set the lines; smaller ones (superscripts) then join the line they sit in.
  for (const word of [...inside].sort((a, b) => b.yMax - b.yMin - (a.yMax - a.yMin))) {
    const line = lines.find((candidate) => middle(word) >= candidate.yMin && middle(word) <= candidate.yMax);
    if (line) line.words.push(word);
    else lines.push({ yMin: word.yMin, yMax: word.yMax, words: [word] });
  }
  return lines.sort((a, b) => a.yMin - b.yMin).map((line) => line.words.sort((a, b) => a.xMin - b.xMin));
}

/**
 * Widows and orphans: for every page that begins inside a paragraph, the lines
 * of that paragraph at the foot of the page before and at the head of this one
 * (counted from the PDF's words, by the length of the text on each side of the
 * break). Returns the problems and how many broken paragraphs were checked.
 */
export function widowProblems(
  pageMap: PageMap,
  blocks: Element[],
  lines: (page: number) => Word[][],
  minimum = 2,
): { problems: string[]; broken: number } {
  const lineText = (line: Word[]) => line.map((word) => word.text).join(' ');
  const count = (lineTexts: string[], length: number) => {
    let seen = 0;
    let used = 0;
    while (seen < length && used < lineTexts.length) seen += squash(lineTexts[used++]!).length;
    return used;
  };
  const problems: string[] = [];
  let broken = 0;
  for (const start of pageMap.starts.filter((start) => start.offset > 0 && blocks[start.block]!.tagName === 'p')) {
    const text = toString(blocks[start.block]!);
    if (squash(text.slice(0, start.offset)).length === 0) continue;
    broken++;
    const head = count(lines(start.page).map(lineText), squash(text.slice(start.offset)).length);
    const tail = count(
      lines(start.page - 1)
        .map(lineText)
        .reverse(),
      squash(text.slice(0, start.offset)).length,
    );
    if (head < minimum || tail < minimum)
      problems.push(`page ${start.page}: ${tail} line(s) before the break, ${head} after`);
  }
  return { problems, broken };
}
