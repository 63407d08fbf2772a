import type { Root as HastRoot } from 'hast';
import type { VFile } from 'vfile';
import type { Metadata } from './metadata.js';
import type { Target } from './nodes.js';
import type { ResolvedImage } from './images.js';

/** A heading of the report, for contents pages, bookmarks and EPUB navigation. */
export interface OutlineEntry {
  id: string;
  /** 1 for the manuscript's top-level sections (`#`), 2 for `##`, … */
  depth: number;
  text: string;
}

/** The one document tree every edition is written from. */
export interface CompiledDocument {
  /** The manuscript, with the messages of every stage. */
  file: VFile;
  /** The data files the manuscript uses, each with its own messages. */
  dataFiles: VFile[];
  metadata: Metadata | undefined;
  /** The body of the report as HTML (hast): sections, headings, tables, figures. */
  tree: HastRoot;
  outline: OutlineEntry[];
  targets: Map<string, Target>;
  /** Every image the body shows, read once, keyed by its `src` as written (see manuscript/images.ts). */
  images: ReadonlyMap<string, ResolvedImage>;
}
