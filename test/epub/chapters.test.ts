import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Element, Root } from 'hast';
import { h, s } from 'hastscript';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import type { Metadata } from '../../src/document/metadata.js';
import { accessibilityMetadata } from '../../src/writers/epub/accessibility.js';
import { splitChapters, type EpubChapter } from '../../src/writers/epub/chapters.js';
import { pageBlocks } from '../../src/document/page-map.js';
import { placeFootnotes, takeFootnotes } from '../../src/writers/epub/footnotes.js';
import { insertPageBreaks, keepFirstPageBreaks } from '../../src/writers/epub/page-breaks.js';
import { fileOfIds, linkChapters } from '../../src/writers/epub/links.js';
import { navigation } from '../../src/writers/epub/navigation.js';
import { toXhtml } from '../../src/writers/epub/xhtml.js';
import { loadTemplates } from '../../src/writers/print-page/templates.js';
import { labelsFor } from '../../src/document/labels.js';
import { temporaryFolder } from '../helpers/tools.js';

const metadata: Metadata = {
  title: 'A Report',
  shortTitle: 'A Report',
  authors: ['A. Author'],
  lang: 'en',
  keywords: [],
  paper: 'a4',
  tocDepth: 2,
};

function section(id: string, title: string, ...content: Element[]): Element {
  return h('section', { className: ['level-1'], ariaLabelledBy: [id] }, [h('h2', { id }, title), ...content]);
}

/**
 * A document as the pipeline makes it with Markdown footnotes: references in the text, the notes in one list at the
 * end.
 */
function withNotes(): Root {
  const reference = (n: number, suffix = '') =>
    h('sup', [
      h(
        'a',
        {
          href: `#user-content-fn-${n}`,
          id: `user-content-fnref-${n}${suffix}`,
          dataFootnoteRef: true,
          ariaDescribedBy: ['footnote-label'],
        },
        String(n),
      ),
    ]);
  const note = (n: number, text: string, backs: string[]) =>
    h('li', { id: `user-content-fn-${n}` }, [
      '\n',
      h('p', [
        `${text} `,
        ...backs.flatMap((back, index) => [
          ...(index > 0 ? [' '] : []),
          h(
            'a',
            {
              href: `#user-content-fnref-${back}`,
              dataFootnoteBackref: '',
              ariaLabel: `Back to reference ${n}`,
              className: ['data-footnote-backref'],
            },
            '↑',
          ),
        ]),
      ]),
      '\n',
    ]);
  return {
    type: 'root',
    children: [
      section('one', 'One', h('p', ['First claim.', reference(1), ' Second claim.', reference(2)])),
      section(
        'two',
        'Two',
        h('p', ['Again the first.', reference(1, '-2')]),
        h('p', [h('a', { href: '#one' }, 'See One')]),
      ),
      h('section', { dataFootnotes: true, className: ['footnotes'] }, [
        h('h3', { className: ['sr-only'], id: 'footnote-label' }, 'Footnotes'),
        h('ol', ['\n', note(1, 'Note one.', ['1', '1-2']), '\n', note(2, 'Note two.', ['2']), '\n']),
      ]),
    ],
  };
}

function chaptersOf(tree: Root): EpubChapter[] {
  const footnotes = takeFootnotes(tree)!;
  const chapters = splitChapters(tree, metadata);
  for (const chapter of chapters) placeFootnotes(chapter.body, footnotes);
  linkChapters(chapters);
  return chapters;
}

