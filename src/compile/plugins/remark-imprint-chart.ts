import type { Element } from 'hast';
import type { LeafDirective } from 'mdast-util-directive';
import type { Paragraph, PhrasingContent, Root } from 'mdast';
import type { Plugin } from 'unified';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { barChart, type Bar } from '../../charts/bar-chart.js';
import { timeline, type TimelineEvent } from '../../charts/timeline.js';
import { isNumeric, scales, type DataColumn } from '../../data/column-schema.js';
import { compareCells, formatCell, formatDifference, formatPercent } from '../../data/format-cell.js';
import { parsePartialDate } from '../../data/partial-date.js';
import { computeChange, matches, parseChangeSpec, parseConditions } from '../../data/summary.js';
import type { DataRow, DataSource, DataTable } from '../../data/table-data.js';
import { sourceText } from './shared/source-text.js';
import {
  attributeError,
  caption,
  columnOf,
  readFigureDirective,
  replaceWithFigure,
  type FigureDirective,
  type LoadTable,
} from './shared/figure-directive.js';
import type { ImprintFigure } from '../../document/nodes.js';
import { changeWord, labelsOf, withColon, type Labels } from '../../document/labels.js';
import { type ChartFace, type MeasureText, textMeasure } from '../../assets/font-metrics.js';

export interface RemarkImprintChartOptions {
  loadTable: LoadTable;
  /** The face a template sets its charts in (`--chart-font`), which their text is measured in; else the shipped. */
  chartFaces?: readonly ChartFace[];
}

const chartTypes = ['bar', 'timeline'] as const;
const knownAttributes = ['id', 'src', 'type', 'label', 'detail', 'value', 'date', 'where', 'sort', 'change'];
const example = '::chart[Caption]{#fig-name src="data/name.yaml" type="bar"}';

/**
 * `::chart[Caption]{#fig-id src="data/file.yaml" type="bar|timeline" …}`: a
 * chart drawn as inline SVG from a data file, without a browser, as a
 * numbered figure with its caption, its text alternative and its sources.
 */
const remarkImprintChart: Plugin<[RemarkImprintChartOptions], Root> = function (options) {
  if (!options?.loadTable) throw new Error('remark-imprint-chart: `loadTable` is required');
  return async (tree, file) => {
    const lang = file.data.metadata?.lang ?? 'en';
    const directives: LeafDirective[] = [];
    visit(tree, 'leafDirective', (node) => {
      if (node.name === 'chart') directives.push(node);
    });
    // Charts measure their labels in the face they are set in: the template's chart face, else the shipped one.
    const measure = directives.length > 0 ? await textMeasure(options.chartFaces) : undefined;
    await Promise.all(
      directives.map(async (node) => {
        const directive = readFigureDirective(node, file, knownAttributes, example);
        if (!directive) return;
        const kind = directive.attributes.type;
        if (!kind || !(chartTypes as readonly string[]).includes(kind)) {
          attributeError(
            file,
            directive,
            'type',
            kind ? `is \`${kind}\`; use ${chartTypes.join(' or ')}` : `is missing: use ${chartTypes.join(' or ')}`,
          );
          directive.ok = false;
        }
        const table = await options.loadTable(directive.src, node.position);
        if (!table || !directive.ok) return;
        const figure =
          kind === 'bar'
            ? buildBarChart(directive, table, lang, file, measure!)
            : buildTimeline(directive, table, lang, file, measure!);
        if (figure) replaceWithFigure(node, figure);
      }),
    );
  };
};

export default remarkImprintChart;

interface Context {
  directive: FigureDirective;
  table: DataTable;
  file: VFile;
  ok: boolean;
}

function problem(context: Context, name: string, text: string): void {
  attributeError(context.file, context.directive, name, text);
  context.ok = false;
}

/** The column an attribute names, or the first column that `fits` when the attribute is absent. */
function pickColumn(
  context: Context,
  name: string,
  fits: (column: DataColumn) => boolean,
  wanted: string,
): DataColumn | undefined {
  const key = context.directive.attributes[name];
  if (key) {
    const column = columnOf(context.table, key);
    if (!column)
      problem(
        context,
        name,
        `names \`${key}\`, which ${context.table.file.basename} does not have (it has: ` +
          `${context.table.columns.map((c) => c.key).join(', ')})`,
      );
    else if (!fits(column)) problem(context, name, `names \`${key}\`, a ${column.type} column; it needs ${wanted}`);
    return column && fits(column) ? column : undefined;
  }
  const found = context.table.columns.find(fits);
  if (!found)
    problem(
      context,
      name,
      `is missing, and ${context.table.file.basename} has no ${wanted.replace(/^an? /, '')} to use`,
    );
  return found;
}

