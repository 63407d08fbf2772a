import path from 'node:path';
import type { Position } from 'unist';
import { VFile } from 'vfile';
import { error } from '../diagnostics/report.js';
import { decodeText } from '../manuscript/read-manuscript.js';
import { resolveInProject, type ResourceReader } from '../manuscript/resources.js';
import { readDataTable, schemaPathOf, type DataTable } from './table-data.js';

export interface TableLoaderOptions {
  reader: ResourceReader;
  /** Folder that every path the manuscript names must stay inside. */
  projectRoot: string;
  /** The manuscript: paths are relative to its folder, and problems with them are reported on it. */
  manuscript: VFile;
}

export interface TableLoader {
  /** Read and check the data file a directive names (once per file, however many directives name it). */
  load(reference: string, place: Position | undefined): Promise<DataTable | undefined>;
  /** Every data file and schema file read so far, each with its own messages. */
  files(): VFile[];
  /** Every data file read and checked so far, in the order first named. */
  tables(): Promise<DataTable[]>;
}

/**
 * Reads the data files a manuscript names, with the schema file beside each
 * (`data/exchanges.schema.yaml` for `data/exchanges.csv`) when there is one.
 */
export function createTableLoader(options: TableLoaderOptions): TableLoader {
  const { manuscript, reader, projectRoot } = options;
  const manuscriptDir = path.dirname(manuscript.path);
  const pending = new Map<string, Promise<DataTable | undefined>>();
  const files: VFile[] = [];

  /** The file as text; undefined when there is none; a file without a value (and with a message) when it is not text. */
  const readText = async (absolute: string): Promise<VFile | undefined> => {
    const bytes = await reader.read(absolute);
    if (bytes === undefined) return undefined;
    const file = new VFile({ path: absolute, cwd: manuscript.cwd });
    const text = decodeText(bytes);
    if (text === undefined) error(file, 'The file is not UTF-8 text', { place: { line: 1, column: 1 }, ruleId: 'data-syntax' });
    else file.value = text;
    return file;
  };

  return {
    load(reference, place) {
      const absolute = resolveInProject(projectRoot, manuscriptDir, reference);
      if (!absolute) {
        error(manuscript, `Data file \`${reference}\` is outside the project folder ${projectRoot}`, { place, ruleId: 'data-outside-project' });
        return Promise.resolve(undefined);
      }
      let table = pending.get(absolute);
      if (!table) {
        table = (async () => {
          const [data, schema] = await Promise.all([readText(absolute), readText(schemaPathOf(absolute))]);
          for (const file of [data, schema]) if (file) files.push(file);
          if (!data) {
            error(manuscript, `Cannot find data file \`${reference}\` (looked for ${absolute})`, { place, ruleId: 'data-missing' });
            return undefined;
          }
          if (data.value === undefined || (schema && schema.value === undefined)) return undefined;
          return readDataTable(data, schema);
        })();
        pending.set(absolute, table);
      }
      return table;
    },
    files: () => [...files],
    async tables() {
      const all = await Promise.all(pending.values());
      return all.filter((table): table is DataTable => table !== undefined);
    },
  };
}
