import type { ResolvedImage } from '../../compile/images.js';

/** An image file of the package. */
export interface PackagedImage {
  /** Path inside the package, relative to the content documents: `images/<hash>.png`. */
  href: string;
  mediaType: string;
  bytes: Uint8Array;
}

/**
 * The images of the package: each image the document shows (read and
 * checked once, by manuscript/images.ts), stored once under the name made
 * from its content, in a stable order, so the same inputs always make the
 * same package.
 */
export function packageImages(images: ReadonlyMap<string, ResolvedImage>): PackagedImage[] {
  const byName = new Map<string, PackagedImage>();
  for (const image of images.values())
    byName.set(image.name, { href: image.name, mediaType: image.mediaType, bytes: image.bytes });
  return [...byName.values()].sort((a, b) => (a.href < b.href ? -1 : a.href > b.href ? 1 : 0));
}
