import { createHash } from 'node:crypto';
import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import type { Metadata } from '../../document/metadata.js';
import { isoPartialDate } from '../../data/partial-date.js';
import { accessibilityMetadata, type BookContents } from './accessibility.js';
import { contains, idsIn, selectAll, splitChapters, type EpubChapter } from './chapters.js';
import { renderCover } from './cover.js';
import {
  embedFonts,
  embedTemplateFonts,
  fontCharacters,
  fontFaceRules,
  withTemplateFonts,
  type EmbeddedFont,
  type EmbeddedTemplateFont,
} from './fonts.js';
import { placeFootnotes, takeFootnotes } from './footnotes.js';
import { packageImages } from './images.js';
import { setImageSources } from '../image-sources.js';
import { chartColourCss } from '../../charts/svg.js';
import { fileOfIds, linkChapters } from './links.js';
import { navigation, type NavigationInput } from './navigation.js';
import { loadPackager, packageEpub, type MalformedFile } from './package.js';
import { error } from '../../diagnostics/report.js';
import { insertPageBreaks, keepFirstPageBreaks, type PageBreak } from './page-breaks.js';
import { toXhtml } from './xhtml.js';
import { facesFor, listedTargets } from '../print-page/print-document.js';
import { labelsOf } from '../../document/labels.js';
import type { Templates } from '../print-page/templates.js';
import { toolName, toolVersion } from '../../version.js';
import type { ReportDocument } from '../../document/report-document.js';
import type { PageMap } from '../../document/page-map.js';

export interface EpubOptions {
  /** Seconds since the epoch for `dcterms:modified` and the zip's dates (SOURCE_DATE_EPOCH); now when absent. */
  sourceDateEpoch?: number;
  /** Where the PDF's pages begin: gives the EPUB page-break markers and a page list with the PDF's numbers. */
  pageMap?: PageMap;
  /** The fonts made ahead (`prepareEpubEdition`), used when they hold every character the book turns out to need. */
  fonts?: Promise<PreparedFonts>;
}

/** Font subsets made before the book's chapters are: for the characters of `text`. */
export interface PreparedFonts {
  text: string;
  fonts: EmbeddedFont[];
  /** The template's own fonts. */
  templateFonts: EmbeddedTemplateFont[];
}

/**
 * Start the EPUB's slow first steps while Chromium prints the PDF, when the
 * build's thread would otherwise wait (the build does not, for an EPUB made
 * without a print: the fonts are subset as it is made). The packager
 * loads, and the fonts are subset: the book is put together without its page
 * breaks (which add no text) to know its characters, and `epubEdition` uses
 * these fonts (`options.fonts`) only if the finished book has exactly the same
 * characters, so the result is the same byte for byte either way. Failures are
 * left for `epubEdition` to meet and report.
 */
export function prepareEpubEdition(doc: ReportDocument, templates: Templates): Promise<PreparedFonts> {
  void loadPackager().catch(() => undefined);
  const fonts = (async () => {
    const { text } = await assemble(doc, templates, undefined, undefined);
    return { text, ...(await subsetFonts(doc, templates, text)) };
  })();
  fonts.catch(() => undefined);
  return fonts;
}

const navFile = 'toc.xhtml';

/** The EPUB file and what its writer knows of it. */
export interface EpubEdition {
  bytes: Uint8Array;
  /** Content documents in the reading order (cover, title page, chapters), the navigation document left out. */
  chapters: number;
}

/**
 * The EPUB 3 edition: a cover, a title page, one chapter per top-level
 * section, and a navigation document with the nested contents, landmarks
 * and (given the PDF's page map) a page list. Packaged by epub-gen-memory
 * (writers/epub/package.ts), with the images the document shows.
 */
