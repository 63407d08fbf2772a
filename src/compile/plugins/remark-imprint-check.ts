import path from 'node:path';
import type { Root } from 'mdast';
import type { Plugin } from 'unified';
import type { VFile } from 'vfile';
import { findDisagreements, type Disagreement } from '../../check/consistency.js';
import { factsOf } from '../../check/facts.js';
import { proseBlocks } from '../../check/prose.js';
import type { DataTable } from '../../data/table-data.js';
import { warn } from '../../diagnostics/report.js';

export interface RemarkImprintCheckOptions {
  /** The data files the manuscript's directives read (after they are read). */
  tables: () => Promise<DataTable[]>;
}

/**
 * The consistency check: every number and date the prose quotes that talks
 * about a row of the data must say what the data says. Each disagreement is a
 * warning at the quote, naming the data's value and its place
 * (`data/file:line:column`); `--strict` makes warnings fail the run.
 */
const remarkImprintCheck: Plugin<[RemarkImprintCheckOptions], Root> = function (options) {
  if (!options?.tables) throw new Error('remark-imprint-check: `tables` is required');
  return async (tree, file) => {
    const tables = await options.tables();
    if (tables.length === 0) return;
    const lang = file.data.metadata?.lang ?? 'en';
    for (const disagreement of findDisagreements(proseBlocks(tree, file), () =>
      factsOf(tables, lang, file.data.changes ?? []),
    )) {
      report(file, disagreement);
    }
  };
};

export default remarkImprintCheck;

function report(file: VFile, { quote, block, fact }: Disagreement): void {
  const start = block.pointAt(quote.start);
  const end = block.pointAt(quote.end);
  const dataFile = fact.row.table.file;
  const relative = path.relative(file.cwd, dataFile.path);
  const shownPath = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : dataFile.path;
  const where = `${shownPath}:${fact.place?.start.line ?? 1}:${fact.place?.start.column ?? 1}`;
  const label = fact.column.label.toLowerCase();
  const what = fact.derived
    ? `the change in ${label} up to “${fact.row.name}”, computed from the data`
    : fact.typed
      ? `${label} of “${fact.row.name}”`
      : `in the ${label} of “${fact.row.name}”`;
  const message = warn(file, `The text says “${quote.text}” but the data says ${fact.shown} (${what}, ${where})`, {
    place: start && end ? { start, end } : start,
    ruleId: 'data-mismatch',
  });
  message.actual = quote.text;
  message.expected = [fact.shown];
  message.note = `Data: ${where}`;
}
