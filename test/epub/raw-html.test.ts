import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { epubcheckAll } from '../helpers/tools.js';
import { buildInMemory } from '../helpers/build.js';

/**
 * Raw HTML that browsers accept but an EPUB's XHTML may not hold (the fixtures of test/fixtures/html: elements out
 * of their parents or order, attribute values outside what they take, unsafe markup) is normalised, and the EPUBs
 * pass epubcheck with no error and no warning.
 */
const root = path.resolve(import.meta.dirname, '../fixtures/html');
const cases = readdirSync(root).sort();

describe('raw HTML in the EPUB', () => {
  it('makes EPUBs that epubcheck passes, for every raw-HTML fixture', async () => {
    const made: Array<{ name: string; epub: Uint8Array }> = [];
    for (const name of cases) {
      const folder = path.join(root, name);
      const result = await buildInMemory({
        manuscripts: [path.join(folder, 'input.md')],
        config: false,
        formats: ['epub'],
        cwd: folder,
      });
      const report = result.reports[0]!;
      expect(report.ok, `${name}: ${result.files.flatMap((file) => file.messages.map(String)).join('\n')}`).toBe(true);
      made.push({ name, epub: report.editions[0]!.bytes });
    }
    const checks = await epubcheckAll(made.map(({ epub }) => epub));
    expect(
      checks.map((check, index) => `${made[index]!.name}: ${check.fatals} ${check.errors} ${check.warnings}`),
      checks.map((check) => check.output).join('\n'),
    ).toEqual(made.map(({ name }) => `${name}: 0 0 0`));
  });
});
