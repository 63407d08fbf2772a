/**
 * `decodeURIComponent` for references written by hand: a malformed escape
 * (`%E0%A4%A`, `%ZZ`) or a lone surrogate is kept as written instead of
 * throwing, so it reaches the check that reports it at its place (a file
 * that does not exist, a target that is not there) rather than stopping the
 * build with an internal error.
 */
export function decodeReference(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Whether a link names a file beside the document (`notes.md`, `../data/`, `/about`) rather than a place in the
 * document (`#id`, or empty) or a full URL with a scheme (`https:`, `mailto:`). The PDF and the EPUB hold no such
 * file, so there the link would lead nowhere.
 */
export function namesLocalFile(href: string): boolean {
  return href !== '' && !href.startsWith('#') && !/^[a-z][a-z\d+.-]*:/i.test(href);
}
