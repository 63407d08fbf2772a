import type { Element } from 'hast';
import { s } from 'hastscript';
import { chartWidth, fontFamily, n, palette } from './layout.js';

export interface ChartRootInput {
  id: string;
  height: number;
  /** Short name of the chart for assistive technology (`<title>`). */
  title: string;
  /** The chart's data in words (`<desc>`): its text alternative. */
  description: string;
  defs?: Element | undefined;
  children: Element[];
}

/**
 * The `<svg>` element of a chart, ready to be inlined in HTML and in XHTML:
 * SVG namespace, a viewBox that scales, `role="img"` named by its `<title>`
 * and described by its `<desc>`, text in the shipped serif with lining
 * figures. The drawing itself is hidden from assistive technology, which
 * reads the title, the description and the figure's caption instead.
 */
export function chartRoot(input: ChartRootInput): Element {
  const titleId = `${input.id}-title`;
  const descId = `${input.id}-desc`;
  return withColourClasses(
    s(
      'svg',
      {
        xmlns: 'http://www.w3.org/2000/svg',
        viewBox: `0 0 ${chartWidth} ${n(input.height)}`,
        width: chartWidth,
        height: n(input.height),
        role: 'img',
        ariaLabelledBy: `${titleId} ${descId}`,
        className: ['chart'],
        fontFamily,
        fill: palette.ink,
        style: 'font-variant-numeric: lining-nums tabular-nums',
      },
      [
        s('title', { id: titleId }, input.title),
        s('desc', { id: descId }, input.description),
        ...(input.defs ? [input.defs] : []),
        s('g', { ariaHidden: 'true' }, input.children),
      ],
    ),
  );
}

/** The role a colour of the palette plays, as the style sheets name it: `accent` (the palette's blue), `sky-blue`. */
function roleOf(name: string): string {
  return name === 'blue' ? 'accent' : name.replace(/[A-Z]/g, (capital) => `-${capital.toLowerCase()}`);
}

/**
 * The rules that colour each mark from the custom property of its colour's role (`--chart-accent`), with the
 * palette as their defaults, and set its text in `--chart-font` (a template's own face too): set before the
 * templates' style sheets, which set the properties to recolour every chart.
 */
export const chartColourCss = [
  `:root { ${Object.entries(palette)
    .map(([name, value]) => `--chart-${roleOf(name)}: ${value};`)
    .join(' ')} --chart-font: ${fontFamily}; }`,
  // A family of --chart-font that has no face, or a face without a character, falls back to the shipped faces,
  // not to whatever the machine has.
  `svg.chart { font-family: var(--chart-font), ${fontFamily.replace(/,\s*serif$/, '')}; }`,
  ...Object.keys(palette)
    .map(roleOf)
    .flatMap((role) => [
      `svg.chart.chart-fill-${role}, svg.chart .chart-fill-${role} { fill: var(--chart-${role}); }`,
      `svg.chart .chart-stroke-${role} { stroke: var(--chart-${role}); }`,
    ]),
].join('\n');

/** The role of each colour of the palette, as the templates name it (`--chart-accent`). */
const colourRoles = new Map<string, string>(
  Object.entries(palette).map(([name, value]) => [value.toLowerCase(), roleOf(name)]),
);

/**
 * Name the colour of every mark by its role (`chart-fill-accent`, `chart-stroke-grid`): the templates' style
 * sheets colour the marks from custom properties (`--chart-accent`), so a theme or a house style recolours every
 * chart, and the palette stays as presentation attributes, which a reading system without custom properties
 * shows.
 */
function withColourClasses(element: Element): Element {
  const classes: string[] = [];
  for (const paint of ['fill', 'stroke'] as const) {
    const value = element.properties[paint];
    const role = typeof value === 'string' ? colourRoles.get(value.toLowerCase()) : undefined;
    if (role) classes.push(`chart-${paint}-${role}`);
  }
  if (classes.length > 0) {
    const existing = element.properties.className;
    element.properties.className = [...(Array.isArray(existing) ? existing.map(String) : []), ...classes];
  }
  for (const child of element.children) if (child.type === 'element') withColourClasses(child);
  return element;
}

export function text(
  value: string,
  x: number,
  y: number,
  style: { size: number; weight?: number; style?: string },
  fill: string = palette.ink,
  anchor?: 'middle' | 'end',
): Element {
  return s(
    'text',
    {
      x: n(x),
      y: n(y),
      fontSize: style.size,
      fontWeight: style.weight && style.weight !== 400 ? style.weight : undefined,
      fontStyle: style.style === 'italic' ? 'italic' : undefined,
      fill: fill !== palette.ink ? fill : undefined,
      textAnchor: anchor,
    },
    value,
  );
}
