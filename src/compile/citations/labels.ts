/**
 * The title of the bibliography in the languages imprint ships CSL locales
 * for, by primary language subtag (one small table, so it can join the other
 * localised labels).
 */
export const referencesTitle: Readonly<Record<string, string>> = {
  en: 'References',
  fr: 'Références',
  de: 'Literatur',
  es: 'Referencias',
  pt: 'Referências',
  it: 'Riferimenti bibliografici',
  ru: 'Список литературы',
  ar: 'المراجع',
  he: 'מקורות',
  zh: '参考文献',
  ja: '参考文献',
  ko: '참고 문헌',
};

/** The bibliography's title for a BCP 47 language tag (English when the language has none). */
export function referencesTitleFor(lang: string): string {
  return referencesTitle[lang.split('-')[0]!.toLowerCase()] ?? referencesTitle.en!;
}
