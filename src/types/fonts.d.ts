declare module 'subset-font' {
  interface SubsetOptions {
    /** Format of the result; default the input's. */
    targetFormat?: 'sfnt' | 'truetype' | 'woff' | 'woff2';
    preserveNameIds?: number[];
    keepFeatures?: string[];
    noLayoutClosure?: boolean;
    glyphNames?: boolean;
    noHinting?: boolean;
    dropTables?: string[];
  }
  /** A font reduced to the glyphs `text` needs (HarfBuzz's hb-subset, as WebAssembly). */
  export default function subsetFont(font: Uint8Array, text: string, options?: SubsetOptions): Promise<Buffer>;
}

declare module 'fontverter' {
  type Format = 'sfnt' | 'truetype' | 'woff' | 'woff2';
  /** Convert a font between its containers (WOFF2 decompressed with Brotli, as WebAssembly). */
  export function convert(font: Uint8Array, to: Format, from?: Format): Promise<Buffer>;
  export function detectFormat(font: Uint8Array): 'sfnt' | 'woff' | 'woff2';
}
