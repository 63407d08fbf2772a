import { VFile } from 'vfile';
import { error } from '../diagnostics/report.js';
import type { ResourceReader } from './resources.js';

/**
 * Read a manuscript into a vfile. A manuscript that is missing, empty or not
 * UTF-8 text gets a message and no value.
 */
export async function readManuscript(absolutePath: string, reader: ResourceReader, cwd = process.cwd()): Promise<VFile> {
  const file = new VFile({ path: absolutePath, cwd });
  const bytes = await reader.read(absolutePath);
  if (bytes === undefined) {
    error(file, 'Cannot find the manuscript: no file at this path', { ruleId: 'manuscript-missing' });
    return file;
  }
  const text = decodeText(bytes);
  if (text === undefined) {
    error(file, 'The manuscript is not UTF-8 text (it looks like a binary file)', {
      place: { line: 1, column: 1 },
      ruleId: 'manuscript-binary',
    });
    return file;
  }
  if (text.trim() === '') {
    error(file, 'The manuscript is empty', { place: { line: 1, column: 1 }, ruleId: 'manuscript-empty' });
    return file;
  }
  file.value = text;
  return file;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 text without NUL bytes, minus a byte order mark; undefined for anything else. */
export function decodeText(bytes: Uint8Array): string | undefined {
  try {
    const text = decoder.decode(bytes);
    if (text.includes('\u0000')) return undefined;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return undefined;
  }
}
