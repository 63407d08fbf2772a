/**
 * Quarto's and R Markdown's executable cells, ```` ```{r} ````, ```` ```{python} ````,
 * ```` ```{r setup, include=FALSE} ````: imprint runs no code, so a cell is set as the code it holds, as Pandoc
 * sets it. What the cell says about itself is not its code: its options (`#| echo: false` lines at its top, and
 * R Markdown's `echo=FALSE` in its braces) leave the code shown, and a cell whose options hide its code
 * (`echo: false`, `include: false`) is left out, as the author asked. A cell that only shows a picture file
 * (`knitr::include_graphics("diagram.png")`) is that picture, as a figure with the cell's `fig-cap` and `fig-alt`,
 * numbered when its `label` is `fig-…`.
 */
export interface CodeCell {
  /** The cell's language (`r`, `python`). */
  language: string;
  /** Its code without the option lines. */
  code: string;
  /** Lines of option at the cell's top (`#| …`), to place what follows them. */
  optionLines: number;
  options: Map<string, string>;
  /** The picture file a `knitr::include_graphics` cell shows. */
  graphic?: string;
}

/** The cell a fence's info string and content make, or undefined for fenced code that is not a cell. */
export function codeCell(lang: string | undefined, meta: string | undefined, value: string): CodeCell | undefined {
  const header = /^\{([A-Za-z][\w-]*)(?:[\s,]+([^}]*))?\}$/.exec([lang ?? '', meta ?? ''].join(' ').trim());
  if (!header) return undefined;
  const options = new Map<string, string>();
  // R Markdown's options in the braces: `{r name, echo=FALSE, fig.cap="…"}` (a first bare word is the label).
  for (const [index, part] of (header[2] ?? '').split(/,(?=(?:[^"']|"[^"]*"|'[^']*')*$)/).entries()) {
    const pair = /^\s*([\w.-]+)\s*=\s*(.*?)\s*$/.exec(part);
    if (pair) options.set(pair[1]!.replace(/\./g, '-'), unquoted(pair[2]!));
    else if (index === 0 && part.trim()) options.set('label', part.trim());
  }
  // Quarto's: `#| key: value` lines at the top, a value continued on lines indented under its key (`fig-cap: |`).
  const lines = value.split('\n');
  let optionLines = 0;
  let key: string | undefined;
  for (; optionLines < lines.length; optionLines++) {
    const line = /^\s*#\|\s?(.*)$/.exec(lines[optionLines]!);
    if (!line) break;
    const pair = /^([\w.-]+):\s*(.*)$/.exec(line[1]!);
    if (pair && !/^\s/.test(line[1]!)) {
      key = pair[1]!;
      options.set(key, pair[2] === '|' || pair[2] === '>' ? '' : unquoted(pair[2]!));
    } else if (key !== undefined) {
      options.set(key, `${options.get(key)} ${line[1]!.trim()}`.trim());
    }
  }
  const code = lines.slice(optionLines).join('\n');
  const graphic = /^\s*(?:knitr::)?include_graphics\(\s*(?:path\s*=\s*)?["']([^"']+)["'][^)]*\)\s*$/.exec(code)?.[1];
  return { language: header[1]!.toLowerCase(), code, optionLines, options, graphic };
}

/** Whether the cell's options hide its code: `echo: false` or `include: false` (R Markdown's `FALSE` too). */
export function hidesCode(cell: CodeCell): boolean {
  return ['echo', 'include'].some((key) => /^(?:false|no)$/i.test(cell.options.get(key) ?? ''));
}

function unquoted(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}
