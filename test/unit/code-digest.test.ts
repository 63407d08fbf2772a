import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeDigestOf } from '../../src/release/code-digest.js';
import { temporaryFolder } from '../helpers/tools.js';

async function folderOf(files: Record<string, string>): Promise<string> {
  const root = await temporaryFolder('imprint-code-digest-');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
  return root;
}

describe("the digest of imprint's code", () => {
  it('changes with a module, its bytes or its path', async () => {
    const base = await codeDigestOf(await folderOf({ 'a.js': 'one', 'run/b.js': 'two' }));
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(await codeDigestOf(await folderOf({ 'a.js': 'one', 'run/b.js': 'two' }))).toBe(base);
    expect(await codeDigestOf(await folderOf({ 'a.js': 'one', 'run/b.js': 'two!' }))).not.toBe(base);
    expect(await codeDigestOf(await folderOf({ 'a.js': 'one', 'run/c.js': 'two' }))).not.toBe(base);
    expect(await codeDigestOf(await folderOf({ 'a.js': 'one', 'run/b.js': 'two', 'c.mjs': '' }))).not.toBe(base);
  });

  it('leaves out declarations, other files and the folders it is told to skip', async () => {
    const base = await codeDigestOf(await folderOf({ 'a.js': 'one' }));
    const more = await folderOf({
      'a.js': 'one',
      'a.d.ts': 'declare const a: string;',
      'notes.txt': 'not code',
      'bundle/api.js': 'bundled',
    });
    expect(await codeDigestOf(more, ['bundle'])).toBe(base);
    expect(await codeDigestOf(more)).not.toBe(base);
  });
});
