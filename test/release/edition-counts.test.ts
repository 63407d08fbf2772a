import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BrowserSession } from '../../src/browser/session.js';
import { epubChapterCount } from '../../src/release/epub-chapters.js';
import { pdfPageCount } from '../../src/release/pdf-pages.js';
import { pdfinfoPages } from '../helpers/series.js';
import { temporaryFolder } from '../helpers/tools.js';

const run = promisify(execFile);

describe('pages of a PDF, read from the file', () => {
  let session: BrowserSession;
  let dir: string;

  beforeAll(async () => {
    session = await BrowserSession.open({ wsEndpoint: inject('browserWSEndpoint') });
    dir = await temporaryFolder();
  });
  afterAll(async () => {
    await session.close();
  });

  async function printed(pages: number): Promise<string> {
    const body = Array.from({ length: pages }, (_, index) => `<section style="break-after: page">Page ${index + 1}</section>`).join('');
    const pdf = await session.printPdf({ html: `<!doctype html><html><body>${body}</body></html>`, assets: new Map() });
    const file = path.join(dir, `printed-${pages}.pdf`);
    await writeFile(file, pdf);
    return file;
  }

  it.each([1, 7, 45])('counts %i pages as pdfinfo does, as Chromium writes them and repacked in object streams', async (pages) => {
    const file = await printed(pages);
    expect(await pdfinfoPages(file)).toBe(pages);
    expect(pdfPageCount(await readFile(file))).toBe(pages);
    const packed = file.replace(/\.pdf$/, '-objstm.pdf');
    await run('qpdf', ['--object-streams=generate', '--compress-streams=y', file, packed]);
    const bytes = await readFile(packed);
    expect(bytes.toString('latin1')).toMatch(/\/Type\s*\/ObjStm/);
    expect(bytes.toString('latin1')).not.toMatch(/\/Type\s*\/Pages\b/);
    expect(pdfPageCount(bytes)).toBe(pages);
  });

  it('knows nothing of a file that is not a PDF', () => {
    expect(pdfPageCount(new TextEncoder().encode('not a pdf'))).toBeUndefined();
  });
});

describe('chapters of an EPUB, read from the file', () => {
  it('counts the spine without the navigation document and non-linear items', async () => {
    const zip = new JSZip();
    zip.file('mimetype', 'application/epub+zip');
    zip.file('META-INF/container.xml', '<container><rootfiles><rootfile full-path="OPS/book.opf" media-type="application/oebps-package+xml"/></rootfiles></container>');
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
