import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { build, type BuildResult } from '../../src/api.js';
import { epubText } from '../helpers/epub.js';
import { epubcheck, pdfFonts, pdfInfo, pdfText, temporaryFolder } from '../helpers/tools.js';
import { bodyOfPages, squash } from '../helpers/text.js';

const root = path.resolve(import.meta.dirname, '../..');
const seed = path.resolve(root, '../shared/seed/defrosting-sino-japanese-relations.txt');

/** The commentary's paragraphs as the manuscript holds them (the seed when present, else the manuscript). */
async function sourceParagraphs(): Promise<string[]> {
  const manuscript = await readFile(path.join(root, 'manuscript/report.md'), 'utf8');
  const body = manuscript.replace(/^---[\s\S]*?\n---\n/, '');
  return body
    .split(/\n{2,}/)
    .map((block) => block.trim())
    .filter((block) => block !== '' && !block.startsWith('::'))
    .map((block) => block.replace(/^#+\s*/, ''));
}

function editionsOf(result: BuildResult) {
  const report = result.reports[0]!;
  const get = (format: string) => report.editions.find((edition) => edition.format === format)!.bytes;
  return { html: new TextDecoder().decode(get('html')), pdf: get('pdf'), epub: get('epub') };
}

describe('the default report in three editions', () => {
  let out: string;
  let result: BuildResult;

  beforeAll(async () => {
    out = await temporaryFolder();
    result = await build({
      manuscripts: [path.join(root, 'manuscript/report.md')],
      outDir: out,
      browser: { wsEndpoint: inject('browserWSEndpoint') },
    });
  });

  it('builds without problems and writes report.html, report.pdf and report.epub', async () => {
    expect(result.files.flatMap((file) => file.messages.map(String))).toEqual([]);
    expect(result.ok).toBe(true);
    for (const name of ['report.html', 'report.pdf', 'report.epub']) {
      const bytes = await readFile(path.join(out, name));
      expect(bytes.byteLength).toBeGreaterThan(1000);
    }
  });

  it('keeps every paragraph and heading of the commentary word for word, in every edition', async () => {
    const { html, pdf, epub } = editionsOf(result);
    const pdfBody = squash(bodyOfPages(await pdfText(pdf), 'Defrosting Sino-Japanese Relations'));
    const epubBody = squash(await epubText(epub));
    const htmlBody = squash(html.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ').replace(/&#x26;/g, '&'));
    const paragraphs = await sourceParagraphs();
    expect(paragraphs.length).toBe(21); // 5 headings, 16 paragraphs
    for (const paragraph of paragraphs) {
      expect(pdfBody).toContain(squash(paragraph));
      expect(epubBody).toContain(squash(paragraph));
      expect(htmlBody).toContain(squash(paragraph));
    }
  });

  it('matches the seed text when it is available', async () => {
    const text = await readFile(seed, 'utf8').catch(() => undefined);
    if (text === undefined) return;
    const paragraphs = await sourceParagraphs();
    expect(squash(paragraphs.join(''))).toBe(
      squash(text.replace(/Defrosting Sino-Japanese Relations:\s*What Now\?\s*By Amrita Jash/, '')),
    );
  });

  it('prints the two generated tables with numbered captions, values and source notes', async () => {
    const text = (await pdfText(editionsOf(result).pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('Table 1. High-level exchanges between China and Japan');
    expect(text).toContain('Table 2. Infrastructure investment pledges');
    for (const value of ['29 September 1972', '12 August 1978', 'May 2017', '5 June 2017', 'June 2017', '8 July 2017', '110', '200']) {
      expect(text).toContain(value);
    }
    expect(text).toContain('https://www.mofa.go.jp/region/asia-paci/china/joint72.html');
    expect(text).toMatch(/Sources?:/);
  });

  it('prints an A4, tagged PDF with bookmarks and only the fonts imprint ships, embedded', async () => {
    const { pdf } = editionsOf(result);
    const info = await pdfInfo(pdf);
    expect(info['Page size']).toContain('A4');
    expect(info.Tagged).toBe('yes');
    expect(info.Title).toBe('Defrosting Sino-Japanese Relations: What Now?');
    const fonts = await pdfFonts(pdf);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) {
      expect(font.embedded).toBe(true);
      expect(font.name).toMatch(/SourceSerif4|SourceCodePro|NotoSerif/);
    }
    expect(Buffer.from(pdf).toString('latin1')).toMatch(/\/Outlines \d+ 0 R/);
  });

  it('packages an EPUB that epubcheck passes with no errors and no warnings', async () => {
    const check = await epubcheck(editionsOf(result).epub);
    expect(check.output).toContain('No errors or warnings detected');
    expect([check.fatals, check.errors, check.warnings]).toEqual([0, 0, 0]);
  });

  it('rebuilds the tables from the data: a changed number shows in all three editions', async () => {
    const project = await temporaryFolder();
    await cp(path.join(root, 'manuscript'), project, { recursive: true });
    const pledges = path.join(project, 'data/pledges.yaml');
    await writeFile(pledges, (await readFile(pledges, 'utf8')).replace('amount_usd_bn: 200', 'amount_usd_bn: 987'));
    const changed = await build({
      manuscripts: [path.join(project, 'report.md')],
      outDir: path.join(project, 'dist'),
      browser: { wsEndpoint: inject('browserWSEndpoint') },
    });
    expect(changed.ok).toBe(true);
    const { html, pdf, epub } = editionsOf(changed);
    const cell = /<td[^>]*>987<\/td>/;
    expect(html).toMatch(cell);
    expect(await epubText(epub)).toContain(' 987 ');
    expect(await pdfText(pdf)).toContain('987');
    expect(await pdfText(pdf)).not.toMatch(/\b200\b(?! billion)/);
  });
});
