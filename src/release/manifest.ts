import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Position } from 'unist';
import { VFile } from 'vfile';
import { z } from 'zod';
import { parseYaml } from '../data/yaml-source.js';
import type { PageMap } from '../document/page-map.js';
import { error } from '../diagnostics/report.js';
import type { OutputSet } from './write-editions.js';
import { sha256 } from './inputs.js';

/** Written into every output folder. */
export const manifestFileName = 'manifest.json';
/** Beside it: what `sha256sum -c` checks. */
export const checksumFileName = 'SHA256SUMS';

const hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 digest in lowercase hex');
const count = z.number().int().min(0);

/** A path inside the manifest's folder: relative, `/`-separated, not leaving it. */
const editionPath = z
  .string()
  .min(1)
  .refine(
    (value) =>
      !value.startsWith('/') && !value.includes('\\') && !value.split('/').includes('..') && !/[\n\r]/.test(value),
    'must be a path inside the manifest’s folder',
  );

const SourceEntry = z.object({ path: z.string().min(1), sha256: hex, bytes: count });

const EditionEntry = z.object({
  format: z.enum(['html', 'pdf', 'epub']),
  /** Relative to the manifest's folder. */
  path: editionPath,
  bytes: count,
  sha256: hex,
  /** PDF: pages in the file. */
  pages: count.optional(),
  /** EPUB: content documents in its reading order, the navigation document left out. */
  chapters: count.optional(),
  /** Digest of everything the edition was made from; equal digests mean an edition need not be made again. */
  inputs: hex,
});

/**
 * Where the printed pages fell the last time the report was laid out for print
 * (`document/page-map.ts`), and the digest of what that layout was made from:
 * an EPUB built alone from the same inputs takes its page list from here
 * instead of laying the print out again in a browser.
 */
const PageMapEntry = z.object({
  /** Digest of the print's inputs (as a PDF edition's `inputs`, taken once the manuscript is compiled). */
  inputs: hex,
  pages: count,
  /** Each page of the body that begins something: [page, block, offset]. */
  starts: z.array(z.tuple([count, count, count])),
  /** The page each element id is printed on: [id, page]. */
  ids: z.array(z.tuple([z.string(), count])),
});

const ReportEntry = z.object({
  /** Base name of the editions. */
  name: z.string().min(1),
  title: z.string().optional(),
  /** Relative to the project folder. */
  manuscript: SourceEntry,
  /** Every other file the manuscript named (data files, images), relative to the project folder. */
  data: z.array(SourceEntry),
  editions: z.array(EditionEntry),
  pageMap: PageMapEntry.optional(),
});

const ShardEntry = z.object({ index: z.number().int().min(1), count: z.number().int().min(1) });

/** manifest.json */
export const Manifest = z.object({
  manifest: z.literal(1),
  tool: z.object({ name: z.string().min(1), version: z.string().min(1) }),
  /** ISO 8601, from SOURCE_DATE_EPOCH when it is set. */
  built: z.string().min(1),
  sourceDateEpoch: z.number().int().min(0).nullable(),
  /** Present on the manifest of one shard of a series. */
  shard: ShardEntry.optional(),
  reports: z.array(ReportEntry),
});
export type Manifest = z.infer<typeof Manifest>;
export type ManifestReport = z.infer<typeof ReportEntry>;
export type ManifestEdition = z.infer<typeof EditionEntry>;
export type ManifestSource = z.infer<typeof SourceEntry>;
export type ManifestPageMap = z.infer<typeof PageMapEntry>;

/** A page map as the manifest records it. */
export function recordedPageMap(pageMap: PageMap, inputs: string): ManifestPageMap {
  return {
    inputs,
    pages: pageMap.pages,
    starts: pageMap.starts.map((start) => [start.page, start.block, start.offset]),
    ids: [...pageMap.pageOfId],
  };
}

/** The page map a manifest recorded. */
export function pageMapOf(entry: ManifestPageMap): PageMap {
  return {
    pages: entry.pages,
    starts: entry.starts.map(([page, block, offset]) => ({ page, block, offset })),
    pageOfId: new Map(entry.ids),
  };
}

