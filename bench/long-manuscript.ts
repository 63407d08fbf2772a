import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { greyPng } from './grey-png.js';

/**
 * A long report made up for tests and benchmarks: chapters, sections and
 * subsections of prose, footnotes, Chinese and Japanese text, figures (SVG
 * and PNG images with text alternatives), and a table of several hundred rows
 * generated from a CSV file. Deterministic: the same options always give the
 * same manuscript and the same image files.
 */
export interface LongManuscriptOptions {
  /** About how many words of prose; default 100,000. */
  words?: number;
  /** Rows of the long data table; default 400. */
  tableRows?: number;
  /** Top-level chapters; default 12. */
  chapters?: number;
  /** Figures (images), spread over the chapters, alternately SVG and PNG; default 3. */
  figures?: number;
}

export interface LongManuscript {
  manuscript: string;
  words: number;
}

const vocabulary = (
  'relations dialogue summit ministers cooperation infrastructure investment pledge initiative regional stability ' +
  'security maritime territorial dispute economic partnership trade bilateral diplomatic normalisation treaty ' +
  'anniversary leaders council assembly election policy commentary analysis reciprocity gesture tension thaw ' +
  'resilience confidence channel framework agenda negotiation priority strategy alliance neighbour balance ' +
  'the of and to in a that for with as on by between both sides has have was were is are which their this'
).split(' ');

function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function writeLongManuscript(dir: string, options: LongManuscriptOptions = {}): Promise<LongManuscript> {
  const targetWords = options.words ?? 100_000;
  const tableRows = options.tableRows ?? 400;
  const chapterCount = options.chapters ?? 12;
  const figureCount = options.figures ?? 3;
  const next = random(20170708);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;

  let words = 0;
  let footnote = 0;
  const sentence = () => {
    const length = 12 + Math.floor(next() * 14);
    const parts = Array.from({ length }, () => pick(vocabulary));
    words += length;
    const text = parts.join(' ');
    return `${text.charAt(0).toUpperCase() + text.slice(1)}.`;
  };
  const paragraph = () => {
    const sentences = Array.from({ length: 4 + Math.floor(next() * 4) }, sentence);
    if (next() < 0.08) {
      footnote++;
      sentences[1] += `[^n${footnote}]`;
    }
    if (next() < 0.05)
      sentences.push('Xi Jinping (:span[习近平]{lang=zh-Hans}) met Shinzo Abe (:span[安倍晋三]{lang=ja}) in Hamburg.');
    if (next() < 0.02)
      sentences.push(
        'The Japanese press wrote of :span[「日中関係の改善」]{lang=ja} (an improvement in relations) and of ' +
          ':span[さらなる対話]{lang=ja} (further dialogue).',
      );
    return sentences.join(' ');
  };

  const perChapter = targetWords / chapterCount;
  const blocks: string[] = [];
  const figures: Array<{ file: string; bytes: Uint8Array }> = [];
  const figureChapters = new Map<number, number[]>();
  for (let figure = 1; figure <= figureCount; figure++) {
    const chapter = 1 + Math.floor(((figure - 0.5) * chapterCount) / figureCount);
    figureChapters.set(chapter, [...(figureChapters.get(chapter) ?? []), figure]);
  }
  const notes: string[] = [];
  for (let chapter = 1; chapter <= chapterCount; chapter++) {
    blocks.push(`# Chapter ${chapter}: ${sentence().replace(/\.$/, '').split(' ').slice(0, 5).join(' ')}`);
    const start = words;
    let section = 0;
    while (words - start < perChapter) {
      section++;
      blocks.push(`## Section ${chapter}.${section}`);
      for (let p = 0; p < 4; p++) blocks.push(paragraph());
      if (section % 3 === 0) {
        blocks.push(`### Subsection ${chapter}.${section}.1`);
        for (let p = 0; p < 3; p++) blocks.push(paragraph());
      }
    }
    for (const figure of figureChapters.get(chapter) ?? []) {
      const values = Array.from({ length: 8 }, () => 10 + Math.floor(next() * 90));
      const svg = figure % 2 === 1;
      const file = `images/figure-${figure}.${svg ? 'svg' : 'png'}`;
      figures.push({
        file,
        bytes: svg ? barChartSvg(values, `Exchanges per year, figure ${figure}`) : barChartPng(values),
      });
      blocks.push(
        `![Figure ${figure}: a bar chart of eight yearly values, from ${values[0]} in the first year ` +
          `to ${values[7]} in the last](${file})`,
      );
    }
    if (chapter === Math.ceil(chapterCount / 2)) {
      blocks.push('::table[Every recorded exchange, by date]{#tbl-long src="data/long-table.csv" sort="date"}');
    }
  }
  for (let n = 1; n <= footnote; n++) notes.push(`[^n${n}]: ${sentence()}`);

  const rows = ['date,event,place,value,source,source_url'];
  for (let row = 0; row < tableRows; row++) {
    const year = 1972 + (row % 46);
    const month = 1 + (row % 12);
    // In this order: the generator's draws make the same data every time.
    const event = sentence().replace(/"/g, '');
    const place = pick(['Beijing', 'Tokyo', 'Hamburg', 'Osaka', 'Shanghai']);
    rows.push(
      `${year}-${String(month).padStart(2, '0')},"${event}",${place},${(row * 37) % 1000},Generated test data,`,
    );
  }

  const manuscript = [
    '---',
    'title: "A Long Report on Relations in East Asia"',
    'short-title: A Long Report',
    'author: Imprint Test Suite',
    'date: 2017-07-08',
    'lang: en-GB',
    'description: A long generated manuscript for tests and benchmarks.',
    'keywords: [test, benchmark]',
    'chapters: true',
    '---',
    '',
    blocks.join('\n\n'),
    '',
    notes.join('\n\n'),
    '',
  ].join('\n');
  await mkdir(path.join(dir, 'data'), { recursive: true });
  await mkdir(path.join(dir, 'images'), { recursive: true });
  const file = path.join(dir, 'long.md');
  await writeFile(file, manuscript);
  for (const figure of figures) await writeFile(path.join(dir, figure.file), figure.bytes);
  await writeFile(path.join(dir, 'data/long-table.csv'), `${rows.join('\n')}\n`);
  return { manuscript: file, words };
}

/** A bar chart as an SVG file. */
function barChartSvg(values: number[], title: string): Uint8Array {
  const bars = values
    .map(
      (value, index) =>
        `<rect x="${40 + index * 45}" y="${220 - value * 2}" width="30" height="${value * 2}" fill="#3b6a8c"/>`,
    )
    .join('');
  return new TextEncoder().encode(
    `<svg xmlns="http://www.w3.org/2000/svg" width="420" height="240" viewBox="0 0 420 240"><title>${title}</title>` +
      `<rect width="420" height="240" fill="#ffffff"/><path d="M30 10V220H410" fill="none" ` +
      `stroke="#333333" stroke-width="2"/>${bars}</svg>\n`,
  );
}

/** The same kind of chart as a PNG file (8-bit greyscale), encoded here so the output never depends on a library. */
function barChartPng(values: number[]): Uint8Array {
  return greyPng(420, 240, (x, y) => {
    const bar = Math.floor((x - 40) / 45);
    const inBar =
      x >= 40 && bar >= 0 && bar < values.length && (x - 40) % 45 < 30 && y >= 220 - values[bar]! * 2 && y < 220;
    const axis = (x === 30 && y >= 10 && y <= 220) || (y === 220 && x >= 30);
    return axis ? 0x33 : inBar ? 0x5a : 0xff;
  });
}
