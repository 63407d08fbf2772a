import type { Position } from 'unist';
import type { VFile } from 'vfile';
import { warn } from '../diagnostics/report.js';
import { calloutTypes } from './plugins/remark-imprint-callout.js';

/**
 * Pandoc's fenced divs, rewritten before the parse line for line (so every place in the file stays where it was):
 * - Quarto's callouts, `::: {.callout-note title="…"}` (or `::: callout-note`), become imprint's
 *   `:::callout{type=note title="…"}`;
 * - any other (`::: {.aside}`, `::: warning`) has no meaning here: its two fence lines become blank, so its content
 *   prints as ordinary text and no `:::` is left in it, with a warning at the opening line.
 * Fenced code is left alone; imprint's own containers (`:::callout{…}`) are followed so each closing fence is
 * matched with its opening.
 */
export function pandocFences(text: string, file: VFile, at?: Position): string {
  if (!text.includes(':::')) return text;
  const lines = text.split('\n');
  const open: Array<'directive' | 'pandoc' | 'callout'> = [];
  let fence: string | undefined;
  let changed = false;
  lines.forEach((line, index) => {
    const code = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (code?.startsWith(fence)) fence = undefined;
      return;
    }
    if (code) {
      fence = code[0]!.repeat(code.length);
      return;
    }
    if (/^:{3,}[ \t]*\r?$/.test(line)) {
      if (open.pop() === 'pandoc') {
        lines[index] = '';
        changed = true;
      }
      return;
    }
    if (/^:{3,}[A-Za-z]/.test(line)) {
      open.push('directive');
      return;
    }
    const div = /^(:{3,})[ \t]*(?:\{([^{}]*)\}|([\w-]+))[ \t]*\r?$/.exec(line);
    if (!div) return;
    const [, colons, braces, word] = div;
    changed = true;
    // `::: {.callout-note …}`, or Pandoc's short form of a div with one class, `::: callout-note`.
    const callout = /^\s*\.callout-([a-z]+)\b(.*)$/.exec(braces ?? `.${word}`);
    if (callout && (calloutTypes as readonly string[]).includes(callout[1]!)) {
      const title = /\btitle=("[^"]*"|'[^']*')/.exec(callout[2]!)?.[1];
      lines[index] = `${colons}callout{type=${callout[1]}${title ? ` title=${title}` : ''}}`;
      open.push('callout');
      return;
    }
    lines[index] = '';
    open.push('pandoc');
    warn(
      file,
      `Pandoc’s fenced div \`${line.trim()}\` has no meaning here: its content prints as ordinary text ` +
        '(a callout is `:::callout{type=note}`)',
      // In an included file, the message is placed at the directive that includes it, as all such messages are.
      { place: at ?? { line: index + 1, column: 1 }, ruleId: 'fenced-div' },
    );
  });
  return changed ? lines.join('\n') : text;
}
