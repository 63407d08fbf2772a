import {
  isCollection,
  isMap,
  isScalar,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node as YamlNode,
} from 'yaml';
import type { Point, Position } from 'unist';
import type { VFile } from 'vfile';
import { location } from 'vfile-location';
import { error } from '../diagnostics/report.js';
import type { RuleId } from '../diagnostics/rules.js';

/**
 * YAML (and JSON, which YAML 1.2 reads) parsed with the places of its nodes
 * kept, so that a problem in a value can be reported at its line and column
 * in the file the text came from, even when the text is embedded (front matter).
 */
export interface YamlSource {
  /** The plain JavaScript value, or undefined when the text did not parse. */
  value: unknown;
  /**
   * The place in the containing file of the value at `path` (or its nearest
   * parent); with `key`, the place of the last key itself.
   */
  placeOf(path: readonly PropertyKey[], options?: { key?: boolean }): Position | undefined;
}

export interface ParseYamlOptions {
  /** Offset of the text within `file.value`; 0 for a file that is all YAML. */
  offset?: number;
  /** The text; defaults to `String(file.value)`. */
  text?: string;
  syntaxRule: RuleId;
  /** How messages name the text: `front matter`, `pledges.yaml`. */
  label?: string;
}

export function parseYaml(file: VFile, options: ParseYamlOptions): YamlSource {
  const offset = options.offset ?? 0;
  const text = options.text ?? String(file.value);
  const where = location(file);
  const toPoint = (index: number): Point | undefined => where.toPoint(offset + index);
  const span = (range: readonly [number, number] | undefined): Position | undefined => {
    if (!range) return undefined;
    const start = toPoint(range[0]);
    // A problem at the very end of the text ends one past it: keep its start.
    const end = toPoint(Math.max(range[0], range[1])) ?? start;
    return start && end ? { start, end } : undefined;
  };

  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  let failed = false;
  for (const problem of doc.errors) {
    failed = true;
    error(file, `Cannot parse ${options.label ?? file.basename ?? 'file'}: ${firstLine(problem.message)}`, {
      place: span([problem.pos[0], problem.pos[1]]),
      ruleId: options.syntaxRule,
    });
  }

  let value: unknown;
  if (!failed) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (cause) {
      // An alias bomb: anchors whose aliases, expanded, would fill the memory. Said at the first alias.
      let first: [number, number] | undefined;
      visit(doc, {
        Alias(_, node) {
          first = rangeOf(node);
          return visit.BREAK;
        },
      });
      error(
        file,
        `Cannot read ${options.label ?? file.basename ?? 'file'}: its aliases expand to too much ` +
          `(${firstLine(cause instanceof Error ? cause.message : String(cause))})`,
        { place: span(first ?? [0, 0]), ruleId: options.syntaxRule },
      );
    }
  }

  return {
    value,
    placeOf(path, placeOptions) {
      let node: unknown = doc.contents;
      let place = span(rangeOf(node));
      for (const [index, key] of path.entries()) {
        if (!isCollection(node)) break;
        const item = isMap(node)
          ? node.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === String(key))
          : undefined;
        if (isMap(node)) {
          if (!item) break;
          if (placeOptions?.key && index === path.length - 1) return span(rangeOf(item.key)) ?? place;
          node = item.value ?? item.key;
          place = span(rangeOf(item.value) ?? rangeOf(item.key)) ?? place;
        } else {
          node = node.get(Number(key), true);
          place = span(rangeOf(node)) ?? place;
        }
      }
      return place;
    },
  };
}

function rangeOf(node: unknown): [number, number] | undefined {
  const range = (node as YamlNode | undefined)?.range;
  return range ? [range[0], range[1]] : undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? text;
}
