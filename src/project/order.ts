/**
 * Compare two strings by UTF-16 code unit, the same on every machine and in
 * every locale: the order of manuscripts, files and manifest entries.
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
