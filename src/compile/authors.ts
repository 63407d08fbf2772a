import { z } from 'zod';

/**
 * Authors as the front matter of journals and of Quarto write them, beside the plain names imprint always read:
 *
 * ```yaml
 * author: [A. Writer, B. Writer]           # names
 * authors:                                 # the Journal of Open Source Software
 *   - name: Alexander Fabisch
 *     orcid: 0000-0003-2824-7956
 *     affiliation: "1, 2"                  # indices into `affiliations`
 * affiliations:
 *   - name: Robotics Innovation Center, DFKI GmbH
 *     index: 1
 * author:                                  # Quarto
 *   - name: Norah Jones
 *     affiliations:
 *       - University of Chicago            # a name, `{ name: … }`, or `{ ref: id }` of a top-level affiliation
 * ```
 *
 * What else an author has (an ORCID, an e-mail address, a role) is accepted and not printed.
 */
const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** A name as a text, or as Quarto's and CSL's parts. */
const personName = z.union([
  nonEmpty,
  z
    .looseObject({ literal: nonEmpty.optional(), given: nonEmpty.optional(), family: nonEmpty.optional() })
    .refine((name) => name.literal ?? name.given ?? name.family, 'must give a `literal`, `given` or `family` name'),
]);

const affiliationReference = z.union([
  nonEmpty,
  z.number().int(),
  z.looseObject({ name: nonEmpty.optional(), ref: z.union([nonEmpty, z.number().int()]).optional() }),
]);

const authorEntry = z.union([
  nonEmpty,
  z.looseObject({
    name: personName,
    affiliation: z.union([nonEmpty, z.number().int(), z.array(z.union([nonEmpty, z.number().int()]))]).optional(),
    affiliations: z.union([affiliationReference, z.array(affiliationReference)]).optional(),
  }),
]);

export const authorSchema = z.union([authorEntry, z.array(authorEntry).min(1)]);

export const affiliationsSchema = z.array(
  z.union([
    nonEmpty,
    z.looseObject({
      name: nonEmpty,
      index: z.union([nonEmpty, z.number().int()]).optional(),
      id: z.union([nonEmpty, z.number().int()]).optional(),
    }),
  ]),
);

export type AuthorField = z.infer<typeof authorSchema>;
export type AffiliationsField = z.infer<typeof affiliationsSchema>;

/** The authors' names, the affiliations they name (in order of first mention), and each author's among them. */
export interface ResolvedAuthors {
  names: string[];
  affiliations: string[];
  /** For each author, the 1-based numbers of its affiliations in `affiliations`. */
  of: number[][];
}

/**
 * Resolve the authors and their affiliations. Returns `unknown`: the references to a top-level affiliation that
 * none has (by `index` or `id`), for the caller to report.
 */
export function resolveAuthors(
  author: AuthorField | undefined,
  top: AffiliationsField | undefined,
): ResolvedAuthors & { unknown: string[] } {
  const entries = author === undefined ? [] : Array.isArray(author) ? author : [author];
  const listed = (top ?? []).map((entry) => (typeof entry === 'string' ? { name: entry } : entry));
  const affiliations: string[] = [];
  const unknown: string[] = [];
  const number = (name: string) => {
    const at = affiliations.indexOf(name);
    if (at >= 0) return at + 1;
    affiliations.push(name);
    return affiliations.length;
  };
  const byKey = (key: string | number) => {
    const found = listed.find(
      (entry) =>
        ('index' in entry && String(entry.index) === String(key)) ||
        ('id' in entry && String(entry.id) === String(key)),
    );
    if (!found) unknown.push(String(key));
    return found?.name;
  };
  const names: string[] = [];
  const of: number[][] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') {
      names.push(entry);
      of.push([]);
      continue;
    }
    names.push(nameOf(entry.name));
    const found: Array<string | undefined> = [];
    // The journal's form: `affiliation: "1, 2"`, indices into the top-level list.
    if (entry.affiliation !== undefined)
      for (const key of [entry.affiliation]
        .flat()
        .flatMap((value) => String(value).split(','))
        .map((value) => value.trim())
        .filter(Boolean))
        found.push(byKey(key));
    // Quarto's: names, `{ name }` or `{ ref }`.
    for (const reference of entry.affiliations === undefined ? [] : [entry.affiliations].flat()) {
      if (typeof reference === 'number') found.push(byKey(reference));
      else if (typeof reference === 'string')
        found.push(listed.some((item) => 'id' in item && item.id === reference) ? byKey(reference) : reference);
      else if (reference.name !== undefined) found.push(reference.name);
      else if (reference.ref !== undefined) found.push(byKey(reference.ref));
    }
    of.push([...new Set(found.filter((name): name is string => name !== undefined).map(number))]);
  }
  return { names, affiliations, of, unknown };
}

function nameOf(name: z.infer<typeof personName>): string {
  if (typeof name === 'string') return name;
  return name.literal ?? [name.given, name.family].filter(Boolean).join(' ');
}
