/**
 * Every word imprint writes into a report itself (the contents page's title, "Table 3", "Source:", a callout's
 * title, the EPUB's landmarks), in the document's language: one table, by BCP 47 language, that the configuration
 * file (and the front matter) can override word by word under `labels:`.
 */
export interface Labels {
  /** The contents page, and the EPUB's table of contents. */
  contents: string;
  /** The notes at the end of the report. */
  notes: string;
  /** The bibliography. */
  references: string;
  /** The list of figures (`lof: true`). */
  figures: string;
  /** The list of tables (`lot: true`). */
  tables: string;
  /** A numbered table, figure, code listing and equation: "Table 3". */
  table: string;
  figure: string;
  listing: string;
  equation: string;
  /** Before a table's or a chart's sources: "Source: …", "Sources: …; …". */
  source: string;
  sources: string;
  /** A data table's total row. */
  total: string;
  /** A change row or mark between two values, and its direction. */
  change: string;
  increase: string;
  decrease: string;
  /** The titles of callouts (`> [!NOTE]`, `:::callout{type=tip}`). */
  note: string;
  tip: string;
  important: string;
  warning: string;
  caution: string;
  /** The EPUB's cover, title page and start of the text, and the titles of its landmarks and page list. */
  cover: string;
  titlePage: string;
  startOfContent: string;
  landmarks: string;
  pages: string;
  /** A note's link back to where it is cited, followed by its number: "Back to reference 3". */
  backToReference: string;
  /** After a column's name, for the rows of a chart that give no value: "Amount: not given". */
  notGiven: string;
}

/** The keys of {@link Labels} as written in YAML (`title-page`), each to its key. */
export const labelKeys: Readonly<Record<string, keyof Labels>> = {
  contents: 'contents',
  notes: 'notes',
  references: 'references',
  figures: 'figures',
  tables: 'tables',
  table: 'table',
  figure: 'figure',
  listing: 'listing',
  equation: 'equation',
  source: 'source',
  sources: 'sources',
  total: 'total',
  change: 'change',
  increase: 'increase',
  decrease: 'decrease',
  note: 'note',
  tip: 'tip',
  important: 'important',
  warning: 'warning',
  caution: 'caution',
  cover: 'cover',
  'title-page': 'titlePage',
  'start-of-content': 'startOfContent',
  landmarks: 'landmarks',
  pages: 'pages',
  'back-to-reference': 'backToReference',
  'not-given': 'notGiven',
};

const english: Labels = {
  contents: 'Contents',
  notes: 'Notes',
  references: 'References',
  figures: 'Figures',
  tables: 'Tables',
  table: 'Table',
  figure: 'Figure',
  listing: 'Listing',
  equation: 'Equation',
  source: 'Source',
  sources: 'Sources',
  total: 'Total',
  change: 'Change',
  increase: 'Increase',
  decrease: 'Decrease',
  note: 'Note',
  tip: 'Tip',
  important: 'Important',
  warning: 'Warning',
  caution: 'Caution',
  cover: 'Cover',
  titlePage: 'Title page',
  startOfContent: 'Start of content',
  landmarks: 'Landmarks',
  pages: 'Pages',
  backToReference: 'Back to reference',
  notGiven: 'not given',
};

