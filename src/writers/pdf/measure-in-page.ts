/**
 * The measuring pass, run inside the page (the page itself runs no script).
 *
 * The document is laid out in columns exactly the size of the printed page
 * area (`column-fill: auto`, forced page breaks turned into column breaks),
 * so that Chromium's block fragmentation breaks it where printing will: column
 * N is page N. From that layout the pass reads the page of every element id in
 * the body and where each page of the body begins.
 *
 * This function is serialised into the page: it must not use anything from
 * its module.
 */

export interface MeasureSettings {
  /** Width of a column (the page area), CSS pixels. */
  width: number;
  /** Attribute that holds a page block's index (see `pageBlocks`). */
  blockAttribute: string;
  /** Selector of the body of the report. */
  bodySelector: string;
  /**
   * Attribute of figures deferred in print (see `deferFiguresInPage`): the other editions have them earlier, so
   * a page begins where its first other content does, and at such a figure only when nothing else begins there.
   */
  deferredAttribute?: string;
  /**
   * Attribute of the second part of a block split by a page's notes (see `placeNotesInPage`): how much of the
   * block's text came before it.
   */
  offsetAttribute?: string;
}

export interface MeasuredLayout {
  /** Pages of the whole document. */
  pages: number;
  /** For each page of the body: [page, block index, text offset in the block]. */
  starts: Array<[number, number, number]>;
  /** [id, page, distance from the top of the page area in CSS pixels] for every element with an id in the body. */
  ids: Array<[string, number, number]>;
}

export function measureInPage(settings: MeasureSettings): MeasuredLayout {
  const root = document.body;
  const body = document.querySelector(settings.bodySelector);
  const origin = root.getBoundingClientRect().left;
  const top = root.getBoundingClientRect().top;
  const columnOf = (rect: DOMRect) => Math.max(0, Math.floor((rect.left - origin + 1) / settings.width));
  const range = document.createRange();
  const visible = (rects: DOMRectList) => {
    const out: DOMRect[] = [];
    for (const rect of rects) if (rect.width > 0 || rect.height > 0) out.push(rect);
    return out;
  };

  // What can begin a page: text that is not blank, and content without text (images, SVG, rules).
  const replaced = new Set([
    'IMG',
    'SVG',
    'svg',
    'VIDEO',
    'CANVAS',
    'IFRAME',
    'OBJECT',
    'EMBED',
    'HR',
    'PICTURE',
    'MATH',
    'math',
  ]);
  const atoms: Node[] = [];
  // Those of figures deferred in print, kept apart: they begin a page only when nothing else does.
  const deferredAtoms: Node[] = [];
  const collect = (node: Node, into: Node[]) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        if (/\S/.test((child as Text).data)) into.push(child);
      } else if (child.nodeType === 1) {
        const element = child as Element;
        if (replaced.has(element.tagName)) into.push(child);
        else
          collect(
            child,
            settings.deferredAttribute && element.hasAttribute(settings.deferredAttribute) ? deferredAtoms : into,
          );
      }
    }
  };
  if (body) collect(body, atoms);

  // The layout does not change while it is measured: each atom's boxes are asked for once. A text node's boxes
  // are one per line, so asking again for every page made a long paragraph's cost grow with its square.
  const rectsCache = new Map<Node, DOMRect[]>();
  const rectsOf = (node: Node): DOMRect[] => {
    const known = rectsCache.get(node);
    if (known) return known;
    let rects: DOMRect[];
    if (node.nodeType === 3) {
      range.selectNodeContents(node);
      rects = visible(range.getClientRects());
    } else rects = visible((node as Element).getClientRects());
    rectsCache.set(node, rects);
    return rects;
  };
  const lastColumn = (node: Node) => {
    const rects = rectsOf(node);
    return rects.length === 0 ? -1 : columnOf(rects[rects.length - 1]!);
  };
  const firstColumn = (node: Node) => {
    const rects = rectsOf(node);
    return rects.length === 0 ? -1 : columnOf(rects[0]!);
  };
  /**
   * Column of the character at `index` of a text node, or of the next one that
   * is drawn. Blanks and soft hyphens are passed over: a space that ends a line
   * can report a box on the next line, in the next column.
   */
  const characterColumn = (text: Text, index: number) => {
    for (let at = index; at < text.data.length; at++) {
      if (text.data[at] === '\u00ad' || /\s/.test(text.data[at]!)) continue;
      range.setStart(text, at);
      range.setEnd(text, at + 1);
      // The last box: the first letter after a hyphenated break also reports the hyphen drawn before it.
      const rects = visible(range.getClientRects());
      if (rects.length > 0) return columnOf(rects[rects.length - 1]!);
    }
    return -1;
  };

  // Columns of the atoms, in document order; an atom that is not drawn takes its predecessor's.
  let pages: number;
  let last = -1;
  for (let index = atoms.length - 1; index >= 0 && last < 0; index--) last = lastColumn(atoms[index]!);
  pages = Math.max(last + 1, 1);
  for (const element of document.querySelectorAll(`${settings.bodySelector} [${settings.blockAttribute}]`)) {
    const rects = visible(element.getClientRects());
    if (rects.length > 0) pages = Math.max(pages, columnOf(rects[rects.length - 1]!) + 1);
  }

  const blockOf = (node: Node): Element | null => {
    const element = node.nodeType === 3 ? node.parentElement : (node as Element);
    return element ? element.closest(`[${settings.blockAttribute}]`) : null;
  };
  // The text of the block before a node, once per node; within a text node, only the part before the offset.
  const beforeNode = new Map<Node, number>();
  const textBefore = (block: Element, node: Node, offset: number) => {
    let before = beforeNode.get(node);
    if (before === undefined) {
      range.setStart(block, 0);
      range.setEndBefore(node);
      before = range.toString().replace(/\u00ad/g, '').length;
      beforeNode.set(node, before);
    }
    const continued = settings.offsetAttribute ? Number(block.getAttribute(settings.offsetAttribute) ?? 0) : 0;
    return (
      continued +
      (node.nodeType === 3 ? before + (node as Text).data.slice(0, offset).replace(/\u00ad/g, '').length : before)
    );
  };

  const starts: Array<[number, number, number]> = [];
  const firstBodyColumn = atoms.length > 0 ? firstColumn(atoms[0]!) : -1;
  if (firstBodyColumn >= 0) {
    let from = 0;
    for (let column = firstBodyColumn; column < pages; column++) {
      // The first atom that ends in this column or later.
      let low = from;
      let high = atoms.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        let at = lastColumn(atoms[middle]!);
        for (let back = middle - 1; at < 0 && back >= 0; back--) at = lastColumn(atoms[back]!);
        if (at >= column) high = middle;
        else low = middle + 1;
      }
      if (low >= atoms.length) break;
      from = low;
      const atom = atoms[low]!;
      let offset = 0;
      if (atom.nodeType === 3) {
        const text = atom as Text;
        if (firstColumn(text) < column) {
          let a = 0;
          let z = text.data.length;
          while (a < z) {
            const middle = (a + z) >> 1;
            const at = characterColumn(text, middle);
            if (at >= column || at < 0) z = middle;
            else a = middle + 1;
          }
          offset = a;
        }
        // Skip the blanks that open the page (collapsed, not drawn).
        while (offset < text.data.length && /\s/.test(text.data[offset]!)) offset++;
      }
      const atomColumn = atom.nodeType === 3 ? characterColumn(atom as Text, offset) : firstColumn(atom);
      if (atomColumn !== column) continue; // a page that begins nothing new (blank)
      const block = blockOf(atom);
      if (!block) continue;
      starts.push([column + 1, Number(block.getAttribute(settings.blockAttribute)), textBefore(block, atom, offset)]);
    }
  }

  // A page that a deferred figure heads and where nothing else begins (the figure fills it) begins at the figure.
  for (const atom of deferredAtoms) {
    const column = firstColumn(atom);
    const block = blockOf(atom);
    if (column < 0 || !block || starts.some(([page]) => page === column + 1)) continue;
    starts.push([column + 1, Number(block.getAttribute(settings.blockAttribute)), textBefore(block, atom, 0)]);
  }
  starts.sort((a, b) => a[0] - b[0]);

  const ids: Array<[string, number, number]> = [];
  if (body) {
    for (const element of body.querySelectorAll('[id]')) {
      const rects = visible(element.getClientRects());
      if (rects.length > 0) ids.push([element.id, columnOf(rects[0]!) + 1, Math.max(0, rects[0]!.top - top)]);
    }
  }
  return { pages, starts, ids };
}

