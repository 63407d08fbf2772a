/**
 * Why the file system refused: the words for the error codes a user can act on, with the code, so a message
 * names the path and the cause ("Cannot read data/a.csv: permission denied (EACCES)"), never a bare stack.
 */

const known: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  ELOOP: 'its symbolic links go round in a loop',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many files are open',
  EIO: 'the device reported an input/output error',
};

/** What went wrong with a file: "permission denied (EACCES)", "no space left on the device (ENOSPC)". */
export function reasonOf(cause: unknown): string {
  const code = errnoOf(cause);
  if (code && known[code]) return `${known[code]} (${code})`;
  return cause instanceof Error ? cause.message : String(cause);
}

/** The error code of a failed file-system call (`EACCES`), or undefined for any other error. */
export function errnoOf(cause: unknown): string | undefined {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}
