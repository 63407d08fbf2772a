/** What the book holds, as far as its accessibility metadata is concerned. */
export interface BookContents {
  /** Images and inline SVG figures in the text (the cover not counted). */
  visuals: number;
  /** Of those, how many have no text alternative (empty `alt`, an SVG with no title or label). */
  visualsWithoutText: number;
  tables: number;
  notes: number;
  /** Whether the text carries the PDF's page numbers (page-break markers and a page list). */
  pageNumbers: boolean;
}

/** The package's accessibility metadata (schema.org and EPUB Accessibility 1.1). */
export interface AccessibilityMetadata {
  accessModes: string[];
  /** Each entry a comma-separated set of modes that is enough to read the whole book. */
  accessModesSufficient: string[];
  features: string[];
  hazards: string[];
  summary: string;
  /** The conformance claim, when the book can make it. */
  conformsTo?: string;
}

export const conformance = 'EPUB Accessibility 1.1 - WCAG 2.2 Level AA';

/**
 * Describe the book's accessibility from what it holds, so the metadata
 * says only what is true: visual content and the text alternatives for it,
 * the navigation it has, and no hazards (imprint makes no animation,
 * sound or flashing content). The book claims conformance only when every
 * image has a text alternative.
 */
export function accessibilityMetadata(book: BookContents): AccessibilityMetadata {
  const visual = book.visuals > 0;
  const described = book.visualsWithoutText === 0;
  // Reflowable text styled in relative units: the reading system can change size, face, spacing and colours.
  const features = ['tableOfContents', 'structuralNavigation', 'readingOrder', 'ARIA', 'displayTransformability'];
  if (book.pageNumbers) features.push('pageNavigation', 'pageBreakMarkers');
  if (visual && described) features.push('alternativeText');

  const sentences: string[] = [];
  sentences.push(
    described
      ? 'This publication meets the requirements of EPUB Accessibility 1.1 and WCAG 2.2 Level AA.'
      : `This publication does not claim WCAG conformance: ${book.visualsWithoutText} of its ` +
          `${book.visuals} figures ${book.visualsWithoutText === 1 ? 'has' : 'have'} no text alternative.`,
  );
  sentences.push(
    'It has a table of contents with a link to every heading, headings that follow the structure of ' +
      'the report, and a single logical reading order.',
  );
  if (book.pageNumbers)
    sentences.push(
      'Page-break markers and a page list give the page numbers of the PDF edition, so pages can be cited in both.',
    );
  if (book.tables > 0) {
    sentences.push(
      book.tables === 1
        ? 'Its table is a real table with header cells, not a picture of one.'
        : `Its ${book.tables} tables are real tables with header cells, not pictures of tables.`,
    );
  }
  if (book.notes > 0) sentences.push('Every note is linked from its reference and back, in the same chapter.');
  if (visual && described) {
    sentences.push(
      book.visuals === 1
        ? 'Its one figure has a text alternative.'
        : book.visuals === 2
          ? 'Both its figures have a text alternative.'
          : `All ${book.visuals} of its figures (images and charts) have a text alternative.`,
    );
  }
  sentences.push(
    'Text can be resized and restyled by the reading system. There are no flashing, motion or sound hazards.',
  );

  return {
    accessModes: visual ? ['textual', 'visual'] : ['textual'],
    accessModesSufficient: !visual ? ['textual'] : described ? ['textual', 'textual,visual'] : ['textual,visual'],
    features: features.sort(),
    hazards: ['none'],
    summary: sentences.join(' '),
    conformsTo: described ? conformance : undefined,
  };
}
