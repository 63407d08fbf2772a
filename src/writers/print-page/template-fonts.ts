import type { ChartFace } from '../../assets/font-metrics.js';
import { createHash } from 'node:crypto';
import path from 'node:path';
import postcss, { type AtRule, type Declaration } from 'postcss';
import { VFile } from 'vfile';
import { location } from 'vfile-location';
import { toSfnt } from '../../assets/font-files.js';
import { harfBuzz } from '../../assets/font-metrics.js';
import { diskReader, readInProject, resolveInProject, type ResourceReader } from '../../compile/resources.js';
import { error } from '../../diagnostics/report.js';
import type { RuleId } from '../../diagnostics/rules.js';
import { decodeReference } from '../../uri.js';

/** The formats of a font file a template may bring, each as every edition's browser and reading system reads it. */
export type TemplateFontType = 'font/woff2' | 'font/woff' | 'font/ttf' | 'font/otf';

/**
 * A font file a template folder brings (`@font-face { src: url("fonts/House.woff2") }` in its print.css or
 * epub.css), read and checked when the templates are loaded. The style sheets name it by `url` from then on.
 */
export interface TemplateFont {
  /** The URL the loaded style sheets name the file by: `template-fonts/` and the digest of its bytes. */
  url: string;
  bytes: Uint8Array;
  mediaType: TemplateFontType;
  /** The `font` of each `@font-face` rule that loads it (`normal 400 16px "House"`), to load it by. */
  fonts: string[];
}

/** A style sheet of the template with its `@font-face` sources pointed at the fonts read (`TemplateFont.url`). */
export interface TemplateStyleSheet {
  css: string;
  fonts: TemplateFont[];
  /** Whether an `@page` rule of the sheet sets a page size. */
  setsPageSize: boolean;
}

/** Where a font's URL starts in the loaded style sheets: nothing else in them names a URL so. */
export const templateFontFolder = 'template-fonts/';

const extensions: Record<TemplateFontType, string> = {
  'font/woff2': 'woff2',
  'font/woff': 'woff',
  'font/ttf': 'ttf',
  'font/otf': 'otf',
};

/** The kind of a font file from its first bytes, or undefined for anything else. */
export function sniffFont(bytes: Uint8Array): TemplateFontType | undefined {
  if (bytes.length < 12) return undefined;
  const tag = Buffer.from(bytes.buffer, bytes.byteOffset, 4).toString('latin1');
  if (tag === 'wOF2') return 'font/woff2';
  if (tag === 'wOFF') return 'font/woff';
  if (tag === 'OTTO') return 'font/otf';
  if (tag === '\x00\x01\x00\x00' || tag === 'true') return 'font/ttf';
  return undefined;
}

/**
 * Read the fonts a template's style sheet loads with `@font-face`: every `url()` of a `src` is a file of the
 * template folder `root` (relative to the style sheet), read now and named in the returned style sheet by the
 * digest of its bytes, so the editions can serve it, inline it or subset it. Its `format()` hint goes (the EPUB
 * embeds the file in another format; every reader tells the format from the bytes).
 *
 * A source that cannot be used is an error on `file` (the style sheet) at the line and column of its `url(`:
 * missing (`template-font-missing`), outside the folder by `..`, a link or another scheme
 * (`template-font-outside`), not a WOFF2, WOFF, TrueType or OpenType file (`template-font-invalid`), remote
 * (`template-font-remote`: a build loads nothing from the network), or there but unreadable (`file-unreadable`).
 * Its rule is left as written; the run stops on the error. A `local()` source is left as written.
 */