function selectRows(context: Context, lang: string): DataRow[] {
  let rows = context.table.rows;
  const { where, sort } = context.directive.attributes;
  if (where) {
    const conditions = parseConditions(where, context.table);
    if (!conditions.ok) problem(context, 'where', conditions.problem);
    else rows = rows.filter((row) => matches(row, conditions.value));
  }
  if (sort) {
    const descending = sort.startsWith('-');
    const key = sort.replace(/^[-+]/, '').trim();
    const column = columnOf(context.table, key);
    if (!column) problem(context, 'sort', `names \`${key}\`, which ${context.table.file.basename} does not have`);
    else
      rows = [...rows].sort(
        (a, b) => (descending ? -1 : 1) * compareCells(a.values[key] ?? null, b.values[key] ?? null, column, lang),
      );
  }
  return rows;
}

const cellText = (row: DataRow, column: DataColumn | undefined, lang: string): string | undefined => {
  if (!column) return undefined;
  const value = row.values[column.key];
  return value === null || value === undefined || value === '' ? undefined : formatCell(value, column, lang);
};

function buildBarChart(
  directive: FigureDirective,
  table: DataTable,
  lang: string,
  file: VFile,
  measure: MeasureText,
): ImprintFigure | undefined {
  const labels = labelsOf(file.data.metadata);
  const context: Context = { directive, table, file, ok: true };
  const value = pickColumn(
    context,
    'value',
    (column) => isNumeric(column.type) && column.type !== 'year',
    'a money, number, integer or percent column',
  );
  const label = pickColumn(context, 'label', (column) => column.type === 'text', 'a text column');
  const detail = directive.attributes.detail ? pickColumn(context, 'detail', () => true, 'a column') : undefined;
  const rows = selectRows(context, lang);
  if (!value || !label || !context.ok) return undefined;

  const withValue = rows.filter((row) => typeof row.values[value.key] === 'number');
  if (withValue.length === 0) {
    problem(context, 'value', `names \`${value.key}\`, which no row of the chart has a value in`);
    return undefined;
  }
  const bars: Bar[] = withValue.map((row) => ({
    label: cellText(row, label, lang) ?? '',
    detail: cellText(row, detail, lang) || undefined,
    value: row.values[value.key] as number,
    valueText: formatCell(row.values[value.key] ?? null, value, lang),
  }));

  let change: { from: number; to: number; text: string } | undefined;
  let changeSentence = '';
  if (directive.attributes.change !== undefined) {
    const spec = parseChangeSpec(directive.attributes.change, table);
    if (!spec.ok) problem(context, 'change', spec.problem);
    else if (spec.value.keys.some((key) => key !== value.key))
      problem(context, 'change', `can only show the change of the chart's value, \`${value.key}\``);
    else {
      const computed = computeChange(withValue, value, spec.value);
      if (!computed.ok) problem(context, 'change', computed.problem);
      else {
        (file.data.changes ??= []).push({ table, change: computed.value });
        const amount = formatDifference(computed.value.difference, value, lang);
        const relative =
          computed.value.percent === undefined ? '' : ` (${formatPercent(computed.value.percent, lang, true)})`;
        change = {
          from: withValue.indexOf(computed.value.from.row),
          to: withValue.indexOf(computed.value.to.row),
          text: amount + relative,
        };
        const word = changeWord(computed.value.difference, labels);
        const span =
          computed.value.fromLabel && computed.value.toLabel
            ? `, ${computed.value.fromLabel}\u2013${computed.value.toLabel}`
            : '';
        changeSentence = ` ${withColon(`${word}${span}`, lang)} ${amount}${relative}.`;
      }
    }
  }
  if (!context.ok) return undefined;

  const missing = rows
    .filter((row) => row.values[value.key] === null || row.values[value.key] === undefined)
    .map((row) => cellText(row, label, lang) ?? '');
  const unit = unitOf(value, lang);
  const missingHeading = `${value.label} (${labels.notGiven})`;
  const description =
    bars.map((bar) => `${bar.label}${bar.detail ? `, ${bar.detail}` : ''}: ${bar.valueText}.`).join(' ') +
    changeSentence +
    (missing.length > 0 ? ` ${missingHeading}: ${missing.join('; ')}.` : '');
  const svg = barChart({
    measure,
    id: directive.id,
    bars,
    axisTitle: unit ? `${value.label} (${unit})` : value.label,
    tickText: (tick) => new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(tick),
    change,
    missing: missing.length > 0 ? { heading: missingHeading, labels: missing } : undefined,
    title: `Bar chart of ${value.label.toLowerCase()} by ${label.label.toLowerCase()}`,
    description,
  });
  return figureOf(directive, svg, rows, file);
}

