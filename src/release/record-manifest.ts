import { compareText } from '../project/order.js';
import type { Shard } from '../project/shard.js';
import { toolName, toolVersion } from '../version.js';
import type { OutputSet } from './write-editions.js';
import { buildDate, verifiedEdition, writeManifest, type Manifest, type ManifestReport } from './manifest.js';

export interface ManifestRecord {
  outDir: string;
  /** The set manifest.json and SHA256SUMS are staged in, with the run's editions. */
  output: OutputSet;
  /** Entries of the reports this run built or found up to date, by manuscript path. */
  current: ReadonlyMap<string, ManifestReport>;
  /** Manuscript paths this run was asked for whose entry it could not make (failed or not reached). */
  unfinished: readonly string[];
  /** The folder's manifest from an earlier run. */
  previous?: Manifest;
  /** A shard's manifest lists only its own share. */
  shard?: Shard;
  sourceDateEpoch?: number;
  /** Whether any report of the run failed. */
  failed: boolean;
}

/**
 * Settle the output folder's manifest.json and SHA256SUMS and stage them. They list
 * what the folder holds and imprint can vouch for: the reports of this run,
 * and, from the earlier manifest, reports this run did not make again whose
 * files are still intact (a report that failed this time keeps its earlier
 * editions). A shard's manifest lists its own share only. Returns the
 * manifest as written, or undefined when there is nothing to record.
 */
export async function recordManifest(record: ManifestRecord): Promise<Manifest | undefined> {
  const reports = new Map(record.current);
  const earlier = new Map(record.previous?.reports.map((report) => [report.manuscript.path, report]));
  const carried = record.shard ? record.unfinished : [...earlier.keys()].filter((key) => !record.current.has(key));
  const taken = new Set([...reports.values()].flatMap((report) => report.editions.map((edition) => edition.path)));
  for (const key of carried) {
    const entry = earlier.get(key);
    if (!entry || reports.has(key)) continue;
    const intact = [];
    for (const edition of entry.editions) {
      if (!taken.has(edition.path) && (await verifiedEdition(record.outDir, edition))) intact.push(edition);
    }
    if (intact.length > 0) reports.set(key, { ...entry, editions: intact });
  }
  if (reports.size === 0 && record.failed) return undefined;

  const manifest: Manifest = {
    manifest: 1,
    tool: { name: toolName, version: toolVersion },
    built: buildDate(record.sourceDateEpoch),
    sourceDateEpoch: record.sourceDateEpoch ?? null,
    shard: record.shard,
    reports: [...reports.values()].sort((a, b) => compareText(a.manuscript.path, b.manuscript.path)),
  };
  return writeManifest(record.outDir, manifest, record.previous, record.output);
}