export async function epubEdition(
  doc: ReportDocument,
  templates: Templates,
  options: EpubOptions = {},
): Promise<EpubEdition> {
  const { metadata } = doc;
  const { chapters, pageBreaks, notes, cover, nav, text } = await assemble(doc, templates, options.pageMap, doc.file);
  const images = packageImages(doc.images);
  const a11y = accessibilityMetadata(bookContents(chapters, pageBreaks, notes.size));
  const xhtml = chapters.map((chapter) => toXhtml(chapter.body));
  const prepared = options.fonts ? await options.fonts : undefined;
  const { fonts, templateFonts } =
    prepared && sameCharacters(prepared.text, text) ? prepared : await subsetFonts(doc, templates, text);
  const css = `${fontFaceRules(fonts)}\n${chartColourCss}\n${withTemplateFonts(templates.epubCss, templateFonts)}`;

  const modified = new Date(options.sourceDateEpoch === undefined ? Date.now() : options.sourceDateEpoch * 1000);
  const { bytes, malformed } = await packageEpub({
    options: {
      title: metadata.title,
      author: metadata.authors,
      lang: metadata.lang,
      // Kept as a spread: epub-gen-memory lays these over its defaults, and an undefined one would override them.
      ...(metadata.description ? { description: metadata.description } : {}),
      // Kept as a spread: an undefined publisher would override epub-gen-memory's default ('anonymous').
      ...(metadata.publisher ? { publisher: metadata.publisher } : {}),
      tocTitle: labelsOf(metadata).contents,
      prependChapterTitles: false,
      version: 3,
      verbose: false,
      css,
      contentOPF: templates.epub.contentOpf,
      tocXHTML: templates.epub.navXhtml,
      tocNCX: templates.epub.tocNcx,
      chapterXHTML: templates.epub.chapterXhtml,
      ignoreFailedDownloads: false,
      imprint: {
        identifier: bookIdentifier(metadata),
        dir: metadata.dir ?? 'ltr',
        subtitle: metadata.subtitle,
        description: metadata.description,
        publisher: metadata.publisher,
        modified: modified.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        date: metadata.date ? isoPartialDate(metadata.date) : undefined,
        keywords: metadata.keywords,
        series: metadata.series,
        generator: `${toolName} ${toolVersion}`,
        pageSource: pageBreaks.length > 0 ? pageSource(metadata, templates) : undefined,
        a11y,
        nav,
        labels: labelsOf(metadata),
      },
    },
    chapters: chapters.map((chapter, index) => ({
      title: chapter.title,
      filename: chapter.filename,
      dir: metadata.dir ?? 'ltr',
      content: '',
      xhtml: xhtml[index]!,
      beforeToc: chapter.kind !== 'chapter',
      excludeFromToc: chapter.kind !== 'chapter',
      bodyType: chapter.kind === 'chapter' ? 'bodymatter' : chapter.kind === 'cover' ? 'cover' : 'frontmatter',
      properties: manifestProperties(chapter.body),
    })),
    // A face declared under several families is one file.
    fonts: [
      ...new Map(
        [...fonts, ...templateFonts].map((font) => [font.filename, { filename: font.filename, bytes: font.bytes }]),
      ).values(),
    ],
    images,
    cover: { filename: 'cover.svg', mediaType: 'image/svg+xml', bytes: new TextEncoder().encode(cover.svg) },
    date: zipDate(modified),
  });
  reportMalformed(malformed, chapters, doc.file);
  // Every chapter is a content document of the reading order; the navigation document is not among them.
  return { bytes, chapters: chapters.length };
}

/** The edition the page list's numbers are from: the PDF, on the paper named or the template's page size. */
function pageSource(metadata: Metadata, templates: Templates): string {
  if (templates.setsPageSize && !metadata.paperNamed) return `${metadata.title}, PDF edition`;
  return `${metadata.title}, PDF edition (${metadata.paper === 'letter' ? 'US Letter' : 'A4'})`;
}

/** The shipped faces and the template's own fonts, each subset to the characters of `text`. */
async function subsetFonts(
  doc: ReportDocument,
  templates: Templates,
  text: string,
): Promise<Pick<PreparedFonts, 'fonts' | 'templateFonts'>> {
  const fonts = await embedFonts(textFaces(doc.metadata, doc.tree), text);
  return { fonts, templateFonts: await embedTemplateFonts(templates.fonts, templates.epubCss, text) };
}

