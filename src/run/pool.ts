/**
 * Run `work` over `items`, at most `limit` at a time, in list order. Once
 * `signal` is aborted no further item starts; the ones running finish. The
 * first failure stops new items from starting and is thrown once the running
 * ones have settled.
 */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  let failure: { cause: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure && !signal?.aborted) {
      const index = next++;
      try {
        await work(items[index]!, index);
      } catch (cause) {
        failure ??= { cause };
      }
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure) throw failure.cause;
}
