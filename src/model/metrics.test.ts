import { describe, expect, it } from "vitest";
import type { Attempt } from "./clients/attempt.js";
import { LatencyHistogram } from "../stats/histogram.js";
import { ServiceMetrics, type IntervalGauges, type IntervalRecord } from "./metrics.js";
import type { Outcome } from "../scenario/types.js";

const gauges: IntervalGauges = { readyEndpoints: 1, staleNodes: 0, inFlight: 0, maxOverMean: 1, cv: 0, jain: 1, rolloutsInProgress: 0 };
const attempt = (arrival: number) => ({ arrival, measured: true }) as Attempt;
/** The request `a` ends at `at` with `outcome`, as its workload reports it. */
function end(m: ServiceMetrics, a: Attempt, outcome: Outcome, at: number): void {
  a.endedAt = at;
  m.ended(a, outcome);
}

/** Metrics over [0, 10) in 1 s intervals whose final intervals are recorded as they come. */
function streamed(): { m: ServiceMetrics; out: { index: number; arrivals: number; ok: number; timeout: number; marks: string }[] } {
  const m = new ServiceMetrics("web", 0, 10, 1);
  const out: { index: number; arrivals: number; ok: number; timeout: number; marks: string }[] = [];
  m.sink = (r: IntervalRecord) => out.push({ index: r.index, arrivals: r.arrivals, ok: r.outcomes[0], timeout: r.outcomes[4], marks: r.marks.join(";") });
  return { m, out };
}

describe("the streamed time series", () => {
  it("hands an interval over once it has closed and every request that arrived in it has ended, in order", () => {
    const { m, out } = streamed();
    const slow = attempt(0.5);
    m.arrived(slow);
    const quick = attempt(0.7);
    m.arrived(quick);
    end(m, quick, "ok", 0.8);
    m.closeInterval(0, 1, gauges);
    expect(out).toEqual([]); // interval 0 still has the slow request open
    const next = attempt(1.5);
    m.arrived(next);
    end(m, next, "ok", 1.6);
    m.mark(1.2, "rollout-start web v2");
    m.closeInterval(1, 2, gauges);
    expect(out).toEqual([]); // interval 1 is final, but comes after 0
    end(m, slow, "timeout", 2.5);
    expect(out).toEqual([
      { index: 0, arrivals: 2, ok: 1, timeout: 1, marks: "" },
      { index: 1, arrivals: 1, ok: 1, timeout: 0, marks: "rollout-start web v2" },
    ]);
    expect(m.complete).toBe(false);
    for (let i = 2; i < 10; i++) m.closeInterval(i, i + 1, gauges);
    expect(out.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(m.complete).toBe(true);
  });

  it("keeps a window as long as the oldest open request reaches back, and no more", () => {
    const m = new ServiceMetrics("web", 0, 100_000, 1);
    const sizes: number[] = [];
    m.sink = (r) => sizes.push(r.index);
    const long = attempt(10.5); // open across 5,000 intervals: the ring grows to hold them
    m.arrived(long);
    for (let i = 0; i < 5_010; i++) {
      const a = attempt(i + 0.5);
      m.arrived(a);
      end(m, a, "ok", i + 0.6);
      m.closeInterval(i, i + 1, gauges);
    }
    expect(sizes.length).toBe(10);
    end(m, long, "reset", 5_010);
    expect(sizes.length).toBe(5_010);
    expect(sizes.every((x, k) => x === k)).toBe(true);
  });

  it("collects the series for inspection when no sink is set", () => {
    const m = new ServiceMetrics("web", 0, 3, 1);
    for (let i = 0; i < 3; i++) {
      const a = attempt(i + 0.1);
      m.arrived(a);
      end(m, a, "ok", i + 0.2);
      m.closeInterval(i, i + 1, gauges);
    }
    expect(m.series.length).toBe(3);
    expect(m.series.outcomes[0]).toEqual([1, 1, 1]);
  });
});

describe("the run's totals, folded from the intervals", () => {
  /** A seeded run of `n` requests over [0, 10) s in 1 s intervals, some answered after the window or in later intervals. */
  function run(n: number): { m: ServiceMetrics; rows: IntervalRecord[]; ok: number[]; allOutcomes: number[] } {
    const m = new ServiceMetrics("web", 0, 10, 1);
    const rows: IntervalRecord[] = [];
    m.sink = (r) => rows.push({ ...r, outcomes: r.outcomes.slice() });
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const outcomes = ["ok", "ok", "ok", "timeout", "reset"] as const;
    const events: { t: number; kind: "arrive" | "end"; a: Attempt; outcome?: (typeof outcomes)[number] }[] = [];
    for (let i = 0; i < n; i++) {
      const a = attempt(rand() * 10);
      events.push({ t: a.arrival, kind: "arrive", a });
      // Latencies from 10 µs to 3 s: many requests end in a later interval, some after the window.
      events.push({ t: a.arrival + 1e-5 * 3e5 ** rand(), kind: "end", a, outcome: outcomes[Math.floor(rand() * outcomes.length)] });
    }
    events.sort((x, y) => x.t - y.t || (x.kind === "arrive" ? -1 : 1));
    const ok: number[] = [];
    const allOutcomes = [0, 0, 0, 0, 0, 0, 0];
    let next = 0;
    for (const e of events) {
      while (next < 10 && e.t >= next + 1) m.closeInterval(next, ++next, gauges);
      if (e.kind === "arrive") m.arrived(e.a);
      else {
        end(m, e.a, e.outcome!, e.t);
        if (e.outcome === "ok") ok.push(e.t - e.a.arrival);
        allOutcomes[["ok", "refused", "reset", "overload", "timeout"].indexOf(e.outcome!)]++;
      }
    }
    while (next < 10) m.closeInterval(next, ++next, gauges);
    return { m, rows, ok, allOutcomes };
  }

  it("counts every request once: the run's arrivals and outcomes are the intervals' sums", () => {
    const { m, rows, allOutcomes } = run(5_000);
    expect(m.complete).toBe(true);
    expect(m.open).toBe(0);
    expect(m.arrivals).toBe(5_000);
    expect(rows.reduce((s, r) => s + r.arrivals, 0)).toBe(m.arrivals);
    expect([...m.outcomes]).toEqual(allOutcomes);
    for (let k = 0; k < m.outcomes.length; k++) expect(rows.reduce((s, r) => s + r.outcomes[k], 0)).toBe(m.outcomes[k]);
  });

  it("the run's latency histogram equals one that recorded every answer as it came, to the bit", () => {
    const { m, ok } = run(5_000);
    const direct = new LatencyHistogram();
    for (const x of ok) direct.record(x);
    expect(m.latency.count).toBe(ok.length);
    expect(m.latency.sum).toBe(direct.sum); // the same terms, in the order the requests ended
    expect(m.latency.mean).toBe(direct.mean);
    expect([m.latency.min, m.latency.max]).toEqual([direct.min, direct.max]);
    // Percentiles whose rank falls in different intervals' answers.
    for (const q of [0.01, 0.1, 0.5, 0.9, 0.99, 0.999]) expect(m.latency.quantile(q)).toBe(direct.quantile(q));
  });

  it("counts open requests while intervals are still open", () => {
    const m = new ServiceMetrics("web", 0, 10, 1);
    const a = attempt(0.5);
    m.arrived(a);
    m.arrived(attempt(0.6));
    expect(m.open).toBe(2);
    end(m, a, "ok", 0.7);
    expect(m.open).toBe(1);
  });
});
