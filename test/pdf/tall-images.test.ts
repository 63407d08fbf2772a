import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildInMemory } from '../helpers/build.js';
import { pdfImages, temporaryFolder } from '../helpers/tools.js';

/** A grey PNG of `width` × `height` pixels, greyscale, 8 bits. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8);
  // Each row: filter byte 0, then the row's grey levels (a gradient, so the image is not one flat colour).
  const rows = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++)
    rows.fill(Math.floor((y / height) * 200), y * (width + 1) + 1, (y + 1) * (width + 1));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('an image taller than the page', () => {
  it('is set smaller, whole on one page, and the page map holds at the first printing', async () => {
    const dir = await temporaryFolder();
    // A diagram three pages tall in a paragraph of its own, as READMEs put them, between text.
    await writeFile(path.join(dir, 'tall.png'), png(300, 3000));
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