/** Put the page of an element into each `[data-page-of="id"]` (the contents page's numbers). */
export function fillPageNumbersInPage({
  pageOfId,
  remove,
}: {
  pageOfId: Record<string, number>;
  /** Then remove the elements this selector matches (the measuring style sheet), in the same task. */
  remove?: string;
}): number {
  let filled = 0;
  for (const element of document.querySelectorAll('[data-page-of]')) {
    const page = pageOfId[element.getAttribute('data-page-of') ?? ''];
    element.textContent = page === undefined ? '' : String(page);
    if (page !== undefined) filled++;
  }
  if (remove) for (const element of document.querySelectorAll(remove)) element.remove();
  return filled;
}

/** The measuring layout's columns (each the page area), for the corrections made on it. */
export interface ColumnSettings {
  /** Width and height of a column (the page area), CSS pixels. */
  width: number;
  height: number;
  /** Selector of the body of the report. */
  bodySelector: string;
}

export interface KeepLinesSettings extends ColumnSettings {
  /** Fewest lines of a paragraph that may stand on either side of a page break. */
  minimum: number;
  /** Attribute that asks for a page break before its element (the style sheets break there). */
  breakAttribute: string;
  /**
   * Only the paragraph that runs from this column (page less one) to the next: the end of one page, checked once
   * the pages before it are final (see `placeNotesInPage`). Every page when absent.
   */
  column?: number;
}

/**
 * Widows and orphans the browser left in the measuring layout (it does not
 * always honour `widows` and `orphans`, for one when a paragraph is too short
 * to give both sides their lines and a heading before it asks not to be left
 * alone): each paragraph broken across columns with fewer than `minimum` lines
 * on one side is moved whole to the next page, with the headings that lead
 * into it. Returns how many breaks were asked for; the caller measures again.
 *
 * Serialised into the page like `measureInPage`.
 */
/** The part of the flow a correction of one page looks in (see `placeNotesInPage`): after one node, before another. */
export interface KeepLinesWithin {
  after: Node | null;
  before: Node | null;
}

export function keepLinesInPage(settings: KeepLinesSettings, within?: KeepLinesWithin): number {
  const origin = document.body.getBoundingClientRect().left;
  const columnOf = (rect: DOMRect) => Math.max(0, Math.floor((rect.left - origin + 1) / settings.width));
  const body = document.querySelector(settings.bodySelector);
  if (!body) return 0;
  const range = document.createRange();
  const lineBlocks = 'p, li, dt, dd, figcaption, blockquote, pre';
  const nested = 'p, li, dt, dd, div, table, figure, ul, ol, dl, blockquote, pre, section';
  let asked = 0;
  let blocks = Array.from(body.querySelectorAll(lineBlocks));
  /** The first index of `blocks` from which `test` holds (it holds of every block after one it holds of). */
  const firstWhere = (test: (index: number) => boolean) => {
    let low = 0;
    let high = blocks.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (test(middle)) high = middle;
      else low = middle + 1;
    }
    return low;
  };
  if (within) {
    // Only the blocks after `after` (not in it) and before `before` (not in it): the rest is not laid out.
    const { after, before } = within;
    const start = after ? firstWhere((index) => (after.compareDocumentPosition(blocks[index]!) & 20) === 4) : 0;
    const end = before
      ? firstWhere((index) => blocks[index] === before || (before.compareDocumentPosition(blocks[index]!) & 4) !== 0)
      : blocks.length;
    blocks = blocks.slice(start, Math.max(start, end));
  }
  if (settings.column !== undefined) {
    // The blocks that begin in the column: a block begins no earlier than the one before it in document order
    // (one that is not drawn counts as beginning with it).
    const column = settings.column;
    const firstColumn = (index: number) => {
      for (let at = index; at >= 0; at--) {
        for (const rect of blocks[at]!.getClientRects()) if (rect.width > 0 || rect.height > 0) return columnOf(rect);
      }
      return -1;
    };
    const low = firstWhere((index) => firstColumn(index) >= column);
    let end = low;
    while (end < blocks.length && firstColumn(end) <= column) end++;
    blocks = blocks.slice(low, end);
  }
  for (const block of blocks) {
    if (block.querySelector(nested)) continue; // its lines belong to the blocks inside it
    range.selectNodeContents(block);
    const rects: DOMRect[] = [];
    for (const rect of range.getClientRects()) if (rect.width > 0 && rect.height > 0) rects.push(rect);
    if (rects.length < 2) continue;
    const first = columnOf(rects[0]!);
    const last = columnOf(rects[rects.length - 1]!);
    if (last !== first + 1) continue; // on one page, or longer than a page: nothing to move
    // Lines on each side: boxes that overlap vertically share a line (a superscript stays on its line).
    const lines = new Map<number, Array<{ top: number; bottom: number }>>();
    for (const rect of rects) {
      const column = columnOf(rect);
      const list = lines.get(column) ?? [];
      const line = list.find((candidate) => rect.top < candidate.bottom - 1 && rect.bottom > candidate.top + 1);
      if (line) {
        line.top = Math.min(line.top, rect.top);
        line.bottom = Math.max(line.bottom, rect.bottom);
      } else list.push({ top: rect.top, bottom: rect.bottom });
      lines.set(column, list);
    }
    const before = lines.get(first)?.length ?? 0;
    const after = lines.get(last)?.length ?? 0;
    if (before >= settings.minimum && after >= settings.minimum) continue;
    // A widow at the end of a long paragraph is the browser's to fix (its lines can move); moving the
    // whole paragraph would leave most of a page empty.
    if (before >= settings.minimum && before > 2 * settings.minimum + 1) continue;
    // Break before the paragraph, or before the headings (and the sections they open) that lead into it.
    let target: Element = block;
    for (;;) {
      const previous = target.previousElementSibling;
      if (previous && /^H[1-6]$/.test(previous.tagName)) target = previous;
      else if (
        !previous &&
        target.parentElement &&
        target.parentElement !== body &&
        target.parentElement !== document.body
      )
        target = target.parentElement;
      else break;
    }
    if (target.hasAttribute(settings.breakAttribute)) continue;
    target.setAttribute(settings.breakAttribute, '');
    asked++;
  }
  return asked;
}

