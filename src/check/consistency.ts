import type { Point } from 'unist';
import type { Fact, RowFacts } from './facts.js';
import { findQuotes, type Quote } from './quotes.js';
import { sentencesOf, wordsOf } from './words.js';

/**
 * Which row of the data a quoted number or date talks about, and whether
 * the two agree. A quote is compared with the rows whose words its clause,
 * sentence and block share (each word weighted by how rare it is among the
 * rows), with a bonus for a row whose other column another quote of the same
 * clause matches ("$200 billion in 2016" → the row of 2016). A row of the same
 * data file that gives exactly the quoted value settles the quote, as does an
 * agreeing row about as relevant as the best one; otherwise the quote
 * disagrees with the best row, if that row is relevant enough. A block's
 * disagreeing quotes are matched to rows jointly, a row to one quote of a
 * kind. A number that no row is about is not the data's business.
 * docs/decisions/010-consistency-check.md has the reasoning.
 */

/** A block of prose (paragraph, heading, cell) as plain text, with the way back to the manuscript. */
export interface ProseBlock {
  text: string;
  /** The manuscript point of an offset into `text`. */
  pointAt(offset: number): Point | undefined;
}

export interface Disagreement {
  quote: Quote;
  block: ProseBlock;
  /** The fact the quote was compared with: the data's value and its place. */
  fact: Fact;
}

export interface CheckOptions {
  /** Least context score for a quote to be taken as talking about a row. */
  threshold?: number;
  /** How much less context an agreeing row may have than the best row and still settle the quote. */
  margin?: number;
}

interface Candidate {
  row: RowFacts;
  score: number;
  agrees: boolean;
  /** Agrees at the same precision (a month with a month, not a month with a day in it). */
  exact: boolean;
}

interface Located {
  quote: Quote;
  sentence: { start: number; end: number; words: Set<string> };
  candidates: Candidate[];
}

