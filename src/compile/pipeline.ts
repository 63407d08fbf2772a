import type { ChartFace } from '../assets/font-metrics.js';
import type { Element as HastElement, Nodes as HastNodes, Root as HastRoot } from 'hast';
import type { TextDirective } from 'mdast-util-directive';
import type { State } from 'mdast-util-to-hast';
import { toString } from 'hast-util-to-string';
import type { Root as MdastRoot } from 'mdast';
import { defListHastHandlers } from 'remark-definition-list';
import remarkRehype from 'remark-rehype';
import rehypeRaw from 'rehype-raw';
import type { Processor } from 'unified';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import type { FrontMatterOverrides } from './front-matter.js';
import { createTableLoader } from './load-table.js';
import { markdownParser } from './markdown-parser.js';
import { parseManuscript } from './parse-manuscript.js';
import { pandocFences } from './pandoc-fences.js';
import { defaultLimits, type Limits, withinBlockLimit, withinSourceLimits } from './limits.js';
import { resolveImages } from './images.js';
import type { ResourceReader } from './resources.js';
import rehypeImprintAlign from './plugins/rehype-imprint-align.js';
import rehypeImprintLinks from './plugins/rehype-imprint-links.js';
import remarkImprintInlineNotes from './plugins/remark-imprint-inline-notes.js';
import rehypeImprintNormalize from './plugins/rehype-imprint-normalize.js';
import rehypeImprintSanitize from './plugins/rehype-imprint-sanitize.js';
import rehypeImprintHeadings from './plugins/rehype-imprint-headings.js';
import rehypeImprintNoteNumbers from './plugins/rehype-imprint-note-numbers.js';
import rehypeImprintSections from './plugins/rehype-imprint-sections.js';
import { headingRank } from '../document/headings.js';
import { labelsFor, labelsOf } from '../document/labels.js';
import rehypeImprintUniqueIds from './plugins/rehype-imprint-unique-ids.js';
import remarkImprintCallout from './plugins/remark-imprint-callout.js';
import remarkImprintCaptions, { remarkImprintHeadingAttributes } from './plugins/remark-imprint-captions.js';
import remarkImprintChart from './plugins/remark-imprint-chart.js';
import remarkImprintCode from './plugins/remark-imprint-code.js';
import remarkImprintCitations from './plugins/remark-imprint-citations.js';
import remarkImprintContainersClosed from './plugins/remark-imprint-containers-closed.js';
import remarkImprintCheck from './plugins/remark-imprint-check.js';
import remarkImprintDataTable from './plugins/remark-imprint-data-table.js';
import remarkImprintSmartPunctuation from './plugins/remark-imprint-smart-punctuation.js';
import remarkImprintDirectivesKnown, {
  remarkImprintBareDirectivesAsText,
} from './plugins/remark-imprint-directives-known.js';
import remarkImprintFootnotesChecked from './plugins/remark-imprint-footnotes-checked.js';
import remarkImprintFrontMatter from './plugins/remark-imprint-front-matter.js';
import remarkImprintInclude from './plugins/remark-imprint-include.js';
import remarkImprintMath from './plugins/remark-imprint-math.js';
import remarkImprintNumbering from './plugins/remark-imprint-numbering.js';
import remarkImprintRef from './plugins/remark-imprint-ref.js';
import remarkImprintSpan from './plugins/remark-imprint-span.js';
import type { CompiledDocument, OutlineEntry } from '../document/compiled-document.js';

export type { CompiledDocument, OutlineEntry } from '../document/compiled-document.js';

export interface CompileOptions {
  reader: ResourceReader;
  /** Folder that every path the manuscript names must stay inside. */
  projectRoot: string;
  overrides?: FrontMatterOverrides;
  /** Fetch remote (http, https) images and data files at build time; default: refuse them. */
  allowRemote?: boolean;
  /** What the manuscript may ask of the build; default {@link defaultLimits}. */
  limits?: Readonly<Limits>;
  /** Threads that parse a long manuscript side by side, this one among them (decision 092); default 1. */
  parseThreads?: number;
  /** Called with each stage's name and duration in milliseconds. */
  onStage?: (stage: 'parse' | 'transform', ms: number) => void;
  /** The faces a template sets its charts in; their text is measured in them (else in the shipped text face). */
  chartFaces?: readonly ChartFace[];
}

/** The directives imprint's plugins read; any other is unknown (a bare one in text is text). */
const knownDirectives = ['table', 'chart', 'ref', 'span', 'include', 'eq', 'callout', 'bibliography'];
/**
 * The one place that knows the plugin order: parse the manuscript, expand and
 * number what it generates, and turn it into the HTML tree the editions share.
 * A manuscript over one of the limits checked before it is transformed (its
 * nesting, delimiters, table rows and headings before it is parsed, its blocks
 * once it is) gives no document: `undefined`, with the error on `file`.
 */
