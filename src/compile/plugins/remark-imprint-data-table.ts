import type { Element, ElementContent } from 'hast';
import { h } from 'hastscript';
import type { LeafDirective } from 'mdast-util-directive';
import type { List, ListItem, Paragraph, PhrasingContent, Root } from 'mdast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import {
  displayFormats,
  isNumeric,
  type Align,
  type DataColumn,
  type DisplayFormat,
} from '../../data/column-schema.js';
import { compareCells, formatCell, formatDifference, formatPercent } from '../../data/format-cell.js';
import {
  computeChange,
  computeTotal,
  matches,
  parseChangeSpec,
  parseConditions,
  type Change,
} from '../../data/summary.js';
import type { DataRow, DataSource, DataTable } from '../../data/table-data.js';
import { sourceText } from './shared/source-text.js';
import {
  attributeError,
  caption,
  columnOf,
  keyValueList,
  readFigureDirective,
  replaceWithFigure,
  type FigureDirective,
  type LoadTable,
} from './shared/figure-directive.js';
import type { ImprintFigure, ImprintGenerated } from '../../document/nodes.js';
import { changeWord, labelsOf, withColon, type Labels } from '../../document/labels.js';
import { error } from '../../diagnostics/report.js';
import { defaultLimits } from '../limits.js';

export interface RemarkImprintDataTableOptions {
  /**
   * Read and check the data file a directive names. Reports its own problems
   * (missing file, parse and schema errors) and returns undefined on failure.
   */
  loadTable: LoadTable;
  /** Most rows one table may show (`limits: table-rows`); default {@link defaultLimits}. */
  maxRows?: number;
}

const knownAttributes = ['id', 'src', 'columns', 'sort', 'where', 'format', 'align', 'total', 'change'];
const example = '::table[Caption]{#tbl-name src="data/name.csv"}';

/**
 * `::table[Caption]{#id src="data/file.csv" columns="a,b:Label" sort="-a" …}`:
 * a table generated from a data file, with its caption, any total and change
 * rows, and its source note.
 */
const remarkImprintDataTable: Plugin<[RemarkImprintDataTableOptions], Root> = function (options) {
  if (!options?.loadTable) throw new Error('remark-imprint-data-table: `loadTable` is required');
  return async (tree, file) => {
    const lang = file.data.metadata?.lang ?? 'en';
    const directives: LeafDirective[] = [];
    visit(tree, 'leafDirective', (node) => {
      if (node.name === 'table') directives.push(node);
    });

    await Promise.all(
      directives.map(async (node) => {
        const directive = readFigureDirective(node, file, knownAttributes, example);
        if (!directive) return;
        const table = await options.loadTable(directive.src, node.position);
        if (!table || !directive.ok) return;
        const figure = buildTable(directive, table, lang, file, options.maxRows ?? defaultLimits.tableRows);
        if (figure) replaceWithFigure(node, figure);
      }),
    );
  };
};

export default remarkImprintDataTable;

interface Shown extends DataColumn {
  /** Display format chosen by the directive, over the data file's. */
  shownAs?: DisplayFormat;
}

