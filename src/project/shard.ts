/**
 * A share of a series for one job of a CI matrix: `--shard 2/3` is the second
 * of three shares. Together the N shares hold every manuscript exactly once.
 */
export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** `K/N` with 1 ≤ K ≤ N, or undefined. */
export function parseShard(text: string): Shard | undefined {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count)
    return undefined;
  return { index, count };
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/**
 * The manuscripts of one shard: round-robin over the list in its stable order
 * (sorted by project path), so shares differ in size by at most one.
 */
export function shareOf<T>(sorted: readonly T[], shard: Shard): T[] {
  return sorted.filter((_, position) => position % shard.count === shard.index - 1);
}