export interface FitFiguresSettings extends ColumnSettings {
  /** Smallest scale a drawing may be set at to stay on the page where it falls (0.75: three quarters). */
  minimumScale: number;
}

/**
 * A figure kept whole (a chart, an image) that does not fit below the text
 * before it moves to the next page and leaves the rest of the page empty. When
 * a drawing a little smaller would fit in that space, it is set smaller (down
 * to `minimumScale`) and the page is filled. Returns how many figures were
 * fitted; the caller measures again. Reading order does not change; a figure
 * this cannot keep on its page is deferred (`deferFiguresInPage`).
 *
 * Serialised into the page like `measureInPage`.
 */
export function fitFiguresInPage(settings: FitFiguresSettings): number {
  const body = document.querySelector(settings.bodySelector);
  if (!body) return 0;
  const origin = document.body.getBoundingClientRect();
  const columnOf = (rect: DOMRect) => Math.max(0, Math.floor((rect.left - origin.left + 1) / settings.width));
  let fitted = 0;
  for (const figure of body.querySelectorAll('figure')) {
    const drawing = figure.querySelector(
      ':scope > img, :scope > svg, :scope > picture, :scope > .chart-drawing > svg, :scope > .chart-drawing > img',
    );
    if (!drawing || (drawing as HTMLElement).style.maxWidth) continue;
    const previous = figure.previousElementSibling;
    if (!previous) continue;
    const figureRects = figure.getClientRects();
    const previousRects = previous.getClientRects();
    if (figureRects.length !== 1 || previousRects.length === 0) continue;
    const figureRect = figureRects[0]!;
    const previousRect = previousRects[previousRects.length - 1]!;
    const column = columnOf(figureRect);
    if (column !== columnOf(previousRect) + 1) continue; // on the same page as the text before it
    const gap = origin.top + settings.height - previousRect.bottom;
    const drawingHeight = drawing.getBoundingClientRect().height;
    const rest = figureRect.height - drawingHeight;
    // Room for the figure's margins and a line of slack.
    const room = gap - rest - 40;
    if (room <= 0 || drawingHeight <= 0) continue;
    const scale = room / drawingHeight;
    if (scale >= 1 || scale < settings.minimumScale) continue;
    (drawing as HTMLElement).style.maxWidth = `${Math.floor(scale * 1000) / 10}%`;
    (drawing as HTMLElement).style.marginInline = 'auto';
    fitted++;
  }
  return fitted;
}

export interface DeferFiguresSettings extends ColumnSettings {
  /** Smallest share of the page a figure may leave empty before it is deferred (0.15: 15 %). */
  largestGap: number;
  /** Attribute set on a deferred figure, so that it is deferred once. */
  deferredAttribute: string;
}

/**
 * A figure kept whole (or a paragraph that is only an image) that does not
 * fit below the text before it, even set smaller (`fitFiguresInPage` comes
 * first), leaves the rest of its page empty. Such a figure is deferred, as
 * typesetters float figures: the paragraphs that follow it (into the next
 * section if need be) move up to fill that space and the figure comes after
 * them, at the top of the next page. It never passes another figure or table
 * (numbers stay in order) or a forced page break (a new chapter), and never
 * lands right after a heading. Returns how many figures were deferred; the
 * caller measures again. Only the print edition's page is changed: the HTML
 * and EPUB keep the manuscript's order, where nothing leaves a page empty.
 *
 * Serialised into the page like `measureInPage`.
 */
export function deferFiguresInPage(settings: DeferFiguresSettings): number {
  const body = document.querySelector(settings.bodySelector);
  if (!body) return 0;
  const origin = document.body.getBoundingClientRect();
  const columnOf = (rect: DOMRect) => Math.max(0, Math.floor((rect.left - origin.left + 1) / settings.width));
  const kept = 'figure, table, pre, blockquote';
  const drawings = 'img, svg, picture';
  /** A paragraph that holds nothing but an image: kept whole like a figure. */
  const imageOnly = (element: Element) =>
    element.tagName === 'P' &&
    element.children.length === 1 &&
    element.children[0]!.matches(drawings) &&
    !/\S/.test(element.textContent ?? '');
  /** A page (or, in the measuring layout, column) break forced before the element: a figure never passes one. */
  const forced = (element: Element) =>
    ['page', 'column', 'left', 'right', 'recto', 'verso'].includes(getComputedStyle(element).breakBefore);
  /**
   * The block that comes after `element` in reading order, stepping out of sections and into the next one's
   * first child; none past a forced break (a new chapter).
   */
  const following = (element: Element): Element | null => {
    let current: Element | null = element;
    while (current && current !== body) {
      if (current.nextElementSibling) {
        let next: Element = current.nextElementSibling;
        if (forced(next)) return null;
        while (next.tagName === 'SECTION' && next.firstElementChild) {
          next = next.firstElementChild;
          if (forced(next)) return null;
        }
        return next;
      }
      current = current.parentElement;
    }
    return null;
  };
  let deferred = 0;
  for (const figure of [
    ...body.querySelectorAll(`figure:not([${settings.deferredAttribute}]), p:not([${settings.deferredAttribute}])`),
  ]) {
    if (
      figure.tagName === 'P'
        ? !imageOnly(figure)
        : !figure.querySelector(':scope > img, :scope > svg, :scope > picture, :scope > .chart-drawing')
    )
      continue;
    const previous = figure.previousElementSibling;
    if (!previous) continue;
    const figureRects = figure.getClientRects();
    const previousRects = previous.getClientRects();
    if (figureRects.length !== 1 || previousRects.length === 0) continue;
    const previousRect = previousRects[previousRects.length - 1]!;
    if (columnOf(figureRects[0]!) !== columnOf(previousRect) + 1) continue; // on the page of the text before it
    const empty = origin.top + settings.height - previousRect.bottom;
    if (empty < settings.largestGap * settings.height) continue;
    // The blocks that follow, up to the next figure or table, as many as fit whole in the empty
    // space, and then a paragraph long enough to be broken there (two lines or more on each side).
    let after: Element | null = null;
    let filled = 0;
    for (let next = following(figure); next; next = following(next)) {
      if (next.matches(kept) || next.querySelector(kept) || next.tagName === 'SECTION' || imageOnly(next)) break;
      const style = getComputedStyle(next);
      let height = parseFloat(style.marginTop) + parseFloat(style.marginBottom);
      for (const rect of next.getClientRects()) height += rect.height;
      const heading = /^H[1-6]$/.test(next.tagName);
      if (filled + height > empty) {
        const line = parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize);
        const broken =
          !heading &&
          next.tagName === 'P' &&
          empty - filled >= 2 * line + parseFloat(style.marginTop) &&
          height >= 4 * line;
        if (broken) after = next;
        break;
      }
      filled += height;
      if (!heading) after = next;
    }
    if (!after) continue;
    figure.setAttribute(settings.deferredAttribute, '');
    after.after(figure);
    deferred++;
  }
  return deferred;
}

/**
 * Let the cells of a table wider than its column break words anywhere. Table cells break only long words
 * (`overflow-wrap: break-word`), so that a column of short words keeps them whole and the columns share the
 * width by their content; a table that still does not fit (many columns, unbreakable values) would make
 * Chromium scale every printed page down, so its cells break anywhere instead. Returns how many tables.
 */