export function findDisagreements(
  blocks: readonly ProseBlock[],
  factsOf: () => readonly RowFacts[],
  options: CheckOptions = {},
): Disagreement[] {
  const threshold = options.threshold ?? 3;
  const margin = options.margin ?? 1;

  // Quotes first, in reading order (a month without a year takes the year of the date before it); most blocks have
  // none.
  const quoted: Array<{ block: ProseBlock; quotes: Quote[] }> = [];
  let lastYear: number | undefined;
  for (const block of blocks) {
    const quotes: Quote[] = [];
    for (const quote of findQuotes(block.text)) {
      if (quote.kind === 'date' && quote.yearInferred) {
        if (lastYear === undefined) continue;
        quotes.push({ ...quote, date: { ...quote.date, year: lastYear } });
      } else {
        if (quote.kind === 'date') lastYear = quote.date.year;
        quotes.push(quote);
      }
    }
    if (quotes.length > 0) quoted.push({ block, quotes });
  }
  if (quoted.length === 0) return [];

  const rows = factsOf();
  const idf = inverseFrequencies(rows);
  const weigh = (words: Set<string>, row: RowFacts) => {
    let sum = 0;
    for (const word of words) if (row.words.has(word)) sum += idf.get(word) ?? 0;
    return sum;
  };
  const found: Disagreement[] = [];

  for (const { block, quotes } of quoted) {
    const sentences = sentencesOf(block.text).map((sentence) => ({
      ...sentence,
      words: wordsOf(block.text.slice(sentence.start, sentence.end)),
    }));
    const blockWords = wordsOf(block.text);
    const located: Located[] = quotes.map((quote) => {
      const sentence =
        sentences.find((candidate) => quote.start >= candidate.start && quote.start < candidate.end) ?? sentences[0]!;
      const clauseRange = clauseAround(block.text, sentence, quote);
      const clause = wordsOf(block.text.slice(clauseRange.start, clauseRange.end));
      const rest = new Set([...blockWords].filter((word) => !sentence.words.has(word)));
      const candidates = rows
        .filter((row) => row.facts.some((fact) => comparable(quote, fact)))
        .map((row) => {
          let score = 2 * weigh(clause, row) + weigh(sentence.words, row) + 0.3 * weigh(rest, row);
          // Another quote nearby in the sentence that matches another of this row's values ("$200 billion in 2016").
          for (const other of quotes) {
            if (other === quote || other.start < sentence.start || other.start >= sentence.end) continue;
            if (
              row.facts.some(
                (fact) => fact.typed && !comparable(quote, fact) && comparable(other, fact) && agree(other, fact),
              )
            ) {
              const sameClause = other.start >= clauseRange.start && other.end <= clauseRange.end;
              score += sameClause ? 6 : 3 * Math.max(0, 1 - Math.abs(other.start - quote.start) / 100);
            }
          }
          const agreeing = row.facts.filter((fact) => comparable(quote, fact) && agree(quote, fact));
          return {
            row,
            score,
            agrees: agreeing.length > 0,
            exact: agreeing.some((fact) => samePrecision(quote, fact)),
          };
        })
        .sort((a, b) => b.score - a.score);
      return { quote, sentence, candidates };
    });

    const claimed = new Set<string>();
    const claim = (quote: Quote, row: RowFacts) =>
      claimed.add(`${quote.kind}\u0000${row.table.file.path}\u0000${row.index}`);
    const isClaimed = (quote: Quote, row: RowFacts) =>
      claimed.has(`${quote.kind}\u0000${row.table.file.path}\u0000${row.index}`);
    const pending: Located[] = [];
    for (const entry of located) {
      const best = entry.candidates[0];
      // A row of the data file the quote is about that gives exactly the quoted value settles it.
      const exact = entry.candidates.find(
        (candidate) => candidate.exact && candidate.score >= threshold && candidate.row.table === best?.row.table,
      );
      const agreeing = entry.candidates.find((candidate) => candidate.agrees);
      if (exact) claim(entry.quote, exact.row);
      else if (agreeing && agreeing.score >= threshold && agreeing.score >= (best?.score ?? 0) - margin)
        claim(entry.quote, agreeing.row);
      else if (best && best.score >= threshold) pending.push(entry);
    }
    // The pending quotes are matched to rows all at once, each row to at most one quote of a kind, so that the
    // matches together fit the text best ("US$110 billion … $200 billion in 2016" when both amounts changed).
    const options = pending.map((entry) => {
      const table = entry.candidates[0]!.row.table;
      return entry.candidates
        .filter(
          (candidate) =>
            !isClaimed(entry.quote, candidate.row) && (candidate.score >= threshold || candidate.row.table === table),
        )
        .slice(0, 4);
    });
    for (const [index, candidate] of bestAssignment(
      pending.map((entry) => entry.quote.kind),
      options,
    ).entries()) {
      if (!candidate || candidate.agrees) continue;
      const entry = pending[index]!;
      const fact = closestFact(entry.quote, candidate.row);
      if (fact) found.push({ quote: entry.quote, block, fact });
    }
  }
  return found;
}

/** The clause of the sentence the quote stands in: between commas, semicolons, brackets and conjunctions. */
function clauseAround(
  text: string,
  sentence: { start: number; end: number },
  quote: Quote,
): { start: number; end: number } {
  const boundary = /[,;:()\u2013\u2014]|\s(?:and|but|while|whereas|which|who)\s/giu;
  let start = sentence.start;
  let end = sentence.end;
  const part = text.slice(sentence.start, sentence.end);
  for (let match = boundary.exec(part); match; match = boundary.exec(part)) {
    const at = sentence.start + match.index;
    if (at + match[0].length <= quote.start) start = at + match[0].length;
    else if (at >= quote.end) {
      end = at;
      break;
    }
  }
  return { start, end };
}

/**
 * The choice of one candidate (or none) per quote that maximises the summed
 * score, a row going to at most one quote of each kind. Blocks quote few
 * numbers, so an exhaustive search over each quote's best few rows is cheap;
 * past eight quotes it falls back to taking each quote's best free row in turn.
 */
