import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { epubChapterCount } from '../helpers/epub-chapters.js';
import { copySeries, pdfinfoPages } from '../helpers/series.js';
import { temporaryFolder } from '../helpers/tools.js';
import { buildInMemory } from '../helpers/build.js';

describe('the counts the writers give', () => {
  it('are the pages pdfinfo finds in each PDF and the chapters of each EPUB’s reading order', async () => {
    const dir = await copySeries();
    const result = await buildInMemory({
      cwd: dir,
      formats: ['pdf', 'epub'],
    });
    expect(result.ok).toBe(true);
    const editions = result.reports.flatMap((report) => report.editions);
    expect(editions.length).toBeGreaterThanOrEqual(4);
    const out = await temporaryFolder();
    for (const [index, edition] of editions.entries()) {
      if (edition.format === 'pdf') {
        const file = path.join(out, `${index}.pdf`);
        await writeFile(file, edition.bytes);
        expect(edition.pages).toBeGreaterThan(0);
        expect(edition.pages).toBe(await pdfinfoPages(file));
      } else {
        expect(edition.chapters).toBeGreaterThan(0);
        expect(edition.chapters).toBe(await epubChapterCount(edition.bytes));
      }
    }
  });
});

describe('chapters of an EPUB, read from the file (the tests’ own reader)', () => {
  it('counts the spine without the navigation document and non-linear items', async () => {
    const zip = new JSZip();
    zip.file('mimetype', 'application/epub+zip');
    zip.file(
      'META-INF/container.xml',
      '<container><rootfiles><rootfile full-path="OPS/book.opf" ' +
        'media-type="application/oebps-package+xml"/></rootfiles></container>',
    );
    zip.file(
      'OPS/book.opf',
      `<package><manifest>
        <item id="nav" href="nav.xhtml" properties="nav" media-type="application/xhtml+xml"/>
        <item id="a" href="a.xhtml" media-type="application/xhtml+xml"/>
        <item id="b" href="b.xhtml" media-type="application/xhtml+xml"/>
        <item id="notes" href="notes.xhtml" media-type="application/xhtml+xml"/>
      </manifest><spine><itemref idref="a"/><itemref idref="nav"/><itemref idref="b"/><itemref idref="notes" linear="no"/></spine></package>`,
    );
    expect(await epubChapterCount(await zip.generateAsync({ type: 'uint8array' }))).toBe(2);
    expect(await epubChapterCount(new TextEncoder().encode('not a zip'))).toBeUndefined();
  });
});
