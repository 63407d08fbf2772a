import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { imprint, repositoryRoot } from '../helpers/cli.js';
import { epubEntries, packageDocument } from '../helpers/epub.js';
import { epubcheck, temporaryFolder } from '../helpers/tools.js';

const browserArgs = () => ['--browser-ws-endpoint', inject('browserWSEndpoint')];

async function project(addition: string): Promise<string> {
  const dir = await temporaryFolder();
  await cp(path.join(repositoryRoot, 'manuscript'), dir, { recursive: true });
  const manuscript = path.join(dir, 'report.md');
  await writeFile(manuscript, `${await readFile(manuscript, 'utf8')}\n${addition}\n`);
  return dir;
}

describe('images in the EPUB', () => {
  it('packages an image beside the manuscript, and the EPUB stays valid', async () => {
    const dir = await project('![A map of East Asia](images/map.svg)');
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';
    await mkdir(path.join(dir, 'images'));
    await writeFile(path.join(dir, 'images/map.svg'), svg);
    const result = await imprint([
      'build',
      path.join(dir, 'report.md'),
      '--format',
      'epub',
      '--out',
      path.join(dir, 'out'),
      '--quiet',
      ...browserArgs(),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const epub = await readFile(path.join(dir, 'out/report.epub'));
    const opf = await packageDocument(epub);
    const image = opf.manifest.find((item) => item.mediaType === 'image/svg+xml' && item.href.startsWith('images/'))!;
    // Packaged as cleaned (see svg-image.ts): the same drawing, re-serialised, with no DOCTYPE.
    const packaged = new TextDecoder().decode((await epubEntries(epub)).get(opf.base + image.href));
    expect(packaged).toMatch(/^<svg\b[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(packaged).toContain('<rect width="10" height="10"');
    expect(packaged).not.toContain('DOCTYPE');
    expect(opf.metadata.get('schema:accessibilityFeature')).toContain('alternativeText');
    const check = await epubcheck(epub);
    expect([check.fatals, check.errors, check.warnings]).toEqual([0, 0, 0]);
  });

  it('reports an image it cannot find at its line and column, and writes nothing', async () => {
    const dir = await project('A paragraph.\n\nSee ![the missing map](images/none.png) here.');
    const result = await imprint([
      'build',
      path.join(dir, 'report.md'),
      '--format',
      'epub',
      '--out',
      path.join(dir, 'out'),
      ...browserArgs(),
    ]);
    expect(result.code).toBe(1);
    const lines = (await readFile(path.join(dir, 'report.md'), 'utf8')).split('\n');
    const line = lines.findIndex((text) => text.includes('images/none.png')) + 1;
    expect(result.stderr).toMatch(new RegExp(`report\\.md:${line}:5`));
    expect(result.stderr).toContain('Image `images/none.png` cannot be found');
    expect(result.stderr).toContain('image-missing');
    expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(await readdir(path.join(dir, 'out')).catch(() => [])).toEqual([]);
  });
});