/** The shipped words, by language: the primary subtag, or a tag with its script (`zh-hant`). */
export const shippedLabels: Readonly<Record<string, Labels>> = {
  en: english,
  fr: {
    contents: 'Table des matières',
    notes: 'Notes',
    references: 'Références',
    figures: 'Figures',
    tables: 'Tableaux',
    table: 'Tableau',
    figure: 'Figure',
    listing: 'Listing',
    equation: 'Équation',
    source: 'Source',
    sources: 'Sources',
    total: 'Total',
    change: 'Variation',
    increase: 'Hausse',
    decrease: 'Baisse',
    note: 'Remarque',
    tip: 'Astuce',
    important: 'Important',
    warning: 'Avertissement',
    caution: 'Attention',
    cover: 'Couverture',
    titlePage: 'Page de titre',
    startOfContent: 'Début du contenu',
    landmarks: 'Repères',
    pages: 'Pages',
    backToReference: 'Retour à l’appel',
    notGiven: 'non indiqué',
  },
  de: {
    contents: 'Inhalt',
    notes: 'Anmerkungen',
    references: 'Literatur',
    figures: 'Abbildungen',
    tables: 'Tabellen',
    table: 'Tabelle',
    figure: 'Abbildung',
    listing: 'Listing',
    equation: 'Gleichung',
    source: 'Quelle',
    sources: 'Quellen',
    total: 'Summe',
    change: 'Veränderung',
    increase: 'Anstieg',
    decrease: 'Rückgang',
    note: 'Hinweis',
    tip: 'Tipp',
    important: 'Wichtig',
    warning: 'Warnung',
    caution: 'Vorsicht',
    cover: 'Umschlag',
    titlePage: 'Titelseite',
    startOfContent: 'Beginn des Inhalts',
    landmarks: 'Orientierungspunkte',
    pages: 'Seiten',
    backToReference: 'Zurück zum Verweis',
    notGiven: 'nicht angegeben',
  },
  es: {
    contents: 'Índice',
    notes: 'Notas',
    references: 'Referencias',
    figures: 'Figuras',
    tables: 'Tablas',
    table: 'Tabla',
    figure: 'Figura',
    listing: 'Listado',
    equation: 'Ecuación',
    source: 'Fuente',
    sources: 'Fuentes',
    total: 'Total',
    change: 'Variación',
    increase: 'Aumento',
    decrease: 'Disminución',
    note: 'Nota',
    tip: 'Consejo',
    important: 'Importante',
    warning: 'Advertencia',
    caution: 'Precaución',
    cover: 'Cubierta',
    titlePage: 'Portada',
    startOfContent: 'Inicio del contenido',
    landmarks: 'Puntos de referencia',
    pages: 'Páginas',
    backToReference: 'Volver a la referencia',
    notGiven: 'no indicado',
  },
  pt: {
    contents: 'Sumário',
    notes: 'Notas',
    references: 'Referências',
    figures: 'Figuras',
    tables: 'Tabelas',
    table: 'Tabela',
    figure: 'Figura',
    listing: 'Listagem',
    equation: 'Equação',
    source: 'Fonte',
    sources: 'Fontes',
    total: 'Total',
    change: 'Variação',
    increase: 'Aumento',
    decrease: 'Diminuição',
    note: 'Nota',
    tip: 'Dica',
    important: 'Importante',
    warning: 'Aviso',
    caution: 'Cuidado',
    cover: 'Capa',
    titlePage: 'Folha de rosto',
    startOfContent: 'Início do conteúdo',
    landmarks: 'Pontos de referência',
    pages: 'Páginas',
    backToReference: 'Voltar à referência',
    notGiven: 'não indicado',
  },
  it: {
    contents: 'Indice',
    notes: 'Note',
    references: 'Riferimenti bibliografici',
    figures: 'Figure',
    tables: 'Tabelle',
    table: 'Tabella',
    figure: 'Figura',
    listing: 'Listato',
    equation: 'Equazione',
    source: 'Fonte',
    sources: 'Fonti',
    total: 'Totale',
    change: 'Variazione',
    increase: 'Aumento',
    decrease: 'Diminuzione',
    note: 'Nota',
    tip: 'Suggerimento',
    important: 'Importante',
    warning: 'Avviso',
    caution: 'Attenzione',
    cover: 'Copertina',
    titlePage: 'Frontespizio',
    startOfContent: 'Inizio del contenuto',
    landmarks: 'Punti di riferimento',
    pages: 'Pagine',
    backToReference: 'Torna al riferimento',
    notGiven: 'non indicato',
  },
  ru: {
    contents: 'Содержание',
    notes: 'Примечания',
    references: 'Список литературы',
    figures: 'Рисунки',
    tables: 'Таблицы',
    table: 'Таблица',
    figure: 'Рисунок',
    listing: 'Листинг',
    equation: 'Уравнение',
    source: 'Источник',
    sources: 'Источники',
    total: 'Итого',
    change: 'Изменение',
    increase: 'Рост',
    decrease: 'Снижение',
    note: 'Примечание',
    tip: 'Совет',
    important: 'Важно',
    warning: 'Предупреждение',
    caution: 'Осторожно',
    cover: 'Обложка',
    titlePage: 'Титульная страница',
    startOfContent: 'Начало содержания',
    landmarks: 'Ориентиры',
    pages: 'Страницы',
    backToReference: 'Назад к ссылке',
    notGiven: 'не указано',
  },
  ar: {
    contents: 'المحتويات',
    notes: 'الحواشي',
    references: 'المراجع',
    figures: 'الأشكال',
    tables: 'الجداول',
    table: 'جدول',
    figure: 'شكل',
    listing: 'شيفرة',
    equation: 'معادلة',
    source: 'المصدر',
    sources: 'المصادر',
    total: 'المجموع',
    change: 'التغير',
    increase: 'زيادة',
    decrease: 'انخفاض',
    note: 'ملاحظة',
    tip: 'تلميح',
    important: 'مهم',
    warning: 'تحذير',
    caution: 'تنبيه',
    cover: 'الغلاف',
    titlePage: 'صفحة العنوان',
    startOfContent: 'بداية المحتوى',
    landmarks: 'معالم',
    pages: 'الصفحات',
    backToReference: 'العودة إلى الإحالة',
    notGiven: 'غير مذكور',
  },
  he: {
    contents: 'תוכן העניינים',
    notes: 'הערות',
    references: 'מקורות',
    figures: 'איורים',
    tables: 'טבלאות',
    table: 'טבלה',
    figure: 'איור',
    listing: 'קטע קוד',
    equation: 'משוואה',
    source: 'מקור',
    sources: 'מקורות',
    total: 'סך הכול',
    change: 'שינוי',
    increase: 'עלייה',
    decrease: 'ירידה',
    note: 'הערה',
    tip: 'עצה',
    important: 'חשוב',
    warning: 'אזהרה',
    caution: 'זהירות',
    cover: 'כריכה',
    titlePage: 'עמוד שער',
    startOfContent: 'תחילת התוכן',
    landmarks: 'ציוני דרך',
    pages: 'עמודים',
    backToReference: 'חזרה להפניה',
    notGiven: 'לא צוין',
  },
  zh: {
    contents: '目录',
    notes: '注释',
    references: '参考文献',
    figures: '插图目录',
    tables: '表格目录',
    table: '表',
    figure: '图',
    listing: '代码',
    equation: '公式',
    source: '来源',
    sources: '来源',
    total: '合计',
    change: '变化',
    increase: '增加',
    decrease: '减少',
    note: '注意',
    tip: '提示',
    important: '重要',
    warning: '警告',
    caution: '小心',
    cover: '封面',
    titlePage: '书名页',
    startOfContent: '正文开始',
    landmarks: '地标',
    pages: '页码',
    backToReference: '返回引用',
    notGiven: '未提供',
  },
  'zh-hant': {
    contents: '目錄',
    notes: '註釋',
    references: '參考文獻',
    figures: '插圖目錄',
    tables: '表格目錄',
    table: '表',
    figure: '圖',
    listing: '程式碼',
    equation: '公式',
    source: '來源',
    sources: '來源',
    total: '合計',
    change: '變化',
    increase: '增加',
    decrease: '減少',
    note: '注意',
    tip: '提示',
    important: '重要',
    warning: '警告',
    caution: '小心',
    cover: '封面',
    titlePage: '書名頁',
    startOfContent: '正文開始',
    landmarks: '地標',
    pages: '頁碼',
    backToReference: '返回引用',
    notGiven: '未提供',
  },
  ja: {
    contents: '目次',
    notes: '注',
    references: '参考文献',
    figures: '図目次',
    tables: '表目次',
    table: '表',
    figure: '図',
    listing: 'リスト',
    equation: '式',
    source: '出典',
    sources: '出典',
    total: '合計',
    change: '変化',
    increase: '増加',
    decrease: '減少',
    note: '注記',
    tip: 'ヒント',
    important: '重要',
    warning: '警告',
    caution: '注意',
    cover: '表紙',
    titlePage: '扉',
    startOfContent: '本文の開始',
    landmarks: 'ランドマーク',
    pages: 'ページ',
    backToReference: '参照元に戻る',
    notGiven: '記載なし',
  },
  ko: {
    contents: '목차',
    notes: '주석',
    references: '참고 문헌',
    figures: '그림 목차',
    tables: '표 목차',
    table: '표',
    figure: '그림',
    listing: '코드',
    equation: '수식',
    source: '출처',
    sources: '출처',
    total: '합계',
    change: '변화',
    increase: '증가',
    decrease: '감소',
    note: '참고',
    tip: '팁',
    important: '중요',
    warning: '경고',
    caution: '주의',
    cover: '표지',
    titlePage: '속표지',
    startOfContent: '본문 시작',
    landmarks: '랜드마크',
    pages: '페이지',
    backToReference: '참조로 돌아가기',
    notGiven: '제공되지 않음',
  },
};