/** The table figure, or undefined after reporting why the directive's attributes cannot be applied. */
export function buildTable(
  directive: FigureDirective,
  table: DataTable,
  lang: string,
  file: VFile,
  maxRows: number = defaultLimits.tableRows,
): ImprintFigure | undefined {
  const { attributes } = directive;
  let ok = true;
  const problem = (name: string, text: string) => {
    attributeError(file, directive, name, text);
    ok = false;
  };

  const columns = chooseColumns(table, attributes.columns, (text) => problem('columns', text));
  if (!columns) return undefined;
  for (const [name, apply] of [
    ['format', (column: Shown, value: string) => setFormat(column, value)],
    ['align', (column: Shown, value: string) => setAlign(column, value)],
  ] as const) {
    const spec = attributes[name];
    if (!spec) continue;
    const { entries, problem: parseProblem } = keyValueList(spec);
    if (parseProblem) problem(name, parseProblem);
    for (const [key, value] of entries) {
      const column = columns.find((candidate) => candidate.key === key);
      if (!column)
        problem(
          name,
          `names \`${key}\`, which is not a column of the table (its columns: ${columns.map((c) => c.key).join(', ')})`,
        );
      else {
        const valueProblem = apply(column, value);
        if (valueProblem) problem(name, valueProblem);
      }
    }
  }

  let rows = table.rows;
  if (attributes.where) {
    const conditions = parseConditions(attributes.where, table);
    if (!conditions.ok) problem('where', conditions.problem);
    else {
      rows = rows.filter((row) => matches(row, conditions.value));
      if (rows.length === 0) problem('where', `matches no row of ${table.file.basename}`);
    }
  }
  if (ok && rows.length > maxRows) {
    error(
      file,
      `This table would show ${rows.length} rows of ${table.file.basename}: the limit is ${maxRows}; select ` +
        'fewer with `where`, split it, or raise the limit (`limits: table-rows`)',
      { place: directive.node.position, ruleId: 'limit-table-rows' },
    );
    return undefined;
  }
  if (attributes.sort) {
    const sorted = sortRows(rows, table, attributes.sort, lang);
    if (typeof sorted === 'string') problem('sort', sorted);
    else rows = sorted;
  }

  const footer: Element[] = [];
  if (attributes.total) {
    const keys = attributes.total
      .split(',')
      .map((key) => key.trim())
      .filter(Boolean);
    const totals = new Map<string, string>();
    for (const key of keys) {
      const column = columns.find((candidate) => candidate.key === key);
      if (!column) problem('total', `names \`${key}\`, which is not a column of the table`);
      else if (!isNumeric(column.type) || column.type === 'year')
        problem(
          'total',
          `names \`${key}\`, a ${column.type} column: totals add money, number, integer or percent columns`,
        );
      else totals.set(key, formatCell(computeTotal(rows, column), column, lang, column.shownAs));
    }
    if (totals.size > 0) footer.push(summaryRow(labelsOf(file.data.metadata).total, columns, totals, 'table-total'));
  }
  if (attributes.change !== undefined) {
    const spec = parseChangeSpec(attributes.change, table);
    if (!spec.ok) problem('change', spec.problem);
    else if (spec.value.keys.length === 0)
      problem('change', 'names no column: write `change="COLUMN from KEY=VALUE to KEY=VALUE"`');
    else {
      for (const key of spec.value.keys) {
        const column = columns.find((candidate) => candidate.key === key);
        if (!column) {
          problem('change', `names \`${key}\`, which is not a column of the table`);
          continue;
        }
        const change = computeChange(rows, column, spec.value);
        if (!change.ok) problem('change', change.problem);
        else {
          footer.push(changeRow(change.value, columns, spec.value.from?.key, lang, labelsOf(file.data.metadata)));
          (file.data.changes ??= []).push({ table, change: change.value });
        }
      }
    }
  }
  if (!ok) return undefined;
  return figureOf(directive, columns, rows, footer, lang, labelsOf(file.data.metadata));
}

function chooseColumns(
  table: DataTable,
  spec: string | undefined,
  problem: (text: string) => void,
): Shown[] | undefined {
  if (!spec) return table.columns.map((column) => ({ ...column }));
  const chosen: Shown[] = [];
  for (const part of spec
    .split(',')
    .map((piece) => piece.trim())
    .filter(Boolean)) {
    const colon = part.indexOf(':');
    const key = (colon === -1 ? part : part.slice(0, colon)).trim();
    const label = colon === -1 ? '' : part.slice(colon + 1).trim();
    const column = columnOf(table, key);
    if (!column) {
      problem(
        `names \`${key}\`, which ${table.file.basename} does not have (it has: ` +
          `${table.columns.map((c) => c.key).join(', ')})`,
      );
      return undefined;
    }
    chosen.push(label ? { ...column, label } : { ...column });
  }
  if (chosen.length === 0) {
    problem('names no column');
    return undefined;
  }
  return chosen;
}

