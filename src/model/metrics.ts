/**
 * Streaming metrics of one Service in one run: counts by outcome, latency histograms, per-interval
 * series and the time-average number of requests in the system (for Little's law). Memory is fixed
 * by the number of intervals, never by the number of requests.
 */
import { LatencyHistogram } from "../stats/histogram.js";
import type { Outcome } from "../scenario/types.js";
import type { Attempt } from "./clients/attempt.js";

/** Outcomes in report order; index 0 is `ok`, the rest are drop reasons. */
export const OUTCOMES: readonly Outcome[] = ["ok", "refused", "reset", "overload", "timeout", "no-endpoints", "unreachable"];

/** An outcome's position in OUTCOMES (a switch, not a search: it runs once per request). */
export function outcomeSlot(outcome: Outcome): number {
  switch (outcome) {
    case "ok":
      return 0;
    case "refused":
      return 1;
    case "reset":
      return 2;
    case "overload":
      return 3;
    case "timeout":
      return 4;
    case "no-endpoints":
      return 5;
    case "unreachable":
      return 6;
  }
}

/** What the cluster reports about a Service at the end of each interval. */
export interface IntervalGauges {
  readyEndpoints: number;
  staleNodes: number;
  inFlight: number;
  maxOverMean: number;
  cv: number;
  jain: number;
  rolloutsInProgress: number;
}

export class ServiceSeries {
  readonly arrivals: Float64Array;
  readonly retries: Float64Array;
  /** outcomes[k][i]: requests arriving in interval i that ended with OUTCOMES[k]. */
  readonly outcomes: Float64Array[];
  readonly latencyMean: Float64Array;
  readonly latencyP50: Float64Array;
  readonly latencyP99: Float64Array;
  readonly gauges: IntervalGauges[] = [];
  /** Text marks per interval, such as "rollout-start orders". */
  readonly marks: string[][];

  constructor(readonly length: number) {
    this.arrivals = new Float64Array(length);
    this.retries = new Float64Array(length);
    this.outcomes = OUTCOMES.map(() => new Float64Array(length));
    this.latencyMean = new Float64Array(length).fill(NaN);
    this.latencyP50 = new Float64Array(length).fill(NaN);
    this.latencyP99 = new Float64Array(length).fill(NaN);
    this.marks = Array.from({ length }, () => []);
  }
}

export class ServiceMetrics {
  arrivals = 0;
  retries = 0;
  readonly outcomes = new Float64Array(OUTCOMES.length);
  /** Latency of the requests that ended `ok`, from first arrival to answer (retries included). */
  readonly latency = new LatencyHistogram();
  private readonly intervalLatency = new LatencyHistogram();
  readonly series: ServiceSeries;
  /** Sum over every measured request of its time in the system, whatever its outcome. */
  sumSojourn = 0;
  /** Integral of the number of measured requests in the system over the measured window. */
  areaInSystem = 0;
  private inSystem = 0;
  private lastChange: number;
  private readonly end: number;

  constructor(
    readonly serviceName: string,
    readonly start: number,
    duration: number,
    readonly interval: number,
  ) {
    this.end = start + duration;
    this.lastChange = start;
    this.series = new ServiceSeries(Math.max(1, Math.ceil(duration / interval - 1e-9)));
  }

  /** Interval of a time in the measured window (times past the end fall in the last interval). */
  intervalOf(t: number): number {
    const i = Math.floor((t - this.start) / this.interval);
    return i < 0 ? 0 : i >= this.series.length ? this.series.length - 1 : i;
  }

  arrived(a: Attempt): void {
    if (!a.measured) return;
    this.arrivals++;
    this.series.arrivals[this.intervalOf(a.arrival)]++;
    this.changeInSystem(a.arrival, 1);
  }

  retried(a: Attempt): void {
    if (!a.measured) return;
    this.retries++;
    this.series.retries[this.intervalOf(a.arrival)]++;
  }

  /** A request's final outcome, attributed to the interval it arrived in. */
  ended(a: Attempt, outcome: Outcome, now: number): void {
    if (!a.measured) return;
    const k = outcomeSlot(outcome);
    this.outcomes[k]++;
    this.series.outcomes[k][this.intervalOf(a.arrival)]++;
    const sojourn = now - a.arrival;
    this.sumSojourn += sojourn;
    this.changeInSystem(now, -1);
    if (k === 0) {
      this.latency.record(sojourn);
      if (now < this.end) this.intervalLatency.record(sojourn);
    }
  }

  /** Closes interval `i`: its latency figures (of requests answered in it) and the cluster's gauges. */
  closeInterval(i: number, now: number, gauges: IntervalGauges): void {
    const h = this.intervalLatency;
    const s = this.series;
    s.latencyMean[i] = h.mean;
    s.latencyP50[i] = h.quantile(0.5);
    s.latencyP99[i] = h.quantile(0.99);
    s.gauges[i] = gauges;
    h.reset();
    this.changeInSystem(now, 0);
  }

  mark(t: number, text: string): void {
    if (t >= this.start && t < this.end) this.series.marks[this.intervalOf(t)].push(text);
  }

  /** Measured requests without an outcome yet. */
  get open(): number {
    let ended = 0;
    for (const c of this.outcomes) ended += c;
    return this.arrivals - ended;
  }

  private changeInSystem(now: number, delta: number): void {
    const t = Math.min(now, this.end);
    if (t > this.lastChange) {
      this.areaInSystem += this.inSystem * (t - this.lastChange);
      this.lastChange = t;
    }
    this.inSystem += delta;
  }
}