export async function readTemplateFonts(
  css: string,
  file: VFile,
  root: string,
  reader: ResourceReader = diskReader,
): Promise<TemplateStyleSheet> {
  // Only a sheet that names one of these at-rules needs parsing: every other is used as written.
  if (!/@font-face|@page/i.test(css)) return { css, fonts: [], setsPageSize: false };
  let parsed: postcss.Root;
  try {
    parsed = postcss.parse(css, { from: file.path });
  } catch (cause) {
    const syntax = cause as { line?: number; column?: number; reason?: string };
    error(file, `The style sheet cannot be parsed for its fonts and page size: ${syntax.reason ?? String(cause)}`, {
      place: syntax.line === undefined ? undefined : { line: syntax.line, column: syntax.column ?? 1 },
      ruleId: 'template-css-syntax',
    });
    return { css, fonts: [], setsPageSize: false };
  }
  let setsPageSize = false;
  parsed.walkAtRules(/^page$/i, (rule) => {
    if (rule.some((node) => node.type === 'decl' && node.prop.toLowerCase() === 'size')) setsPageSize = true;
  });
  const places = location(css);
  const fonts = new Map<string, TemplateFont>();
  const sources: Array<{ rule: AtRule; declaration: Declaration }> = [];
  parsed.walkAtRules(/^font-face$/i, (rule) => {
    rule.each((node) => {
      if (node.type === 'decl' && node.prop.toLowerCase() === 'src') sources.push({ rule, declaration: node });
    });
  });
  for (const { rule, declaration } of sources) {
    const raw = declaration.raws.value?.raw ?? declaration.value;
    const start = valueOffset(css, declaration, raw);
    const entries: string[] = [];
    let changed = false;
    let cursor = 0;
    for (const entry of postcss.list.comma(raw)) {
      const at = raw.indexOf(entry, cursor);
      cursor = at + entry.length;
      const parts = postcss.list.space(entry);
      const urlPart = parts.find((part) => /^url\(/i.test(part));
      if (!urlPart) {
        entries.push(entry);
        continue;
      }
      const offset = start + at + entry.indexOf(urlPart);
      const place = places.toPoint(offset);
      const reference = unquote(urlPart.slice(4, -1).trim());
      const read = await readSource(reference, path.dirname(file.path), root, reader);
      if ('problem' in read) {
        error(file, `Font \`${reference}\` ${read.problem}`, { place, ruleId: read.ruleId });
        entries.push(entry);
        continue;
      }
      const digest = createHash('sha256').update(read.bytes).digest('hex').slice(0, 16);
      const url = `${templateFontFolder}${digest}.${extensions[read.mediaType]}`;
      const font = fonts.get(url) ?? { url, bytes: read.bytes, mediaType: read.mediaType, fonts: [] };
      font.fonts.push(fontOf(rule));
      fonts.set(url, font);
      // The format() and tech() hints go with the file they described.
      entries.push(`url("${url}")`);
      changed = true;
    }
    if (changed) {
      declaration.value = entries.join(', ');
      delete declaration.raws.value;
    }
  }
  return { css: fonts.size > 0 ? parsed.toString() : css, fonts: [...fonts.values()], setsPageSize };
}

/** Where a declaration's value starts in the style sheet's text. */
function valueOffset(css: string, declaration: Declaration, raw: string): number {
  const start = declaration.source?.start?.offset ?? 0;
  const guess = start + declaration.prop.length + (declaration.raws.between ?? '').length;
  if (css.startsWith(raw, guess)) return guess;
  const found = css.indexOf(raw, start);
  return found < 0 ? start : found;
}

function unquote(text: string): string {
  const quote = text[0];
  if ((quote === '"' || quote === "'") && text.endsWith(quote) && text.length >= 2)
    return text.slice(1, -1).replace(/\\(.)/g, '$1');
  return text;
}

/** The CSS `font` that loads a `@font-face` rule's face: its family, and its style and weight when single. */
function fontOf(rule: AtRule): string {
  const value = (name: string) => {
    let found: string | undefined;
    rule.each((node) => {
      if (node.type === 'decl' && node.prop.toLowerCase() === name) found = node.value.trim();
    });
    return found;
  };
  const family = unquote(value('font-family') ?? '');
  const style = /^(normal|italic|oblique)$/i.test(value('font-style') ?? '') ? value('font-style')! : 'normal';
  const weight = /^(normal|bold|\d+)$/i.test(value('font-weight') ?? '') ? value('font-weight')! : 'normal';
  return `${style} ${weight} 16px "${family.replace(/["\\]/g, '\\$&')}"`;
}

type FontRule = Extract<
  RuleId,
  | 'template-font-missing'
  | 'template-font-outside'
  | 'template-font-invalid'
  | 'template-font-remote'
  | 'file-unreadable'
>;

async function readSource(
  reference: string,
  fromDir: string,
  root: string,
  reader: ResourceReader,
): Promise<{ bytes: Uint8Array; mediaType: TemplateFontType } | { problem: string; ruleId: FontRule }> {
  let bytes: Uint8Array | undefined;
  if (/^data:/i.test(reference)) {
    bytes = decodeDataUrl(reference);
    if (!bytes) return { problem: 'is a data: URL that cannot be read', ruleId: 'template-font-invalid' };
  } else if (/^(https?:)?\/\//i.test(reference)) {
    return {
      problem:
        'is remote, and a build loads nothing from the network: put the font file in the template folder and name ' +
        'it by its path, relative to the style sheet',
      ruleId: 'template-font-remote',
    };
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(reference) && !/^[a-z]:[\\/]/i.test(reference)) {
    const scheme = reference.slice(0, reference.indexOf(':') + 1);
    return {
      problem: `is a ${scheme} URL: name a file of the template folder by its path, relative to the style sheet`,
      ruleId: 'template-font-outside',
    };
  } else {
    const absolute = resolveInProject(root, fromDir, decodeReference(reference.replace(/[?#].*$/, '')));
    if (!absolute) return { problem: `is outside the template folder ${root}`, ruleId: 'template-font-outside' };
    const read = await readInProject(reader, root, absolute);
    if (read === undefined)
      return { problem: `cannot be found (looked for ${absolute})`, ruleId: 'template-font-missing' };
    if ('refused' in read) {
      const refused = read.refused.replace('outside the project folder', 'outside the template folder');
      return { problem: refused, ruleId: read.unreadable ? 'file-unreadable' : 'template-font-outside' };
    }
    bytes = read;
  }
  const mediaType = sniffFont(bytes);
  if (!mediaType)
    return {
      problem: 'is not a font file: a template may bring WOFF2, WOFF, TrueType or OpenType fonts',
      ruleId: 'template-font-invalid',
    };
  const damage = await damageOf(bytes);
  if (damage) return { problem: `cannot be read as a font: ${damage}`, ruleId: 'template-font-invalid' };
  return { bytes, mediaType };
}

/**
 * Why a file that begins like a font is not one that can be used (cut short, damaged), or undefined: it must
 * decompress, and HarfBuzz must find characters in it. Chromium would refuse such a face only while printing,
 * and the EPUB could not subset it.
 */
async function damageOf(bytes: Uint8Array): Promise<string | undefined> {
  let sfnt: Buffer;
  try {
    sfnt = await toSfnt(bytes);
  } catch (cause) {
    return `it does not decompress (${cause instanceof Error ? cause.message : String(cause)})`;
  }
  const hb = await harfBuzz();
  // HarfBuzz frees the blob and the face when they are collected.
  const face = new hb.Face(new hb.Blob(sfnt));
  return face.collectUnicodes().length === 0 ? 'it maps no character to a glyph' : undefined;
}

function decodeDataUrl(url: string): Uint8Array | undefined {
  const comma = url.indexOf(',');
  if (comma < 0) return undefined;
  const base64 = /;base64$/i.test(url.slice(0, comma));
  try {
    const body = url.slice(comma + 1);
    return base64 ? Buffer.from(body, 'base64') : Buffer.from(decodeURIComponent(body), 'utf8');
  } catch {
    return undefined;
  }
}

/** A new file for the messages about a template's style sheet. */
export function styleSheetFile(filePath: string, css: string): VFile {
  return new VFile({ path: filePath, value: css });
}

/**
 * The faces a template sets its charts in: those of its own fonts whose family is the first of `--chart-font`
 * (`:root { --chart-font: House }`), so that the charts measure their text in the face they are drawn in.
 */
export function chartFacesOf(css: string, fonts: readonly TemplateFont[]): ChartFace[] {
  if (fonts.length === 0 || !css.includes('--chart-font')) return [];
  let family: string | undefined;
  try {
    postcss.parse(css).walkDecls('--chart-font', (declaration) => {
      const first = postcss.list.comma(declaration.value.trim())[0];
      if (first) family = unquote(first.trim()).toLowerCase();
    });
  } catch {
    return [];
  }
  if (!family) return [];
  const faces: ChartFace[] = [];
  for (const font of fonts) {
    for (const shorthand of font.fonts) {
      const parts = /^(\S+) (\S+) 16px "(.*)"$/.exec(shorthand);
      if (!parts || parts[3]!.replace(/\\(.)/g, '$1').toLowerCase() !== family) continue;
      const weight = parts[2] === 'bold' ? 700 : parts[2] === 'normal' ? 400 : Number(parts[2]);
      faces.push({ bytes: font.bytes, weight, style: parts[1] === 'normal' ? 'normal' : 'italic' });
    }
  }
  return faces;
}
