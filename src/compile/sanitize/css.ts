/**
 * CSS from a manuscript (a `style` attribute) that could load something or
 * hide what it does: `url(`, `image-set(`, `image(`, `src(`, `cross-fade(`
 * or any function given a quoted string (a URL), `@import` or any at-rule,
 * `expression(`, `-moz-binding`, `behavior`, and any CSS escape (`u\72l(`), which
 * would let the other forms through unseen. Comments are removed before the
 * check, so `u/**\/rl(` is seen too. References inside the document
 * (`url(#pattern)`, which charts and drawings use) are allowed.
 */
export function cssProblem(value: string): string | undefined {
  const css = value.replace(/\/\*[\s\S]*?(?:\*\/|$)/g, '').toLowerCase();
  if (css.includes('\\')) return 'a CSS escape';
  if (css.includes('@')) return 'an at-rule (`@import`)';
  if (/expression|binding|behavio/.test(css)) return 'a script (`expression`, `-moz-binding`, `behavior`)';
  const withoutLocal = css.replace(/url\(\s*(["']?)#[\w.:-]*\1\s*\)/g, '');
  if (/(?:url|image|image-set|src|cross-fade|element)\s*\(/.test(withoutLocal)) return 'a URL the edition would load';
  if (/\(\s*["']/.test(withoutLocal)) return 'a URL the edition would load';
  if (/[<>]/.test(css)) return 'markup';
  return undefined;
}

/**
 * A string as a CSS string literal that cannot end the string, the rule or
 * the `<style>` element it sits in: every character but letters, digits,
 * spaces and common punctuation is written as a CSS escape (`\3C ` for `<`),
 * so quotes, backslashes, newlines, `<`, `>` and `&` can never break out.
 */
export function cssString(value: string): string {
  let out = '';
  for (const character of value.replace(/\s+/g, ' ')) {
    if (/^[\p{L}\p{N} .,:;!?'()\-–—…_/+*=%#]$/u.test(character) && character !== "'") out += character;
    else out += `\\${character.codePointAt(0)!.toString(16).toUpperCase()} `;
  }
  return `"${out}"`;
}
