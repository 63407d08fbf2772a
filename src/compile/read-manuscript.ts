import { VFile } from 'vfile';
import { location as vfileLocation } from 'vfile-location';
import { error, warn } from '../diagnostics/report.js';
import { readOrRefuse, type ResourceReader } from './resources.js';

/**
 * Read a manuscript into a vfile. A manuscript that is missing, empty or not
 * UTF-8 text gets a message and no value.
 */
export async function readManuscript(
  absolutePath: string,
  reader: ResourceReader,
  cwd = process.cwd(),
): Promise<VFile> {
  const file = new VFile({ path: absolutePath, cwd });
  const bytes = await readOrRefuse(reader, absolutePath);
  if (bytes === undefined) {
    error(file, 'Cannot find the manuscript: no file at this path', { ruleId: 'manuscript-missing' });
    return file;
  }
  if ('refused' in bytes) {
    error(file, `The manuscript ${bytes.refused}`, { ruleId: 'manuscript-unreadable' });
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
  file.value = replaceControlCharacters(text, file);
  return file;
}

/**
 * Control characters (other than tab and line breaks) have no place in a
 * manuscript and no edition can hold them (XML forbids them): each is
 * reported where it is and replaced by U+FFFD, which keeps every later
 * line and column where it was.
 */
function replaceControlCharacters(text: string, file: VFile): string {
  const pattern = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
  if (!pattern.test(text)) return text;
  const location = vfileLocation(text);
  return text.replace(pattern, (character, offset: number) => {
    const code = character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    warn(file, `Control character U+${code} in the text, replaced by U+FFFD`, {
      place: location.toPoint(offset),
      ruleId: 'text-control-character',
    });
    return '\uFFFD';
  });
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