/** A manifest read from disk, with the places of its values for messages. */
export interface ReadManifest {
  file: VFile;
  manifest?: Manifest;
  /** The place of the value at `at` in the file. */
  placeOf: (at: readonly PropertyKey[]) => Position | undefined;
}

/** Read and check a manifest. Problems are messages on `file` (`manifest-invalid`). */
export async function readManifest(absolutePath: string, cwd: string): Promise<ReadManifest> {
  const file = new VFile({ path: absolutePath, cwd });
  let text: string;
  try {
    text = await readFile(absolutePath, 'utf8');
  } catch {
    error(file, 'Cannot read the manifest: no file at this path', { ruleId: 'manifest-invalid' });
    return { file, placeOf: () => undefined };
  }
  file.value = text;
  // Read as JSON, which imprint writes: the YAML reader, which knows where each value stands, reads a long report's
  // manifest (its page map) in about 0.12 s, and is only needed to place a message (decision 090).
  let source: ReturnType<typeof parseYaml> | undefined;
  const located = () => (source ??= parseYaml(file, { syntaxRule: 'manifest-invalid', label: 'the manifest' }));
  const placeOf = (at: readonly PropertyKey[]) => located().placeOf(at);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = located().value;
  }
  if (value === undefined) return { file, placeOf };
  const parsed = Manifest.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      error(file, `Not an imprint manifest: \`${issue.path.join('.') || 'manifest'}\` ${issue.message}`, {
        place: placeOf(issue.path) ?? { line: 1, column: 1 },
        ruleId: 'manifest-invalid',
      });
    }
    return { file, placeOf };
  }
  return { file, manifest: parsed.data, placeOf };
}

/** The manifest of an output folder, when there is a valid one. */
export async function previousManifest(outDir: string): Promise<Manifest | undefined> {
  const read = await readManifest(path.join(outDir, manifestFileName), outDir);
  return read.manifest;
}

/**
 * The edition's bytes when the file beside the manifest still is what the
 * manifest says (size and SHA-256); undefined when it is missing or changed.
 */
export async function verifiedEdition(dir: string, edition: ManifestEdition): Promise<Uint8Array | undefined> {
  try {
    const bytes = new Uint8Array(await readFile(path.join(dir, edition.path)));
    return bytes.byteLength === edition.bytes && sha256(bytes) === edition.sha256 ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** The text of manifest.json. */
export function manifestText(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * The text of SHA256SUMS for a manifest's folder: every edition, then
 * manifest.json itself, in the format `sha256sum -c` reads (digest, two
 * spaces, path).
 */
export function checksumsText(manifest: Manifest, manifestBytes: string): string {
  const lines = manifest.reports.flatMap((report) =>
    report.editions.map((edition) => `${edition.sha256}  ${edition.path}`),
  );
  lines.push(`${sha256(manifestBytes)}  ${manifestFileName}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Stage manifest.json and SHA256SUMS for `dir` in the output set. A
 * manifest that says the same as the one there (its build date aside) is
 * left as it is, so a run that changed nothing changes no file.
 * Returns the manifest as it stands in the folder.
 */
export async function writeManifest(
  dir: string,
  manifest: Manifest,
  previous: Manifest | undefined,
  output: OutputSet,
): Promise<Manifest> {
  const same =
    previous !== undefined && manifestText({ ...previous, built: '' }) === manifestText({ ...manifest, built: '' });
  const final = same ? { ...manifest, built: previous.built } : manifest;
  const text = manifestText(final);
  const sums = checksumsText(final, text);
  const changed: Array<{ path: string; bytes: string }> = [];
  for (const [name, content] of [
    [manifestFileName, text],
    [checksumFileName, sums],
  ] as const) {
    const target = path.join(dir, name);
    const current = await readFile(target, 'utf8').catch(() => undefined);
    if (current !== content) changed.push({ path: target, bytes: content });
  }
  if (changed.length > 0) await output.stage(changed);
  return final;
}

/** The ISO 8601 build date: SOURCE_DATE_EPOCH when given, else now. */
export function buildDate(sourceDateEpoch: number | undefined): string {
  const date = new Date(sourceDateEpoch === undefined ? Date.now() : sourceDateEpoch * 1000);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