function bestAssignment(kinds: readonly string[], options: readonly Candidate[][]): Array<Candidate | undefined> {
  const key = (index: number, candidate: Candidate) =>
    `${kinds[index]}\u0000${candidate.row.table.file.path}\u0000${candidate.row.index}`;
  if (options.length > 8) {
    const taken = new Set<string>();
    return options.map((list, index) => {
      const free = list.find((candidate) => !taken.has(key(index, candidate)));
      if (free) taken.add(key(index, free));
      return free;
    });
  }
  let best: { score: number; choice: Array<Candidate | undefined> } = { score: -1, choice: [] };
  const choice: Array<Candidate | undefined> = [];
  const taken = new Set<string>();
  const search = (index: number, score: number) => {
    if (index === options.length) {
      if (score > best.score) best = { score, choice: [...choice] };
      return;
    }
    for (const candidate of options[index]!) {
      const id = key(index, candidate);
      if (taken.has(id)) continue;
      taken.add(id);
      choice.push(candidate);
      search(index + 1, score + candidate.score);
      choice.pop();
      taken.delete(id);
    }
    choice.push(undefined);
    search(index + 1, score);
    choice.pop();
  };
  search(0, 0);
  return best.choice;
}

function inverseFrequencies(rows: readonly RowFacts[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) for (const word of row.words) counts.set(word, (counts.get(word) ?? 0) + 1);
  const total = rows.length;
  return new Map([...counts].map(([word, count]) => [word, Math.log((total + 1) / (count + 0.5))]));
}

/** Whether a quote and a fact are the same kind of thing (a dollar amount and a dollar amount; two dates). */
export function comparable(quote: Quote, fact: Fact): boolean {
  if (quote.kind !== fact.kind) return false;
  if (quote.kind === 'money' && fact.kind === 'money') return sameCurrency(quote.currency, fact.currency);
  return true;
}

function sameCurrency(a: string, b: string): boolean {
  if (a === b) return true;
  const loose = (symbol: string, code: string) =>
    (symbol === '$' && /^[A-Z]{2}D$/.test(code)) || (symbol === '¥' && (code === 'JPY' || code === 'CNY'));
  return loose(a, b) || loose(b, a) || (a === '$' && b === '$') || (a === '¥' && b === '¥');
}

/**
 * Whether the quote says what the fact says, within the rounding of the quote and at the coarser precision of two
 * dates.
 */
export function agree(quote: Quote, fact: Fact): boolean {
  if (quote.kind === 'date' && fact.kind === 'date') {
    const a = quote.date;
    const b = fact.date;
    if (a.year !== b.year) return false;
    if (a.month === undefined || b.month === undefined) return true;
    if (a.month !== b.month) return false;
    return a.day === undefined || b.day === undefined || a.day === b.day;
  }
  if ((quote.kind === 'money' && fact.kind === 'money') || (quote.kind === 'percent' && fact.kind === 'percent')) {
    const tolerance = quote.tolerance + Math.abs(quote.value) * 1e-9;
    switch (quote.qualifier) {
      case 'about':
        return Math.abs(fact.value - quote.value) <= Math.max(tolerance, Math.abs(quote.value) * 0.1);
      case 'over':
        return fact.value >= quote.value - tolerance;
      case 'under':
        return fact.value <= quote.value + tolerance;
      default:
        return Math.abs(fact.value - quote.value) <= tolerance;
    }
  }
  return false;
}

function samePrecision(quote: Quote, fact: Fact): boolean {
  if (quote.kind !== 'date' || fact.kind !== 'date') return true;
  return (
    (quote.date.month === undefined) === (fact.date.month === undefined) &&
    (quote.date.day === undefined) === (fact.date.day === undefined)
  );
}

/** The row's fact to name in a disagreement: a typed cell before a mention in text, then the nearest value. */
function closestFact(quote: Quote, row: RowFacts): Fact | undefined {
  const facts = row.facts.filter((fact) => comparable(quote, fact));
  const distance = (fact: Fact) => {
    if (quote.kind === 'date' && fact.kind === 'date')
      return (
        Math.abs(quote.date.year - fact.date.year) * 12 + Math.abs((quote.date.month ?? 1) - (fact.date.month ?? 1))
      );
    if ('value' in quote && 'value' in fact)
      return Math.abs(Math.log(Math.abs(quote.value) + 1) - Math.log(Math.abs(fact.value) + 1));
    return 0;
  };
  return facts.sort((a, b) => Number(b.typed) - Number(a.typed) || distance(a) - distance(b))[0];
}