export async function compile(file: VFile, options: CompileOptions): Promise<CompiledDocument | undefined> {
  const limits = options.limits ?? defaultLimits;
  // Nesting the parser cannot take is an error before anything parses it.
  if (!withinSourceLimits(file, String(file.value), limits)) return undefined;
  file.value = pandocFences(String(file.value), file);
  const loader = createTableLoader({
    reader: options.reader,
    projectRoot: options.projectRoot,
    manuscript: file,
    allowRemote: options.allowRemote,
  });
  const loadTable = loader.load;
  const bibliographyFiles: VFile[] = [];
  // The words of the notes section, in the document's language: known once the front matter is read (the
  // step before remark-rehype sets them), and read by remark-rehype when it runs (its options are read then).
  let words = labelsFor('en');

  const processor = markdownParser()
    .use(remarkImprintInclude, {
      reader: options.reader,
      projectRoot: options.projectRoot,
      limits,
    })
    .use(remarkImprintInlineNotes)
    .use(remarkImprintContainersClosed)
    .use(remarkImprintFootnotesChecked)
    .use(remarkImprintBareDirectivesAsText, { known: knownDirectives })
    .use(remarkImprintHeadingAttributes)
    .use(remarkImprintFrontMatter, options.overrides ?? {})
    .use(remarkImprintSmartPunctuation)
    .use(remarkImprintDataTable, { loadTable, maxRows: limits.tableRows })
    .use(remarkImprintChart, { loadTable, chartFaces: options.chartFaces })
    .use(remarkImprintMath)
    .use(remarkImprintCode)
    .use(remarkImprintCaptions)
    .use(remarkImprintCallout)
    .use(remarkImprintCitations, { reader: options.reader, projectRoot: options.projectRoot, files: bibliographyFiles })
    .use(remarkImprintNumbering)
    .use(remarkImprintRef)
    .use(remarkImprintCheck, { tables: loader.tables })
    .use(remarkImprintSpan)
    .use(remarkImprintDirectivesKnown, { known: knownDirectives })
    .use(() => (_tree: MdastRoot, file: VFile) => {
      words = labelsOf(file.data.metadata);
    })
    .use(remarkRehype, {
      // Raw HTML is parsed (rehype-raw) and made safe (rehype-imprint-sanitize) right after.
      allowDangerousHtml: true,
      // A text directive left in place (one with an error, reported already) stays phrasing content.
      handlers: { textDirective: textDirectiveAsSpan, ...defListHastHandlers },
      footnoteBackContent: '↑',
      footnoteBackLabel: (index) => `${words.backToReference} ${index + 1}`,
      // The notes are a top-level part of the report (an `h2` once headings shift), listed in the contents.
      get footnoteLabel() {
        return words.notes;
      },
      footnoteLabelTagName: 'h1',
      footnoteLabelProperties: {},
    })
    .use(rehypeRawWhereRaw)
    .use(rehypeImprintSanitize)
    .use(() => (tree: HastRoot, file: VFile) => {
      withinBlockLimit(tree, file, limits);
    })
    .use(rehypeImprintNormalize)
    .use(rehypeImprintLinks)
    .use(rehypeImprintHeadings)
    .use(rehypeImprintAlign, { justifiedParagraph: limits.justifiedParagraph })
    .use(rehypeImprintSections)
    .use(rehypeImprintNoteNumbers)
    .use(rehypeImprintUniqueIds);

  let started = performance.now();
  const mdast: MdastRoot = await parseManuscript(processor, String(file.value), options.parseThreads ?? 1);
  options.onStage?.('parse', performance.now() - started);
  // Before any plugin: some take time that grows faster than a long list.
  if (!withinBlockLimit(mdast, file, limits)) return undefined;

  started = performance.now();
  const tree = (await processor.run(mdast, file)) as HastRoot;
  const images = await resolveImages(tree, file, {
    reader: options.reader,
    projectRoot: options.projectRoot,
    maxPixels: limits.imagePixels,
    allowRemote: options.allowRemote,
  });
  options.onStage?.('transform', performance.now() - started);

  return {
    file,
    dataFiles: [...loader.files(), ...bibliographyFiles],
    metadata: file.data.metadata,
    tree,
    outline: outlineOf(tree),
    targets: file.data.targets ?? new Map(),
    images,
  };
}

/**
 * rehype-raw, only for a tree that holds raw HTML: it re-parses the whole tree through parse5, and a tree made
 * from Markdown alone is already what parse5 would give back (decision 084).
 */
function rehypeRawWhereRaw(this: Processor) {
  const parse = rehypeRaw.call(this as never) as (tree: HastRoot, file: VFile) => HastRoot;
  return (tree: HastRoot, file: VFile): HastRoot => (hasRaw(tree) ? parse(tree, file) : tree);
}

/** Whether the tree holds a `raw` node, looked for without recursion (its depth is checked only later). */
function hasRaw(tree: HastRoot): boolean {
  const stack: HastNodes[] = [tree];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'raw') return true;
    if ('children' in node) for (const child of node.children) stack.push(child);
  }
  return false;
}

function textDirectiveAsSpan(state: State, node: TextDirective): HastElement {
  const result: HastElement = { type: 'element', tagName: 'span', properties: {}, children: state.all(node) };
  state.patch(node, result);
  return state.applyData(node, result);
}

function outlineOf(tree: HastRoot): OutlineEntry[] {
  const outline: OutlineEntry[] = [];
  visit(tree, 'element', (node) => {
    const rank = headingRank(node);
    const id = node.properties.id;
    if (rank !== undefined && typeof id === 'string') {
      outline.push({ id, depth: rank - 1, text: toString(node).trim() });
    }
  });
  return outline;
}
