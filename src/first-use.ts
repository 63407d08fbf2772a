/**
 * `load`, run on the first call only: every call returns the same promise. For the libraries imprint loads only
 * when a manuscript needs them (a highlighter, a math typesetter, the EPUB's packager), so that a build that does
 * not need one does not pay for loading it, and one that does loads it once.
 */
export function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load();
    return loading;
  };
}