/** The shipped words for a language tag: Traditional Chinese by script or region, else by primary subtag. */
function shippedFor(lang: string): Labels {
  const parts = lang.toLowerCase().split('-');
  const primary = parts[0]!;
  if (primary === 'zh' && parts.slice(1).some((part) => ['hant', 'tw', 'hk', 'mo'].includes(part)))
    return shippedLabels['zh-hant']!;
  return shippedLabels[primary] ?? english;
}

/** The words for a document in `lang`, with any the project or the front matter gives instead. */
export function labelsFor(lang: string, overrides: Partial<Labels> = {}): Labels {
  return { ...shippedFor(lang), ...overrides };
}

/**
 * A label followed by a colon, as the language sets it: French puts a narrow no-break space before it
 * ("Source :"), Chinese and Japanese a full-width colon ("来源："), the others a plain colon.
 */
export function withColon(label: string, lang: string): string {
  const primary = lang.toLowerCase().split('-')[0];
  if (primary === 'fr') return `${label}\u202F:`;
  if (primary === 'zh' || primary === 'ja') return `${label}：`;
  return `${label}:`;
}

/** "Increase", "Decrease" or "Change", by the sign of a difference. */
export function changeWord(difference: number, labels: Labels): string {
  return difference > 0 ? labels.increase : difference < 0 ? labels.decrease : labels.change;
}

/** The words of a document: those resolved with its metadata, else the shipped ones for its language. */
export function labelsOf(metadata: { lang: string; labels?: Labels } | undefined): Labels {
  return metadata?.labels ?? labelsFor(metadata?.lang ?? 'en');
}
