import path from 'node:path';
import type { Point, Position } from 'unist';
import { VFile } from 'vfile';
import { location } from 'vfile-location';
import { plugins } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import { error } from '../../diagnostics/report.js';
import { parseYaml } from '../../data/yaml-source.js';
import { decodeText } from '../read-manuscript.js';
import { locateResource, readInProject, type ResourceReader } from '../resources.js';

/** A work as CSL JSON (the input of the CSL processor). */
export type CslItem = { id: string } & Record<string, unknown>;

/** One work of the bibliography, with where it is defined. */
export interface BibliographyEntry {
  key: string;
  item: CslItem;
  file: VFile;
  place: Position | undefined;
}

export interface Bibliography {
  /** Every work by its key, the first definition of a key winning. */
  entries: Map<string, BibliographyEntry>;
  /** The bibliography files read, each with its own messages. */
  files: VFile[];
}

export interface ReadBibliographyOptions {
  reader: ResourceReader;
  projectRoot: string;
  /** Paths are relative to the manuscript's folder; problems with them are reported on it, at `place`. */
  manuscript: VFile;
  place: Position | Point | undefined;
}

/**
 * Read the bibliography files a manuscript names: BibTeX (`.bib`), CSL JSON
 * (`.json`) and CSL YAML (`.yaml`, `.yml`: a list of works or Pandoc's
 * `references:` mapping). A file that does not parse and a key defined twice
 * are reported on that file at their line and column.
 */
export async function readBibliography(
  references: readonly string[],
  options: ReadBibliographyOptions,
): Promise<Bibliography> {
  const { manuscript, place } = options;
  const entries = new Map<string, BibliographyEntry>();
  const files: VFile[] = [];
  for (const reference of references) {
    const where = locateResource(reference, options.projectRoot, path.dirname(manuscript.path));
    if (where.kind !== 'file') {
      const reason = where.kind === 'refused' ? where.reason : 'is not a file of the project';
      error(manuscript, `Bibliography \`${reference}\` ${reason}`, { place, ruleId: 'bibliography-missing' });
      continue;
    }
    const bytes = await readInProject(options.reader, options.projectRoot, where.absolute);
    if (bytes === undefined || 'refused' in bytes) {
      const reason = bytes ? bytes.refused : `cannot be found (looked for ${where.absolute})`;
      error(manuscript, `Bibliography \`${reference}\` ${reason}`, {
        place,
        ruleId: bytes?.unreadable ? 'file-unreadable' : 'bibliography-missing',
      });
      continue;
    }
    const file = new VFile({ path: where.absolute, cwd: manuscript.cwd });
    files.push(file);
    const text = decodeText(bytes);
    if (text === undefined) {
      error(file, 'The bibliography is not UTF-8 text', {
        place: { line: 1, column: 1 },
        ruleId: 'bibliography-syntax',
      });
      continue;
    }
    file.value = text;
    const extension = path.extname(where.absolute).toLowerCase();
    const found =
      extension === '.json'
        ? readCslJson(file)
        : extension === '.yaml' || extension === '.yml'
          ? readCslYaml(file)
          : readBibtex(file);
    for (const entry of found) {
      const first = entries.get(entry.key);
      if (first) {
        const at = first.file === file ? `line ${first.place?.start.line ?? '?'}` : `${first.file.basename}`;
        error(file, `Duplicate bibliography key \`${entry.key}\` (first defined at ${at})`, {
          place: entry.place,
          ruleId: 'bibliography-duplicate',
        });
        continue;
      }
      entries.set(entry.key, entry);
    }
  }
  return { entries, files };
}

function pointAt(file: VFile, offset: number): Position | undefined {
  const start = location(file).toPoint(offset);
  return start ? { start, end: start } : undefined;
}