/**
 * The faces the EPUB embeds: not the math face, whose MATH table and
 * mathematical alphanumerics (an italic x is U+1D465, which the text never
 * holds) do not survive subsetting to the book's characters; reading systems
 * lay MathML out with their own math fonts.
 */
function textFaces(metadata: ReportDocument['metadata'], tree: ReportDocument['tree']) {
  return facesFor(metadata, tree).filter((face) => !face.math);
}

/** A chapter's manifest properties: `mathml` when it holds a formula, `svg` when it holds a drawing. */
function manifestProperties(body: Parameters<typeof contains>[0]): string | undefined {
  const properties = [
    contains(body, (element) => element.tagName === 'math') ? 'mathml' : undefined,
    contains(body, (element) => element.tagName === 'svg') ? 'svg' : undefined,
  ].filter((property) => property !== undefined);
  return properties.length > 0 ? properties.join(' ') : undefined;
}

/** The lists of figures and tables the front matter asks for, for the navigation document. */
function epubFigureLists(doc: ReportDocument): NonNullable<NavigationInput['lists']> {
  const targets = [...doc.targets.values()];
  const lists: NonNullable<NavigationInput['lists']> = [];
  if (doc.metadata.listOfFigures)
    lists.push({ type: 'loi', title: labelsOf(doc.metadata).figures, targets: listedTargets(targets, 'figures') });
  if (doc.metadata.listOfTables)
    lists.push({ type: 'lot', title: labelsOf(doc.metadata).tables, targets: listedTargets(targets, 'tables') });
  return lists.filter((list) => list.targets.length > 0);
}

/**
 * A file of the book that is not well-formed XML is an error (`epub-invalid`): reading systems refuse such a file,
 * so the book is not written. Placed at the start of the chapter's section in the manuscript when the file is a
 * chapter, with the file, line and column inside the EPUB.
 */
function reportMalformed(
  malformed: readonly MalformedFile[],
  chapters: readonly EpubChapter[],
  file: ReportDocument['file'],
): void {
  for (const { path, problems } of malformed) {
    const chapter = chapters.find((candidate) => path.endsWith(`/${candidate.filename}`));
    const first = problems[0]!;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    error(
      file,
      `The EPUB's \`${path}\` is not well-formed XML at line ${first.line}, column ${first.column}: ` +
        `${first.message}${more}`,
      {
        place: chapter?.body.position,
        ruleId: 'epub-invalid',
      },
    );
  }
}

/** Whether two texts give the same font subsets. */
function sameCharacters(a: string, b: string): boolean {
  // The usual case (page breaks add no text), without making two sets of a whole book's characters.
  if (a === b) return true;
  const inA = fontCharacters(a);
  const inB = fontCharacters(b);
  return inA.size === inB.size && [...inA].every((character) => inB.has(character));
}

/** The book's parts, before they are written out as XHTML and packaged. */
interface Book {
  chapters: EpubChapter[];
  footnotes: ReturnType<typeof takeFootnotes>;
  pageBreaks: PageBreak[];
  notes: Set<string>;
  cover: Awaited<ReturnType<typeof renderCover>>;
  nav: ReturnType<typeof navigation>;
  /** Every text the book shows: what its fonts are subset for. */
  text: string;
}

/**
 * Put the book together: cover, chapters with their notes, page breaks (given
 * the page map) and navigation. With `file`, links between chapters are
 * resolved and a link to nowhere is reported on it.
 */
