/** An image a manuscript shows, read once for every edition. */
export interface ResolvedImage {
  /** A name made from the content: `images/<hash>.<ext>` (the same bytes, the same name). */
  name: string;
  mediaType: string;
  bytes: Uint8Array;
}
