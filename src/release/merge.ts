import path from 'node:path';
import type { VFile } from 'vfile';
import { error } from '../diagnostics/report.js';
import { OutputSet } from './write-editions.js';
import { formatShard } from '../project/shard.js';
import {
  manifestFileName,
  readManifest,
  verifiedEdition,
  writeManifest,
  type Manifest,
  type ManifestReport,
} from './manifest.js';
import { compareText } from '../project/order.js';

export interface MergeOptions {
  /** manifest.json files (of the shards of one series), each beside its editions. */
  manifests: string[];
  /** Folder to gather the editions, the merged manifest and SHA256SUMS in. */
  outDir: string;
  cwd?: string;
}

export interface MergeResult {
  ok: boolean;
  /** The manifests, with their messages. */
  files: VFile[];
  manifest?: Manifest;
  manifestPath?: string;
}

/**
 * Combine the manifests of several runs (the shards of one CI matrix) into
 * one. Every edition is checked against its manifest's size and SHA-256 and
 * copied into `outDir`; a manuscript listed twice, two editions with one
 * name, different tool versions, or a shard missing from a complete set of
 * shards are errors, and then nothing is written.
 */
export async function mergeManifests(options: MergeOptions): Promise<MergeResult> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const outDir = path.resolve(cwd, options.outDir);
  const reads = await Promise.all(options.manifests.map((manifest) => readManifest(path.resolve(cwd, manifest), cwd)));
  const files = reads.map((read) => read.file);
  if (reads.length === 0 || reads.some((read) => !read.manifest)) return { ok: false, files };
  const first = reads[0]!;
  const shown = (file: VFile) => path.relative(cwd, file.path) || file.path;

  for (const read of reads.slice(1)) {
    const { tool } = read.manifest!;
    if (tool.name !== first.manifest!.tool.name || tool.version !== first.manifest!.tool.version) {
      error(
        read.file,
        `Built by ${tool.name} ${tool.version}, but ${shown(first.file)} by ` +
          `${first.manifest!.tool.name} ${first.manifest!.tool.version}`,
        {
          place: read.placeOf(['tool']),
          ruleId: 'manifest-mismatch',
        },
      );
    }
  }

  // Shards: all of them, each once, of one count.
  const sharded = reads.filter((read) => read.manifest!.shard);
  if (sharded.length > 0) {
    const count = sharded[0]!.manifest!.shard!.count;
    const byIndex = new Map<number, VFile>();
    for (const read of reads) {
      const shard = read.manifest!.shard;
      if (!shard) {
        error(read.file, 'This manifest is of a whole run, the others of shards: merge the shards of one run', {
          place: { line: 1, column: 1 },
          ruleId: 'manifest-overlap',
        });
        continue;
      }
      if (shard.count !== count) {
        error(
          read.file,
          `Shard ${formatShard(shard)} is of a split into ${shard.count}, but ` +
            `${shown(sharded[0]!.file)} of one into ${count}`,
          {
            place: read.placeOf(['shard', 'count']),
            ruleId: 'manifest-mismatch',
          },
        );
        continue;
      }
      const other = byIndex.get(shard.index);
      if (other) {
        error(read.file, `Shard ${formatShard(shard)} is also ${shown(other)}`, {
          place: read.placeOf(['shard']),
          ruleId: 'manifest-overlap',
        });
        continue;
      }
      byIndex.set(shard.index, read.file);
    }
    const missing = Array.from({ length: count }, (_, index) => index + 1).filter((index) => !byIndex.has(index));
    if (missing.length > 0) {
      error(
        first.file,
        `Shard${missing.length > 1 ? 's' : ''} ${missing.map((index) => `${index}/${count}`).join(', ')} ` +
          'missing from the merge',
        {
          place: first.placeOf(['shard']) ?? { line: 1, column: 1 },
          ruleId: 'manifest-incomplete',
        },
      );
    }
  }

  // Each manuscript once, each edition name once, each file as its manifest says.
  const reports: ManifestReport[] = [];
  const copies: Array<{ path: string; bytes: Uint8Array }> = [];
  const byManuscript = new Map<string, VFile>();
  const byEdition = new Map<string, VFile>();
  for (const read of reads) {
    const dir = path.dirname(read.file.path);
    for (const [index, report] of read.manifest!.reports.entries()) {
      const other = byManuscript.get(report.manuscript.path);
      if (other) {
        error(
          read.file,
          `\`${report.manuscript.path}\` is also in ${shown(other)}: each manuscript belongs in one manifest`,
          {
            place: read.placeOf(['reports', index, 'manuscript', 'path']),
            ruleId: 'manifest-overlap',
          },
        );
        continue;
      }
      byManuscript.set(report.manuscript.path, read.file);
      for (const [position, edition] of report.editions.entries()) {
        const clash = byEdition.get(edition.path);
        if (clash) {
          error(read.file, `Edition \`${edition.path}\` is also in ${shown(clash)}`, {
            place: read.placeOf(['reports', index, 'editions', position, 'path']),
            ruleId: 'manifest-overlap',
          });
          continue;
        }
        byEdition.set(edition.path, read.file);
        const bytes = await verifiedEdition(dir, edition);
        if (!bytes) {
          error(
            read.file,
            `\`${edition.path}\` is missing beside the manifest or does not match its size and SHA-256`,
            {
              place: read.placeOf(['reports', index, 'editions', position, 'sha256']),
              ruleId: 'manifest-mismatch',
            },
          );
          continue;
        }
        if (path.resolve(dir, edition.path) !== path.resolve(outDir, edition.path)) {
          copies.push({ path: path.join(outDir, edition.path), bytes });
        }
      }
      reports.push(report);
    }
  }
  if (files.some((file) => file.messages.some((message) => message.fatal))) return { ok: false, files };

  const epochs = new Set(reads.map((read) => read.manifest!.sourceDateEpoch));
  const merged: Manifest = {
    manifest: 1,
    tool: first.manifest!.tool,
    built: reads
      .map((read) => read.manifest!.built)
      .sort()
      .at(-1)!,
    sourceDateEpoch: epochs.size === 1 ? [...epochs][0]! : null,
    reports: reports.sort((a, b) => compareText(a.manuscript.path, b.manuscript.path)),
  };
  // The copied editions, the manifest and the checksums replace the folder's as one set.
  const output = await OutputSet.open(outDir);
  try {
    await output.stage(copies);
    const manifest = await writeManifest(outDir, merged, undefined, output);
    await output.commit();
    return { ok: true, files, manifest, manifestPath: path.join(outDir, manifestFileName) };
  } finally {
    await output.close();
  }
}
