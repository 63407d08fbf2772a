import type { Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { ResolvedImage } from '../compile/images.js';

/**
 * Point every `<img>` of a tree at the image read for its `src` (`url` says
 * how the edition names it: a data: URL, a path it serves, a path in the
 * package). An image that was not read (it had a problem, reported already)
 * is taken out, so no edition ever asks for a file by itself. Mutates `tree`:
 * give it a copy.
 */
export function setImageSources(
  tree: Root,
  images: ReadonlyMap<string, ResolvedImage>,
  url: (image: ResolvedImage) => string,
): void {
  visit(tree, 'element', (node, index, parent) => {
    if (node.tagName !== 'img') return;
    const src = node.properties.src;
    const image = typeof src === 'string' ? images.get(src) : undefined;
    if (!image) {
      if (parent && index !== undefined) {
        parent.children.splice(index, 1);
        return index;
      }
      return;
    }
    node.properties.src = url(image);
    if (typeof node.properties.alt !== 'string') node.properties.alt = '';
    return;
  });
}

/** Whether a tree shows any image (a copy to point them elsewhere is needed only then). */
export function hasImages(tree: Root): boolean {
  let found = false;
  visit(tree, 'element', (node) => {
    if (node.tagName === 'img') found = true;
    return found ? false : undefined;
  });
  return found;
}