export function loosenWideTablesInPage(settings: { className: string }): number {
  let loosened = 0;
  for (const table of document.querySelectorAll('table')) {
    const parent = table.parentElement;
    if (!parent || table.classList.contains(settings.className)) continue;
    if (table.getBoundingClientRect().width > parent.getBoundingClientRect().width + 0.5) {
      table.classList.add(settings.className);
      loosened++;
    }
  }
  return loosened;
}

/** The page area as the page's own style sheets set it, read by Chromium: see {@link pageAreaInPage}. */
export interface LaidOutPageArea {
  width: number;
  height: number;
  top: number;
}

/**
 * The page area of the body's pages (the page box less its margins, CSS pixels), from the `@page` rules Chromium
 * parsed: every value it accepts, `calc()` and `var()` included, is resolved by Chromium itself, on an element
 * given the value as its width. The page box is the last `size` given (a name such as A4, or two lengths, and an
 * orientation); the margins, the last of each side. Rules for `:first`, `:left` and `:right` pages are left to
 * those pages (a body page's text width is the same on left and right pages in every layout imprint measures).
 * Runs in the page (see `inPage`): self-contained.
 */
export function pageAreaInPage(paper: { width: number; height: number }): LaidOutPageArea {
  const millimetre = 96 / 25.4;
  const named: Record<string, [number, number]> = {
    a5: [148, 210],
    a4: [210, 297],
    a3: [297, 420],
    b5: [176, 250],
    b4: [250, 353],
    'jis-b5': [182, 257],
    'jis-b4': [257, 364],
    letter: [215.9, 279.4],
    legal: [215.9, 355.6],
    ledger: [279.4, 431.8],
  };
  const probe = document.createElement('div');
  probe.style.cssText = 'position: absolute; visibility: hidden; left: 0; top: 0; height: 0';
  document.documentElement.append(probe);
  const pixels = (value: string): number | undefined => {
    probe.style.width = '';
    probe.style.width = value;
    if (probe.style.width === '') return undefined;
    return probe.getBoundingClientRect().width;
  };
  /** The parts of a value separated by spaces outside parentheses: `calc(1mm + 2mm) 3mm`. */
  const parts = (value: string): string[] => {
    const found: string[] = [];
    let depth = 0;
    let part = '';
    for (const character of value.trim()) {
      if (character === '(') depth++;
      else if (character === ')') depth--;
      if (/\s/.test(character) && depth === 0) {
        if (part) found.push(part);
        part = '';
      } else part += character;
    }
    if (part) found.push(part);
    return found;
  };
  let box: [number, number] = [paper.width, paper.height];
  const margins = { top: 0, right: 0, bottom: 0, left: 0 };
  const sides = ['top', 'right', 'bottom', 'left'] as const;
  const read = (rule: CSSPageRule) => {
    const style = rule.style;
    const size = parts(style.getPropertyValue('size').toLowerCase());
    if (size.length > 0) {
      const orientation = size.find((part) => part === 'landscape' || part === 'portrait');
      const rest = size.filter((part) => part !== orientation);
      let found: [number, number] | undefined;
      const name = rest.length === 1 ? named[rest[0]!] : undefined;
      if (name) found = [name[0] * millimetre, name[1] * millimetre];
      else if (rest.length >= 1) {
        const lengths = rest.map(pixels);
        if (lengths.every((length) => length !== undefined))
          found = [lengths[0]!, lengths[1] ?? lengths[0]!] as [number, number];
      }
      if (found) {
        const [short, long] = [Math.min(...found), Math.max(...found)];
        box = orientation === 'landscape' ? [long, short] : orientation === 'portrait' ? [short, long] : found;
      }
    }
    const shorthand = parts(style.getPropertyValue('margin'));
    const fromShorthand = shorthand.map(pixels);
    for (const [index, side] of sides.entries()) {
      const longhand = style.getPropertyValue(`margin-${side}`).trim();
      let value = longhand ? pixels(longhand) : undefined;
      if (value === undefined && shorthand.length > 0 && fromShorthand.every((part) => part !== undefined)) {
        const [top, right = top, bottom = top, left = right] = fromShorthand as number[];
        value = [top, right, bottom, left][index];
      }
      if (value !== undefined) margins[side] = value;
    }
  };
  const visit = (rules: CSSRuleList) => {
    for (const rule of Array.from(rules)) {
      if (rule instanceof CSSMediaRule) {
        if (matchMedia(rule.media.mediaText || 'all').matches) visit(rule.cssRules);
      } else if (rule instanceof CSSPageRule && rule.selectorText.trim() === '') read(rule);
    }
  };
  for (const sheet of Array.from(document.styleSheets)) {
    try {
      visit(sheet.cssRules);
    } catch {
      // A sheet whose rules cannot be read sets nothing here.
    }
  }
  probe.remove();
  return {
    width: Math.ceil(box[0] - margins.left - margins.right - 1e-6),
    height: Math.ceil(box[1] - margins.top - margins.bottom - 1e-6),
    top: margins.top,
  };
}

export interface PageNotesSettings extends ColumnSettings {
  /** Selector of the section the notes are set in at the end of the document (it is taken out). */
  notesSelector: string;
  /** Selector of a reference to a note (a link to the note's `li`). */
  referenceSelector: string;
  /** Attribute of the block of notes at the foot of a page (the style sheets break the page after it). */
  notesAttribute: string;
  /** Attribute of the part of an element split by a page's notes that comes after them. */
  continuedAttribute: string;
  /** Attribute of the part that comes before them. */
  splitAttribute: string;
  /** Attribute of a page block's index (see `pageBlocks`): a continued block keeps its index. */
  blockAttribute: string;
  /** Attribute that holds how much of a continued block's text came before it (see `measureInPage`). */
  offsetAttribute: string;
  /** Fewest lines of a paragraph left on either side of a split. */
  minimum: number;
}

/**
 * Notes at the foot of the page they are cited on. The notes are taken out
 * of their section at the end; then, page by page in the measuring layout,
 * the notes of the references on the page are set in a block (`aside`) at the
 * point where the page's text must end for them to fit below it: the element
 * that runs across that point is split there (a paragraph at the start of a
 * line, up to the section it is in) and the block, pushed to the foot of the
 * page, asks for a page break after itself. A reference whose line would
 * pass below that point goes to the next page with its note. A note longer
 * than the room left is continued at the foot of the next page. Each page is
 * laid out again before the next is set, so a page's notes always follow the
 * pages before it. Returns how many notes were set.
 *
 * `endPage`, when given, is called with each page's column once that page is
 * set (its notes placed, or none), from the first page to the page of the last
 * note: the end of the page is corrected there (`keepLinesInPage` for that
 * column), on the layout with the notes of every page before it, and the walk
 * goes on from the layout that leaves. A correction made before the notes were
 * placed would stand where the notes have since moved the text. The column is
 * counted in the layout as it stands, where the pages set for good may have
 * been taken out (see `pagesInView`), and `within` is the part of the flow laid
 * out.
 *
 * Serialised into the page like `measureInPage`; `endPage` is passed in, not
 * taken from the module.
 */
