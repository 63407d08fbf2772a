import type { Parent } from 'mdast';
import type { Metadata } from '../config/metadata.js';

/** What a numbered figure or table is. */
export type FigureKind = 'table' | 'figure';

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

/** Something the text can refer to: a numbered table, a figure, a section. */
export interface Target {
  id: string;
  kind: FigureKind | 'section';
  /** "Table 1", "Figure 2", "Section 3" */
  label: string;
}

declare module 'mdast' {
  interface RootContentMap {
    imprintFigure: ImprintFigure;
  }
  interface BlockContentMap {
    imprintFigure: ImprintFigure;
  }
}

declare module 'vfile' {
  interface DataMap {
    /** Set by remark-imprint-front-matter. */
    metadata: Metadata;
    /** Set by remark-imprint-numbering: every id the text can refer to. */
    targets: globalThis.Map<string, Target>;
  }
}
