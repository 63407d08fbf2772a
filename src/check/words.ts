/**
 * The words of a passage, for telling which row of the data a sentence
 * talks about: lower case, split at anything that is not a letter or digit,
 * common function words dropped, and reduced to a rough stem so that
 * "pledged", "pledges" and "pledge" meet.
 */
export function wordsOf(text: string): Set<string> {
  const words = new Set<string>();
  for (const raw of text
    .toLowerCase()
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)) {
    if (raw.length < 2 || stopwords.has(raw) || /^\d+$/.test(raw)) continue;
    words.add(stem(raw));
  }
  return words;
}

export function stem(word: string): string {
  for (const suffix of ['ing', 'ed', 'es', 's', 'e']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3 && !(suffix === 's' && word.endsWith('ss'))) {
      return word.slice(0, -suffix.length);
    }
  }
  return word;
}

const stopwords = new Set(
  (
    'a an and are as at be been being both but by can could did do does for from had has have he her ' +
    'his how i if in into is it its ' +
    'more most no not of on once only or other our out over own same she should so some such than ' +
    'that the their them then there ' +
    'these they this those through to too under until up very was we were what when where which ' +
    'while who whom why will with would ' +
    'you your also just about after again against all any because before between during each few ' +
    'further here off above below down ' +
    'per via its itself thereby thus hence however well new'
  ).split(' '),
);

/**
 * Sentences of a passage with their offsets; a sentence ends at . ! or ? followed by space and a capital, a digit or a
 * quote.
 */
export function sentencesOf(text: string): Array<{ start: number; end: number }> {
  const sentences: Array<{ start: number; end: number }> = [];
  const boundary = /[.!?][”’"')\]]?\s+(?=[\p{Lu}\d“‘"'(])/gu;
  let start = 0;
  for (let match = boundary.exec(text); match; match = boundary.exec(text)) {
    const end = match.index + match[0].trimEnd().length;
    sentences.push({ start, end });
    start = match.index + match[0].length;
  }
  if (start < text.length) sentences.push({ start, end: text.length });
  return sentences;
}
