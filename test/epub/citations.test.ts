import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { epubFiles, idsAndLinks, packageDocument } from '../helpers/epub.js';
import { bookmarks, destinations, links, pageTexts, qpdfJson } from '../helpers/pdf.js';
import { contentsEntries, contentsProblems } from '../helpers/print-checks.js';
import { ace, epubcheck, temporaryFolder } from '../helpers/tools.js';
import { buildInMemory } from '../helpers/build.js';

const works = 20;
const bibtex = Array.from({ length: works }, (_, index) => {
  const n = index + 1;
  return `@article{author${n}_${2000 + n},
  author = {Author${n}, Ann and Writer, Bo},
  title = {Study number ${n} of the region},
  journal = {Journal of Regional Studies},
  year = {${2000 + n}}, volume = {${n}}, pages = {${n}--${n + 9}},
  ${n % 2 === 0 ? `doi = {10.1000/study.${n}}` : `url = {https://example.org/study/${n}}`}
}`;
}).join('\n\n');

/** Three chapters with 50 citations in every form between them, and a page list's worth of text. */
function manuscript(csl: string): string {
  const forms = (n: number, i: number) => {
    const key = `author${n}_${2000 + n}`;
    const other = `author${(n % works) + 1}_${2000 + (n % works) + 1}`;
    return [`[@${key}]`, `[@${key}, p. ${i + 3}]`, `[see @${key}; @${other}]`, `@${key}`, `[-@${key}]`][i % 5];
  };
  let cited = 0;
  const chapter = (title: string) => {
    const paragraphs = Array.from({ length: 17 }, () => {
      const n = (cited % works) + 1;
      const text =
        `The region grew in the year studied ${forms(n, cited)}, as the survey of ports ` +
        `and roads shows in detail across many provinces, which this paragraph recounts at length so ` +
        `that the chapter fills more than one page of the printed report.`;
      cited++;
      return text;
    });
    return `# ${title}\n\n${paragraphs.join('\n\n')}\n`;
  };
  const body = [chapter('Ports'), chapter('Roads'), chapter('Rails')].join('\n');
  expect(cited).toBeGreaterThanOrEqual(50);
  return (
    `---\ntitle: Fifty Citations\nauthor: A. Writer\nlang: en\nchapters: true\nbibliography: ` +
    `refs.bib\ncsl: ${csl}\n---\n\n${body}`
  );
}

describe.each(['chicago-author-date', 'chicago-notes'])('a report with 50 citations in %s', (csl) => {
  let epub: Uint8Array;
  let pdf: Uint8Array;

  beforeAll(async () => {
    const dir = await temporaryFolder();
    await writeFile(path.join(dir, 'refs.bib'), bibtex);
    await writeFile(path.join(dir, 'report.md'), manuscript(csl));
    const result = await buildInMemory({
      manuscripts: [path.join(dir, 'report.md')],
      formats: ['epub', 'pdf'],
      sourceDateEpoch: 1499472000,
    });
    expect(result.files.flatMap((file) => file.messages.map(String))).toEqual([]);
    const editions = result.reports[0]!.editions;
    epub = editions.find((edition) => edition.format === 'epub')!.bytes;
    pdf = editions.find((edition) => edition.format === 'pdf')!.bytes;
  }, 600_000);

  // Both validators start a Java or Chromium process: on a loaded machine that takes minutes.
  it('passes epubcheck with nothing to report', { timeout: 600_000 }, async () => {
    const check = await epubcheck(epub);
    expect([check.fatals, check.errors, check.warnings]).toEqual([0, 0, 0]);
  });

  // Ace's own Chromium sometimes fails to start on a loaded machine: one more try.
  it('passes Ace by DAISY with no violations', { timeout: 600_000 }, async () => {
    expect((await ace(epub)).violations).toEqual([]);
  });

  it('links every citation to its entry in the bibliography, across chapter files', async () => {
    const files = await epubFiles(epub);
    const opf = await packageDocument(epub);
    const ids = new Map<string, Set<string>>();
    const text = (href: string) => files.get(opf.base + href) ?? '';
    for (const href of opf.spine) ids.set(href, idsAndLinks(text(href)).ids);
    const bibliographyFile = opf.spine.find((href) => ids.get(href)!.has('ref-author1_2001'))!;
    expect(bibliographyFile).toBeDefined();
    let crossChapter = 0;
    for (const href of opf.spine) {
      for (const link of idsAndLinks(text(href)).hrefs.filter((target) => target.includes('#ref-'))) {
        const [file = '', id = ''] = link.split('#');
        expect(ids.get(file || href)?.has(id), `${href} → ${link}`).toBe(true);
        if (file && file !== href) crossChapter++;
      }
    }
    expect(crossChapter).toBeGreaterThanOrEqual(50);
    const entries = text(bibliographyFile).match(/class="csl-entry"/g) ?? [];
    expect(entries).toHaveLength(works);
    expect(text(bibliographyFile)).toContain('href="https://doi.org/10.1000/study.2"');
  });

  it('keeps the contents page right in print, the notes at the foot of their pages (no notes part)', async () => {
    const texts = await pageTexts(pdf, true);
    const entries = contentsEntries(texts);
    expect(entries.map((entry) => entry.title)).toEqual(['Ports', 'Roads', 'Rails', 'References']);
    expect(contentsProblems(entries, bookmarks(await qpdfJson(pdf)), texts)).toEqual([]);
  });

  if (csl === 'chicago-notes') {
    it('prints each citation’s note at the foot of the page that cites it', async () => {
      const json = await qpdfJson(pdf);
      const dests = destinations(json);
      const all = links(json);
      const notes = [...dests.keys()].filter((id) => id.startsWith('user-content-fn-'));
      expect(notes.length).toBeGreaterThanOrEqual(50);
      const wrong = notes.filter((id) => {
        const reference = all.find((link) => link.to === id);
        return !reference || reference.page !== dests.get(id);
      });
      expect(wrong).toEqual([]);
    });

    it('makes each citation a footnote, marked as a note for reading systems', async () => {
      const files = await epubFiles(epub);
      const chapters = [...files.entries()]
        .filter(([name]) => /chapter-\d+\.xhtml$/.test(name))
        .map(([, text]) => text)
        .join('\n');
      expect(chapters.match(/<aside [^>]*epub:type="footnote"/g)?.length).toBeGreaterThanOrEqual(50);
      expect(chapters).toMatch(/role="doc-backlink"/);
    });
  }
});
