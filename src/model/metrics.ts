/**
 * Streaming metrics of one Service in one run: counts by outcome, latency histograms, per-interval
 * series and the time-average number of requests in the system (for Little's law). Intervals are
 * handed on as they become final, so memory depends neither on the number of requests nor on the
 * number of intervals.
 */
import { LatencyHistogram } from "../stats/histogram.js";
import type { Outcome } from "../scenario/types.js";
import { TRANSPARENT_USED, type Attempt } from "./clients/attempt.js";
import type { RolloutWindow } from "./rollout-log.js";

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

/** One finished interval of a Service: everything its timeseries.csv row holds. Reused: copy what you keep. */
export interface IntervalRecord {
  index: number;
  arrivals: number;
  retries: number;
  /** outcomes[k]: requests arriving in the interval that ended with OUTCOMES[k]. */
  outcomes: Float64Array;
  latencyMean: number;
  latencyP50: number;
  latencyP99: number;
  gauges: IntervalGauges;
  /** Text marks, such as "rollout-start orders v2". */
  marks: readonly string[];
}

/** An interval's marks when it has none (shared: a record's marks are read, never changed). */
const NO_MARKS: readonly string[] = [];

/** Receives each interval once it is final, in interval order. */
export type IntervalSink = (r: IntervalRecord) => void;

/** Every interval's record kept in arrays, for tests and small tools (a run's reports stream instead). */
export class CollectedSeries {
  readonly arrivals: number[] = [];
  readonly retries: number[] = [];
  readonly outcomes: number[][] = OUTCOMES.map(() => []);
  readonly latencyMean: number[] = [];
  readonly latencyP50: number[] = [];
  readonly latencyP99: number[] = [];
  readonly gauges: IntervalGauges[] = [];
  readonly marks: string[][] = [];

  get length(): number {
    return this.arrivals.length;
  }

  readonly add: IntervalSink = (r) => {
    this.arrivals.push(r.arrivals);
    this.retries.push(r.retries);
    r.outcomes.forEach((n, k) => this.outcomes[k].push(n));
    this.latencyMean.push(r.latencyMean);
    this.latencyP50.push(r.latencyP50);
    this.latencyP99.push(r.latencyP99);
    this.gauges.push(r.gauges);
    this.marks.push([...r.marks]);
  };
}

/**
 * `n` empty slots for objects. Filled with undefined rather than left as holes of a `new Array(n)`:
 * such an array starts as one of small integers and changes its hidden class when the first object
 * is stored, so the next run's fresh window would not match the code V8 compiled for the last one.
 */
function emptySlots<T>(n: number): (T | undefined)[] {
  return new Array<T | undefined>(n).fill(undefined);
}

/**
 * The one record a window hands to its sink, refilled for every final interval. A class, not an
 * object literal, with every field in the representation it keeps (counts read from a Float64Array
 * are doubles: NaN, not 0): V8 builds a literal's boilerplate the second time the literal runs, and
 * widens a small-integer field to a double by replacing the hidden class; either one, when the next
 * policy of a comparison builds its Cluster, throws away the code compiled for the run before.
 */
class ReusedIntervalRecord implements IntervalRecord {
  index = 0;
  arrivals = NaN;
  retries = NaN;
  readonly outcomes = new Float64Array(OUTCOMES.length);
  latencyMean = NaN;
  latencyP50 = NaN;
  latencyP99 = NaN;
  gauges = undefined as unknown as IntervalGauges;
  marks: readonly string[] = NO_MARKS;
}

/** An interval's counts in the window's ring: arrivals, retries, requests ended, then one per outcome. */
const ARRIVALS = 0;
const RETRIES = 1;
const ENDED = 2;
const OUTCOME0 = 3;
const STRIDE = OUTCOME0 + OUTCOMES.length;

