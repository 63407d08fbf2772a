import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { build, type BuildResult } from '../../src/api.js';
import { epubFiles, epubText } from '../helpers/epub.js';
import {
  epubcheck,
  pdfDestinations,
  pdfFonts,
  pdfImages,
  pdfInfo,
  pdfText,
  temporaryFolder,
} from '../helpers/tools.js';
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
    const htmlBody = squash(
      html
        .replace(/<style>[\s\S]*?<\/style>/g, '')
        .replace(/<[^>]+>/g, ' ')
        .replace(/&#x26;/g, '&'),
    );
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
    for (const value of [
      '29 September 1972',
      '12 August 1978',
      'May 2017',
      '5 June 2017',
      'June 2017',
      '8 July 2017',
      'US$110 bn',
      'US$200 bn',
      '+US$90 bn (+82%)',
    ]) {
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
    expect(check.output).not.toMatch(/^(FATAL|ERROR|WARNING)\(/m);
    expect([check.fatals, check.errors, check.warnings]).toEqual([0, 0, 0]);
  });

  it(
    'draws the two charts as numbered, described, vector figures, and links the cross-references, ' +
      'in every edition',
    async () => {
      const { html, pdf, epub } = editionsOf(result);
      for (const id of ['fig-exchanges', 'fig-pledges']) {
        const svg = new RegExp(
          `<figure id="${id}" class="chart"><figcaption><span class="figure-label">Figure ` +
            `\\d\\.</span>.*?</figcaption><div class="chart-drawing"><svg ` +
            `xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 [\\d.]+" [^>]*role="img" ` +
            `aria-labelledby="${id}-title ${id}-desc"`,
        );
        expect(html).toMatch(svg);
        expect(html).toContain(`<title id="${id}-title">`);
      }
      expect(html).toContain('<a href="#fig-pledges" class="xref xref-figure">Figure 2</a>');
      expect(html).toContain('<a href="#tbl-exchanges" class="xref xref-table">Table 1</a>');
      const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
      for (const caption of [
        'Figure 1. From normalisation to the Hamburg meeting',
        'Figure 2. Japan’s pledge for infrastructure in Asia',
      ])
        expect(text).toContain(caption);
      for (const label of ['US$110 bn', 'US$200 bn', '+US$90 bn (+82%)', '39 years later', 'month only'])
        expect(text).toContain(label);
      // Vector: the charts are drawn, not pasted in as pictures; the references are links to named destinations.
      expect(await pdfImages(pdf)).toEqual([]);
      const destinations = await pdfDestinations(pdf);
      for (const id of ['tbl-exchanges', 'fig-exchanges', 'tbl-pledges', 'fig-pledges'])
        expect(destinations).toContain(id);
      const chapters = [...(await epubFiles(epub)).entries()].filter(
        ([name]) => /chapter|section/.test(name) && name.endsWith('.xhtml'),
      );
      const withCharts = chapters.filter(([, xhtml]) => xhtml.includes('<svg'));
      expect(withCharts.length).toBeGreaterThan(0);
      const charts = withCharts.map(([, xhtml]) => xhtml).join('');
      for (const id of ['fig-exchanges', 'fig-pledges']) {
        expect(charts).toMatch(/<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*viewBox="0 0 480 [\d.]+"/);
        expect(charts).toContain(`aria-labelledby="${id}-title ${id}-desc"`);
      }
      expect(charts).toMatch(/<rect [^>]*width="[\d.]+"/);
      expect((await epubText(epub)).replace(/\u00a0/g, ' ')).toContain('+US$90 bn (+82%)');
    },
  );

  it(
    'rebuilds the tables and charts from the data: a changed number shows in all three editions, ' +
      'and the check points at the prose',
    async () => {
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
      const manuscript = await readFile(path.join(project, 'report.md'), 'utf8');
      const line = manuscript.split('\n').findIndex((text) => text.includes('$200 billion')) + 1;
      expect(
        changed.files.flatMap((file) => file.messages.map((message) => [message.line, message.ruleId, message.fatal])),
      ).toEqual([[line, 'data-mismatch', false]]);

      const { html, pdf, epub } = editionsOf(changed);
      const count = (text: string, needle: string) => text.split(needle).length - 1;
      const bn = (amount: string) => `US$${amount}\u00a0bn`;
      // The table cell, the chart's bar label and the chart's description.
      expect(count(html, bn('987'))).toBe(3);
      expect(html).not.toContain(bn('200'));
      // The table's change row, the chart's label and its description.
      expect(count(html, `+${bn('877')} (+797%)`)).toBe(3);
      const epubBody = (await epubText(epub)).replace(/\u00a0/g, ' ');
      expect(count(epubBody, 'US$987 bn')).toBeGreaterThanOrEqual(2);
      expect(epubBody).toContain('+US$877 bn (+797%)');
      expect(epubBody).not.toContain('US$200 bn');
      const pdfBody = (await pdfText(pdf)).replace(/\u00a0/g, ' ');
      expect(count(pdfBody, 'US$987 bn')).toBe(2);
      expect(count(pdfBody, '+US$877 bn (+797%)')).toBe(2);
      expect(pdfBody).not.toContain('US$200 bn');
    },
  );
});
