import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sniffImage } from '../../src/compile/images.js';
import { epubEntries } from '../helpers/epub.js';
import { epubcheck, temporaryFolder } from '../helpers/tools.js';
import { buildInMemory } from '../helpers/build.js';

const fixtures = path.resolve(import.meta.dirname, 'inputs/svg');

/** A project whose manuscript shows one SVG file as an image, on line 7. */
async function projectWith(svg: string): Promise<string> {
  const dir = await temporaryFolder();
  await copyFile(path.join(fixtures, svg), path.join(dir, 'drawing.svg'));
  await writeFile(
    path.join(dir, 'report.md'),
    '---\ntitle: Drawings\nauthor: A. Writer\nlang: en-GB\n---\n\nThe drawing: ![The pipeline](drawing.svg)\n',
  );
  return path.join(dir, 'report.md');
}

async function buildHtmlAndEpub(manuscript: string) {
  return buildInMemory({
    manuscripts: [manuscript],
    formats: ['html', 'epub'],
  });
}

describe('SVG images', { timeout: 300_000 }, () => {
  it(
    'takes a Graphviz drawing (XML declaration, DOCTYPE, then comments) into every edition, without ' + 'its DOCTYPE',
    async () => {
      const result = await buildHtmlAndEpub(await projectWith('graphviz-pipeline.svg'));
      expect(result.files.flatMap((file) => file.messages.map(String))).toEqual([]);
      expect(result.ok).toBe(true);
      const [html, epub] = result.reports[0]!.editions.map((edition) => edition.bytes);
      expect(Buffer.from(html!).toString()).toContain('data:image/svg+xml;base64,');
      const entries = await epubEntries(epub!);
      const svgs = [...entries].filter(([name]) => /images\/[0-9a-f]{16}\.svg$/.test(name));
      expect(svgs).toHaveLength(1);
      const svg = Buffer.from(svgs[0]![1]).toString('utf8');
      expect(svg).not.toContain('<!DOCTYPE');
      expect(svg).not.toContain('<!--');
      expect(svg).toContain('xmlns:xlink="http://www.w3.org/1999/xlink"');
      expect(svg).toContain('>Manuscript</text>');
      expect(svg).toContain('xlink:href="https://commonmark.org/"');
      const check = await epubcheck(epub!);
      expect([check.fatals, check.errors], check.output).toEqual([0, 0]);
    },
  );

  it('removes what could run or load from a drawing, with a warning at the image', async () => {
    const result = await buildHtmlAndEpub(await projectWith('hostile.svg'));
    const messages = result.files.flatMap((file) => file.messages);
    expect(messages.map((message) => [message.ruleId, message.line, message.column])).toEqual([['html-unsafe', 7, 14]]);
    expect(messages[0]!.reason).toContain('a script');
    expect(messages[0]!.reason).toContain('event handlers');
    expect(messages[0]!.reason).toContain('`foreignObject`');
    const epub = result.reports[0]!.editions[1]!.bytes;
    const svg = [...(await epubEntries(epub))].find(([name]) => /images\/[0-9a-f]{16}\.svg$/.test(name))![1];
    const text = Buffer.from(svg).toString('utf8');
    for (const bad of [
      '<script',
      'onload',
      'onclick',
      'foreignObject',
      'iframe',
      '127.0.0.1',
      'javascript',
      'animate',
    ]) {
      expect(text).not.toContain(bad);
    }
    expect(text).toContain('Kept text');
    expect(text).toContain('fill="url(#local)"');
    const check = await epubcheck(epub);
    expect([check.fatals, check.errors], check.output).toEqual([0, 0]);
  });

  it("refuses a <use> bomb at the image's line and column before any edition is made", async () => {
    const result = await buildInMemory({
      manuscripts: [await projectWith('use-bomb.svg')],
      formats: ['html', 'pdf', 'epub'],
    });
    expect(result.ok).toBe(false);
    const messages = result.files.flatMap((file) => file.messages);
    expect(messages.map((message) => [message.ruleId, message.line, message.column, message.fatal])).toEqual([
      ['image-too-complex', 7, 14, true],
    ]);
    expect(messages[0]!.reason).toContain('`<use>`');
    expect(result.reports[0]?.editions ?? []).toEqual([]);
  });

  it('knows an SVG by its root element after any prolog', () => {
    const graphvizHead =
      '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n "x.dtd">\n<!-- a -->\n<svg>';
    expect(sniffImage(Buffer.from(graphvizHead))).toBe('image/svg+xml');
    expect(
      sniffImage(Buffer.from('<!-- a --><?xml-stylesheet href="x"?><!DOCTYPE svg [ <!ELEMENT x ANY> ]><svg/>')),
    ).toBe('image/svg+xml');
    expect(sniffImage(Buffer.from('<!-- a --><html><svg>'))).toBeUndefined();
  });
});