/** The unit of a value column's numbers, for the axis: `US$ billion`, `%`. */
function unitOf(column: DataColumn, lang: string): string | undefined {
  const scaleWord =
    column.scale === 'one'
      ? ''
      : new Intl.NumberFormat(lang, { notation: 'compact', compactDisplay: 'long' })
          .format(scales[column.scale])
          .replace(/^1\s*/, '');
  if (column.type === 'money') {
    const symbol =
      new Intl.NumberFormat(lang, { style: 'currency', currency: column.currency ?? 'USD', currencyDisplay: 'symbol' })
        .formatToParts(1)
        .find((part) => part.type === 'currency')?.value ?? column.currency;
    return scaleWord ? `${symbol} ${scaleWord}` : symbol;
  }
  if (column.type === 'percent') return '%';
  return scaleWord || undefined;
}

function buildTimeline(
  directive: FigureDirective,
  table: DataTable,
  lang: string,
  file: VFile,
  measure: MeasureText,
): ImprintFigure | undefined {
  const context: Context = { directive, table, file, ok: true };
  if (directive.attributes.value)
    problem(context, 'value', 'belongs to bar charts; a timeline places its rows by `date`');
  if (directive.attributes.change !== undefined) problem(context, 'change', 'belongs to bar charts');
  if (directive.attributes.sort) problem(context, 'sort', 'does not apply: a timeline is always in date order');
  const date = pickColumn(context, 'date', (column) => column.type === 'date', 'a date column');
  const label = pickColumn(context, 'label', (column) => column.type === 'text', 'a text column');
  const detail = directive.attributes.detail ? pickColumn(context, 'detail', () => true, 'a column') : undefined;
  const rows = selectRows(context, lang);
  if (!date || !label || !context.ok) return undefined;
  const dated = rows
    .map((row, index) => ({ row, index, date: parsePartialDate(String(row.values[date.key] ?? '')) }))
    .filter((entry) => entry.date !== undefined)
    .sort(
      (a, b) =>
        compareCells(a.row.values[date.key] ?? null, b.row.values[date.key] ?? null, date, lang) || a.index - b.index,
    );
  if (dated.length === 0) {
    problem(context, 'date', `names \`${date.key}\`, which no row of the chart has a date in`);
    return undefined;
  }
  const events: TimelineEvent[] = dated.map(({ row, date: when }) => ({
    date: when!,
    dateText: formatCell(row.values[date.key] ?? null, date, lang),
    label: cellText(row, label, lang) ?? '',
    detail: cellText(row, detail, lang) || undefined,
  }));
  const first = events[0]!;
  const last = events[events.length - 1]!;
  const english = /^en\b/i.test(lang);
  const svg = timeline({
    measure,
    id: directive.id,
    events,
    title:
      `Timeline of ${events.length} ${events.length === 1 ? 'event' : 'events'}, ` +
      `${first.dateText} to ${last.dateText}`,
    description: events
      .map((event) => `${event.dateText}: ${event.label}${event.detail ? ` (${event.detail})` : ''}.`)
      .join(' '),
    gapText: (years) =>
      english
        ? `${years} ${years === 1 ? 'year' : 'years'} later`
        : new Intl.RelativeTimeFormat(lang, { numeric: 'always' }).format(years, 'year'),
    legend: { day: 'exact day', month: 'month only', year: 'year only' },
  });
  return figureOf(
    directive,
    svg,
    dated.map((entry) => entry.row),
    file,
  );
}

function figureOf(directive: FigureDirective, svg: Element, rows: readonly DataRow[], file: VFile): ImprintFigure {
  return {
    type: 'imprintFigure',
    kind: 'figure',
    identifier: directive.id,
    data: { hName: 'figure', hProperties: { id: directive.id, className: ['chart'] } },
    // The caption comes first, as a table's does (a figcaption must be the first or last child of its figure).
    children: [
      caption(directive.node.children),
      {
        type: 'imprintGenerated',
        data: { hName: 'div', hProperties: { className: ['chart-drawing'] }, hChildren: [svg] },
      },
      sourceNote(rows, labelsOf(file.data.metadata), file.data.metadata?.lang ?? 'en'),
    ],
    position: directive.node.position,
  };
}

/** `Source: …` (or `Sources: …; …`) from the rows a figure shows. */
export function sourceNote(rows: readonly DataRow[], labels: Labels, lang: string): Paragraph {
  const sources: DataSource[] = [];
  for (const row of rows) {
    if (!sources.some((source) => source.citation === row.source.citation && source.url === row.source.url))
      sources.push(row.source);
  }
  const children: PhrasingContent[] = [
    {
      type: 'emphasis',
      children: [{ type: 'text', value: withColon(sources.length > 1 ? labels.sources : labels.source, lang) }],
    },
  ];
  sources.forEach((source, index) => {
    children.push({ type: 'text', value: ' ' }, ...sourceText(source.citation, source.url ? ', ' : ''));
    if (source.url) children.push({ type: 'link', url: source.url, children: [{ type: 'text', value: source.url }] });
    children.push({ type: 'text', value: index === sources.length - 1 ? '.' : ';' });
  });
  return { type: 'paragraph', data: { hProperties: { className: ['figure-source'] } }, children };
}
