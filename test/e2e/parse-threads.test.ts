import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { writeLongManuscript } from '../../bench/long-manuscript.js';
import type * as Api from '../../src/api.js';
import { markdownParser } from '../../src/compile/markdown-parser.js';
import { cutPieces, definitionStubs, joinPieces, pieceSource } from '../../src/compile/parse-pieces.js';
import { temporaryFolder } from '../helpers/tools.js';

/** The bundle the package runs: the parse workers are started from its `parse-worker.js`, which the sources lack. */
const bundle = path.resolve(import.meta.dirname, '../../lib/bundle/api.js');

describe('a long manuscript parsed by worker threads (decision 092)', () => {
  it('gives the same HTML edition as one parsed whole, with a worker for each piece but the first', async () => {
    const { build } = (await import(bundle)) as typeof Api;
    const dir = await temporaryFolder();
    // About 440,000 characters: three pieces of at least 128 KiB.
    const { manuscript } = await writeLongManuscript(dir, { words: 60_000 });
    const html = async (parseThreads: number) => {
      const result = await build({
        manuscripts: [manuscript],
        formats: ['html'],
        write: false,
        config: false,
        parseThreads,
      });
      expect(result.ok).toBe(true);
      return Buffer.from(result.reports[0]!.editions.find((edition) => edition.format === 'html')!.bytes).toString();
    };
    // The pieces join: the threads' trees are the ones used, not refused for a parse of the whole.
    const text = await readFile(manuscript, 'utf8');
    const pieces = cutPieces(text, 3);
    const stubs = definitionStubs(text);
    const parser = markdownParser();
    const sources = pieces.map((_, index) => pieceSource(pieces, index, stubs));
    const trees = sources.map((source) => parser.parse(source.text));
    expect(pieces).toHaveLength(3);
    expect(joinPieces(text, pieces, sources, trees)).toBeDefined();

    let workers = 0;
    let answers = 0;
    const counted = (worker: Worker) => {
      workers += 1;
      worker.on('message', () => {
        answers += 1;
      });
    };
    process.on('worker', counted);
    try {
      const whole = await html(1);
      expect(workers).toBe(0);
      const inPieces = await html(3);
      expect([workers, answers]).toEqual([2, 2]);
      expect(inPieces).toBe(whole);
    } finally {
      process.off('worker', counted);
    }
  });
});