describe('chapters, notes and links', () => {
  it('cuts the report into a title page and one chapter per top-level section', () => {
    const chapters = splitChapters(
      { type: 'root', children: [h('p', 'Before.'), section('a', 'A'), section('b', 'B')] },
      metadata,
    );
    expect(chapters.map((chapter) => [chapter.filename, chapter.kind, chapter.title])).toEqual([
      ['title.xhtml', 'titlepage', 'A Report'],
      ['chapter-001.xhtml', 'chapter', 'A'],
      ['chapter-002.xhtml', 'chapter', 'B'],
    ]);
    expect(toXhtml(chapters[0]!.body)).toContain('<p>Before.</p>');
    expect(chapters[1]!.body.properties).toMatchObject({ 'epub:type': 'chapter', role: 'doc-chapter' });
  });

  it('makes a report without top-level sections one chapter', () => {
    const chapters = splitChapters(
      { type: 'root', children: [h('p', 'Only text.'), h('section', { className: ['level-2'] }, [h('h3', 'Sub')])] },
      metadata,
    );
    expect(chapters.map((chapter) => [chapter.filename, chapter.kind, chapter.title])).toEqual([
      ['title.xhtml', 'titlepage', 'A Report'],
      ['chapter-001.xhtml', 'chapter', 'A Report'],
    ]);
    expect(toXhtml(chapters[1]!.body)).toContain('<p>Only text.</p><section class="level-2"><h3>Sub</h3></section>');
    expect(toXhtml(chapters[0]!.body)).not.toContain('Only text.');
  });

  it(
    'puts each note at the end of every chapter that cites it, with back links to that chapter’s ' + 'references only',
    () => {
      const [, one, two] = chaptersOf(withNotes());
      const first = toXhtml(one!.body);
      expect(first).toContain(
        '<a href="#user-content-fn-1" id="user-content-fnref-1" data-footnote-ref="" ' +
          'aria-describedby="footnote-label" epub:type="noteref" role="doc-noteref">1</a>',
      );
      expect(first).toContain(
        '<section class="footnotes" aria-labelledby="footnote-label"><h3 id="footnote-label" ' +
          'class="footnotes-label">Footnotes</h3>' +
          '<aside id="user-content-fn-1" class="footnote" epub:type="footnote" ' +
          'role="doc-footnote"><p><span class="footnote-number">1.</span> Note one. ' +
          '<a href="#user-content-fnref-1" data-footnote-backref="" aria-label="Back to reference 1" ' +
          'class="data-footnote-backref" role="doc-backlink">↑</a></p></aside>' +
          '<aside id="user-content-fn-2" class="footnote" epub:type="footnote" role="doc-footnote">',
      );
      expect(first).not.toContain('#user-content-fnref-1-2');
      const second = toXhtml(two!.body);
      expect(second).toContain('<aside id="user-content-fn-1"');
      expect(second).not.toContain('user-content-fn-2');
      expect(second).toContain('<a href="#user-content-fnref-1-2"');
      expect(second).not.toContain('href="#user-content-fnref-1"');
    },
  );

  it('keeps a page that begins with the notes’ heading: its marker goes with the first note', () => {
    const tree = withNotes();
    const blocks = pageBlocks(tree);
    const heading = blocks.findIndex((block) => block.tagName === 'h3');
    insertPageBreaks(
      tree,
      { pages: 9, starts: [{ page: 9, block: heading, offset: 0 }], pageOfId: new Map() },
      new Set(),
    );
    const chapters = chaptersOf(tree);
    keepFirstPageBreaks(chapters.map((chapter) => chapter.body));
    const [, one, two] = chapters;
    expect(toXhtml(one!.body)).toContain(
      '<aside id="user-content-fn-1" class="footnote" epub:type="footnote" ' +
        'role="doc-footnote"><p><span class="footnote-number">1.</span> ' +
        '<span id="page-9" epub:type="pagebreak" role="doc-pagebreak" aria-label="9"></span>Note one.',
    );
    // The copy of note 1 in the second chapter has no second marker for page 9.
    expect(toXhtml(two!.body)).toContain('<aside id="user-content-fn-1"');
    expect(toXhtml(two!.body)).not.toContain('page-9');
  });

  it('points a link into another chapter at that chapter’s file', () => {
    const chapters = chaptersOf(withNotes());
    expect(toXhtml(chapters[2]!.body)).toContain('<a href="chapter-001.xhtml#one">See One</a>');
    expect(fileOfIds(chapters).get('one')).toBe('chapter-001.xhtml');
  });

  it('reports a link to an id that is nowhere in the report, and keeps its text', () => {
    const file = new VFile({ path: '/project/report.md' });
    const chapters = splitChapters(
      { type: 'root', children: [section('a', 'A', h('p', [h('a', { href: '#nowhere' }, 'gone')]))] },
      metadata,
    );
    linkChapters(chapters, file);
    expect(file.messages.map((message) => [message.ruleId, message.reason])).toEqual([
      ['reference-missing', 'Link to `#nowhere`, which is nowhere in the report: it is kept as text in the EPUB'],
    ]);
    expect(toXhtml(chapters[1]!.body)).toContain('<span>gone</span>');
  });

  it(
    'keeps as text a link to a file beside the manuscript, which the book does not hold, and leaves ' +
      'full URLs alone',
    () => {
      const file = new VFile({ path: '/project/report.md' });
      const links = [
        h('a', { href: 'notes/other.md' }, 'notes'),
        h('a', { href: 'https://example.org/a' }, 'web'),
        h('a', { href: 'mailto:a@example.org' }, 'mail'),
      ];
      const chapters = splitChapters({ type: 'root', children: [section('a', 'A', h('p', links))] }, metadata);
      linkChapters(chapters, file);
      // Reported once when the document is made (rehype-imprint-links), not again here.
      expect(file.messages).toEqual([]);
      const xhtml = toXhtml(chapters[1]!.body);
      expect(xhtml).toContain('<span>notes</span>');
      expect(xhtml).toContain('<a href="https://example.org/a">web</a>');
      expect(xhtml).toContain('<a href="mailto:a@example.org">mail</a>');
    },
  );

  it('nests the contents by heading level and leaves out the notes’ heading', () => {
    const chapters = chaptersOf(withNotes());
    const nav = navigation({
      outline: [
        { id: 'one', depth: 1, text: 'One' },
        { id: 'two', depth: 1, text: 'Two' },
        { id: 'footnote-label', depth: 2, text: 'Footnotes' },
      ],
      chapters,
      files: fileOfIds(chapters),
      exclude: new Set(['footnote-label']),
      pageBreaks: [],
      navFile: 'toc.xhtml',
      labels: labelsFor('en'),
    });
    expect(nav.toc).toEqual([
      { title: 'One', href: 'chapter-001.xhtml#one', children: [] },
      { title: 'Two', href: 'chapter-002.xhtml#two', children: [] },
    ]);
    expect(nav.landmarks.map((landmark) => landmark.type)).toEqual(['titlepage', 'toc', 'bodymatter']);
  });
});

