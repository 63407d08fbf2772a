import { parentPort } from 'node:worker_threads';
import { markdownParser } from './markdown-parser.js';

/**
 * A worker thread that parses pieces of a long manuscript (compile/parse-manuscript.ts): it is sent the pieces'
 * texts, each with the stubs laid after it, and answers with their trees, in order.
 */
const parser = markdownParser();
parentPort?.on('message', (texts: string[]) => {
  parentPort?.postMessage(texts.map((text) => parser.parse(text)));
});
