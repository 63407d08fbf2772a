import type { BuildResult } from '../../src/api.js';
import { expect } from 'vitest';
import { decodeEntities, epubFiles, packageDocument } from './epub.js';
import { squash } from './text.js';
import { pdfInfo, pdfText } from './tools.js';

interface PageEntry {
  page: number;
  file: string;
  id: string;
}

/** The page list of the EPUB's navigation document. */
function pageList(nav: string): PageEntry[] {
  const list = /<nav epub:type="page-list"[\s\S]*?<\/nav>/.exec(nav)?.[0] ?? '';
  return [...list.matchAll(/<a href="([^"#]+)#([^"]+)">(\d+)<\/a>/g)].map((match) => ({
    page: Number(match[3]),
    file: match[1]!,
    id: match[2]!,
  }));
}

/** The text of an XHTML document before and after the element with `id`, tags taken out. */
function textAround(xhtml: string, id: string): { before: string; after: string; elsewhere: boolean } {
  const at = xhtml.indexOf(` id="${id}"`);
  if (at === -1) return { before: '', after: '', elsewhere: false };
  const inside = (open: string, close: string) => xhtml.lastIndexOf(open, at) > xhtml.lastIndexOf(close, at);
  // In a table, pdftotext does not keep a row's cells in order; a note is read elsewhere in the EPUB than in the PDF.
  const elsewhere = inside('<td', '</td>') || inside('<th', '</th>') || inside('<aside', '</aside>');
  const body = xhtml.indexOf('<body');
  const strip = (part: string) => decodeEntities(part.replace(/<[^>]+>/g, ' '));
  return {
    before: strip(xhtml.slice(body, xhtml.lastIndexOf('<', at)).replace(/^<body[^>]*>/, '')),
    after: strip(xhtml.slice(at).replace(/^[^>]*>/, '')),
    elsewhere,
  };
}

/**
 * The PDF and the EPUB of one report, built together; for every page of the
 * PDF's body, the EPUB's page-break marker for that page must sit where the
 * page begins: the text after the marker is the text the page starts with.
 */
export async function checkPages(result: BuildResult, runningHead: string) {
  const report = result.reports[0]!;
  const pdf = report.editions.find((edition) => edition.format === 'pdf')!.bytes;
  const epub = report.editions.find((edition) => edition.format === 'epub')!.bytes;
  const opf = await packageDocument(epub);
  const files = await epubFiles(epub);
  const entries = pageList(files.get(`${opf.base}toc.xhtml`)!);
  const pages = (await pdfText(pdf)).split('\f');
  // Laid out, a running head is one line, so a page with nothing but an image is told by its empty body.
  const laidOut = (await pdfText(pdf, true)).split('\f');
  const total = Number((await pdfInfo(pdf)).Pages);

  const bodyOf = (page: string) =>
    squash(
      page
        .split('\n')
        .filter((line) => !line.trim().startsWith(runningHead) && !/^\s*\d+\s*(\/|of)\s*\d+\s*$/.test(line))
        .join('\n'),
    );

  // Every page of the body is listed, once, up to the PDF's last page, but for pages left blank by a forced break
  // (nothing on them but the running head). The list is in reading order: the pages that begin in the notes come
  // where those notes are read.
  expect(entries.length).toBeGreaterThan(0);
  const numbers = entries.map((entry) => entry.page).sort((a, b) => a - b);
  expect(new Set(numbers).size).toBe(numbers.length);
  expect(numbers[numbers.length - 1]).toBeLessThanOrEqual(total);
  const unlisted = Array.from({ length: total - numbers[0]! + 1 }, (_, index) => numbers[0]! + index).filter(
    (page) => !numbers.includes(page),
  );
  for (const page of unlisted) expect(bodyOf(pages[page - 1]!).length, `page ${page} is not listed`).toBeLessThan(80);

  const misplaced: string[] = [];
  for (const entry of entries) {
    const { before, after, elsewhere } = textAround(files.get(opf.base + entry.file)!, entry.id);
    const next = squash(after).slice(0, 24);
    const previous = squash(before).slice(-24);
    const page = bodyOf(pages[entry.page - 1]!);
    const previousPage = bodyOf(pages[entry.page - 2]!);
    if (bodyOf(laidOut[entry.page - 1]!) === '') {
      // A page with no text (an image alone): the marker must stand right before the image.
      const xhtml = files.get(opf.base + entry.file)!;
      const following = xhtml.slice(xhtml.indexOf(`id="${entry.id}"`));
      if (!/^[^>]*>(?:\s*<\/?[a-z][^>]*>)*?\s*<img /.test(following))
        misplaced.push(`page ${entry.page}: an image alone in the PDF, not after the marker in the EPUB`);
      continue;
    }
    // Page N begins with the text after marker N (a running head, a repeated table header or a note's number may
    // come first), and page N - 1 ends with the text before it (a marker at the start of a chapter has none before;
    // in a table or a note only the start is compared).
    const starts = next !== '' && page.slice(0, 300).includes(next);
    // The notes at the foot of page N - 1 (each ending in its back link) come after its text: anywhere on it then.
    const footNotes = previousPage.endsWith('↑') || /↑.{0,600}$/.test(previousPage);
    const ends =
      previous === '' || elsewhere || (footNotes ? previousPage : previousPage.slice(-300)).includes(previous);
    if (!starts || !ends)
      misplaced.push(
        `page ${entry.page}: EPUB "${previous}|${next}" / PDF "…${previousPage.slice(-30)}|${page.slice(0, 60)}…"`,
      );
  }
  expect(misplaced).toEqual([]);
  return { entries, opf };
}
