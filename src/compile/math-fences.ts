import { math } from 'micromark-extension-math';
import type { Construct, Extension, State, TokenizeContext, Tokenizer } from 'micromark-util-types';
import type { Processor } from 'unified';

/**
 * A display equation's fence is `$$` alone on its line, as remark-math reads it:
 *
 * ```markdown
 * $$
 * x = 1
 * $$
 * ```
 *
 * remark-math also opens a fenced block at `$$` with text after it on the line (the text is the fence's "meta"),
 * and lets that block interrupt a paragraph. Pandoc, Quarto and GitHub read `$$x =` … `y$$` as one display
 * equation written across lines, and manuscripts written for them (papers for journals, Quarto books) do so
 * throughout; read as a fence, the equation's first line was lost and the block ran on to the next `$$` line or the
 * end of the file, taking the text with it. Here such a line is not a fence: the `$$…$$` is read as math in the
 * text, which `remark-imprint-math` sets as a display equation.
 */
declare module 'micromark-util-types' {
  interface TokenTypeMap {
    mathFlowFenceAlone: 'mathFlowFenceAlone';
  }
}

const mathFlow = math().flow![36] as Construct;

/** `$$` (or more dollars), then nothing but blanks to the end of the line. */
const fenceAlone: Construct = {
  partial: true,
  tokenize(effects, ok, nok) {
    let size = 0;
    const sequence: State = (code) => {
      if (code === 36) {
        size++;
        effects.consume(code);
        return sequence;
      }
      return size < 2 ? nok(code) : blank(code);
    };
    const blank: State = (code) => {
      // Spaces and tabs (a tab is -2, and the virtual spaces after it -1).
      if (code === 32 || code === -2 || code === -1) {
        effects.consume(code);
        return blank;
      }
      effects.exit('mathFlowFenceAlone');
      // -5, -4, -3: line endings; null: the end of the file.
      return code === null || code === -5 || code === -4 || code === -3 ? ok(code) : nok(code);
    };
    return (code) => {
      if (code !== 36) return nok(code);
      effects.enter('mathFlowFenceAlone');
      return sequence(code);
    };
  },
};

const mathFlowOnItsOwnLine: Construct = {
  ...mathFlow,
  name: 'mathFlowOnItsOwnLine',
  tokenize(this: TokenizeContext, effects, ok, nok) {
    const fenced = (mathFlow.tokenize as Tokenizer).call(this, effects, ok, nok);
    return effects.check(fenceAlone, fenced, nok);
  },
};

/** remark-math's fenced display equation, only where the fence is alone on its line (see above). */
const fencesAlone: Extension = { disable: { null: ['mathFlow'] }, flow: { 36: mathFlowOnItsOwnLine } };

/** The plugin that applies it; used after remark-math. */
export function remarkMathFencesAlone(this: Processor): void {
  const data = this.data() as { micromarkExtensions?: Extension[] };
  (data.micromarkExtensions ??= []).push(fencesAlone);
}
