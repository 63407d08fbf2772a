import path from 'node:path';
import type { VFile } from 'vfile';
import { buildReport, type Edition, formats, type Format, type ReportContext, type Stage } from './build-report.js';
import type { PageMap } from '../document/page-map.js';
import type { ResourceReader } from '../compile/resources.js';
import { editionName, projectPath } from '../project/manuscripts.js';
import { inputsDigest, RecordingReader, sha256, type SourceFile } from '../release/inputs.js';
import {
  pageMapOf,
  recordedPageMap,
  verifiedEdition,
  type ManifestEdition,
  type ManifestPageMap,
  type ManifestReport,
} from '../release/manifest.js';
import type { ResolvedRun } from './resolve-run.js';
import { compareText } from '../project/order.js';

/** One edition of a report, made in this run or found up to date in the output folder. */
export interface EditionResult {
  format: Format;
  /** Where it is (or would be) written. */
  path: string;
  bytes: Uint8Array;
  sha256: string;
  /** PDF: pages in the file. */
  pages?: number;
  /** EPUB: content documents in its reading order, the navigation document left out. */
  chapters?: number;
  /** `unchanged`: its inputs are those recorded in the manifest and the file is intact, so it was not made again. */
  status: 'built' | 'unchanged';
}

export interface ReportResult {
  /** The manuscript's absolute path. */
  manuscript: string;
  /** Base name of its editions: `report` for `report.md`. */
  name: string;
  /** True when every edition asked for was made (and written, if asked) or found up to date. */
  ok: boolean;
  /** The editions asked for, in the order html, pdf, epub. */
  editions: EditionResult[];
  /** The manuscript and its data files, each with its messages. */
  files: VFile[];
  /** Where the printed pages fall, when the print page was laid out (a PDF or EPUB was made). */
  pageMap?: PageMap;
  /**
   * Every local file the build read (the manuscript, included parts, data
   * files, images), absolute, even when it failed: what its editions depend
   * on besides the templates (`imprint watch` watches these).
   */
  inputs: string[];
}

/** What the reports of a run share. */
export interface RunShared {
  run: ResolvedRun;
  context: Omit<ReportContext, 'reader' | 'select' | 'onStage' | 'formats'>;
  reader: ResourceReader;
  /** Write the editions; without it nothing is compared with or recorded in a manifest. */
  write: boolean;
  force: boolean;
  /** The run's fingerprint for one edition (tool, the templates it is made with, fonts). */
  fingerprint: (format: string) => Promise<string>;
  /** The output folder's manifest from an earlier run, by manuscript path. */
  previous?: ReadonlyMap<string, ManifestReport>;
}

/** A report's result with the manifest entry that records it (when it succeeded). */
export interface ReportRun {
  result: ReportResult;
  entry?: ManifestReport;
}

/**
 * Build one manuscript: compile it, leave out the editions whose inputs are
 * unchanged (unless forced), make the others in memory and describe each one
 * for the manifest. Nothing is written here.
 */
