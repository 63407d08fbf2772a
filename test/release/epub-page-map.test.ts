import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { build, EnvironmentError, forgetLoadedTemplates, type BuildOptions } from '../../src/api.js';
import { epubFiles, packageDocument } from '../helpers/epub.js';
import { temporaryFolder } from '../helpers/tools.js';

const root = path.resolve(import.meta.dirname, '../..');

/** A browser that cannot be started: a build that asks for one fails with an EnvironmentError. */
const noBrowser = { executablePath: path.join(root, 'no-such-folder/chromium') };

/** The page list of an EPUB: each entry's page number and the marker it points to. */
async function pageList(epub: Uint8Array): Promise<string[]> {
  const opf = await packageDocument(epub);
  const nav = (await epubFiles(epub)).get(`${opf.base}toc.xhtml`)!;
  const list = /<nav epub:type="page-list"[\s\S]*?<\/nav>/.exec(nav)?.[0] ?? '';
  return [...list.matchAll(/<a href="([^"]+)">(\d+)<\/a>/g)].map((match) => `${match[2]} ${match[1]}`);
}

const epubOf = (result: Awaited<ReturnType<typeof build>>) =>
  result.reports[0]!.editions.find((edition) => edition.format === 'epub')!;

describe('an EPUB built alone after a print of the same inputs', () => {
  let dir: string;
  let full: Uint8Array;
  let printed: unknown;
  const options = (more: Partial<BuildOptions>): BuildOptions => ({
    cwd: dir,
    manuscripts: ['manuscript/report.md'],
    config: false,
    sourceDateEpoch: 1_700_000_000,
    ...more,
  });

  beforeAll(async () => {
    dir = await temporaryFolder();
    await cp(path.join(root, 'manuscript'), path.join(dir, 'manuscript'), { recursive: true });
    await cp(path.join(root, 'templates'), path.join(dir, 'templates'), { recursive: true });
    const shared = { wsEndpoint: inject('browserWSEndpoint') };
    const result = await build(options({ formats: ['pdf', 'epub'], browser: shared, templateDir: 'templates' }));
    expect(result.ok).toBe(true);
    full = epubOf(result).bytes;
    printed = result.manifest?.reports[0]?.pageMap;
    expect(result.manifest?.reports[0]?.pageMap?.pages).toBeGreaterThan(1);
  });

  it('starts no browser, even forced, and has the same page list as the one printed with it', async () => {
    const result = await build(
      options({ formats: ['epub'], force: true, browser: noBrowser, templateDir: 'templates' }),
    );
    expect(result.files.flatMap((file) => file.messages)).toEqual([]);
    expect(result.ok).toBe(true);
    const epub = epubOf(result);
    expect(epub.status).toBe('built');
    const pages = await pageList(epub.bytes);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages).toEqual(await pageList(full));
    expect(Buffer.from(epub.bytes).equals(Buffer.from(full))).toBe(true);
    // The page map stays recorded for the next one.
    expect(result.manifest?.reports[0]?.pageMap).toEqual(printed);
  });

  it('is made while the PDF is printed, when both are built again, and is the same book', async () => {
    const stages: string[] = [];
    const result = await build(
      options({
        formats: ['pdf', 'epub'],
        force: true,
        browser: { wsEndpoint: inject('browserWSEndpoint') },
        templateDir: 'templates',
        onProgress: (event) => {
          if (event.kind === 'stage') stages.push(event.stage);
        },
      }),
    );
    expect(result.ok).toBe(true);
    // Made from the recorded page map, before the page was printed (without it, it waits for the layout).
    expect(stages.indexOf('epub')).toBeGreaterThan(-1);
    expect(stages.indexOf('epub')).toBeLessThan(stages.indexOf('print'));
    expect(stages.filter((stage) => stage === 'epub')).toHaveLength(1);
    expect(Buffer.from(epubOf(result).bytes).equals(Buffer.from(full))).toBe(true);
  });

  it('starts no browser when only the EPUB’s own style sheet changed', async () => {
    const css = path.join(dir, 'templates/epub.css');
    await writeFile(css, `${await readFile(css, 'utf8')}\np { letter-spacing: 0; }\n`);
    forgetLoadedTemplates();
    const result = await build(options({ formats: ['epub'], browser: noBrowser, templateDir: 'templates' }));
    expect(result.ok).toBe(true);
    expect(epubOf(result).status).toBe('built');
  });

  it('needs the browser again once the print would differ (the print style sheet changed)', async () => {
    // The same build as above, with the page map no longer matching: the browser is asked for, and cannot start.
    const css = path.join(dir, 'templates/print.css');
    await writeFile(css, `${await readFile(css, 'utf8')}\np { letter-spacing: 0; }\n`);
    forgetLoadedTemplates();
    const forced = build(options({ formats: ['epub'], force: true, browser: noBrowser, templateDir: 'templates' }));
    await expect(forced).rejects.toBeInstanceOf(EnvironmentError);
  });
});