function setFormat(column: Shown, value: string): string | undefined {
  const allowed: Record<string, readonly string[]> = {
    money: ['short', 'long', 'plain'],
    number: ['short', 'long', 'plain'],
    date: ['long', 'short', 'iso'],
  };
  const choices = allowed[column.type];
  if (!choices || !(displayFormats as readonly string[]).includes(value) || !choices.includes(value)) {
    return choices
      ? `gives \`${column.key}\` the format \`${value}\`; a ${column.type} column takes ${choices.join(', ')}`
      : `gives \`${column.key}\` a format, but a ${column.type} column has only one`;
  }
  column.shownAs = value as DisplayFormat;
  return undefined;
}

function setAlign(column: Shown, value: string): string | undefined {
  if (value !== 'left' && value !== 'right' && value !== 'center')
    return `gives \`${column.key}\` the alignment \`${value}\`; use left, right or center`;
  column.align = value as Align;
  return undefined;
}

function sortRows(rows: readonly DataRow[], table: DataTable, spec: string, lang: string): DataRow[] | string {
  const keys: Array<{ column: DataColumn; order: number }> = [];
  for (const part of spec
    .split(',')
    .map((piece) => piece.trim())
    .filter(Boolean)) {
    const key = part.replace(/^[-+]/, '').trim();
    const column = columnOf(table, key);
    if (!column)
      return (
        `names \`${key}\`, which ${table.file.basename} does not have (it has: ` +
        `${table.columns.map((c) => c.key).join(', ')})`
      );
    keys.push({ column, order: part.startsWith('-') ? -1 : 1 });
  }
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      for (const { column, order } of keys) {
        const left = a.row.values[column.key] ?? null;
        const right = b.row.values[column.key] ?? null;
        const empty = (left === null) !== (right === null);
        // Empty cells go last whatever the order.
        const compared = compareCells(left, right, column, lang);
        if (compared !== 0) return empty ? compared : order * compared;
      }
      return a.index - b.index;
    })
    .map(({ row }) => row);
}

function alignClass(column: DataColumn): string[] | undefined {
  const classes = [
    ...(column.align === 'left' ? [] : [`align-${column.align}`]),
    ...(isNumeric(column.type) && column.type !== 'year' ? ['numeric'] : []),
  ];
  return classes.length > 0 ? classes : undefined;
}

function summaryRow(label: string, columns: Shown[], values: Map<string, string>, className: string): Element {
  return h(
    'tr',
    { className: [className] },
    columns.map((column, index) => {
      const value = values.get(column.key);
      if (index === 0) {
        return value === undefined
          ? h('th', { scope: 'row' }, label)
          : h('th', { scope: 'row', className: alignClass(column) }, `${label}: ${value}`);
      }
      return h('td', { className: alignClass(column) }, value ?? '');
    }),
  );
}

function changeRow(
  change: Change,
  columns: Shown[],
  selectorKey: string | undefined,
  lang: string,
  labels: Labels,
): Element {
  const word = changeWord(change.difference, labels);
  const selectorShown = selectorKey !== undefined && columns.some((column) => column.key === selectorKey);
  const label =
    change.fromLabel && change.toLabel && !selectorShown ? `${word}, ${change.fromLabel}\u2013${change.toLabel}` : word;
  const amount = formatDifference(
    change.difference,
    { ...change.column, ...columnsFormat(columns, change.column.key) },
    lang,
  );
  const relative = change.percent === undefined ? '' : ` (${formatPercent(change.percent, lang, true)})`;
  const values = new Map<string, string>([[change.column.key, amount + relative]]);
  if (selectorShown && change.fromLabel && change.toLabel) {
    const column = columns.find((candidate) => candidate.key === selectorKey)!;
    const from = formatCell(change.from.row.values[selectorKey!] ?? null, column, lang);
    const to = formatCell(change.to.row.values[selectorKey!] ?? null, column, lang);
    values.set(selectorKey!, `${from}\u2013${to}`);
  }
  return summaryRow(label, columns, values, 'table-change');
}

