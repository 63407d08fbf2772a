import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import type { VFile } from 'vfile';
import { readManuscript } from '../../src/compile/read-manuscript.js';
import { diskReader } from '../../src/compile/resources.js';
import { compile } from '../../src/compile/pipeline.js';

/**
 * Fixture folders, one per case and grouped by directive:
 * test/fixtures/<directive>/<case>/{input.md, data files, output.html, messages.json}.
 * Each case compiles input.md (its folder is the project folder) and compares
 * the HTML tree and every message of the manuscript and its data files with
 * the expected files. `UPDATE=1` rewrites the expected files; a case without
 * input.md or without expected files fails.
 */
const root = path.resolve(import.meta.dirname, '../fixtures');
const update = process.env.UPDATE === '1';

const folders = (dir: string) =>
  readdirSync(dir)
    .filter((name) => statSync(path.join(dir, name)).isDirectory())
    .sort();

for (const directive of folders(root)) {
  describe(`fixtures: ${directive}`, () => {
    if (folders(path.join(root, directive)).length === 0) {
      it('has cases', () => {
        throw new Error(`Broken fixture folder ${directive}: it has no cases`);
      });
    }
    for (const name of folders(path.join(root, directive))) {
      it(name, async () => {
        const folder = path.join(root, directive, name);
        const input = path.join(folder, 'input.md');
        if (!existsSync(input)) throw new Error(`Broken fixture ${directive}/${name}: it has no input.md`);
        const file = await readManuscript(input, diskReader, folder);
        const doc = (await compile(file, { reader: diskReader, projectRoot: folder }))!;
        const html = readableHtml(toHtml(doc.tree));
        const messages = `${JSON.stringify(messagesOf([file, ...doc.dataFiles], folder), null, 2)}\n`;

        const expectedHtml = path.join(folder, 'output.html');
        const expectedMessages = path.join(folder, 'messages.json');
        if (update) {
          await writeFile(expectedHtml, html);
          await writeFile(expectedMessages, messages);
          return;
        }
        for (const expected of [expectedHtml, expectedMessages]) {
          if (!existsSync(expected)) {
            throw new Error(
              `Broken fixture ${directive}/${name}: no ${path.basename(expected)}; run UPDATE=1 npx ` +
                `vitest run test/unit/fixtures.test.ts and review it`,
            );
          }
        }
        expect(messages).toBe(await readFile(expectedMessages, 'utf8'));
        expect(html).toBe(await readFile(expectedHtml, 'utf8'));
      });
    }
  });
}

/** Messages as they would be reported, with paths relative to the fixture folder. */
function messagesOf(files: VFile[], folder: string) {
  return files.flatMap((file) =>
    [...file.messages]
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
      .map((message) => {
        const place = message.place;
        const start = place && 'start' in place ? place.start : place;
        const end = place && 'end' in place ? place.end : undefined;
        return {
          file: path.relative(folder, file.path),
          place: start ? `${start.line}:${start.column}${end ? `-${end.line}:${end.column}` : ''}` : null,
          severity: message.fatal ? 'error' : message.fatal === false ? 'warning' : 'info',
          ruleId: message.ruleId ?? null,
          // The fixture's own folder, wherever the repository is.
          reason: message.reason.replaceAll(folder, '<fixture>'),
        };
      }),
  );
}

/** One block element per line, so that a changed fixture shows as a readable diff. */
function readableHtml(html: string): string {
  const blocks =
    'p|h[1-6]|figcaption|tr|thead|tbody|tfoot|table|figure|section|li|ol|ul|div|title|desc|text|line|rect|' +
    'circle|pattern|defs|g';
  return `${html.replace(new RegExp(`(</(?:${blocks})>)(?!\n)`, 'g'), '$1\n')}\n`;
}
