import type { ElementContent, Properties } from 'hast';
import type { Literal, Parent } from 'mdast';
import type { Node } from 'unist';
import type { Metadata } from './metadata.js';
import type { Change } from '../data/summary.js';
import type { DataTable } from '../data/table-data.js';

/** What a numbered figure or table is: a table, a figure (chart or image), a code listing, a display equation. */
export type FigureKind = 'table' | 'figure' | 'listing' | 'equation';

/**
 * A generated, numbered block (a table from data, a chart). Plugins that
 * create one set `kind` and `identifier`; the numbering plugin sets `number`
 * and writes the label ("Table 1.") into its caption.
 */
export interface ImprintFigure extends Parent {
  type: 'imprintFigure';
  kind: FigureKind;
  identifier: string;
  number?: number;
}

/**
 * Generated HTML inside a figure (a table body, a chart's SVG): an mdast leaf
 * that remark-rehype turns into the element in `data`, children and all.
 */
export interface ImprintGenerated extends Node {
  type: 'imprintGenerated';
  data: { hName: string; hProperties: Properties; hChildren: ElementContent[] };
}

/**
 * A formatted citation (or a bibliography) in the text: an mdast leaf that
 * remark-rehype turns into the element in `data`, the processor's output.
 */
export interface ImprintCitation extends Node {
  type: 'imprintCitation';
  /** The keys of the works it cites. */
  keys: string[];
  data: { hName: string; hProperties: Properties; hChildren: ElementContent[] };
}

/** Something the text can refer to: a numbered table, a figure, a section. */
export interface Target {
  id: string;
  kind: FigureKind | 'section';
  /** "Table 1", "Figure 2"; a section's title */
  label: string;
  /** A table's or figure's caption as plain text, without its label (for lists of figures and tables). */
  caption?: string;
}

declare module 'mdast' {
  /** TOML front matter (`+++`), which remark-frontmatter reads when asked for it. */
  interface Toml extends Literal {
    type: 'toml';
  }
  interface FrontmatterContentMap {
    toml: Toml;
  }
  interface RootContentMap {
    toml: Toml;
    imprintCitation: ImprintCitation;
    imprintFigure: ImprintFigure;
    imprintGenerated: ImprintGenerated;
  }
  interface TextData {
    /** A data file's source, written as the table or chart gives it: a bibliography key makes it a citation. */
    imprintSource?: boolean;
  }
  interface PhrasingContentMap {
    imprintCitation: ImprintCitation;
  }
  interface BlockContentMap {
    imprintFigure: ImprintFigure;
    imprintGenerated: ImprintGenerated;
  }
}

declare module 'vfile' {
  interface DataMap {
    /** Set by remark-imprint-front-matter. */
    metadata: Metadata;
    /** Set by remark-imprint-numbering: every id the text can refer to. */
    targets: globalThis.Map<string, Target>;
    /**
     * Set by remark-imprint-numbering: the whole slug of a heading whose id was cut short (a long title in a
     * script of many bytes), as a link written for GitHub names it, and the id the heading has.
     */
    shortenedIds: globalThis.Map<string, string>;
    /** Set by the table and chart plugins: the changes they computed, which the prose may quote too. */
    changes: Array<{ table: DataTable; change: Change }>;
  }
}