describe('XHTML', () => {
  it(
    'closes every element, self-closes only void ones, keeps text as UTF-8, marks languages for ' +
      'XML, and puts inline SVG in its namespace',
    () => {
      const xhtml = toXhtml(
        h('div', { dataKind: 'chart', className: ['align-right'] }, [
          h('p', ['Ünïcødé “quotes” ', h('span', { lang: 'zh-Hans' }, '习近平'), ' & <tags>', h('br')]),
          h('span', { id: 'empty' }),
          s('svg', { viewBox: '0 0 10 10', role: 'img', ariaLabel: 'A chart' }, [s('path', { d: 'M0 0L10 10' })]),
        ]),
      );
      expect(xhtml).toBe(
        '<div data-kind="chart" class="align-right"><p>Ünïcødé “quotes” <span lang="zh-Hans" ' +
          'xml:lang="zh-Hans">习近平</span> &#x26; &#x3C;tags><br/></p><span id="empty"></span>' +
          '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" role="img" aria-label="A ' +
          'chart"><path d="M0 0L10 10"></path></svg></div>',
      );
    },
  );
});

describe('accessibility metadata', () => {
  it('claims conformance and alternative text only when every image has a text alternative', () => {
    const described = accessibilityMetadata({
      visuals: 2,
      visualsWithoutText: 0,
      tables: 1,
      notes: 3,
      pageNumbers: true,
    });
    expect(described.accessModes).toEqual(['textual', 'visual']);
    expect(described.accessModesSufficient).toEqual(['textual', 'textual,visual']);
    expect(described.features).toEqual(
      expect.arrayContaining(['alternativeText', 'pageNavigation', 'pageBreakMarkers', 'tableOfContents']),
    );
    expect(described.conformsTo).toBe('EPUB Accessibility 1.1 - WCAG 2.2 Level AA');

    const undescribed = accessibilityMetadata({
      visuals: 2,
      visualsWithoutText: 1,
      tables: 0,
      notes: 0,
      pageNumbers: false,
    });
    expect(undescribed.accessModesSufficient).toEqual(['textual,visual']);
    expect(undescribed.features).not.toContain('alternativeText');
    expect(undescribed.features).not.toContain('pageNavigation');
    expect(undescribed.conformsTo).toBeUndefined();
    expect(undescribed.summary).toContain(
      'does not claim WCAG conformance: 1 of its 2 figures has no text alternative',
    );

    const text = accessibilityMetadata({ visuals: 0, visualsWithoutText: 0, tables: 0, notes: 0, pageNumbers: false });
    expect([text.accessModes, text.accessModesSufficient, text.hazards]).toEqual([['textual'], ['textual'], ['none']]);
  });
});

describe('template folders', () => {
  it('take the shipped template for any file a folder does not have', async () => {
    const dir = await temporaryFolder();
    await mkdir(path.join(dir, 'epub'));
    await writeFile(path.join(dir, 'epub.css'), 'body { color: black; }');
    const templates = await loadTemplates(dir);
    expect(templates.epubCss).toBe('body { color: black; }');
    expect(templates.epub.coverSvg).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
  });
});
