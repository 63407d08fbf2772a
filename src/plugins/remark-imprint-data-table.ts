import type { LeafDirective } from 'mdast-util-directive';
import type { List, ListItem, Paragraph, PhrasingContent, Root, Table, TableCell, TableRow } from 'mdast';
import type { Position } from 'unist';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import { error } from '../diagnostics/report.js';
import { compareCells, formatCell } from '../data/format-cell.js';
import type { DataColumn, DataSource, DataTable } from '../data/table-data.js';
import type { ImprintFigure } from './types.js';

export interface RemarkImprintDataTableOptions {
  /**
   * Read and check the data file a directive names. Reports its own problems
   * (missing file, parse and schema errors) and returns undefined on failure.
   */
  loadTable(reference: string, place: Position | undefined): Promise<DataTable | undefined>;
}

const knownAttributes = new Set(['id', 'src', 'columns', 'sort']);

/**
 * `::table[Caption]{#id src="data/file.csv" columns="a,b" sort="date"}`:
 * a table generated from a data file, with its caption and source note.
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
        const attributes = node.attributes ?? {};
        let ok = true;
        for (const name of Object.keys(attributes)) {
          if (!knownAttributes.has(name)) {
            error(file, `Unknown attribute \`${name}\` on \`::table\` (known: ${[...knownAttributes].join(', ')})`, {
              place: node.position,
              ruleId: 'directive-attribute',
            });
            ok = false;
          }
        }
        const id = attributes.id?.trim();
        if (!id) {
          error(file, 'A `::table` needs an id, as in `::table[Caption]{#tbl-name src="data/name.csv"}`', {
            place: node.position,
            ruleId: 'directive-attribute',
          });
          ok = false;
        }
        const src = attributes.src?.trim();
        if (!src) {
          error(file, 'A `::table` needs `src`: the data file it is built from', {
            place: node.position,
            ruleId: 'directive-attribute',
          });
          return;
        }
        if (node.children.length === 0) {
          error(file, 'A `::table` needs a caption, as in `::table[What the table shows]{…}`', {
            place: node.position,
            ruleId: 'directive-attribute',
          });
          ok = false;
        }
        const table = await options.loadTable(src, node.position);
        if (!table || !ok || !id) return;

        const columns = chooseColumns(table, attributes.columns, node, file);
        if (!columns) return;
        const rows = sortRows(table, columns, attributes.sort, lang, node, file);
        if (!rows) return;

        const figure = buildFigure(id, node.children, columns, rows, lang, node.position);
        Object.assign(node, figure);
        delete (node as Partial<LeafDirective>).name;
        delete (node as Partial<LeafDirective>).attributes;
      }),
    );
  };
};

export default remarkImprintDataTable;

type Report = Parameters<typeof error>[0];

function chooseColumns(
  table: DataTable,
  spec: string | null | undefined,
  node: LeafDirective,
  file: Report,
): DataColumn[] | undefined {
  if (!spec) return table.columns;
  const chosen: DataColumn[] = [];
  for (const part of spec.split(',')) {
    const [key = '', label] = part.split(':').map((piece) => piece.trim());
    const column = table.columns.find((candidate) => candidate.key === key);
    if (!column) {
      error(file, `\`columns\` names \`${key}\`, which ${table.file.basename} does not have (it has: ${table.columns.map((c) => c.key).join(', ')})`, {
        place: node.position,
        ruleId: 'directive-attribute',
      });
      return undefined;
    }
    chosen.push(label ? { ...column, label } : column);
  }
  return chosen;
}

function sortRows(
  table: DataTable,
  columns: DataColumn[],
  spec: string | null | undefined,
  lang: string,
  node: LeafDirective,
  file: Report,
) {
  if (!spec) return table.rows;
  const descending = spec.startsWith('-');
  const key = spec.replace(/^[-+]/, '').trim();
  const column = table.columns.find((candidate) => candidate.key === key) ?? columns.find((c) => c.key === key);
  if (!column) {
    error(file, `\`sort\` names \`${key}\`, which ${table.file.basename} does not have`, {
      place: node.position,
      ruleId: 'directive-attribute',
    });
    return undefined;
  }
  const order = descending ? -1 : 1;
  return table.rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => order * compareCells(a.row.values[key] ?? null, b.row.values[key] ?? null, column, lang) || a.index - b.index)
    .map(({ row }) => row);
}

function buildFigure(
  id: string,
  caption: PhrasingContent[],
  columns: DataColumn[],
  rows: DataTable['rows'],
  lang: string,
  position: Position | undefined,
): ImprintFigure {
  const sources: DataSource[] = [];
  const sourceIndex = rows.map((row) => {
    const found = sources.findIndex((s) => s.citation === row.source.citation && s.url === row.source.url);
    if (found !== -1) return found;
    sources.push(row.source);
    return sources.length - 1;
  });
  const lettered = sources.length > 1;
  const letter = (index: number) => String.fromCharCode(97 + (index % 26)) + (index >= 26 ? String(Math.floor(index / 26)) : '');
  const sourceId = (index: number) => `${id}-source-${letter(index)}`;

  const cell = (children: PhrasingContent[]): TableCell => ({ type: 'tableCell', children });
  const header: TableRow = {
    type: 'tableRow',
    children: [
      ...columns.map((column) => cell([{ type: 'text', value: column.label }])),
      ...(lettered ? [cell([{ type: 'text', value: 'Source' }])] : []),
    ],
  };
  const body: TableRow[] = rows.map((row, rowIndex) => ({
    type: 'tableRow',
    children: [
      ...columns.map((column) => cell([{ type: 'text', value: formatCell(row.values[column.key] ?? null, column, lang) }])),
      ...(lettered
        ? [
            cell([
              {
                type: 'link',
                url: `#${sourceId(sourceIndex[rowIndex]!)}`,
                children: [{ type: 'text', value: letter(sourceIndex[rowIndex]!) }],
              },
            ]),
          ]
        : []),
    ],
  }));
  const table: Table = {
    type: 'table',
    align: [...columns.map((column) => column.align ?? null), ...(lettered ? ['center' as const] : [])],
    children: [header, ...body],
  };

  const citation = (source: DataSource): PhrasingContent[] => [
    { type: 'text', value: source.citation.replace(/\.?$/, source.url ? '. ' : '.') },
    ...(source.url ? [{ type: 'link' as const, url: source.url, children: [{ type: 'text' as const, value: source.url }] }] : []),
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
        children: [{ type: 'emphasis', children: [{ type: 'text', value: 'Source:' }] }, { type: 'text', value: ' ' }, ...citation(sources[0]!)],
      };

  const captionNode: Paragraph = {
    type: 'paragraph',
    data: { hName: 'figcaption' },
    children: caption,
  };
  const children = lettered
    ? [
        captionNode,
        table,
        {
          type: 'paragraph' as const,
          data: { hProperties: { className: ['table-sources-label'] } },
          children: [{ type: 'emphasis' as const, children: [{ type: 'text' as const, value: 'Sources:' }] }],
        },
        note,
      ]
    : [captionNode, table, note];
  return {
    type: 'imprintFigure',
    kind: 'table',
    identifier: id,
    data: { hName: 'figure', hProperties: { id, className: ['data-table'] } },
    children,
    ...(position ? { position } : {}),
  };
}
