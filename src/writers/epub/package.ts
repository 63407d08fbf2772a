import type { Chapter, Options } from 'epub-gen-memory';
import type { generateAsync, JSZipGeneratorOptions } from 'jszip';
import { onFirstUse } from '../../first-use.js';
import { xmlProblems, type XmlProblem } from './well-formed.js';
import { zipContainer, type ZipEntry } from './zip.js';

/**
 * The one module that talks to epub-gen-memory. It packages what the EPUB
 * writer has made with the packager's own options and EJS templates, and
 * works around what they cannot reach (each workaround is recorded in
 * docs/decisions/):
 *
 * - chapter content: the packager re-parses every chapter and drops every
 *   attribute outside a short list (`align`, `data-*`, `scope`, `datetime`,
 *   every SVG attribute), rewrites text as character references and fetches
 *   each `<img>` under a random name. The chapters are serialized as XHTML
 *   by imprint and handed over after that step;
 * - fonts and images are held in memory (subset fonts, images read through
 *   the manuscript's reader) and go into the package as they are, under names
 *   made from their content, instead of being fetched from URLs;
 * - every zip entry gets the same date (the book's modification time) instead
 *   of the time of the build, so identical inputs make identical bytes;
 * - the zip is written by imprint with Node's zlib (zip.ts), deflated at
 *   its default level (6), not the packager's 9: half the time, a book
 *   0.5 % larger;
 * - every XML file of the package (content documents, navigation, package
 *   document, NCX, SVG) is parsed by a strict XML parser before the zip is
 *   made: what it finds is returned, and the book is not a success.
 */
export interface PackageInput {
  /** epub-gen-memory's options: metadata, templates, and `imprint` data for the templates. */
  options: Options & { imprint: unknown };
  chapters: PackageChapter[];
  fonts: Array<{ filename: string; bytes: Uint8Array }>;
  images: Array<{ href: string; mediaType: string; bytes: Uint8Array }>;
  cover?: { filename: string; mediaType: string; bytes: Uint8Array };
  /** Date of every entry in the zip. */
  date: Date;
}

export interface PackageChapter extends Chapter {
  filename: string;
  /** Direction of the document's text (`dir` of the chapter's `html`). */
  dir: 'ltr' | 'rtl';
  /** The chapter's body content, as XHTML. */
  xhtml: string;
  /** Manifest properties of the chapter (`svg` when it holds inline SVG). */
  properties?: string;
}

type Packager = new (input: PackageInput) => { genEpub(): Promise<Buffer>; malformed: MalformedFile[] };

/** A file of the package that a strict XML parser does not accept. */
export interface MalformedFile {
  /** Its path in the package (`OEBPS/chapter-001.xhtml`). */
  path: string;
  problems: XmlProblem[];
}

const xmlFile = /\.(?:xhtml|opf|ncx|svg|xml)$/;

/**
 * The packager, loaded on first use: epub-gen-memory (and its zip library)
 * takes a moment to load, which a build spends while the browser works
 * (`loadPackager()` from the EPUB writer's early start) instead of before it
 * can start the browser.
 */
export const loadPackager = onFirstUse(
  (): Promise<Packager> =>
    import('epub-gen-memory').then((module) => {
      // A CommonJS module: Node's loader and the test runner name its exports; the bundle's chunk exports only its
      // exports object, as the default.
      const exported = module as unknown as { EPub?: typeof module.EPub; default: { EPub?: typeof module.EPub } };
      const EPub = (exported.EPub ?? exported.default.EPub)!;
      class ImprintEPub extends EPub {
        private readonly input: PackageInput;
        malformed: MalformedFile[] = [];

        constructor(input: PackageInput) {
          const cover = input.cover
            ? {
                cover: new File([Buffer.from(input.cover.bytes)], input.cover.filename, {
                  type: input.cover.mediaType,
                }),
              }
            : {};
          super(
            {
              ...input.options,
              ...cover,
              fonts: input.fonts.map((font) => ({ filename: font.filename, url: `imprint:${font.filename}` })),
            },
            // The content is set below, after the packager's HTML normalization, which would damage it.
            input.chapters.map(({ xhtml: _xhtml, ...chapter }) => ({ ...chapter, content: '' })),
          );
          this.input = input;
          this.content.forEach((chapter, index) => {
            chapter.content = input.chapters[index]!.xhtml;
          });
          this.images = input.images.map((image) => {
            const [, id, extension] = /^images\/(.+)\.([^.]+)$/.exec(image.href)!;
            return { url: `imprint:${image.href}`, id: id!, extension: extension!, mediaType: image.mediaType };
          });
        }

        protected override async downloadAllFonts(): Promise<void> {
          if (this.input.fonts.length === 0) return;
          const folder = this.zip.folder('OEBPS')!.folder('fonts')!;
          for (const font of this.input.fonts) folder.file(font.filename, font.bytes);
        }

        protected override async downloadAllImages(): Promise<void> {
          if (this.input.images.length === 0) return;
          const folder = this.zip.folder('OEBPS')!;
          for (const image of this.input.images) folder.file(image.href, image.bytes);
        }

        // The container is written by imprint, with Node's zlib (zip.ts): the packager's zip library deflates and
        // checksums in JavaScript on the main thread. Deflated at zlib's default level, not the packager's 9: the
        // long report's book is 0.5 % larger and packed in half the time (decision 086).
        override generateAsync<T extends NonNullable<JSZipGeneratorOptions['type']>>(
          _options: JSZipGeneratorOptions<T>,
        ): ReturnType<typeof generateAsync<T>> {
          const entries = Object.values(this.zip.files).map(
            async (entry): Promise<ZipEntry> => ({
              name: entry.name,
              date: entry.date,
              store: entry.options.compression === 'STORE',
              bytes: entry.dir ? undefined : await entry.async('uint8array'),
            }),
          );
          return Promise.all(entries)
            .then(zipContainer)
            .then((bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as ReturnType<
            typeof generateAsync<T>
          >;
        }

        override async render(): Promise<this> {
          await super.render();
          for (const entry of Object.values(this.zip.files)) {
            entry.date = this.input.date;
            if (entry.dir || !xmlFile.test(entry.name)) continue;
            const problems = xmlProblems(await entry.async('string'));
            if (problems.length > 0) this.malformed.push({ path: entry.name, problems });
          }
          return this;
        }
      }
      return ImprintEPub;
    }),
);

/**
 * Package the EPUB: the zip container with `mimetype` first and stored, everything else deflated; and the files
 * of it that are not well-formed XML (none for a book a reading system can open).
 */
export async function packageEpub(input: PackageInput): Promise<{ bytes: Uint8Array; malformed: MalformedFile[] }> {
  const ImprintEPub = await loadPackager();
  const book = new ImprintEPub(input);
  const bytes = await book.genEpub();
  return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), malformed: book.malformed };
}
