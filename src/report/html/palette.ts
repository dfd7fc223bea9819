/**
 * Colours of the report: the Okabe-Ito palette (Okabe and Ito, "Color Universal Design", 2008),
 * distinguishable with every common colour-vision deficiency and in greyscale print by order,
 * yellow last because it is faint on white. Drop reasons keep one colour each across charts.
 */

const OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];

/** The colour of the i-th policy (or line) of a chart. */
export function seriesColor(i: number): string {
  return OKABE_ITO[i % OKABE_ITO.length];
}

export const REASON_COLORS: Record<string, string> = {
  refused: "#D55E00",
  reset: "#CC79A7",
  overload: "#E69F00",
  timeout: "#0072B2",
  no_endpoints: "#009E73",
  unreachable: "#56B4E9",
};

/** A colour with an alpha channel, for bands and fills. */
export function withAlpha(hex: string, alpha: number): string {
  const a = Math.round(alpha * 255)
    .toString(16)
    .padStart(2, "0");
  return `${hex}${a}`;
}

/** Pods left out of the skew figures (Ready for less than half the window). */
export const MUTED = "#9E9E9E";

/** The fill of one of `n` confidence bands on a chart: fainter as they pile up, so lines stay readable. */
export function bandAlpha(n: number): number {
  return Math.max(0.06, Math.min(0.18, 0.28 / Math.sqrt(Math.max(1, n))));
}
