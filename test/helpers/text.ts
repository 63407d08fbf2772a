/** Text with whitespace, hyphens and soft hyphens removed: compares prose across line breaks and hyphenation. */
export function squash(text: string): string {
  return text.replace(/[\s\u00ad\u2010-]+/g, '');
}

/**
 * The body text of a PDF's extracted pages: running heads (the short title)
 * and folios ("N / M") taken off each page, so that paragraphs crossing a
 * page break read on.
 */
export function bodyOfPages(text: string, runningHead: string): string {
  return text
    .split('\f')
    .map((page) =>
      page
        .split('\n')
        .filter((line) => line.trim() !== runningHead && !/^\s*\d+\s*(\/|of)\s*\d+\s*$/.test(line))
        .join('\n'),
    )
    .join('\n');
}
