/**
 * Closed forms the simulator is tested against: M/M/1, Erlang B/C, M/M/c, M/M/c/K, the closed
 * M/M/1//N loop (machine repair), balls into bins.
 * Source of truth: /work/shared/reference/queueing-theory.md (formulas and test vectors); notation
 * lambda = arrival rate, mu = service rate of one worker, c = workers, a = lambda/mu, rho = a/c.
 */
import { gammaln } from "simple-statistics";
import { normalQuantile } from "./summary.js";

/** Steady-state means of a queue: utilisation, time in system/queue, number in system/queue. */
export interface QueueMetrics {
  rho: number;
  W: number;
  Wq: number;
  L: number;
  Lq: number;
}

/** M/M/c metrics plus C, the probability that an arrival has to wait. */
export interface MmcMetrics extends QueueMetrics {
  C: number;
}

/** M/M/c/K metrics: arrivals finding K in the system are lost, so W and Wq are over admitted ones. */
export interface MmcKMetrics {
  blocking: number;
  probabilities: number[];
  L: number;
  Lq: number;
  throughput: number;
  W: number;
  Wq: number;
}

function checkRates(fn: string, lambda: number, mu: number): void {
  if (!(lambda >= 0 && Number.isFinite(lambda))) throw new RangeError(`${fn}: lambda must be finite and >= 0, got ${lambda}`);
  if (!(mu > 0 && Number.isFinite(mu))) throw new RangeError(`${fn}: mu must be finite and > 0, got ${mu}`);
}

function checkCount(fn: string, name: string, v: number, min: number): void {
  if (!(Number.isInteger(v) && v >= min)) throw new RangeError(`${fn}: ${name} must be an integer >= ${min}, got ${v}`);
}

/** M/M/1: W = 1/(mu - lambda), Wq = rho/(mu - lambda), L = rho/(1 - rho), Lq = rho^2/(1 - rho). */
export function mm1(lambda: number, mu: number): QueueMetrics {
  checkRates("mm1", lambda, mu);
  const rho = lambda / mu;
  if (rho >= 1) throw new RangeError(`mm1: unstable, rho = ${rho} >= 1`);
  return { rho, W: 1 / (mu - lambda), Wq: rho / (mu - lambda), L: rho / (1 - rho), Lq: (rho * rho) / (1 - rho) };
}

/** p-quantile of the M/M/1 response time, which is Exp(mu - lambda): -ln(1 - p)/(mu - lambda). */
export function mm1ResponseQuantile(lambda: number, mu: number, p: number): number {
  if (!(p >= 0 && p < 1)) throw new RangeError(`mm1ResponseQuantile: p must be in [0, 1), got ${p}`);
  return -Math.log1p(-p) * mm1(lambda, mu).W;
}

/**
 * Erlang B, the loss probability of M/M/c/c with offered load a, by the recursion
 * B_0 = 1, B_k = a B_{k-1} / (k + a B_{k-1}), which never forms a^c or c! and so never overflows.
 */
