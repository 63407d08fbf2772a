import type { PartialDate } from '../data/partial-date.js';
import type { Labels } from './labels.js';

export type Paper = 'a4' | 'letter';

/** Where notes are set in print: at the foot of the page they are cited on, or together at the end. */
export type NotePlacement = 'page' | 'end';
/** Notes numbered through the document, or afresh in each chapter. */
export type NoteNumbering = 'document' | 'chapter';
export type Direction = 'ltr' | 'rtl';

/** Languages written right to left, by their primary subtag. */
const rightToLeft = new Set(['ar', 'he', 'iw', 'fa', 'ur', 'yi', 'ps', 'sd', 'ug', 'dv', 'ckb', 'syr']);

/** The direction a language is written in, from its BCP 47 tag (a script subtag such as `-Arab` wins). */
export function directionOf(lang: string): Direction {
  const [primary, ...rest] = lang.toLowerCase().split('-');
  const script = rest.find((part) => part.length === 4);
  if (script) return ['arab', 'hebr', 'thaa', 'syrc', 'nkoo', 'adlm', 'rohg'].includes(script) ? 'rtl' : 'ltr';
  return rightToLeft.has(primary!) ? 'rtl' : 'ltr';
}

/** Letters of the scripts written right to left. */
const rightToLeftLetter = new RegExp(
  `[${['Hebrew', 'Arabic', 'Syriac', 'Thaana', 'Nko', 'Samaritan', 'Mandaic', 'Adlam', 'Hanifi_Rohingya']
    .map((script) => `\\p{Script=${script}}`)
    .join('')}]`,
  'u',
);
const letter = /\p{L}/u;

/** The direction of the first letter of a text; undefined when it has none. */
export function firstLetterDirection(text: string): Direction | undefined {
  for (const character of text) {
    if (rightToLeftLetter.test(character)) return 'rtl';
    if (letter.test(character)) return 'ltr';
  }
  return undefined;
}

/** The report's metadata, resolved from front matter and options; later stages trust it. */
export interface Metadata {
  title: string;
  subtitle?: string;
  /** For running heads; the title when none is given. */
  shortTitle: string;
  authors: string[];
  /** The authors' affiliations, in the order the authors name them (front matter `affiliations`, see authors.ts). */
  affiliations?: string[];
  /** For each author, the 1-based numbers of its affiliations; present with `affiliations`. */
  authorAffiliations?: number[][];
  date?: PartialDate;
  /** `false` keeps the prose's straight quotes and double hyphens as typed (front matter `smart`). */
  smart?: boolean;
  /** BCP 47 language tag of the document. */
  lang: string;
  /**
   * Direction of the document's text: from the front matter's `dir`, else
   * right to left for Arabic, Hebrew, Persian, Urdu and the other languages
   * written so (`directionOf`). Absent: left to right.
   */
  dir?: Direction;
  description?: string;
  keywords: string[];
  /** Stable identifier of the book (EPUB `dc:identifier`); derived when absent. */
  identifier?: string;
  publisher?: string;
  series?: string;
  paper: Paper;
  /**
   * The paper was named (`--paper`, the front matter's or the configuration file's `paper:`): its size wins over
   * a page size the template sets. Absent, `paper` is the default, and a template's `@page { size }` wins.
   */
  paperNamed?: boolean;
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
  /** The words imprint writes itself, in the document's language (`labelsOf` gives them when absent). */
  labels?: Labels;
}