/** Entries of a BibTeX file, located at their keys. */
function readBibtex(file: VFile): BibliographyEntry[] {
  const text = String(file.value);
  let items: CslItem[];
  try {
    items = plugins.input.chain(text, {
      forceType: '@biblatex/text',
      target: '@csl/list+object',
      generateGraph: false,
    }) as CslItem[];
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const at = /at line (\d+) col (\d+)/.exec(message);
    const reason = message.split('\n')[0]!.replace(/ at line \d+ col \d+:?$/, '');
    error(file, `Cannot parse the bibliography: ${reason}`, {
      place: at ? { line: Number(at[1]), column: Number(at[2]) } : { line: 1, column: 1 },
      ruleId: 'bibliography-syntax',
    });
    return [];
  }
  // Where each entry's key is written, in order (the parser does not say).
  const places = new Map<string, number[]>();
  const entry = /@([A-Za-z]+)\s*[{(]\s*([^\s,{}()]+)\s*,/g;
  for (const match of text.matchAll(entry)) {
    if (/^(string|comment|preamble)$/i.test(match[1]!)) continue;
    const key = match[2]!;
    const list = places.get(key) ?? [];
    list.push(match.index! + match[0].indexOf(key, match[1]!.length + 1));
    places.set(key, list);
  }
  const seen = new Map<string, number>();
  const result: BibliographyEntry[] = [];
  for (const item of items) {
    const key = String(item['citation-key'] ?? item.id);
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    const offset = places.get(key)?.[nth];
    result.push({
      key,
      item: { ...item, id: key },
      file,
      place: offset === undefined ? undefined : pointAt(file, offset),
    });
  }
  // Keys the parser merged (a duplicate it kept once) are still reported where they are written.
  for (const [key, offsets] of places) {
    for (let nth = seen.get(key) ?? 0; nth < offsets.length && (seen.get(key) ?? 0) > 0; nth++) {
      result.push({ key, item: { id: key }, file, place: pointAt(file, offsets[nth]!) });
    }
  }
  return result;
}

/** Entries of a CSL JSON file (an array of works), located at their `id`. */
function readCslJson(file: VFile): BibliographyEntry[] {
  const text = String(file.value);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const at = /position (\d+)/.exec(message);
    const lineColumn = /line (\d+) column (\d+)/.exec(message);
    error(file, `Cannot parse the bibliography: ${message.replace(/ in JSON at position \d+.*$/, '')}`, {
      place: lineColumn
        ? { line: Number(lineColumn[1]), column: Number(lineColumn[2]) }
        : at
          ? pointAt(file, Number(at[1]))
          : { line: 1, column: 1 },
      ruleId: 'bibliography-syntax',
    });
    return [];
  }
  const list = Array.isArray(value) ? value : isRecord(value) && Array.isArray(value.items) ? value.items : undefined;
  if (!list) {
    error(file, 'A CSL JSON bibliography is a list of works, each with an `id`', {
      place: { line: 1, column: 1 },
      ruleId: 'bibliography-syntax',
    });
    return [];
  }
  const places = new Map<string, number[]>();
  for (const match of text.matchAll(/"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)/g)) {
    const key = String(JSON.parse(match[1]!));
    const offsets = places.get(key) ?? [];
    offsets.push(match.index! + match[0].length - match[1]!.length);
    places.set(key, offsets);
  }
  const seen = new Map<string, number>();
  const result: BibliographyEntry[] = [];
  list.forEach((work: unknown, index: number) => {
    if (
      !isRecord(work) ||
      (typeof work.id !== 'string' && typeof work.id !== 'number') ||
      String(work.id).trim() === ''
    ) {
      error(file, `Work ${index + 1} of the bibliography has no \`id\``, {
        place: { line: 1, column: 1 },
        ruleId: 'bibliography-syntax',
      });
      return;
    }
    const key = String(work.id);
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    const offset = places.get(key)?.[nth];
    result.push({
      key,
      item: normaliseDates({ ...work, id: key }),
      file,
      place: offset === undefined ? undefined : pointAt(file, offset),
    });
  });
  return result;
}

/** Entries of a CSL YAML file, located at their `id`. */
function readCslYaml(file: VFile): BibliographyEntry[] {
  const source = parseYaml(file, { syntaxRule: 'bibliography-syntax', label: file.basename ?? 'the bibliography' });
  if (source.value === undefined) return [];
  const value = source.value;
  const [list, at] = Array.isArray(value)
    ? [value, [] as PropertyKey[]]
    : isRecord(value) && Array.isArray(value.references)
      ? [value.references, ['references'] as PropertyKey[]]
      : [undefined, []];
  if (!list) {
    error(file, 'A CSL YAML bibliography is a list of works, or a mapping with `references:` listing them', {
      place: { line: 1, column: 1 },
      ruleId: 'bibliography-syntax',
    });
    return [];
  }
  const result: BibliographyEntry[] = [];
  list.forEach((work: unknown, index: number) => {
    const id = isRecord(work) ? work.id : undefined;
    if (!isRecord(work) || (typeof id !== 'string' && typeof id !== 'number') || String(id).trim() === '') {
      error(file, `Work ${index + 1} of the bibliography has no \`id\``, {
        place: source.placeOf([...at, index]),
        ruleId: 'bibliography-syntax',
      });
      return;
    }
    const key = String(id);
    result.push({ key, item: normaliseDates({ ...work, id: key }), file, place: source.placeOf([...at, index, 'id']) });
  });
  return result;
}

const dateFields = ['issued', 'accessed', 'event-date', 'original-date', 'submitted', 'available-date'];

/** Dates as CSL YAML writes them (`issued: 2020-05`, `issued: [{year: 2020}]`) in the form the processor reads. */
function normaliseDates(item: CslItem): CslItem {
  for (const field of dateFields) {
    const value = item[field];
    if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) {
      const raw = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
      const parts = /^(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$/.exec(raw);
      item[field] = parts ? { 'date-parts': [parts.slice(1).filter(Boolean).map(Number)] } : { raw };
    } else if (Array.isArray(value) && value.every(isRecord)) {
      item[field] = {
        'date-parts': value.map((part) => [part.year, part.month, part.day].filter((n) => n !== undefined).map(Number)),
      };
    }
  }
  return item;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
