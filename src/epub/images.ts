import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Element } from 'hast';
import type { VFile } from 'vfile';
import { error } from '../diagnostics/report.js';
import { resolveInProject, type ResourceReader } from '../manuscript/resources.js';
import { selectAll, type EpubChapter } from './chapters.js';

/** An image file of the package. */
export interface PackagedImage {
  /** Path inside the package, relative to the content documents: `images/<hash>.png`. */
  href: string;
  mediaType: string;
  bytes: Uint8Array;
}

export interface ImageSource {
  /** The manuscript, for resolving paths and reporting problems. */
  file: VFile;
  /** Folder every image must be inside. */
  projectRoot: string;
  reader: ResourceReader;
}

const extensions: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/svg+xml': 'svg',
};

/**
 * Read every image the chapters show, give each a name made from its
 * content (so the same inputs always make the same package, and an image
 * used twice is stored once) and point the `<img>` at it. Problems are
 * reported on the manuscript at the image's place, and the image is left
 * out.
 */
export async function packageImages(chapters: readonly EpubChapter[], source: ImageSource): Promise<PackagedImage[]> {
  const images = new Map<string, PackagedImage>();
  const manuscriptDir = path.dirname(source.file.path);
  const loaded = new Map<string, Promise<PackagedImage | string>>();

  const load = (src: string): Promise<PackagedImage | string> => {
    let pending = loaded.get(src);
    if (!pending) {
      pending = (async () => {
        let bytes: Uint8Array | undefined;
        if (src.startsWith('data:')) {
          bytes = decodeDataUrl(src);
          if (!bytes) return 'is a data: URL that cannot be read';
        } else if (/^[a-z][a-z0-9+.-]*:/i.test(src)) {
          return 'is not a file in the project: the EPUB can only hold images that are files beside the manuscript';
        } else {
          const reference = decodeURIComponent(src.replace(/[?#].*$/, ''));
          const absolute = resolveInProject(source.projectRoot, manuscriptDir, reference);
          if (!absolute) return `is outside the project folder ${source.projectRoot}`;
          bytes = await source.reader.read(absolute);
          if (!bytes) return `cannot be found (looked for ${absolute})`;
        }
        const mediaType = sniffImage(bytes);
        if (!mediaType) return 'is not a PNG, JPEG, GIF or SVG image, the formats every EPUB reader shows';
        const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
        return { href: `images/${hash}.${extensions[mediaType]}`, mediaType, bytes };
      })();
      loaded.set(src, pending);
    }
    return pending;
  };

  for (const chapter of chapters) {
    if (chapter.kind === 'cover') continue;
    for (const img of selectAll(chapter.body, (element) => element.tagName === 'img')) {
      const src = img.properties.src;
      if (typeof src !== 'string' || src === '') {
        report(source.file, img, 'An image has no `src`');
        removeImage(chapter.body, img);
        continue;
      }
      const image = await load(src);
      if (typeof image === 'string') {
        report(source.file, img, `Image \`${src.startsWith('data:') ? src.slice(0, 30) + '…' : src}\` ${image}`);
        removeImage(chapter.body, img);
        continue;
      }
      images.set(image.href, image);
      img.properties.src = image.href;
      if (typeof img.properties.alt !== 'string') img.properties.alt = '';
    }
  }
  return [...images.values()].sort((a, b) => (a.href < b.href ? -1 : a.href > b.href ? 1 : 0));
}

function report(file: VFile, img: Element, reason: string): void {
  error(file, reason, { place: img.position, ruleId: 'image-missing' });
}

function removeImage(root: Element, img: Element): void {
  const walk = (parent: Element): boolean => {
    const index = parent.children.indexOf(img);
    if (index !== -1) {
      parent.children.splice(index, 1);
      return true;
    }
    return parent.children.some((child) => child.type === 'element' && walk(child));
  };
  walk(root);
}

function decodeDataUrl(url: string): Uint8Array | undefined {
  const match = /^data:([^,]*?)(;base64)?,(.*)$/s.exec(url);
  if (!match) return undefined;
  return match[2] ? Buffer.from(match[3]!, 'base64') : Buffer.from(decodeURIComponent(match[3]!), 'utf8');
}

/** The media type of an image, from its bytes. */
export function sniffImage(bytes: Uint8Array): string | undefined {
  const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('utf8').replace(/^\uFEFF/, '');
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head)) return 'image/svg+xml';
  return undefined;
}
