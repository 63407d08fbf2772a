import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Root } from 'hast';
import { h } from 'hastscript';
import { describe, expect, it } from 'vitest';
import { VFile } from 'vfile';
import { resolveImages, sniffImage } from '../../src/compile/images.js';
import { diskReader, memoryReader } from '../../src/compile/resources.js';
import { packageImages } from '../../src/writers/epub/images.js';
import { temporaryFolder } from '../helpers/tools.js';

const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const tree = (...srcs: string[]): Root => ({
  type: 'root',
  children: [
    h(
      'p',
      srcs.map((src) => h('img', { src, alt: src })),
    ),
  ],
});

describe('images', () => {
  it('reads each image once under a name made from its content, and reports those it cannot show', async () => {
    const file = new VFile({ path: '/project/report.md' });
    const images = await resolveImages(
      tree(
        'images/a.png',
        'copy.png',
        'missing.png',
        'notes.txt',
        'https://example.com/a.png',
        '../outside.png',
        'file:///etc/passwd',
        '//example.com/b.png',
      ),
      file,
      {
        projectRoot: '/project',
        reader: memoryReader({ '/project/images/a.png': png, '/project/copy.png': png, '/project/notes.txt': 'text' }),
      },
    );
    expect([...images.keys()]).toEqual(['images/a.png', 'copy.png']);
    expect(images.get('images/a.png')!.name).toMatch(/^images\/[0-9a-f]{16}\.png$/);
    expect(images.get('copy.png')!.name).toBe(images.get('images/a.png')!.name);
    expect(packageImages(images)).toHaveLength(1);
    expect(file.messages.map((message) => [message.ruleId, message.reason])).toEqual([
      ['image-missing', 'Image `missing.png` cannot be found (looked for /project/missing.png)'],
      ['image-missing', 'Image `notes.txt` is not a PNG, JPEG, GIF or SVG image, the formats every edition shows'],
      [
        'image-remote',
        'Image `https://example.com/a.png` is remote, and a build loads nothing from the network ' +
          'unless told to: put the image in the project, or allow remote images (--allow-remote)',
      ],
      ['image-outside-project', 'Image `../outside.png` is outside the project folder /project'],
      [
        'image-outside-project',
        'Image `file:///etc/passwd` is a file: URL: name a file of the project by its path, relative to the manuscript',
      ],
      [
        'image-outside-project',
        'Image `//example.com/b.png` is a protocol-relative URL: write it with https: (and allow ' +
          'remote resources) or use a file of the project',
      ],
    ]);
    expect(file.messages.every((message) => message.fatal)).toBe(true);
  });

  it('fetches a remote image only when remote images are allowed, through the reader', async () => {
    const asked: string[] = [];
    const reader = {
      ...memoryReader({}),
      fetch: async (url: URL) => {
        asked.push(url.href);
        return png;
      },
    };
    const refused = new VFile({ path: '/project/report.md' });
    expect(
      (await resolveImages(tree('https://example.com/a.png'), refused, { projectRoot: '/project', reader })).size,
    ).toBe(0);
    expect(asked).toEqual([]);
    const allowed = new VFile({ path: '/project/report.md' });
    const images = await resolveImages(tree('https://example.com/a.png'), allowed, {
      projectRoot: '/project',
      reader,
      allowRemote: true,
    });
    expect(asked).toEqual(['https://example.com/a.png']);
    expect(images.get('https://example.com/a.png')!.mediaType).toBe('image/png');
    expect(allowed.messages).toEqual([]);
  });

  it('refuses a link inside the project that points outside it', async () => {
    const dir = await temporaryFolder();
    const project = path.join(dir, 'project');
    await mkdir(project);
    await writeFile(path.join(dir, 'secret.png'), png);
    await symlink(path.join(dir, 'secret.png'), path.join(project, 'innocent.png'));
    await writeFile(path.join(project, 'fine.png'), png);
    const file = new VFile({ path: path.join(project, 'report.md') });
    const images = await resolveImages(tree('innocent.png', 'fine.png'), file, {
      projectRoot: project,
      reader: diskReader,
    });
    expect([...images.keys()]).toEqual(['fine.png']);
    expect(file.messages.map((message) => message.ruleId)).toEqual(['image-outside-project']);
    expect(file.messages[0]!.reason).toContain('is a link to');
  });

  it('knows an image by its bytes', () => {
    expect(sniffImage(png)).toBe('image/png');
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImage(Buffer.from('GIF89a'))).toBe('image/gif');
    expect(
      sniffImage(Buffer.from('<?xml version="1.0"?>\n<!-- drawn -->\n<svg xmlns="http://www.w3.org/2000/svg"/>')),
    ).toBe('image/svg+xml');
    expect(sniffImage(Buffer.from('RIFF....WEBPVP8 '))).toBeUndefined();
  });
});
