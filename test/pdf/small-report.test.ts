import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookmarks, pageTexts, pageWords, qpdfJson } from '../helpers/pdf.js';
import { contentsEntries, contentsProblems, runningHeadProblems } from '../helpers/print-checks.js';
import { pdfFonts, temporaryFolder } from '../helpers/tools.js';
import { buildInMemory } from '../helpers/build.js';

const a4 = { height: 841.92 };
const area = { top: (22 / 25.4) * 72, bottom: a4.height - (24 / 25.4) * 72 };

/**
 * A short German report in chapters, with no italic text of its own, a Japanese name, a note, and words hyphenated
 * within a ligature (kämpf-te, öf-ters, Begrif-fe).
 */
const manuscript = `---
title: Die Zusammenarbeit der Nachbarn
short-title: Zusammenarbeit
author: Eine Autorin
lang: de
chapters: true
---

# Erstes Kapitel

Die Zusammenarbeit der Regierungen ist bemerkenswert, und Shinzo Abe (:span[安倍晋三]{lang=ja}) sprach darüber.[^1]

# Zweites Kapitel

Die Verhandlungsbereitschaft beider Seiten wächst. Sie kämpfte öfters um die Begriffe.

[^1]: Die Anmerkung zum ersten Kapitel.
`;

describe('a short report in chapters, without italics of its own', () => {
  let pdf: Uint8Array;

  beforeAll(async () => {
    const dir = await temporaryFolder();
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'bericht.md');
    await writeFile(file, manuscript);
    const result = await buildInMemory({
      manuscripts: [file],
      formats: ['pdf'],
    });
    expect(result.files.flatMap((f) => f.messages.map(String))).toEqual([]);
    pdf = result.reports[0]!.editions[0]!.bytes;
  });

  it(
    'sets the running heads in the template’s faces although nothing else uses them, a chapter on ' + 'each page',
    async () => {
      const marks = bookmarks(await qpdfJson(pdf));
      expect(marks.map((mark) => [mark.depth, mark.title, mark.page])).toEqual([
        [0, 'Die Zusammenarbeit der Nachbarn', 1],
        // The words imprint writes are the document's language's (`lang: de`).
        [1, 'Inhalt', 2],
        [1, 'Erstes Kapitel', 3],
        [1, 'Zweites Kapitel', 4],
      ]);
      const heads = new Map([
        [3, 'Erstes Kapitel'],
        [4, 'Zweites Kapitel'],
      ]);
      expect(runningHeadProblems(await pageWords(pdf), area, 'Zusammenarbeit', heads)).toEqual([]);
      expect((await pdfFonts(pdf)).some((font) => /SourceSerif4-Italic/.test(font.name))).toBe(true);
      const layout = await pageTexts(pdf, true);
      const entries = contentsEntries(layout, 'Inhalt');
      expect(entries.map((entry) => entry.title)).toEqual(['Erstes Kapitel', 'Zweites Kapitel']);
      expect(contentsProblems(entries, marks, layout)).toEqual([]);
    },
  );

  it('sets the note at the foot of the page that cites it (`notes: page`, the default), not at the end', async () => {
    const texts = await pageTexts(pdf);
    expect(texts).toHaveLength(4);
    const page = texts.findIndex((text) => text.includes('Die Anmerkung zum ersten Kapitel'));
    expect(page + 1).toBe(3);
    // Below the text that cites it.
    expect(texts[2]!.indexOf('Die Anmerkung')).toBeGreaterThan(texts[2]!.indexOf('sprach darüber'));
  });

  it('extracts words hyphenated within a ligature without their soft hyphens', async () => {
    const text = (await pageTexts(pdf)).join('');
    expect(text).not.toContain('\u00ad');
    expect(text).toContain('Sie kämpfte öfters um die Begriffe.');
  });

  it('sets the Japanese name in the Japanese face', async () => {
    expect((await pageTexts(pdf)).join('')).toContain('安倍晋三');
    expect((await pdfFonts(pdf)).some((font) => /NotoSerifJP/.test(font.name))).toBe(true);
  });
});
