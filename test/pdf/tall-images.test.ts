import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { greyPng } from '../../bench/grey-png.js';
import { buildInMemory } from '../helpers/build.js';
import { pdfImages, temporaryFolder } from '../helpers/tools.js';

describe('an image taller than the page', () => {
  it('is set smaller, whole on one page, and the page map holds at the first printing', async () => {
    const dir = await temporaryFolder();
    // A diagram three pages tall in a paragraph of its own, as READMEs put them, between text.
    // A gradient, so the image is not one flat colour.
    await writeFile(
      path.join(dir, 'tall.png'),
      greyPng(300, 3000, (_x, y) => Math.floor((y / 3000) * 200)),
    );
    const file = path.join(dir, 'report.md');
    await writeFile(
      file,
      '---\ntitle: Tall\nauthor: A. Writer\n---\n\n# Before\n\nText before the diagram.\n\n' +
        '![A tall diagram](tall.png)\n\n# After\n\nText after the diagram.\n\n' +
        '![The same, given a width](tall.png){width=80%}\n',
    );
    const result = await buildInMemory({ manuscripts: [file], formats: ['pdf'] });
    expect(result.files.flatMap((each) => each.messages.map(String))).toEqual([]);
    const pdf = result.reports[0]!.editions[0]!.bytes;
    // `pdfimages -list` names an image once for every page it is drawn on: cut at the pages' feet, three times.
    const images = (await pdfImages(pdf)).map((line) => line.trim().split(/\s+/));
    expect(images.map((columns) => columns[0])).toHaveLength(2);
    expect(new Set(images.map((columns) => columns[0])).size).toBe(2);
    // Drawn at one resolution across and down (to pdfimages' rounding): not stretched, the one given a width included.
    for (const [x, y] of images.map((columns) => [Number(columns[12]), Number(columns[13])] as const))
      expect(Math.abs(x - y) / y).toBeLessThan(0.02);
  });
});