function columnsFormat(columns: Shown[], key: string): Partial<DataColumn> {
  const column = columns.find((candidate) => candidate.key === key);
  return column?.shownAs ? { format: column.shownAs } : {};
}

function figureOf(
  directive: FigureDirective,
  columns: Shown[],
  rows: readonly DataRow[],
  footer: Element[],
  lang: string,
  labels: Labels,
): ImprintFigure {
  const { id } = directive;
  const sources: DataSource[] = [];
  const sourceIndex = rows.map((row) => {
    const found = sources.findIndex((s) => s.citation === row.source.citation && s.url === row.source.url);
    if (found !== -1) return found;
    sources.push(row.source);
    return sources.length - 1;
  });
  const lettered = sources.length > 1;
  const letter = (index: number) =>
    String.fromCharCode(97 + (index % 26)) + (index >= 26 ? String(Math.floor(index / 26)) : '');
  const sourceId = (index: number) => `${id}-source-${letter(index)}`;

  const head = h('thead', [
    h('tr', [
      ...columns.map((column) => h('th', { scope: 'col', className: alignClass(column) }, column.label)),
      ...(lettered ? [h('th', { scope: 'col', className: ['align-center'] }, labels.source)] : []),
    ]),
  ]);
  const body = h(
    'tbody',
    rows.map((row, rowIndex) =>
      h('tr', [
        ...columns.map((column) =>
          h(
            'td',
            { className: alignClass(column) },
            formatCell(row.values[column.key] ?? null, column, lang, column.shownAs),
          ),
        ),
        ...(lettered
          ? [
              h('td', { className: ['align-center'] }, [
                h('a', { href: `#${sourceId(sourceIndex[rowIndex]!)}` }, letter(sourceIndex[rowIndex]!)),
              ]),
            ]
          : []),
      ]),
    ),
  );
  if (lettered) for (const row of footer) row.children.push(h('td'));
  const tableElement: ImprintGenerated = {
    type: 'imprintGenerated',
    data: {
      hName: 'table',
      hProperties: {},
      hChildren: [head, body, ...(footer.length > 0 ? [h('tfoot', footer)] : [])] as ElementContent[],
    },
  };

  const citation = (source: DataSource): PhrasingContent[] => [
    ...sourceText(source.citation, source.url ? '. ' : '.'),
    ...(source.url
      ? [{ type: 'link' as const, url: source.url, children: [{ type: 'text' as const, value: source.url }] }]
      : []),
  ];
  const note: Paragraph | List = lettered
    ? {
        type: 'list',
        ordered: true,
        spread: false,
        data: { hProperties: { className: ['table-sources'] } },
        children: sources.map(
          (source, index): ListItem => ({
            type: 'listItem',
            spread: false,
            data: { hProperties: { id: sourceId(index) } },
            children: [{ type: 'paragraph', children: citation(source) }],
          }),
        ),
      }
    : {
        type: 'paragraph',
        data: { hProperties: { className: ['table-source'] } },
        children: [
          { type: 'emphasis', children: [{ type: 'text', value: withColon(labels.source, lang) }] },
          { type: 'text', value: ' ' },
          ...citation(sources[0]!),
        ],
      };

  const children = lettered
    ? [
        caption(directive.node.children),
        tableElement,
        {
          type: 'paragraph' as const,
          data: { hProperties: { className: ['table-sources-label'] } },
          children: [
            {
              type: 'emphasis' as const,
              children: [{ type: 'text' as const, value: withColon(labels.sources, lang) }],
            },
          ],
        },
        note,
      ]
    : [caption(directive.node.children), tableElement, note];
  return {
    type: 'imprintFigure',
    kind: 'table',
    identifier: id,
    data: { hName: 'figure', hProperties: { id, className: ['data-table'] } },
    children,
    position: directive.node.position,
  };
}
