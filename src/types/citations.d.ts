declare module 'citeproc' {
  /** One item of a citation cluster (CSL citation-item). */
  export interface CitationItem {
    id: string;
    locator?: string;
    label?: string;
    prefix?: string;
    suffix?: string;
    'suppress-author'?: boolean;
    'author-only'?: boolean;
  }
  export interface Citation {
    citationID: string;
    citationItems: CitationItem[];
    properties: { noteIndex: number };
  }
  export interface Sys {
    retrieveLocale(lang: string): string | undefined;
    retrieveItem(id: string): object | undefined;
    wrapCitationEntry?(text: string, id: string, locator?: string, suffix?: string): string;
  }
  export interface BibliographyMeta {
    entry_ids: string[][];
    bibstart: string;
    bibend: string;
  }
  export class Engine {
    constructor(sys: Sys, style: string, lang?: string, forceLang?: boolean);
    opt: {
      xclass: 'note' | 'in-text';
      development_extensions: { wrap_url_and_doi: boolean; apply_citation_wrapper: boolean };
    };
    citation: { opt: { layout_prefix: string; layout_suffix: string } };
    updateItems(ids: string[]): void;
    rebuildProcessorState(citations: Citation[], format?: string): Array<[string, number, string]>;
    makeCitationCluster(items: CitationItem[]): string;
    makeBibliography(): [BibliographyMeta, string[]] | false;
  }
  const CSL: { Engine: typeof Engine };
  export default CSL;
}

declare module '@citation-js/core' {
  export const plugins: {
    input: {
      chain(data: string, options: { forceType?: string; target?: string; generateGraph?: boolean }): object[];
    };
  };
}

declare module '@citation-js/plugin-bibtex';
