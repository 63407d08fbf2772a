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

/**
 * A full URL as RFC 3986 writes it, which the EPUB's links are checked against: what browsers forgive is
 * percent-encoded (a `#` or a bracket inside the fragment, spaces, quotes, angle brackets, braces, the backslash,
 * caret, grave accent and bar, controls, a `%` that starts no escape). Characters beyond ASCII stay (an IRI). A URL
 * that is already valid is returned as it is.
 */
export function asUri(href: string): string {
  const hash = href.indexOf('#');
  const escape = (char: string) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  const encode = (part: string) =>
    part.replace(/%(?![\dA-Fa-f]{2})/g, '%25').replace(/[\u0000-\u0020"<>\\^`{|}\u007F]/g, escape);
  if (hash < 0) return encode(href);
  return `${encode(href.slice(0, hash))}#${encode(href.slice(hash + 1)).replace(/[#[\]]/g, escape)}`;
}
