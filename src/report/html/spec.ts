/**
 * What report.html shows, as plain data: the page's sections, tables and charts. The Node side
 * computes every number (means, intervals, stacking, downsampling); the browser script only turns
 * these specs into uPlot charts, so what a chart holds can be tested without a browser.
 */

export type Value = number | null;

export interface SeriesSpec {
  label: string;
  color: string;
  values: Value[];
  /** A dash pattern in pixels (e.g. p50 dashed beside a solid p99); solid without one. */
  dash?: number[];
  /** A marker at each value (a sweep's points), not only the line. */
  points?: boolean;
  /** Stepped line: the value holds from its x to the next x (an interval's count). */
  step?: boolean;
  /** 2: plotted against the right-hand axis. */
  axis?: 1 | 2;
  /** Values shown in the legend instead of `values` (stacked charts draw cumulative sums). */
  legendValues?: Value[];
  /** Filled down to the series below it (stacked charts) or to zero (the first one). */
  fill?: boolean;
}

/** A shaded interval (e.g. the 95% confidence interval across replications) around a series. */
export interface BandSpec {
  label: string;
  color: string;
  lower: Value[];
  upper: Value[];
  /** Stepped edges, like the series it belongs to. */
  step?: boolean;
}

export interface MarkSpec {
  x: number;
  label: string;
}

export interface AxisSpec {
  label: string;
  log?: boolean;
  /** Category names for a categorical x axis (x values are then 0..n-1). */
  categories?: string[];
  /** Values are fractions shown as percentages (a drop rate). */
  percent?: boolean;
  /** Whole-number ticks only (counts of requests, pods, nodes). */
  integer?: boolean;
}

export interface ChartSpec {
  id: string;
  title: string;
  /** One or two sentences under the chart: what is plotted and how (means, bands, downsampling). */
  caption: string;
  kind: "lines" | "bars";
  /** `focus`: the x range shown first (double-click shows all). */
  x: AxisSpec & { values: number[]; focus?: [number, number] };
  y: AxisSpec & { min?: number; max?: number };
  y2?: AxisSpec;
  series: SeriesSpec[];
  bands: BandSpec[];
  marks: MarkSpec[];
  /** Horizontal reference lines (e.g. the mean load). */
  rules?: { y: number; label: string }[];
  /** Wide charts take the page's full width; the others sit two to a row. */
  wide: boolean;
  /** The points were reduced as they were read, from this many (build.ts's boundPoints says so in the caption). */
  reducedFrom?: number;
}

export interface TableSpec {
  caption: string;
  head: string[];
  /** Cells as display text; numbers already formatted. */
  rows: string[][];
  /** Columns (by index) right-aligned as numbers. */
  numeric: number[];
}

export interface SectionSpec {
  id: string;
  /** A sweep point's sections share a group; the page shows one group at a time (a selector). */
  group?: string;
  title: string;
  intro?: string;
  notes: string[];
  tables: TableSpec[];
  charts: ChartSpec[];
}

export interface ReportSpec {
  title: string;
  subtitle: string;
  /** Label / value pairs of the header (scenario, seed, command, when, ...). */
  facts: [string, string][];
  /** The selector's choices (sweep points), the first shown at first. */
  groups?: { id: string; label: string }[];
  /** Files of the folder, linked relatively. */
  files: string[];
  sections: SectionSpec[];
}
