import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Root } from 'mdast';
import { cutPieces, definitionStubs, joinPieces, pieceSource } from './parse-pieces.js';

/**
 * Below this many characters a piece is parsed sooner on the thread that has it than by a worker, which takes
 * about 90 ms to start and load the parser, and whose parser starts cold (decision 092).
 */
const shortestPiece = 128 * 1024;

/** What parses Markdown on this thread: the pipeline's processor. */
interface Parser {
  parse(text: string): Root;
}

/**
 * The manuscript's syntax tree, parsed by up to `threads` threads: a long manuscript is cut at headings into
 * pieces of at least {@link shortestPiece} characters, the first parsed here and each other by a worker thread of
 * its own, and their trees are joined into the one a parse of the whole gives; where they cannot be (see
 * parse-pieces.ts), or a worker fails, the whole is parsed here. Run from the sources (no worker module beside
 * this one), it is parsed whole.
 */
export async function parseManuscript(parser: Parser, text: string, threads: number): Promise<Root> {
  const count = Math.min(threads, Math.floor(text.length / shortestPiece));
  const pieces = count > 1 && hasWorker ? cutPieces(text, count) : [];
  if (pieces.length < 2) return parser.parse(text);
  const stubs = definitionStubs(text);
  const sources = pieces.map((_, index) => pieceSource(pieces, index, stubs));
  const away = sources.slice(1).map((source) => parseInWorker(source.text));
  const trees = [parser.parse(sources[0]!.text)];
  for (const tree of away) {
    const parsed = await tree;
    if (!parsed) return parser.parse(text);
    trees.push(parsed);
  }
  return joinPieces(text, pieces, sources, trees) ?? parser.parse(text);
}

/** The worker's module beside this one's (the bundle's `parse-worker.js`); none when run from the sources. */
const workerModule = new URL('./parse-worker.js', import.meta.url);
const hasWorker = existsSync(fileURLToPath(workerModule));

/** The tree of `text` parsed by a worker thread of its own; `undefined` if it fails. */
function parseInWorker(text: string): Promise<Root | undefined> {
  return new Promise((resolve) => {
    const worker = new Worker(workerModule);
    worker.unref();
    let settled = false;
    const done = (tree: Root | undefined) => {
      if (settled) return;
      settled = true;
      resolve(tree);
      void worker.terminate();
    };
    worker.once('message', (trees: Root[]) => done(trees[0]));
    worker.once('error', () => done(undefined));
    worker.once('exit', () => done(undefined));
    worker.postMessage([text]);
  });
}