export function erlangB(c: number, a: number): number {
  checkCount("erlangB", "c", c, 0);
  if (!(a >= 0 && Number.isFinite(a))) throw new RangeError(`erlangB: a must be finite and >= 0, got ${a}`);
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Erlang C, P(wait) in M/M/c, from Erlang B: C = cB/(c - a(1 - B)). Needs a < c (a steady state). */
export function erlangC(c: number, a: number): number {
  checkCount("erlangC", "c", c, 1);
  if (!(a < c)) throw new RangeError(`erlangC: unstable, a = ${a} >= c = ${c}`);
  const b = erlangB(c, a);
  return (c * b) / (c - a * (1 - b));
}

/** M/M/c: Wq = C/(c mu - lambda), W = Wq + 1/mu, and L, Lq by Little's law. */
export function mmc(lambda: number, mu: number, c: number): MmcMetrics {
  checkRates("mmc", lambda, mu);
  checkCount("mmc", "c", c, 1);
  const a = lambda / mu;
  const rho = a / c;
  if (rho >= 1) throw new RangeError(`mmc: unstable, rho = ${rho} >= 1`);
  const C = erlangC(c, a);
  const Wq = C / (c * mu - lambda);
  const W = Wq + 1 / mu;
  return { rho, C, Wq, W, Lq: lambda * Wq, L: lambda * W };
}

/**
 * M/M/c/K (c workers, room for K in total): p_j ∝ a^j/j! for j <= c and a^j/(c! c^(j-c)) above,
 * built in log space (term ratios a/min(j, c)) so large a and K neither overflow nor underflow
 * the mass that matters. blocking = p_K; W, Wq by Little's law over the admitted rate lambda(1 - p_K).
 */
export function mmcK(lambda: number, mu: number, c: number, K: number): MmcKMetrics {
  checkRates("mmcK", lambda, mu);
  checkCount("mmcK", "c", c, 1);
  checkCount("mmcK", "K", K, c);
  const logA = Math.log(lambda / mu);
  const logTerms = new Array<number>(K + 1);
  logTerms[0] = 0;
  let top = 0;
  for (let j = 1; j <= K; j++) {
    logTerms[j] = logTerms[j - 1] + logA - Math.log(Math.min(j, c));
    if (logTerms[j] > top) top = logTerms[j];
  }
  const probabilities = logTerms.map((t) => Math.exp(t - top));
  const total = probabilities.reduce((s, x) => s + x, 0);
  let L = 0;
  let Lq = 0;
  for (let j = 0; j <= K; j++) {
    probabilities[j] /= total;
    L += j * probabilities[j];
    if (j > c) Lq += (j - c) * probabilities[j];
  }
  const blocking = probabilities[K];
  const throughput = lambda * (1 - blocking);
  // With no arrivals Little's law is 0/0; the limit is an arrival that finds the system empty.
  const W = throughput > 0 ? L / throughput : 1 / mu;
  const Wq = throughput > 0 ? Lq / throughput : 0;
  return { blocking, probabilities, L, Lq, throughput, W, Wq };
}

/**
 * M/M/1/K blocking in closed form: p_K = (1 - rho) rho^K / (1 - rho^(K+1)), and 1/(K+1) at rho = 1
 * (the limit: all K+1 states equally likely). expm1 keeps the denominator accurate near rho = 1.
 */
export function mm1KBlocking(rho: number, K: number): number {
  checkCount("mm1KBlocking", "K", K, 1);
  if (!(rho >= 0 && Number.isFinite(rho))) throw new RangeError(`mm1KBlocking: rho must be finite and >= 0, got ${rho}`);
  if (rho === 1) return 1 / (K + 1);
  return ((1 - rho) * rho ** K) / -Math.expm1((K + 1) * Math.log(rho));
}

/** A closed loop's steady state: throughput, mean response time (queueing + service) and utilisation. */
export interface ClosedLoopMetrics {
  /** Requests completed per unit time. */
  X: number;
  /** Mean response time; with the mean think time Z, Little's law gives N = X (R + Z). */
  R: number;
  /** Utilisation of the server. */
  U: number;
}

/**
 * M/M/1//N, the machine-repair model: N clients each think for an exponential time of rate
 * `thinkRate` (mean Z = 1/thinkRate), then wait at one exponential server of rate mu.
 * P0 = 1 / sum_{n=0..N} N!/(N-n)! (thinkRate/mu)^n, X = mu (1 - P0), R = N/X - Z.
 */
export function machineRepair(N: number, thinkRate: number, mu: number): ClosedLoopMetrics {
  checkCount("machineRepair", "N", N, 1);
  checkRates("machineRepair", thinkRate, mu);
  const r = thinkRate / mu;
  let term = 1;
  let sum = 1;
  for (let n = 1; n <= N; n++) {
    term *= (N - n + 1) * r;
    sum += term;
  }
  const U = 1 - 1 / sum;
  const X = mu * U;
  return { X, R: N / X - 1 / thinkRate, U };
}

/** Coefficient of variation of m balls thrown uniformly into n bins: sqrt((n - 1)/m) (exact in expectation for CV^2). */
export function ballsIntoBinsCv(m: number, n: number): number {
  return Math.sqrt((n - 1) / m);
}

/**
 * Expected fullest bin for m balls in n bins, treating bins as independent:
 * P(max <= k) ≈ F(k)^n with F the Binomial(m, 1/n) CDF, E[max] = sum_k (1 - P(max <= k)).
 * The upper tails P(X > k) are summed smallest-first from log-space pmfs, and 1 - (1 - tail)^n is
 * taken as -expm1(n log1p(-tail)), so tails far below 1e-16 still count.
 */
export function ballsIntoBinsExpectedMax(m: number, n: number): number {
  checkCount("ballsIntoBinsExpectedMax", "m", m, 0);
  checkCount("ballsIntoBinsExpectedMax", "n", n, 1);
  if (n === 1 || m === 0) return m;
  const logP = -Math.log(n);
  const logQ = Math.log1p(-1 / n);
  const logMFact = gammaln(m + 1);
  const pmf: number[] = [];
  for (let j = 0; j <= m; j++) {
    const logPmf = logMFact - gammaln(j + 1) - gammaln(m - j + 1) + j * logP + (m - j) * logQ;
    pmf.push(Math.exp(logPmf));
    if (j > m / n && logPmf < -745) break; // past the mode and below the smallest double
  }
  let expected = 0;
  let tail = 0; // P(X > k), accumulated from the top down
  for (let k = pmf.length - 1; k >= 0; k--) {
    expected += tail >= 1 ? 1 : -Math.expm1(n * Math.log1p(-tail));
    tail += pmf[k];
  }
  return expected;
}

/** Pearson's chi-square against a uniform split: sum (x_i - e)^2 / e with e = sum(x)/n. NaN if empty or all zero. */
export function chiSquareUniform(counts: readonly number[]): number {
  const total = counts.reduce((s, x) => s + x, 0);
  if (counts.length === 0 || total === 0) return NaN;
  const e = total / counts.length;
  return counts.reduce((s, x) => s + (x - e) ** 2, 0) / e;
}

/**
 * Chi-square quantile by Wilson–Hilferty (1931): (X/df)^(1/3) is nearly normal, so
 * q ≈ df (1 - 2/(9 df) + z sqrt(2/(9 df)))^3 with z = Phi^-1(p). Relative error is ~1e-3 at
 * df = 10 and shrinks as df grows; at df = 1-2 it is a few percent in the tails.
 */
export function chiSquareQuantile(df: number, p: number): number {
  if (!(df > 0)) throw new RangeError(`chiSquareQuantile: df must be > 0, got ${df}`);
  const v = 2 / (9 * df);
  return df * Math.max(0, 1 - v + normalQuantile(p) * Math.sqrt(v)) ** 3;
}