/**
 * The intervals still open: a request's outcome counts in the interval it arrived in, so an
 * interval is final only once it has closed (its gauges taken at its end) and every request that
 * arrived in it has ended. The window runs from the oldest interval not yet final to the newest
 * touched, in ring buffers that grow only as far as the longest-lived request reaches back; each
 * final interval goes to the sink and its slot is reused. Memory is thus flat in the number of
 * intervals as well as requests. An interval's counts sit side by side in one typed array (a
 * request touches one cache line), and the ring's length is a power of two (a slot is a mask).
 */
class IntervalWindow {
  /** The oldest interval not yet handed to the sink. */
  private base = 0;
  private capacity = 16;
  private counts = new Float64Array(STRIDE * this.capacity);
  private latency = new Float64Array(3 * this.capacity);
  private gauges: (IntervalGauges | undefined)[] = emptySlots(this.capacity);
  private marks: (string[] | undefined)[] = emptySlots(this.capacity);
  private readonly record = new ReusedIntervalRecord();

  constructor(private readonly sink: IntervalSink) {}

  /** Interval i's slot in the ring (its counts start at slot x STRIDE), growing the ring if i is beyond it. */
  private slot(i: number): number {
    const ahead = i - this.base;
    if (ahead < 0) throw new Error(`interval ${i} is already final (the window starts at ${this.base})`);
    while (ahead >= this.capacity) this.grow();
    return i & (this.capacity - 1);
  }

  private grow(): void {
    const old = this.capacity;
    const cap = old * 2;
    const move = <T extends Float64Array | unknown[]>(from: T, make: (n: number) => T, width = 1): T => {
      const to = make(cap * width);
      for (let j = 0; j < old; j++) {
        const i = this.base + j;
        for (let w = 0; w < width; w++) (to as unknown[])[(i % cap) * width + w] = (from as unknown[])[(i % old) * width + w];
      }
      return to;
    };
    const f64 = (n: number) => new Float64Array(n);
    this.counts = move(this.counts, f64, STRIDE);
    this.latency = move(this.latency, f64, 3);
    this.gauges = move(this.gauges, emptySlots<IntervalGauges>);
    this.marks = move(this.marks, emptySlots<string[]>);
    this.capacity = cap;
  }

  // The slot is found before the array is read: finding it may grow (replace) the arrays.
  arrived(i: number): void {
    const c = this.slot(i) * STRIDE;
    this.counts[c + ARRIVALS]++;
  }

  retried(i: number): void {
    const c = this.slot(i) * STRIDE;
    this.counts[c + RETRIES]++;
  }

  ended_(i: number, k: number): void {
    const s = this.slot(i);
    const c = s * STRIDE;
    const counts = this.counts;
    counts[c + OUTCOME0 + k]++;
    counts[c + ENDED]++;
    // Only the oldest interval, once closed, can become final by a request's end.
    if (i === this.base && this.gauges[s] !== undefined) this.emitFinal();
  }

  mark(i: number, text: string): void {
    const s = this.slot(i);
    (this.marks[s] ??= []).push(text);
  }

  close(i: number, mean: number, p50: number, p99: number, gauges: IntervalGauges): void {
    const s = this.slot(i);
    this.latency[3 * s] = mean;
    this.latency[3 * s + 1] = p50;
    this.latency[3 * s + 2] = p99;
    this.gauges[s] = gauges;
    this.emitFinal();
  }

  /** Hands over, in order, every interval from the base on that is closed and has no request open. */
  private emitFinal(): void {
    const counts = this.counts;
    for (;;) {
      const s = this.base & (this.capacity - 1);
      const c = s * STRIDE;
      const g = this.gauges[s];
      if (g === undefined || counts[c + ENDED] !== counts[c + ARRIVALS]) return;
      const r = this.record;
      r.index = this.base;
      r.arrivals = counts[c + ARRIVALS];
      r.retries = counts[c + RETRIES];
      for (let k = 0; k < OUTCOMES.length; k++) r.outcomes[k] = counts[c + OUTCOME0 + k];
      counts.fill(0, c, c + STRIDE);
      r.latencyMean = this.latency[3 * s];
      r.latencyP50 = this.latency[3 * s + 1];
      r.latencyP99 = this.latency[3 * s + 2];
      r.gauges = g;
      r.marks = this.marks[s] ?? NO_MARKS;
      this.gauges[s] = undefined;
      this.marks[s] = undefined;
      this.base++;
      this.sink(r);
    }
  }