export async function runReport(
  manuscript: string,
  shared: RunShared,
  onStage?: (stage: Stage, ms: number) => void,
  onEdition?: (format: Format, counts: { pages?: number }) => void,
): Promise<ReportRun> {
  const { run } = shared;
  const key = projectPath(run.projectDir, manuscript);
  const before = shared.force || !shared.write ? undefined : shared.previous?.get(key);
  const pipelineReader = new RecordingReader(shared.reader);
  const earlierReader = new RecordingReader(shared.reader);
  const requested = new Set(run.formats);
  const kept = new Map<Format, { entry: ManifestEdition; bytes: Uint8Array }>();
  let title: string | undefined;
  // The page map recorded by an earlier run, used even with `force` when its inputs are these.
  const recordedEarlier = shared.write ? shared.previous?.get(key)?.pageMap : undefined;
  /** The digest of the print's inputs, taken once the manuscript compiled (it has read every file by then). */
  let printInputs: Promise<string> | undefined;
  const earlierPageMap = async (): Promise<ManifestPageMap | undefined> =>
    recordedEarlier && printInputs && recordedEarlier.inputs === (await printInputs) ? recordedEarlier : undefined;

  const options = {
    paper: run.paper,
    defaults: run.defaults,
    projectRoot: run.projectRoot === undefined ? undefined : projectPath(run.projectDir, run.projectRoot),
    sourceDateEpoch: run.sourceDateEpoch,
  };
  const digest = async (sources: readonly SourceFile[], format: Format) =>
    inputsDigest({
      run: await shared.fingerprint(format),
      format,
      options,
      sources: sources.map((source) => ({ path: projectPath(run.projectDir, source.path), sha256: source.sha256 })),
    });

  // Each edition is described (digest, pages, chapters) as soon as it is made, while the others are being made.
  const descriptions = new Map<Uint8Array, ReturnType<typeof describe>>();
  const built = await buildReport(manuscript, {
    ...shared.context,
    formats: requested,
    reader: pipelineReader,
    onStage,
    onEdition: (edition) => {
      if (onEdition) onEdition(edition.format, edition.pages === undefined ? {} : { pages: edition.pages });
      const description = describe(edition);
      description.catch(() => undefined);
      descriptions.set(edition.bytes, description);
    },
    earlierPageMap: async () => {
      const found = await earlierPageMap();
      return found ? pageMapOf(found) : undefined;
    },
    select: async (doc) => {
      title = doc.metadata.title;
      printInputs = digest(pipelineReader.sources(), 'pdf');
      printInputs.catch(() => undefined);
      if (!before) return requested;
      // The files the earlier build read, read again now: with what the compile
      // just read, the same set of files the earlier digest was taken over.
      for (const source of [before.manuscript, ...before.data]) {
        await earlierReader.read(path.resolve(run.projectDir, source.path));
      }
      const sources = union(pipelineReader.sources(), earlierReader.sources());
      for (const format of formats) {
        const earlier = before.editions.find((edition) => edition.format === format);
        if (!earlier || earlier.path !== `${editionName(manuscript)}.${format}`) continue;
        if (earlier.inputs !== (await digest(sources, format))) continue;
        const bytes = await verifiedEdition(run.outDir, earlier);
        if (bytes) kept.set(format, { entry: earlier, bytes });
      }
      return new Set([...requested].filter((format) => !kept.has(format)));
    },
  });

  const result: ReportResult = {
    manuscript,
    name: built.name,
    ok: built.ok,
    editions: [],
    files: built.files,
    pageMap: built.pageMap,
    inputs: pipelineReader
      .sources()
      .map((source) => source.path)
      .filter((source) => path.isAbsolute(source)),
  };
  if (!built.ok) return { result };

  const sources = kept.size > 0 ? union(pipelineReader.sources(), earlierReader.sources()) : pipelineReader.sources();
  const entries: ManifestEdition[] = [];
  for (const format of formats) {
    const made = built.editions.find((edition) => edition.format === format);
    const found = kept.get(format);
    if (made) {
      const described = await (descriptions.get(made.bytes) ?? describe(made));
      const entry: ManifestEdition = {
        format,
        path: path.basename(made.path),
        bytes: made.bytes.byteLength,
        sha256: described.sha256,
        ...described.counts,
        inputs: await digest(sources, format),
      };
      entries.push(entry);
      result.editions.push({
        format,
        path: made.path,
        bytes: made.bytes,
        sha256: entry.sha256,
        ...described.counts,
        status: 'built',
      });
    } else if (found) {
      entries.push(found.entry);
      if (requested.has(format)) {
        const counts = countsOf(found.entry);
        result.editions.push({
          format,
          path: path.join(run.outDir, found.entry.path),
          bytes: found.bytes,
          sha256: found.entry.sha256,
          ...counts,
          status: 'unchanged',
        });
      }
    }
  }

  const manuscriptSource = sources.find((source) => source.path === path.resolve(manuscript));
  const entry: ManifestReport = {
    name: built.name,
    title,
    manuscript: recorded(run.projectDir, manuscriptSource ?? { path: manuscript, sha256: '', bytes: 0 }),
    data: sources.filter((source) => source !== manuscriptSource).map((source) => recorded(run.projectDir, source)),
    editions: entries,
  };
  // Where the pages fell, for an EPUB built alone later: this run's layout, else the earlier one if still valid.
  const pageMap =
    built.pageMap && printInputs ? recordedPageMap(built.pageMap, await printInputs) : await earlierPageMap();
  if (pageMap) entry.pageMap = pageMap;
  return { result, entry };
}

/** An edition's digest, and the counts its writer gave. */
async function describe(edition: Edition): Promise<{ sha256: string; counts: { pages?: number; chapters?: number } }> {
  return { sha256: sha256(edition.bytes), counts: countsOf(edition) };
}

function countsOf(entry: { pages?: number | undefined; chapters?: number | undefined }): {
  pages?: number;
  chapters?: number;
} {
  return { pages: entry.pages, chapters: entry.chapters };
}

function recorded(projectDir: string, source: SourceFile): ManifestReport['manuscript'] {
  return { path: projectPath(projectDir, source.path), sha256: source.sha256, bytes: source.bytes };
}

function union(a: readonly SourceFile[], b: readonly SourceFile[]): SourceFile[] {
  const byPath = new Map<string, SourceFile>();
  for (const source of [...a, ...b]) byPath.set(source.path, source);
  return [...byPath.values()].sort((a, b) => compareText(a.path, b.path));
}
