import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskReader, type ResourceReader } from '../../src/compile/resources.js';
import { reasonOf } from '../../src/diagnostics/file-errors.js';
import { buildHtml } from '../helpers/messages.js';
import { temporaryFolder } from '../helpers/tools.js';

/**
 * A file that is there but cannot be read (EACCES, EIO) is a message naming it, at the place that names it, with
 * exit 1: never "internal error", and never taken for a missing file. Permissions cannot be had as root (CI runs
 * as root), so the disk reader is wrapped to fail as the system would for the files named.
 */

function failing(code: string, names: readonly string[]): ResourceReader {
  const fail = (absolutePath: string) => {
    if (!names.includes(path.basename(absolutePath))) return undefined;
    return Object.assign(new Error(`${code}: denied, open '${absolutePath}'`), { code, path: absolutePath });
  };
  return {
    ...diskReader,
    async read(absolutePath) {
      const error = fail(absolutePath);
      if (error) throw error;
      return diskReader.read(absolutePath);
    },
  };
}

async function project(): Promise<string> {
  const dir = await temporaryFolder();
  await mkdir(path.join(dir, 'data'));
  await writeFile(path.join(dir, 'data/a.csv'), 'name,value\nA,1\nB,2\n');
  await writeFile(path.join(dir, 'part.md'), 'An included paragraph.\n');
  await writeFile(
    path.join(dir, 'report.md'),
    '---\ntitle: Unreadable\n---\n\n# One\n\nText.\n\n::include{src="part.md"}\n\n' +
      '::table[Values]{#tbl-a src="data/a.csv"}\n\n![A picture](pic.png)\n',
  );
  await writeFile(path.join(dir, 'pic.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
  return dir;
}

async function run(dir: string, reader: ResourceReader) {
  const { ok, messages } = await buildHtml(dir, { reader });
  return { ok, messages };
}

describe('a file that cannot be read', () => {
  it('is named, with the reason, at the line of the directive, image or include that names it', async () => {
    const dir = await project();
    const { ok, messages } = await run(dir, failing('EACCES', ['a.csv', 'part.md', 'pic.png']));
    expect(ok).toBe(false);
    const unreadable = messages.filter((message) => message.ruleId === 'file-unreadable');
    expect(unreadable).toEqual([
      expect.objectContaining({
        file: 'report.md',
        line: 9,
        ruleId: 'file-unreadable',
        reason: 'Included file `part.md` cannot be read: permission denied (EACCES)',
      }),
      expect.objectContaining({
        file: 'report.md',
        line: 11,
        ruleId: 'file-unreadable',
        reason: 'Data file `data/a.csv` cannot be read: permission denied (EACCES)',
      }),
      expect.objectContaining({ file: 'report.md', line: 13, ruleId: 'file-unreadable' }),
    ]);
    expect(unreadable[2]!.reason).toContain('cannot be read: permission denied (EACCES)');
    expect(messages.map((message) => message.reason).join('\n')).not.toMatch(/internal error|cannot be found/i);
  });

  it('is the manuscript itself: its own rule, not "cannot find"', async () => {
    const dir = await project();
    const { ok, messages } = await run(dir, failing('EIO', ['report.md']));
    expect(ok).toBe(false);
    expect(messages).toEqual([
      {
        file: 'report.md',
        line: undefined,
        ruleId: 'manuscript-unreadable',
        reason: 'The manuscript cannot be read: the device reported an input/output error (EIO)',
      },
    ]);
  });

  it('says why in words for the codes a user can act on, and keeps any other message', () => {
    const coded = (code: string) => Object.assign(new Error('raw'), { code });
    expect(reasonOf(coded('ENOSPC'))).toBe('no space left on the device (ENOSPC)');
    expect(reasonOf(coded('EACCES'))).toBe('permission denied (EACCES)');
    expect(reasonOf(coded('EWHATEVER'))).toBe('raw');
    expect(reasonOf(new Error('plain'))).toBe('plain');
  });
});