async function assemble(
  doc: ReportDocument,
  templates: Templates,
  pageMap: PageMap | undefined,
  file: ReportDocument['file'] | undefined,
): Promise<Book> {
  const { metadata } = doc;
  // The shared tree stays as it is: the other editions read it at the same time.
  const tree = structuredClone(doc.tree) as Root;
  setImageSources(tree, doc.images, (image) => image.name);
  const takenIds = new Set(
    idsIn({ type: 'element', tagName: 'div', properties: {}, children: tree.children as Element['children'] }),
  );
  const pageBreaks = pageMap ? insertPageBreaks(tree, pageMap, takenIds) : [];
  const footnotes = takeFootnotes(tree);

  const cover = await renderCover(templates.epub.coverSvg, metadata);
  const labels = labelsOf(metadata);
  const chapters: EpubChapter[] = [coverChapter(cover.alt, labels.cover), ...splitChapters(tree, metadata)];
  const notes = new Set<string>();
  if (footnotes) {
    for (const chapter of chapters) {
      placeFootnotes(chapter.body, footnotes);
      for (const aside of selectAll(chapter.body, (element) => element.properties['epub:type'] === 'footnote')) {
        notes.add(String(aside.properties.id));
      }
    }
  }
  keepFirstPageBreaks(chapters.map((chapter) => chapter.body));
  if (file) linkChapters(chapters, file);

  const files = fileOfIds(chapters);
  const nav = navigation({
    outline: doc.outline,
    chapters,
    files,
    exclude: new Set(footnotes ? [footnotes.labelId] : []),
    pageBreaks,
    navFile,
    labels,
    lists: epubFigureLists(doc),
  });
  const text = [
    ...chapters.map((chapter) => toString(chapter.body)),
    labels.contents,
    ...flatten(nav.toc).map((entry) => entry.title),
    ...nav.landmarks.map((landmark) => landmark.title),
    ...nav.lists.flatMap((list) => [list.title, ...list.entries.map((entry) => entry.title)]),
    `${labels.landmarks} ${labels.pages}`,
  ].join('\n');
  return { chapters, footnotes, pageBreaks, notes, cover, nav, text };
}

function coverChapter(alt: string, title: string): EpubChapter {
  return {
    filename: 'cover.xhtml',
    title,
    kind: 'cover',
    body: {
      type: 'element',
      tagName: 'section',
      properties: { className: ['cover'], ariaLabel: title },
      children: [
        {
          type: 'element',
          tagName: 'img',
          properties: { src: 'cover.svg', alt, 'epub:type': 'cover', role: 'doc-cover' },
          children: [],
        },
      ],
    },
  };
}

function bookContents(chapters: readonly EpubChapter[], pageBreaks: readonly PageBreak[], notes: number): BookContents {
  let visuals = 0;
  let visualsWithoutText = 0;
  let tables = 0;
  for (const chapter of chapters) {
    if (chapter.kind === 'cover') continue;
    for (const element of selectAll(chapter.body, () => true)) {
      if (element.tagName === 'table') tables++;
      if (element.tagName === 'img') {
        visuals++;
        const alt = element.properties.alt;
        if (typeof alt !== 'string' || alt.trim() === '') visualsWithoutText++;
      }
      if (element.tagName === 'svg') {
        visuals++;
        const label = element.properties.ariaLabel ?? element.properties.ariaLabelledBy;
        const title = element.children.some((child) => child.type === 'element' && child.tagName === 'title');
        if (!label && !title && element.properties.ariaHidden !== 'true') visualsWithoutText++;
      }
    }
  }
  return { visuals, visualsWithoutText, tables, notes, pageNumbers: pageBreaks.length > 0 };
}

function flatten<T extends { children: T[] }>(entries: readonly T[]): T[] {
  return entries.flatMap((entry) => [entry, ...flatten(entry.children)]);
}

/** Zip dates start in 1980. */
function zipDate(date: Date): Date {
  const earliest = Date.UTC(1980, 0, 1, 12);
  return new Date(Math.max(date.getTime(), earliest));
}

/** The book's identifier: the front matter's, or a UUID derived from its title, authors and date. */
export function bookIdentifier(metadata: Metadata): string {
  if (metadata.identifier) return metadata.identifier;
  const hash = createHash('sha1')
    .update(
      ['imprint', metadata.title, ...metadata.authors, metadata.date ? isoPartialDate(metadata.date) : ''].join(
        '\u0000',
      ),
    )
    .digest('hex');
  const variant = ((parseInt(hash.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  const parts = [
    hash.slice(0, 8),
    hash.slice(8, 12),
    `5${hash.slice(13, 16)}`,
    variant + hash.slice(18, 20),
    hash.slice(20, 32),
  ];
  return `urn:uuid:${parts.join('-')}`;
}
