import path from 'node:path';
import type { Position } from 'unist';
import { VFile } from 'vfile';
import { error } from '../diagnostics/report.js';
import { decodeText } from './read-manuscript.js';
import { locateResource, readInProject, type Refusal, type ResourceReader } from './resources.js';
import { readDataTable, schemaPathOf, type DataTable } from '../data/table-data.js';

export interface TableLoaderOptions {
  reader: ResourceReader;
  /** Folder that every path the manuscript names must stay inside. */
  projectRoot: string;
  /** The manuscript: paths are relative to its folder, and problems with them are reported on it. */
  manuscript: VFile;
  /** Fetch remote (http, https) data files; default: refuse them. */
  allowRemote?: boolean;
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

  /** The file as text; a file without a value (and with a message) when it is not text. */
  const textFile = (bytes: Uint8Array, where: string): VFile => {
    const file = new VFile({ path: where, cwd: manuscript.cwd });
    const text = decodeText(bytes);
    if (text === undefined)
      error(file, 'The file is not UTF-8 text', { place: { line: 1, column: 1 }, ruleId: 'data-syntax' });
    else file.value = text;
    return file;
  };
  /**
   * A file of the project as text; undefined when there is none, or the reason it is refused (a link out of the
   * project).
   */
  const readText = async (absolute: string): Promise<VFile | undefined | Refusal> => {
    const bytes = await readInProject(reader, projectRoot, absolute);
    if (bytes === undefined || 'refused' in bytes) return bytes;
    return textFile(bytes, absolute);
  };

  return {
    load(reference, place) {
      const location = locateResource(reference, projectRoot, manuscriptDir);
      if (location.kind === 'refused' || location.kind === 'data-url') {
        const reason =
          location.kind === 'refused' ? location.reason : 'is a data: URL: name a data file of the project';
        error(manuscript, `Data file \`${reference}\` ${reason}`, { place, ruleId: 'data-outside-project' });
        return Promise.resolve(undefined);
      }
      if (location.kind === 'remote' && (!options.allowRemote || !reader.fetch)) {
        error(
          manuscript,
          `Data file \`${reference}\` is remote, and a build loads nothing from the network unless ` +
            `told to: put the file in the project, or allow remote files (--allow-remote)`,
          { place, ruleId: 'data-remote' },
        );
        return Promise.resolve(undefined);
      }
      const key = location.kind === 'remote' ? location.url.href : location.absolute;
      let table = pending.get(key);
      if (!table) {
        table = (async () => {
          if (location.kind === 'remote') {
            let bytes: Uint8Array;
            try {
              bytes = await reader.fetch!(location.url);
            } catch (cause) {
              error(
                manuscript,
                `Data file \`${reference}\` could not be fetched: ` +
                  `${cause instanceof Error ? cause.message : String(cause)}`,
                { place, ruleId: 'data-missing' },
              );
              return undefined;
            }
            const data = textFile(bytes, location.url.href);
            files.push(data);
            return data.value === undefined ? undefined : readDataTable(data, undefined);
          }
          const absolute = location.absolute;
          const [data, schema] = await Promise.all([readText(absolute), readText(schemaPathOf(absolute))]);
          for (const read of [data, schema]) {
            if (read && 'refused' in read) {
              error(manuscript, `Data file \`${reference}\` ${read.refused}`, {
                place,
                ruleId: read.unreadable ? 'file-unreadable' : 'data-outside-project',
              });
              return undefined;
            }
          }
          const dataFile = data as VFile | undefined;
          const schemaFile = schema as VFile | undefined;
          for (const file of [dataFile, schemaFile]) if (file) files.push(file);
          if (!dataFile) {
            error(manuscript, `Cannot find data file \`${reference}\` (looked for ${absolute})`, {
              place,
              ruleId: 'data-missing',
            });
            return undefined;
          }
          if (dataFile.value === undefined || (schemaFile && schemaFile.value === undefined)) return undefined;
          return readDataTable(dataFile, schemaFile);
        })();
        pending.set(key, table);
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
