import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { error, warn } from '../diagnostics/report.js';
import type { ResolvedImage } from '../document/images.js';

export type { ResolvedImage } from '../document/images.js';
import { defaultLimits } from './limits.js';
import { locateResource, readInProject, type ResourceReader } from './resources.js';
import { sanitizeSvgImage } from './svg-image.js';

export interface ImageOptions {
  reader: ResourceReader;
  /** Folder every image must be inside. */
  projectRoot: string;
  /** Fetch http(s) images at build time (default: refuse them). The browser never loads anything itself. */
  allowRemote?: boolean;
  /** Most pixels (width × height) in one image; default the `image-pixels` limit's. */
  maxPixels?: number;
}

const extensions: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/svg+xml': 'svg',
};

/**
 * Read every image of the document (`<img src>`, from Markdown or raw HTML),
 * keyed by its `src` as written. An image that cannot be shown (missing,
 * outside the project, remote when remote images are not allowed, not an
 * image) is an error at its place and is left out of the map; the editions
 * show only what is in it, so no edition ever loads a file by itself.
 */
export async function resolveImages(
  tree: Root,
  file: VFile,
  options: ImageOptions,
): Promise<Map<string, ResolvedImage>> {
  const fromDir = file.path ? path.dirname(file.path) : options.projectRoot;
  const images = new Map<string, ResolvedImage>();
  const pending = new Map<string, Promise<Loaded | { problem: string; ruleId: ImageRule }>>();
  const places: Array<{ img: Element; src: string }> = [];
  visit(tree, 'element', (node) => {
    if (node.tagName !== 'img') return;
    const src = node.properties.src;
    places.push({ img: node, src: typeof src === 'string' ? src : '' });
  });
  for (const { img, src } of places) {
    if (src === '') {
      error(file, 'An image has no `src`', { place: img.position, ruleId: 'image-missing' });
      continue;
    }
    let loading = pending.get(src);
    if (!loading) {
      loading = load(src, fromDir, options);
      pending.set(src, loading);
    }
    const image = await loading;
    if ('problem' in image) {
      error(file, `Image \`${shortSrc(src)}\` ${image.problem}`, { place: img.position, ruleId: image.ruleId });
    } else {
      images.set(src, image.image);
      if (image.removed.length > 0) {
        warn(file, `Removed ${image.removed.join(', ')} from the SVG image \`${shortSrc(src)}\``, {
          place: img.position,
          ruleId: 'html-unsafe',
        });
      }
    }
  }
  return images;
}

function shortSrc(src: string): string {
  return src.startsWith('data:') ? `${src.slice(0, 30)}…` : src;
}

type ImageRule =
  | 'image-missing'
  | 'image-outside-project'
  | 'image-remote'
  | 'image-invalid'
  | 'image-too-complex'
  | 'limit-image-pixels'
  | 'file-unreadable';

/** An image read, and what was removed from it (an SVG's scripts, say) for a warning. */
interface Loaded {
  image: ResolvedImage;
  removed: string[];
}

async function load(
  src: string,
  fromDir: string,
  options: ImageOptions,
): Promise<Loaded | { problem: string; ruleId: ImageRule }> {
  const location = locateResource(src, options.projectRoot, fromDir);
  let bytes: Uint8Array | undefined;
  switch (location.kind) {
    case 'refused':
      return { problem: location.reason, ruleId: 'image-outside-project' };
    case 'data-url':
      bytes = decodeDataUrl(src);
      if (!bytes) return { problem: 'is a data: URL that cannot be read', ruleId: 'image-missing' };
      break;
    case 'remote':
      if (!options.allowRemote || !options.reader.fetch) {
        return {
          problem:
            'is remote, and a build loads nothing from the network unless told to: put the image in ' +
            'the project, or allow remote images (--allow-remote)',
          ruleId: 'image-remote',
        };
      }
      try {
        bytes = await options.reader.fetch(location.url);
      } catch (cause) {
        return {
          problem: `could not be fetched: ${cause instanceof Error ? cause.message : String(cause)}`,
          ruleId: 'image-missing',
        };
      }
      break;
    case 'file': {
      const read = await readInProject(options.reader, options.projectRoot, location.absolute);
      if (read === undefined)
        return { problem: `cannot be found (looked for ${location.absolute})`, ruleId: 'image-missing' };
      if ('refused' in read)
        return { problem: read.refused, ruleId: read.unreadable ? 'file-unreadable' : 'image-outside-project' };
      bytes = read;
      break;
    }
  }
  const mediaType = sniffImage(bytes);
  if (!mediaType)
    return {
      problem: 'is not a PNG, JPEG, GIF or SVG image, the formats every edition shows',
      ruleId: 'image-missing',
    };
  let removed: string[] = [];
  if (mediaType === 'image/svg+xml') {
    // Bounded and cleaned before any edition (or browser) sees it.
    const svg = sanitizeSvgImage(bytes);
    if ('problem' in svg) return svg;
    bytes = svg.bytes;
    removed = svg.removed;
  }
  // Read from the header: a small file can decode to gigabytes in the browser.
  const size = pixelSize(bytes, mediaType);
  const maxPixels = options.maxPixels ?? defaultLimits.imagePixels;
  if (size && size.width * size.height > maxPixels) {
    return {
      problem:
        `is ${size.width} × ${size.height} pixels, more than the limit of ` +
        `${maxPixels} (\`limits: image-pixels\`): scale it down`,
      ruleId: 'limit-image-pixels',
    };
  }
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  return { image: { name: `images/${hash}.${extensions[mediaType]}`, mediaType, bytes }, removed };
}

function decodeDataUrl(url: string): Uint8Array | undefined {
  const match = /^data:([^,]*?)(;base64)?,(.*)$/s.exec(url);
  if (!match) return undefined;
  try {
    return match[2] ? Buffer.from(match[3]!, 'base64') : Buffer.from(decodeURIComponent(match[3]!), 'utf8');
  } catch {
    return undefined;
  }
}

/** Width and height in pixels from a PNG, GIF or JPEG header; undefined for SVG or a header that cannot be read. */
export function pixelSize(bytes: Uint8Array, mediaType: string): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (mediaType === 'image/png' && bytes.length >= 24) return { width: view.getUint32(16), height: view.getUint32(20) };
  if (mediaType === 'image/gif' && bytes.length >= 10)
    return { width: view.getUint16(6, true), height: view.getUint16(8, true) };
  if (mediaType === 'image/jpeg') {
    // Segments after SOI: the first start-of-frame (C0–CF but C4, C8, CC) holds height then width.
    let at = 2;
    while (at + 9 < bytes.length) {
      if (bytes[at] !== 0xff) return undefined;
      const marker = bytes[at + 1]!;
      if (marker === 0xff) {
        at++;
        continue;
      }
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: view.getUint16(at + 7), height: view.getUint16(at + 5) };
      }
      at += 2 + view.getUint16(at + 2);
    }
  }
  return undefined;
}

/** The media type of an image, from its bytes. */
export function sniffImage(bytes: Uint8Array): string | undefined {
  const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  // An SVG: the root `<svg>` after any XML declaration, processing instructions, comments and DOCTYPE, in any order.
  let head = Buffer.from(bytes.subarray(0, 65_536))
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const prolog = /^\s*(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE\s+svg(?:[^>[]|\[[^\]]*\])*>)/i;
  for (let match = prolog.exec(head); match; match = prolog.exec(head)) head = head.slice(match[0].length);
  if (/^\s*<(?:svg:)?svg[\s>/]/i.test(head)) return 'image/svg+xml';
  return undefined;
}
