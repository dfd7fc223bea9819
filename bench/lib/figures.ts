/**
 * A benchmark figure: one named measurement, its samples, and the summary every report and
 * comparison uses (median, spread). Spread is half the width of the samples' middle 80 % (10th to
 * 90th percentile, interpolated) relative to the median: about how far one run's figure strays.
 */
import { quantileSorted } from "simple-statistics";

export type Better = "higher" | "lower";

export interface Figure {
  /** Stable key, compared across reports: group.name (e.g. "kernel.hold.n1000"). */
  id: string;
  /** What it measures, for people. */
  title: string;
  unit: string;
  better: Better;
  median: number;
  /** +- percent around the median holding the middle 80 % of the samples (see the module comment). */
  spread_pct: number;
  min: number;
  max: number;
  /** The samples (at most KEPT_SAMPLES: see `thin`); median and spread use all of them. */
  samples: number[];
  /** The target for this figure, in its unit, if it has one. */
  target?: number;
  /** Measured in wall time, so it moves with the machine's load: bench:check does not guard it. */
  wall?: boolean;
  /** Why the figure was not measured (then median etc. are NaN and samples empty). */
  skipped?: string;
}

export interface FigureSpec {
  id: string;
  title: string;
  unit: string;
  better: Better;
  target?: number;
  wall?: boolean;
}

/** Summarises samples into a figure. */
export function figure(spec: FigureSpec, samples: readonly number[]): Figure {
  if (samples.length === 0) throw new Error(`${spec.id}: no samples`);
  const sorted = [...samples].sort((a, b) => a - b);
  const median = quantileSorted(sorted, 0.5);
  const spread = (quantileSorted(sorted, 0.9) - quantileSorted(sorted, 0.1)) / 2 / median;
  return {
    ...spec,
    median: round(median),
    spread_pct: round(100 * spread),
    min: round(sorted[0]),
    max: round(sorted[sorted.length - 1]),
    samples: thin(samples).map(round),
  };
}

/** Samples kept in a report: in-process figures gather hundreds, of which this many evenly spaced order statistics are kept. */
export const KEPT_SAMPLES = 50;

/** All samples when there are few; else KEPT_SAMPLES order statistics from the smallest to the largest. */
export function thin(samples: readonly number[]): number[] {
  if (samples.length <= KEPT_SAMPLES) return [...samples];
  const sorted = [...samples].sort((a, b) => a - b);
  return Array.from({ length: KEPT_SAMPLES }, (_, i) => sorted[Math.round((i * (sorted.length - 1)) / (KEPT_SAMPLES - 1))]);
}

/** A figure not measured in this run, with the reason. */
export function skipped(spec: FigureSpec, reason: string): Figure {
  return { ...spec, median: NaN, spread_pct: NaN, min: NaN, max: NaN, samples: [], skipped: reason };
}

/** Whether `b` is worse than `a` for a figure of this direction, as a ratio >= 1 meaning "that many times worse". */
export function worsening(better: Better, a: number, b: number): number {
  return better === "higher" ? a / b : b / a;
}

/** Four significant digits: enough for any figure here, and short in the files. */
function round(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(4)) : x;
}