  /** The intervals not yet final (all of them closed and drained at the end of a run). */
  get pending(): number {
    return this.base;
  }
}

/**
 * A request costs a few operations here: it is counted only in the window's slot of the interval it
 * arrived in, and its latency recorded only in the histogram of the interval it ended in. The run's
 * totals are those intervals folded in as each becomes final or closes (counts are integers, so the
 * fold is exact; the latency sum, whose rounding depends on the order of its terms, is the one
 * figure still added per request, in the order the requests end).
 */
export class ServiceMetrics {
  /** Measured requests of the intervals final so far: all of them once the run has drained. */
  arrivals = 0;
  retries = 0;
  /** Of the retries, gRPC transparent ones (not counted against the retry count). */
  retriesTransparent = 0;
  /** Retries a retry budget refused: the request ended with that failure. */
  retriesDenied = 0;
  /** Requests that failed for good on a retriable outcome with every counted retry spent. */
  retriesExhausted = 0;
  /** Requests answered after at least one failed attempt. */
  rescued = 0;
  /** By outcome, like `arrivals`: of the intervals final so far. */
  readonly outcomes = new Float64Array(OUTCOMES.length);
  /**
   * Latency of the requests that ended `ok`, from first arrival to answer (retries included): the
   * intervals' histograms folded in as they close, and those answered after the measured window.
   */
  readonly latency = new LatencyHistogram();
  /** Latency of the requests answered `ok` in the interval under way. */
  private readonly intervalLatency = new LatencyHistogram();
  /** Number of intervals in the measured window. */
  readonly intervals: number;
  private readonly window: IntervalWindow;
  private collected: CollectedSeries | undefined = new CollectedSeries();
  private sinkFn: IntervalSink = this.collected!.add;
  // The doubles below start as NaN and get their real start in the constructor, so V8 keeps them as
  // doubles from the first object on (README, "Time fields start as doubles").
  /** Sum over every measured request of its time in the system, whatever its outcome. */
  sumSojourn = NaN;
  /** Integral of the number of measured requests in the system over the measured window. */
  areaInSystem = NaN;
  /** The windows of the rollouts of pods this Service selects (rollout-log.ts). */
  readonly rolloutWindows: RolloutWindow[] = [];
  private inSystem = 0;
  private lastChange = NaN;
  private readonly end: number;
  /** Measured attempts sent to a pod, counted only when the nodes are in zones (see `zones`). */
  routedAttempts = 0;
  /** Of those, sent to a pod in another zone than the client's. */
  crossZoneAttempts = 0;
  /** Per zone: measured attempts its clients sent to a pod, those that left the zone, those its pods were sent. */
  zoneSent = new Float64Array(0);
  zoneSentAway = new Float64Array(0);
  zoneReceived = new Float64Array(0);
  /** Measured attempts whose SYN the node DROPped for want of a local endpoint: internalTrafficPolicy Local (the client's node), or externalTrafficPolicy Local (the node an external connection reached). */
  noLocalEndpointDrops = 0;

  constructor(
    readonly serviceName: string,
    readonly start: number,
    duration: number,
    readonly interval: number,
  ) {
    this.end = start + duration;
    this.lastChange = start;
    this.sumSojourn = 0;
    this.areaInSystem = 0;
    this.intervals = Math.max(1, Math.ceil(duration / interval - 1e-9));
    this.window = new IntervalWindow(this.fold);
  }

  /**
   * Where final intervals go, in order. By default they are collected (see `series`); a report
   * that streams them sets its own sink before the run, and then nothing is kept.
   */
  set sink(fn: IntervalSink) {
    this.collected = undefined;
    this.sinkFn = fn;
  }

