/**
 * Load-skew metrics over per-pod counts or loads (non-negative numbers, one per pod).
 * Source of truth: /work/shared/reference/queueing-theory.md (Jain's index, J = 1/(1 + CV^2)).
 * Undefined cases (no pods, or every pod at zero so the mean is 0) return NaN; CSV writers emit an empty cell.
 */

function sumOf(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/** max(x) / mean(x): 1 for a perfect split, n when one pod takes everything. NaN if empty or all zero. */
export function maxOverMean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const m = sumOf(xs) / xs.length;
  if (m === 0) return NaN;
  let top = -Infinity;
  for (const x of xs) if (x > top) top = x;
  return top / m;
}

/**
 * Population coefficient of variation sigma/mean with sigma = sqrt(sum (x - mean)^2 / n): the pods
 * are the whole population, not a sample. Two passes, so near-equal loads don't cancel catastrophically.
 * NaN if empty or all zero.
 */
export function coefficientOfVariation(xs: readonly number[]): number {
  const n = xs.length;
  if (n === 0) return NaN;
  const m = sumOf(xs) / n;
  if (m === 0) return NaN;
  let ss = 0;
  for (const x of xs) ss += (x - m) ** 2;
  return Math.sqrt(ss / n) / m;
}

/** Jain's fairness index (Jain, Chiu, Hawe 1984): (sum x)^2 / (n sum x^2), in [1/n, 1]. NaN if empty or all zero. */
export function jainIndex(xs: readonly number[]): number {
  const n = xs.length;
  let sq = 0;
  for (const x of xs) sq += x * x;
  if (n === 0 || sq === 0) return NaN;
  const s = sumOf(xs);
  return (s * s) / (n * sq);
}
