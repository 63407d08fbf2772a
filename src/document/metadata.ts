import type { PartialDate } from '../data/partial-date.js';

export type Paper = 'a4' | 'letter';

/** Where notes are set in print: at the foot of the page they are cited on, or together at the end. */
export type NotePlacement = 'page' | 'end';
/** Notes numbered through the document, or afresh in each chapter. */
export type NoteNumbering = 'document' | 'chapter';

/** The report's metadata, resolved from front matter and options; later stages trust it. */
export interface Metadata {
  title: string;
  subtitle?: string;
  /** For running heads; the title when none is given. */
  shortTitle: string;
  authors: string[];
  date?: PartialDate;
  /** BCP 47 language tag of the document. */
  lang: string;
  description?: string;
  keywords: string[];
  /** Stable identifier of the book (EPUB `dc:identifier`); derived when absent. */
  identifier?: string;
  publisher?: string;
  series?: string;
  paper: Paper;
  /** Deepest heading level listed in tables of contents (1 = top-level sections). */
  tocDepth: number;
  /**
   * Top-level sections are chapters: in print each begins on a new page and
   * names itself in the running head.
   */
  chapters?: boolean;
  /** A list of figures (with their pages in the PDF) after the contents (`lof: true`). */
  listOfFigures?: boolean;
  /** A list of tables after the contents (`lot: true`). */
  listOfTables?: boolean;
  /** Bibliography files, relative to the manuscript's folder (or absolute, from the configuration file). */
  bibliography?: string[];
  /** The citation style: a shipped style's name or a CSL file; Chicago author-date when absent. */
  csl?: string;
  /** `page` when absent. */
  notes?: NotePlacement;
  /** `document` when absent. */
  notesNumbering?: NoteNumbering;
}