  /** Every final interval, when no other sink was set. */
  get series(): CollectedSeries {
    if (!this.collected) throw new Error("the series went to a sink and was not collected");
    return this.collected;
  }

  /** Adds a final interval's counts to the run's, and hands it on. */
  private readonly fold: IntervalSink = (r) => {
    this.arrivals += r.arrivals;
    this.retries += r.retries;
    for (let k = 0; k < OUTCOMES.length; k++) this.outcomes[k] += r.outcomes[k];
    this.sinkFn(r);
  };

  /** Whether every interval has been handed to the sink (true once a run has drained). */
  get complete(): boolean {
    return this.window.pending === this.intervals;
  }

  /** Interval of a time in the measured window (times past the end fall in the last interval). */
  intervalOf(t: number): number {
    const i = Math.floor((t - this.start) / this.interval);
    return i < 0 ? 0 : i >= this.intervals ? this.intervals - 1 : i;
  }

  /** Counts the traffic of `count` zones from now on. */
  zones(count: number): void {
    this.zoneSent = new Float64Array(count);
    this.zoneSentAway = new Float64Array(count);
    this.zoneReceived = new Float64Array(count);
  }

  /** An attempt went to a pod: from the client's zone to the pod's. */
  routed(a: Attempt, from: number, to: number): void {
    if (!a.measured) return;
    this.routedAttempts++;
    this.zoneSent[from]++;
    this.zoneReceived[to]++;
    if (from !== to) {
      this.crossZoneAttempts++;
      this.zoneSentAway[from]++;
    }
  }

  noLocalEndpoint(a: Attempt): void {
    if (a.measured) this.noLocalEndpointDrops++;
  }

  arrived(a: Attempt): void {
    if (!a.measured) return;
    a.interval = this.intervalOf(a.arrival);
    this.window.arrived(a.interval);
    this.changeInSystem(a.arrival, 1);
  }

  retried(a: Attempt, transparent: boolean): void {
    if (!a.measured) return;
    if (transparent) this.retriesTransparent++;
    this.window.retried(a.interval);
  }

  retryDenied(a: Attempt): void {
    if (a.measured) this.retriesDenied++;
  }

  exhausted(a: Attempt): void {
    if (a.measured) this.retriesExhausted++;
  }

  /**
   * A request's final outcome, at its `endedAt`, attributed to the interval it arrived in (and to the
   * rollouts under way then). The time is read from the record, not passed: this call is not inlined
   * into the workload's, and a double argument would be boxed, a heap object per request.
   */
  ended(a: Attempt, outcome: Outcome): void {
    if (!a.measured) return;
    const now = a.endedAt;
    const k = outcomeSlot(outcome);
    const rollouts = this.rolloutWindows;
    for (let i = 0; i < rollouts.length; i++) rollouts[i].count(a.arrival, k);
    const sojourn = now - a.arrival;
    this.sumSojourn += sojourn;
    this.changeInSystem(now, -1);
    if (k === 0) {
      if (a.number > 0 || (a.flags & TRANSPARENT_USED) !== 0) this.rescued++;
      if (now < this.end) {
        this.intervalLatency.record(sojourn);
        this.latency.addToSum(sojourn);
      } else this.latency.record(sojourn); // after the last interval closed
    }
    this.window.ended_(a.interval, k);
  }

  /** Closes interval `i`: its latency figures (of requests answered in it) and the cluster's gauges. */
  closeInterval(i: number, now: number, gauges: IntervalGauges): void {
    const h = this.intervalLatency;
    this.changeInSystem(now, 0);
    const mean = h.mean;
    const p50 = h.quantile(0.5);
    const p99 = h.quantile(0.99);
    this.latency.mergeCounts(h);
    h.reset();
    this.window.close(i, mean, p50, p99, gauges);
  }

  mark(t: number, text: string): void {
    if (t >= this.start && t < this.end) this.window.mark(this.intervalOf(t), text);
  }

  /** Measured requests without an outcome yet. */
  get open(): number {
    return this.inSystem;
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
