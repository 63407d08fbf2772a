import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { temporaryFolder } from './tools.js';

/**
 * What a PDF shows, read with poppler and qpdf (never with imprint's own PDF
 * reader), for tests that check the printed file itself.
 */

const run = promisify(execFile);
const big = { maxBuffer: 512 * 1024 * 1024 };

async function onDisk(pdf: Uint8Array): Promise<string> {
  const file = path.join(await temporaryFolder('imprint-pdf-'), 'input.pdf');
  await writeFile(file, pdf);
  return file;
}

/** The text of each page (pdftotext), in reading order or laid out as printed. */
export async function pageTexts(pdf: Uint8Array, layout = false): Promise<string[]> {
  const file = await onDisk(pdf);
  const { stdout } = await run('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], big);
  const pages = stdout.split('\f');
  if (pages.at(-1)?.trim() === '') pages.pop();
  return pages;
}

export interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** The words of each page with their boxes (pdftotext -bbox; y grows downwards from the top of the page). */
export async function pageWords(pdf: Uint8Array): Promise<Word[][]> {
  const file = await onDisk(pdf);
  const { stdout } = await run('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-'], big);
  return stdout
    .split('<page ')
    .slice(1)
    .map((page) =>
      [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map(
        (match) => ({
          text: decode(match[5]!),
          xMin: Number(match[1]),
          yMin: Number(match[2]),
          xMax: Number(match[3]),
          yMax: Number(match[4]),
        }),
      ),
    );
}

function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

interface QpdfJson {
  pages: Array<{ object: string; pageposfrom1: number }>;
  outlines: QpdfOutline[];
  qpdf: [unknown, Record<string, { value?: unknown }>];
}

interface QpdfOutline {
  title: string;
  destpageposfrom1: number;
  kids: QpdfOutline[];
}

/** The PDF as qpdf --json describes it: pages, outlines and every object. */
export async function qpdfJson(pdf: Uint8Array): Promise<QpdfJson> {
  const file = await onDisk(pdf);
  const { stdout } = await run(
    'qpdf',
    ['--json', '--json-key=pages', '--json-key=outlines', '--json-key=qpdf', file],
    big,
  );
  return JSON.parse(stdout) as QpdfJson;
}

export interface Bookmark {
  title: string;
  depth: number;
  page: number;
}

/** The bookmarks, depth first, with the page each opens. */
export function bookmarks(json: QpdfJson): Bookmark[] {
  const out: Bookmark[] = [];
  const walk = (items: QpdfOutline[], depth: number) => {
    for (const item of items) {
      out.push({ title: item.title, depth, page: item.destpageposfrom1 });
      walk(item.kids, depth + 1);
    }
  };
  walk(json.outlines, 0);
  return out;
}

function objects(json: QpdfJson): Record<string, { value?: unknown }> {
  return json.qpdf[1];
}

function valueOf(json: QpdfJson, ref: unknown): Record<string, unknown> | undefined {
  if (typeof ref !== 'string') return undefined;
  const value = objects(json)[`obj:${ref}`]?.value;
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Page number of each page object (`12 0 R`). */
function pageNumbers(json: QpdfJson): Map<string, number> {
  return new Map(json.pages.map((page) => [page.object, page.pageposfrom1]));
}

/** The page each named destination (an id a link points to) opens. */
export function destinations(json: QpdfJson): Map<string, number> {
  const trailer = objects(json).trailer?.value as Record<string, unknown> | undefined;
  const catalog = valueOf(json, trailer?.['/Root']);
  const dests = valueOf(json, catalog?.['/Dests']) ?? {};
  const pages = pageNumbers(json);
  const out = new Map<string, number>();
  for (const [name, destination] of Object.entries(dests)) {
    const target = Array.isArray(destination) ? destination : (valueOf(json, destination) as unknown);
    if (Array.isArray(target) && typeof target[0] === 'string' && pages.has(target[0]))
      out.set(name.slice(1), pages.get(target[0])!);
  }
  return out;
}

export interface Link {
  /** The page the link is on. */
  page: number;
  /** The named destination it goes to. */
  to: string;
}

/** Every link annotation that goes to a named destination. */
export function links(json: QpdfJson): Link[] {
  const out: Link[] = [];
  for (const page of json.pages) {
    const annotations = valueOf(json, page.object)?.['/Annots'];
    const refs = Array.isArray(annotations)
      ? annotations
      : ((valueOf(json, annotations) as unknown as unknown[] | undefined) ?? []);
    for (const ref of refs) {
      const annotation = valueOf(json, ref);
      const dest = annotation?.['/Dest'] ?? (annotation?.['/A'] as Record<string, unknown> | undefined)?.['/D'];
      if (annotation?.['/Subtype'] === '/Link' && typeof dest === 'string') {
        out.push({ page: page.pageposfrom1, to: dest.replace(/^\/|^u:/, '') });
      }
    }
  }
  return out;
}

/** Page sizes in points, per page (`pdfinfo -f 1 -l N`). */
export async function pageSizes(pdf: Uint8Array): Promise<Array<{ width: number; height: number }>> {
  const file = await onDisk(pdf);
  const { stdout } = await run('pdfinfo', ['-f', '1', '-l', '100000', file], big);
  return [...stdout.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((match) => ({
    width: Number(match[1]),
    height: Number(match[2]),
  }));
}

/** `qpdf --check`: whether the file's structure and streams are sound. */
export async function qpdfCheck(pdf: Uint8Array): Promise<{ ok: boolean; output: string }> {
  const file = await onDisk(pdf);
  const result = await run('qpdf', ['--check', file], big).catch((failure: { stdout: string; stderr: string }) => ({
    ...failure,
    failed: true,
  }));
  const output = `${result.stdout}${result.stderr}`;
  return { ok: !('failed' in result) && /No syntax or stream encoding errors found/.test(output), output };
}

/** How many pixels of a page, rendered at `dpi` (pdftoppm), are within `tolerance` of a colour (`#0072b2`). */
export async function pixelsOfColour(pdf: Uint8Array, page: number, colour: string, dpi = 50, tolerance = 24) {
  const file = await onDisk(pdf);
  const { stdout } = await run('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), file], {
    ...big,
    encoding: 'buffer',
  });
  // P6: "P6\n<width> <height>\n255\n" then RGB bytes.
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(stdout.subarray(0, 64).toString('latin1'))!;
  const pixels = stdout.subarray(header[0].length);
  const [r, g, b] = [1, 3, 5].map((at) => Number.parseInt(colour.slice(at, at + 2), 16)) as [number, number, number];
  let count = 0;
  for (let at = 0; at + 2 < pixels.length; at += 3) {
    if (
      Math.abs(pixels[at]! - r) <= tolerance &&
      Math.abs(pixels[at + 1]! - g) <= tolerance &&
      Math.abs(pixels[at + 2]! - b) <= tolerance
    )
      count++;
  }
  return count;
}
