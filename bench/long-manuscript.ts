import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A long report made up for tests and benchmarks: chapters, sections and
 * subsections of prose, footnotes, Chinese and Japanese names, and a table of
 * several hundred rows generated from a CSV file. Deterministic: the same
 * options always give the same manuscript.
 */
export interface LongManuscriptOptions {
  /** About how many words of prose; default 100,000. */
  words?: number;
  /** Rows of the long data table; default 400. */
  tableRows?: number;
  /** Top-level chapters; default 12. */
  chapters?: number;
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
  const next = random(20170708);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;

  let words = 0;
  let footnote = 0;
  const sentence = () => {
    const length = 12 + Math.floor(next() * 14);
    const parts = Array.from({ length }, () => pick(vocabulary));
    words += length;
    const text = parts.join(' ');
    return text.charAt(0).toUpperCase() + text.slice(1) + '.';
  };
  const paragraph = () => {
    const sentences = Array.from({ length: 4 + Math.floor(next() * 4) }, sentence);
    if (next() < 0.08) {
      footnote++;
      sentences[1] += `[^n${footnote}]`;
    }
    if (next() < 0.05) sentences.push('Xi Jinping (:span[习近平]{lang=zh-Hans}) met Shinzo Abe (:span[安倍晋三]{lang=ja}) in Hamburg.');
    return sentences.join(' ');
  };

  const perChapter = targetWords / chapterCount;
  const blocks: string[] = [];
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
    if (chapter === Math.ceil(chapterCount / 2)) {
      blocks.push('::table[Every recorded exchange, by date]{#tbl-long src="data/long-table.csv" sort="date"}');
    }
  }
  for (let n = 1; n <= footnote; n++) notes.push(`[^n${n}]: ${sentence()}`);

  const rows = ['date,event,place,value,source,source_url'];
  for (let row = 0; row < tableRows; row++) {
    const year = 1972 + (row % 46);
    const month = 1 + (row % 12);
    rows.push(
      `${year}-${String(month).padStart(2, '0')},"${sentence().replace(/"/g, '')}",${pick(['Beijing', 'Tokyo', 'Hamburg', 'Osaka', 'Shanghai'])},${(row * 37) % 1000},Generated test data,`,
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
  const file = path.join(dir, 'long.md');
  await writeFile(file, manuscript);
  await writeFile(path.join(dir, 'data/long-table.csv'), `${rows.join('\n')}\n`);
  return { manuscript: file, words };
}