export function placeNotesInPage(
  settings: PageNotesSettings,
  endPage?: (column: number, within: KeepLinesWithin) => number,
): number {
  const body = document.querySelector(settings.bodySelector);
  const section = body?.querySelector(settings.notesSelector);
  if (!body || !section) return 0;
  const notes = new Map<string, Element>();
  for (const note of section.querySelectorAll('li[id]')) notes.set(note.id, note);
  section.remove();
  const origin = document.body.getBoundingClientRect();
  /** Columns of the pages taken out of the layout (see `pagesInView`): the walk counts columns from the first page. */
  let base = 0;
  const columnOf = (rect: DOMRect) => base + Math.max(0, Math.floor((rect.left - origin.left + 1) / settings.width));
  const foot = origin.top + settings.height;
  const range = document.createRange();
  const drawn = (rects: DOMRectList | DOMRect[]) =>
    Array.from(rects).filter((rect) => rect.width > 0 || rect.height > 0);
  const lineHeight = (element: Element) => {
    const style = getComputedStyle(element);
    const height = parseFloat(style.lineHeight);
    return Number.isFinite(height) ? height : 1.2 * parseFloat(style.fontSize);
  };
  /** Where a box's line ends: a text box is centred in its line. */
  const lineBottom = (rect: DOMRect, parent: Element) => (rect.top + rect.bottom) / 2 + lineHeight(parent) / 2;
  const noteOf = (reference: Element) => {
    const href = reference.getAttribute('href') ?? '';
    return href.startsWith('#') ? decodeURIComponent(href.slice(1)) : '';
  };
  const references = Array.from(body.querySelectorAll(settings.referenceSelector)).filter((reference) =>
    notes.has(noteOf(reference)),
  );
  const flowTags = new Set(['SECTION', 'MAIN', 'ARTICLE', 'BODY']);
  // Kept whole: the notes go before them.
  const whole = 'table, figure, pre, h1, h2, h3, h4, h5, h6, svg, math, img, hr, .callout-title, details > summary';
  const replaced = new Set(['IMG', 'SVG', 'svg', 'VIDEO', 'CANVAS', 'HR', 'MATH', 'math', 'PICTURE', 'IFRAME']);
  const flowOf = (node: Node): Element => {
    let element = node.nodeType === 3 ? node.parentElement! : (node as Element);
    while (!flowTags.has(element.tagName) && element.parentElement) element = element.parentElement;
    return element;
  };

  /** The next atom (text that is not blank, or a drawing) after `node` in document order, within the body. */
  const nextAtom = (node: Node): Node | null => {
    let current: Node | null = node;
    // Not into a drawing (its parts are not atoms), nor into a block of notes set already.
    let descend =
      node.nodeType === 1 &&
      !replaced.has((node as Element).tagName) &&
      !(node as Element).hasAttribute(settings.notesAttribute);
    for (;;) {
      if (descend && current!.firstChild) current = current!.firstChild;
      else {
        while (current && current !== body && !current.nextSibling) current = current.parentNode;
        if (!current || current === body) return null;
        current = current.nextSibling;
      }
      if (!current) return null;
      if (current.nodeType === 3) {
        if (/\S/.test((current as Text).data)) return current;
        descend = false;
      } else if (current.nodeType === 1) {
        const element = current as Element;
        if (replaced.has(element.tagName)) return current;
        descend = !element.hasAttribute(settings.notesAttribute);
      } else descend = false;
    }
  };
  const rectsOf = (node: Node): DOMRect[] => {
    if (node.nodeType === 3) {
      range.selectNodeContents(node);
      return drawn(range.getClientRects());
    }
    return drawn((node as Element).getClientRects());
  };
  /**
   * The first character of a text node (its offset; the length if none) whose box `after` says is past a point:
   * characters after it are past too. The last box: the first letter after a hyphenated break also reports the
   * hyphen drawn before it.
   */
  const firstCharacter = (text: Text, after: (box: DOMRect) => boolean): number => {
    let low = 0;
    let high = text.data.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      range.setStart(text, middle);
      range.setEnd(text, middle + 1);
      const boxes = drawn(range.getClientRects());
      const box = boxes[boxes.length - 1];
      if (!box || after(box)) high = middle;
      else low = middle + 1;
    }
    return low;
  };
  /** The first point at or after `from` whose line does not end in `column` above `limit`. */
  const firstBelow = (
    from: Node,
    column: number,
    limit: number,
  ): { node: Node; offset: number; above: Node | null } | null => {
    let above: Node | null = null;
    for (let atom: Node | null = from; atom; atom = nextAtom(atom)) {
      const rects = rectsOf(atom);
      if (rects.length === 0) continue;
      const parent = atom.nodeType === 3 ? atom.parentElement! : (atom as Element);
      const past = (rect: DOMRect) =>
        columnOf(rect) > column ||
        (columnOf(rect) === column && (atom.nodeType === 3 ? lineBottom(rect, parent) : rect.bottom) > limit + 0.5);
      if (!rects.some(past)) {
        above = atom;
        continue;
      }
      if (atom.nodeType !== 3 || past(rects[0]!)) return { node: atom, offset: 0, above };
      // The first character of the first line that does not fit.
      const text = atom as Text;
      let low = firstCharacter(text, past);
      // Back to the start of that line: after the blank or hyphen that ended the line before.
      while (low < text.data.length && /\s/.test(text.data[low]!)) low++;
      return { node: text, offset: low, above };
    }
    return null;
  };

  /** Lines of a block drawn in `column`, above and below a point: boxes that overlap vertically share a line. */
  const linesAround = (block: Element, node: Node, offset: number, column: number) => {
    const count = (rects: DOMRect[]) => {
      const lines: Array<{ top: number; bottom: number }> = [];
      for (const rect of rects) {
        if (columnOf(rect) !== column) continue;
        const line = lines.find((candidate) => rect.top < candidate.bottom - 1 && rect.bottom > candidate.top + 1);
        if (line) {
          line.top = Math.min(line.top, rect.top);
          line.bottom = Math.max(line.bottom, rect.bottom);
        } else lines.push({ top: rect.top, bottom: rect.bottom });
      }
      return lines.length;
    };
    // Boxes with an area only: a blank at the end of a line can report an empty box on the next page.
    const boxes = () => Array.from(range.getClientRects()).filter((rect) => rect.width > 0 && rect.height > 0);
    range.setStart(block, 0);
    range.setEnd(node, offset);
    const before = count(boxes());
    // The first letter after a hyphenated break also reports the hyphen drawn before it, on the line before.
    let top = -Infinity;
    if (node.nodeType === 3 && offset < (node as Text).data.length) {
      range.setStart(node, offset);
      range.setEnd(node, offset + 1);
      const own = boxes();
      if (own.length > 0) top = own[own.length - 1]!.top;
    }
    range.setStart(node, offset);
    range.setEnd(block, block.childNodes.length);
    const rects = boxes().filter((rect) => columnOf(rect) !== column || rect.bottom > top + 1);
    const after = new Set(rects.map((rect) => columnOf(rect))).size > 1 ? Infinity : count(rects);
    return { before, after };
  };

  /** Where the notes go for text to end above `limit` in `column`: a node of a flow element to insert before. */
  const insertionPoint = (
    from: Node,
    last: Node | null,
    column: number,
    limit: number,
  ): { flow: Element; before: Node | null } => {
    const below = firstBelow(from, column, limit);
    /** The child of its flow that holds a node. */
    const topOf = (node: Node) => {
      let top = node;
      while (top.parentNode && !flowTags.has((top.parentNode as Element).tagName)) top = top.parentNode;
      return top;
    };
    // Right after the page's last content, in its own flow (the next page may begin another section).
    const after = (node: Node) => ({ flow: flowOf(node), before: topOf(node).nextSibling });
    if (!below) {
      // All that follows fits above the notes (the end of the document): they go after the last of it.
      let end: Node = last ?? from;
      for (let atom = nextAtom(end); atom; atom = nextAtom(atom)) if (rectsOf(atom).length > 0) end = atom;
      return after(end);
    }
    const previous = below.above ?? last;
    if (previous && rectsOf(below.node).every((rect) => columnOf(rect) > column)) {
      const rects = rectsOf(topOf(previous));
      if (rects.length > 0 && columnOf(rects[rects.length - 1]!) <= column) return after(previous);
    }
    let { node, offset } = below;
    const element = node.nodeType === 3 ? node.parentElement! : (node as Element);
    // The outermost element kept whole (a figure, not the table in it).
    let kept: Element | null = null;
    for (let up: Element | null = element; up && !flowTags.has(up.tagName); up = up.parentElement)
      if (up.matches(whole)) kept = up;
    // A drawing, a table or a heading moves whole; so does what begins on a later page (the notes end this one).
    const startsLater = rectsOf(node).every((rect) => columnOf(rect) > column);
    if (kept && body.contains(kept)) {
      node = kept;
      offset = -1;
    } else if (startsLater || node.nodeType !== 3) offset = -1;
    let target: Node = node;
    if (offset >= 0) {
      // Inside a paragraph: keep at least `minimum` lines of it on each side, else move it whole.
      const block = element.closest('p, li, dd, dt, blockquote, figcaption') ?? element;
      const { before, after } = linesAround(block, node, offset, column);
      if (before < settings.minimum || after < settings.minimum) {
        target = block;
        offset = -1;
      }
    }
    // A heading is never left at the foot of a page: the notes go before it and what leads into it.
    let top: Node = target;
    while (top.parentElement && !flowTags.has(top.parentElement.tagName)) top = top.parentElement;
    if (offset < 0 || top !== target) {
      for (;;) {
        const previous = (top as Element).previousElementSibling;
        const starting = offset < 0 || (top.nodeType === 1 && top.contains(target) && isStart(top, target, offset));
        // The first heading of a section has the heading of the section it is in before it, one level up.
        const lead =
          !previous && top.parentElement?.tagName === 'SECTION' ? top.parentElement.previousElementSibling : previous;
        if (starting && lead && /^H[1-6]$/.test(lead.tagName)) {
          top = lead;
          target = lead;
          offset = -1;
        } else break;
      }
    }
    const flow = flowOf(target);
    if (offset < 0) {
      // Split the ancestors up to the flow before the node.
      return { flow, before: split(target, flow) };
    }
    return { flow, before: splitText(target as Text, offset, flow) };
  };
  /** Whether nothing is drawn in `element` before the point. */
  const isStart = (element: Node, node: Node, offset: number) => {
    range.setStart(element, 0);
    if (offset >= 0) range.setEnd(node, offset);
    else range.setEndBefore(node);
    return !/\S/.test(range.toString());
  };
  const textLength = (element: Element, node: Node) => {
    range.setStart(element, 0);
    range.setEndBefore(node);
    return range.toString().replace(/\u00ad/g, '').length;
  };
  /** Split `node`'s ancestors below `flow` before `node`; returns the child of `flow` to insert before. */
  const split = (node: Node, flow: Element): Node | null => {
    let child: Node | null = node;
    let parent = node.parentNode as Element;
    while (parent !== flow) {
      if (child === parent.firstChild || (child && isStart(parent, child, -1))) {
        child = parent;
      } else if (child === null) {
        child = parent.nextSibling;
      } else {
        const rest = parent.cloneNode(false) as Element;
        rest.removeAttribute('id');
        rest.setAttribute(settings.continuedAttribute, '');
        parent.setAttribute(settings.splitAttribute, '');
        if (parent.hasAttribute(settings.blockAttribute)) {
          const before = Number(parent.getAttribute(settings.offsetAttribute) ?? 0) + textLength(parent, child);
          rest.setAttribute(settings.offsetAttribute, String(before));
        }
        if (parent.tagName === 'OL') {
          const items = Array.from(parent.children).filter((item) => item.tagName === 'LI');
          const index = items.findIndex((item) => item === child || item.contains(child));
          const start = Number(parent.getAttribute('start') ?? 1);
          // A continued item keeps its number and shows no marker of its own.
          rest.setAttribute('start', String(start + Math.max(0, index)));
        }
        if (getComputedStyle(parent).textAlign === 'justify')
          (parent as HTMLElement).style.setProperty('text-align-last', 'justify');
        while (child) {
          const next: Node | null = child.nextSibling;
          rest.append(child);
          child = next;
        }
        parent.after(rest);
        child = rest;
      }
      parent = parent.parentNode as Element;
    }
    return child;
  };
  const splitText = (text: Text, offset: number, flow: Element): Node | null => {
    if (offset <= 0) return split(text, flow);
    if (offset >= text.data.length) return text.nextSibling ? split(text.nextSibling, flow) : split(text, flow);
    const rest = text.splitText(offset);
    const before = split(rest, flow);
    // A word broken at a soft hyphen keeps its hyphen where the line ended (after the split has counted the
    // text before it: the hyphen is drawn, not a character of the document's text).
    if (text.data.endsWith('\u00ad')) text.data = `${text.data.slice(0, -1)}-`;
    return before;
  };

  const block = (items: Element[]) => {
    const aside = document.createElement('aside');
    aside.setAttribute(settings.notesAttribute, '');
    aside.className = 'page-notes';
    // With no notes, the block only ends the page (a reference that goes to the next page with its note).
    if (items.length === 0) return aside;
    const list = document.createElement('ol');
    list.append(...items);
    aside.append(list);
    return aside;
  };
  const numberOf = (reference: Element) => (reference.textContent ?? '').trim();

  let placed = 0;
  let next = 0;
  let carried: Element[] = [];
  /** Where the text of the next page begins, for a page that has only continued notes. */
  let cursor: Node | null = null;
  const columnOfNode = (node: Node) => {
    const rects = rectsOf(node);
    return rects.length === 0 ? -1 : columnOf(rects[0]!);
  };
  const seen = new Set<string>();
  /** Pages of the layout as it stands: walking page by page, a round may set a page without notes. */
  const pagesSoFar = () => {
    const rects = drawn(body.getClientRects());
    return rects.length === 0 ? 0 : columnOf(rects[rects.length - 1]!) + 1;
  };
  /** The column where the first content after an element is drawn (-1 when none is). */
  const nextPageBegins = (element: Element) => {
    for (let atom = nextAtom(element); atom; atom = nextAtom(atom)) {
      const rects = rectsOf(atom);
      if (rects.length > 0) return columnOf(rects[0]!);
    }
    return -1;
  };
  /** Fewest notes for which the walk lays out only the pages around it (see `pagesInView`). */
  const fewestNotesInView = 24;
  const view = pagesInView();
  try {
    for (let column = 0, rounds = 0; next < references.length || carried.length > 0; rounds++) {
      view.ahead(column);
      if (rounds > 4 * references.length + 1000 && (!endPage || column > pagesSoFar()))
        throw new Error(
          `notes: no progress at page ${column + 1} (${next} of ${references.length}, ${carried.length} continued)`,
        );
      // The references on this page whose notes are not set yet, each note by its first reference only: a note
      // cited again on the page is already in the block (set twice, the one element would move to the later place).
      const here: Element[] = [];
      const cited = new Set<string>();
      let index = next;
      for (; index < references.length; index++) {
        const reference = references[index]!;
        if (seen.has(noteOf(reference))) continue;
        if (view.beyond(reference)) break;
        const at = columnOfNode(reference);
        if (at > column) break;
        if (cited.has(noteOf(reference))) continue;
        cited.add(noteOf(reference));
        here.push(reference);
      }
      if (here.length === 0 && carried.length === 0) {
        // Nothing on this page: on to the page of the next reference (page by page when each page's end is
        // corrected: a correction moves the text, and with it the next reference, to a later page).
        while (next < references.length && seen.has(noteOf(references[next]!))) next++;
        if (next >= references.length) {
          endPage?.(column - base, view.bounds());
          break;
        }
        if (endPage) {
          endPage(column - base, view.bounds());
          column++;
        } else column = Math.max(column + 1, columnOfNode(references[next]!));
        continue;
      }
      // The height of the notes of the first `count` references (after the notes continued from the page before).
      // Each reference's line: its top, and its bottom (a line of the block it is in).
      const lines = here.map((reference) => {
        const top = Math.min(...rectsOf(reference).map((rect) => rect.top)) - 1;
        const holder = reference.closest('p, li, td, th, dd, dt, figcaption, blockquote, div') ?? reference;
        return { top, bottom: top + lineHeight(holder) };
      });
      // The height of the block with the notes continued from the page before and the first `count` of this
      // page's, all read from one layout of the block with every note (each layout of the flow costs a page's worth).
      const measuring = block([
        ...carried.map((item) => item.cloneNode(true) as Element),
        ...here.map((reference) => {
          const note = notes.get(noteOf(reference))!.cloneNode(true) as Element;
          note.setAttribute('value', numberOf(reference));
          return note;
        }),
      ]);
      measuring.style.cssText = `position: absolute; visibility: hidden; left: 0; top: 0; width: ${settings.width}px`;
      body.append(measuring);
      const blockStyle = getComputedStyle(measuring);
      const blockTop = measuring.getBoundingClientRect().top;
      const ends = Array.from(measuring.querySelectorAll(':scope > ol > li')).map(
        (item) => item.getBoundingClientRect().bottom + parseFloat(getComputedStyle(item).marginBottom),
      );
      const closing = parseFloat(blockStyle.paddingBottom) + parseFloat(blockStyle.borderBottomWidth);
      const opening = parseFloat(blockStyle.marginTop);
      const noteLine = lineHeight(measuring);
      measuring.remove();
      const notesHeight = (count: number) => {
        const last = carried.length + count - 1;
        return last < 0 ? 0 : opening + ends[last]! - blockTop + closing;
      };
      // As many references as keep their notes whole on the page; the text ends above the line of the first
      // reference left out, which goes to the next page with its note.
      let count = here.length;
      let limit = foot;
      for (; count > 0; count--) {
        limit = Math.min(foot - notesHeight(count), count < here.length ? lines[count]!.top + 1 : foot);
        if (lines[count - 1]!.bottom <= limit + 0.5) break;
      }
      if (count === 0) {
        limit = Math.min(foot - notesHeight(0), here.length > 0 ? lines[0]!.top + 1 : foot);
        // Not even the first note fits whole below its reference: it begins here, below the text down to the
        // next reference, and is continued on the next page; a reference too low for a few lines of its note
        // goes to the next page.
        const first = lines[0];
        if (first) {
          // The references on the first one's line go with it.
          let same = 1;
          while (same < here.length && lines[same]!.top < first.bottom - 1) same++;
          const room = Math.min(notesHeight(same), notesHeight(0) + 4 * noteLine);
          const end = Math.min(foot - room, same < here.length ? lines[same]!.top + 1 : foot);
          // At the head of a page, the note begins there whatever room is left.
          if (first.bottom <= end + 0.5 || first.top <= origin.top + (first.bottom - first.top) / 2) {
            count = same;
            limit = Math.max(end, first.bottom);
          }
        }
      }
      let chosen = here.slice(0, count);
      const from: Node = chosen.length > 0 ? chosen[chosen.length - 1]! : (cursor ?? body);
      const start: Node | null = chosen.length > 0 ? nextAtom(from) : from === body ? nextAtom(body) : from;
      const point: { flow: Element; before: Node | null } = start
        ? insertionPoint(start, chosen.length > 0 ? from : null, column, limit)
        : { flow: flowOf(from), before: null };
      // A reference in what went to the next page (a paragraph moved whole, a heading kept with it) goes with it.
      const moved = (reference: Element) =>
        point.before !== null &&
        (point.before === reference ||
          point.before.contains(reference) ||
          (point.before.compareDocumentPosition(reference) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0);
      chosen = chosen.filter((reference) => !moved(reference));
      // The notes themselves, moved out of their section (their ids come with them).
      const items = [
        ...carried,
        ...chosen.map((reference) => {
          const note = notes.get(noteOf(reference))!;
          note.setAttribute('value', numberOf(reference));
          return note;
        }),
      ];
      const real = block(items);
      point.flow.insertBefore(real, point.before);
      for (const reference of chosen) seen.add(noteOf(reference));
      placed += chosen.length;
      carried = [];
      // A note too long for the room left is continued on the next page.
      const overflow = (() => {
        for (let atom = nextAtom(real.firstChild ?? real); atom && real.contains(atom); atom = nextAtom(atom)) {
          const rects = rectsOf(atom);
          if (rects.some((rect) => columnOf(rect) > column)) return atom;
        }
        return null;
      })();
      if (overflow) {
        const list = real.querySelector('ol') ?? real;
        let from: Node = overflow;
        let offset = -1;
        if (overflow.nodeType === 3) {
          const rects = rectsOf(overflow);
          if (columnOf(rects[0]!) === column) {
            from = overflow;
            offset = firstCharacter(overflow as Text, (box) => columnOf(box) > column);
          }
        }
        const first =
          offset > 0 && offset < (from as Text).data.length
            ? split((from as Text).splitText(offset), list)
            : split(from, list);
        for (let item = first; item; ) {
          const following: Node | null = item.nextSibling;
          if (item.nodeType === 1) carried.push(item as Element);
          item.parentNode?.removeChild(item);
          item = following;
        }
        // Not a line of the notes left on this page: the block only ends it (a rule over nothing could run onto
        // the next page, and its break push that page's text, and the notes with it, one page further each time).
        if (!/\S/.test(list.textContent ?? '')) real.replaceChildren();
      }
      // Pushed down to the foot of the page (from its bottom on this page: a box of it may stand on the next).
      const rects = drawn(real.getClientRects());
      const onPage = rects.filter((rect) => columnOf(rect) === column);
      const bottom = onPage.length > 0 ? Math.max(...onPage.map((rect) => rect.bottom)) : foot;
      if (rects.length > 0 && columnOf(rects[0]!) === column && bottom < foot - 1) {
        real.style.marginTop = `${parseFloat(getComputedStyle(real).marginTop) + (foot - bottom - 1)}px`;
      }
      cursor = point.before ?? real.nextSibling;
      next = index;
      if (chosen.length < here.length) next = references.indexOf(here[chosen.length]!);
      endPage?.(column - base, view.bounds());
      // The page is set for good: a block of notes ends it with a forced break, so the walk lays out the pages
      // after it only. Not after an empty block: the browser may not honour its break (one right after another
      // break, with nothing between them, is dropped), so what follows could lay out otherwise without it.
      const blockRects = drawn(real.getClientRects());
      const endsPage =
        items.length > 0 &&
        blockRects.some((rect) => rect.height > 0) &&
        blockRects.every((rect) => columnOf(rect) === column);
      if (endsPage && nextPageBegins(real) === column + 1 && view.through(real)) base = column + 1;
      column++;
    }
    return placed;
  } finally {
    view.restore();
  }

  /**
   * The part of the flow the walk lays out. Each change the walk makes (a block of notes, a split) has Chromium
   * lay the flow out again from the first page to the last, so a walk over every page would grow with the square
   * of the pages; instead it lays out a few pages around the one it sets:
   *
   * - `through` takes the pages set for good out of the layout. A block of notes ends its page with a forced
   *   break, so what follows it lays out the same without what comes before it: everything up to the block, and
   *   the block itself, is hidden (`display: none`).
   * - The blocks of the flow past a few pages ahead of the walk are hidden too, and shown again as the walk comes
   *   near them (`ahead`): a page's layout depends on what comes before it, not on what comes pages after it.
   *   `beyond` tells whether a node is in that hidden part, and `bounds` is the part shown.
   * - `restore` shows it all again, as it was.
   *
   * It takes nothing out where that could move what stays: where a flow element that holds the block of notes
   * draws something at its top (a margin, border or padding, or a box that is not a block), where text stands
   * between the flow's blocks, or where a style sheet counts with a counter whose count would pass from a hidden
   * element to a shown one.
   */
  function pagesInView() {
    type Styled = Element & ElementCSSInlineStyle;
    const hidden: Array<[Styled, string | null]> = [];
    const taken = new Set<Node>();
    // Showing the hidden part again at the end costs its style and layout once more (about as much as setting a
    // dozen pages' notes saves on a long flow): worth it with many notes only.
    const allowed = references.length >= fewestNotesInView && countersStayInside();
    const hide = (element: Styled) => {
      const style = element.getAttribute('style');
      element.style.setProperty('display', 'none', 'important');
      return style;
    };
    /** Text that is not blank, standing between the flow's blocks: it cannot be hidden on its own. */
    const isText = (node: Node) => node.nodeType === 3 && /\S/.test((node as Text).data);
    const show = (element: Styled, style: string | null) => {
      if (style === null) element.removeAttribute('style');
      else element.setAttribute('style', style);
    };
    // The blocks of the flow (the children of its flow elements that are not flow elements), in document order;
    // those from `frontier` on are hidden.
    const units: Styled[] = [];
    let whole = allowed;
    const collect = (flow: Element) => {
      for (const child of Array.from(flow.childNodes)) {
        if (isText(child)) whole = false;
        if (child.nodeType !== 1) continue;
        if (flowTags.has((child as Element).tagName)) collect(child as Element);
        else if ('style' in child) units.push(child as Styled);
        else whole = false;
      }
    };
    if (allowed && body) collect(body);
    const unitStyles: Array<string | null> = [];
    /** Pages the shown part reaches past the page the walk sets. */
    const pagesAhead = 3;
    let frontier = units.length;
    if (whole) {
      frontier = Math.min(units.length, 64);
      for (let index = frontier; index < units.length; index++) unitStyles[index] = hide(units[index]!);
    }
    let last: Element | null = null;
    return {
      through(element: Element): boolean {
        if (!allowed) return false;
        const more: Styled[] = [];
        for (let node: Node = element, first = true; node !== document.body; first = false) {
          const parent = node.parentElement;
          if (!parent) return false;
          if (parent !== document.body) {
            const style = getComputedStyle(parent);
            const top = [style.marginTop, style.borderTopWidth, style.paddingTop].some(
              (value) => parseFloat(value) !== 0,
            );
            if (style.display !== 'block' || top) return false;
          }
          for (
            let sibling: Node | null = first ? node : node.previousSibling;
            sibling;
            sibling = sibling.previousSibling
          ) {
            if (taken.has(sibling)) break;
            if (isText(sibling)) return false;
            if (sibling.nodeType !== 1) continue;
            if (!('style' in sibling)) return false;
            more.push(sibling as Styled);
          }
          node = parent;
        }
        for (const element of more) {
          hidden.push([element, hide(element)]);
          taken.add(element);
        }
        last = element;
        return true;
      },
      ahead(column: number) {
        for (let step = 32; frontier < units.length; step *= 2) {
          let reached = -1;
          for (let index = frontier - 1; index >= 0 && reached < 0; index--) {
            const rects = drawn(units[index]!.getClientRects());
            if (rects.length > 0) reached = columnOf(rects[rects.length - 1]!);
            if (taken.has(units[index]!)) break;
          }
          if (reached >= column + pagesAhead) return;
          const to = Math.min(units.length, frontier + step);
          for (; frontier < to; frontier++) show(units[frontier]!, unitStyles[frontier]!);
        }
      },
      beyond(node: Node): boolean {
        const first = units[frontier];
        return first !== undefined && (first === node || (first.compareDocumentPosition(node) & 4) !== 0);
      },
      bounds(): { after: Node | null; before: Node | null } {
        return { after: last, before: units[frontier] ?? null };
      },
      restore() {
        for (; frontier < units.length; frontier++) show(units[frontier]!, unitStyles[frontier]!);
        for (const [element, style] of hidden.reverse()) show(element, style);
        hidden.length = 0;
      },
    };
  }

  /**
   * Whether every counter the style sheets step (`counter-increment`, `counter-set`) is stepped only inside an
   * element that resets it and that is not a flow element (the numbered lines of a code block): a count that
   * runs across the flow (headings numbered by the style sheet) would change where elements before it are hidden.
   */
  function countersStayInside(): boolean {
    const stepped = new Map<string, string[]>();
    const reset = new Map<string, string[]>();
    const names = (value: string) =>
      value
        .split(/\s+/)
        .filter(
          (name) => /^-?[a-z_]/i.test(name) && !['none', 'list-item', 'inherit', 'initial', 'unset'].includes(name),
        );
    const add = (map: Map<string, string[]>, value: string, selector: string) => {
      for (const name of names(value)) map.set(name, [...(map.get(name) ?? []), selector]);
    };
    const visit = (rules: CSSRuleList) => {
      for (const rule of Array.from(rules)) {
        if (rule instanceof CSSStyleRule) {
          const selector = rule.selectorText.replace(/::?(before|after|marker)\b/gi, '') || '*';
          add(stepped, rule.style.getPropertyValue('counter-increment'), selector);
          add(stepped, rule.style.getPropertyValue('counter-set'), selector);
          add(reset, rule.style.getPropertyValue('counter-reset'), selector);
          if (rule.cssRules.length > 0) return false;
        } else if (
          rule instanceof CSSMediaRule ||
          rule instanceof CSSSupportsRule ||
          rule instanceof CSSLayerBlockRule
        ) {
          if (visit(rule.cssRules) === false) return false;
        }
      }
      return true;
    };
    try {
      for (const sheet of Array.from(document.styleSheets)) if (!visit(sheet.cssRules)) return false;
      if (document.querySelector('[style*="counter"]')) return false;
      for (const [name, selectors] of stepped) {
        const resets = reset.get(name)?.join(', ');
        for (const element of document.querySelectorAll(selectors.join(', '))) {
          const holder = resets ? element.closest(resets) : null;
          if (!holder || flowTags.has(holder.tagName) || holder === document.documentElement) return false;
        }
      }
      return true;
    } catch {
      // A sheet whose rules cannot be read, or a selector this test cannot use: nothing is taken out.
      return false;
    }
  }
}
