import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layers of src/, from the top down. A module may import modules of its own layer or of layers below it,
 * never above; and no imports go round in a cycle. Within a layer, the order of its folders is the order of
 * the pipeline, and the cycle check keeps them apart.
 */
const layers: string[][] = [
  ['cli'],
  ['api.ts'],
  ['run'],
  ['release'],
  ['project'],
  ['writers'],
  ['compile'],
  ['document'],
  ['check', 'charts'],
  ['data'],
  ['browser'],
  ['diagnostics', 'assets', 'uri.ts', 'version.ts', 'package-files.ts', 'wasm-tier.ts', 'first-use.ts', 'types'],
];

const src = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.ts$/.test(entry) ? [full] : [];
  });
}

function layerOf(file: string): number {
  const top = path.relative(src, file).split(path.sep)[0]!;
  const index = layers.findIndex((layer) => layer.includes(top));
  if (index === -1) throw new Error(`src/${top} belongs to no layer: add it to the list in this test`);
  return index;
}

/** Every relative import of a file (static, type-only, re-exports and dynamic), resolved to a .ts file. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    found.push(path.normalize(path.join(path.dirname(file), match[1]!.replace(/\.js$/, '.ts'))));
  }
  return found;
}

const files = sourceFiles(src);
const graph = new Map(files.map((file) => [file, importsOf(file)]));
const name = (file: string) => path.relative(src, file);

describe('the direction of imports in src/', () => {
  it('finds the modules and their imports', () => {
    expect(files.length).toBeGreaterThan(80);
    expect(graph.get(path.join(src, 'api.ts'))!.length).toBeGreaterThan(5);
  });

  it('has every module in a layer', () => {
    for (const file of files) expect(() => layerOf(file), name(file)).not.toThrow();
  });

  it('never imports a module of a layer above', () => {
    const upward: string[] = [];
    for (const [file, imports] of graph) {
      for (const target of imports) {
        if (layerOf(target) < layerOf(file)) upward.push(`${name(file)} imports ${name(target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no cycle of imports', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'visiting');
      stack.push(file);
      for (const target of graph.get(file) ?? []) {
        if (state.get(target) === 'visiting')
          cycles.push([...stack.slice(stack.indexOf(target)), target].map(name).join(' → '));
        else if (!state.has(target)) visit(target);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it('keeps Puppeteer in the browser module', () => {
    const outside = files.filter(
      (file) => !name(file).startsWith('browser') && /from ['"]puppeteer/.test(readFileSync(file, 'utf8')),
    );
    expect(outside.map(name)).toEqual([]);
  });
});
