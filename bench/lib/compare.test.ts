import { describe, expect, it } from "vitest";
import { checkAgainst } from "../check.js";
import { compareReports, formatComparison } from "./compare.js";
import { figure, KEPT_SAMPLES, skipped, thin, type FigureSpec } from "./figures.js";
import type { BenchReport } from "./report.js";

const rate: FigureSpec = { id: "kernel.hold.n1000", title: "hold", unit: "events/cpu-s", better: "higher" };
const rss: FigureSpec = { id: "scenario.x.peak_rss_mb", title: "rss", unit: "MB", better: "lower" };
const wall: FigureSpec = { id: "startup.help.wall_ms", title: "help", unit: "ms", better: "lower", wall: true };

function report(figures: ReturnType<typeof figure>[]): BenchReport {
  const machine = { host: "h", cpu: "c", cores: 2, memory_gb: 4, node: "v20", platform: "linux-x64", commit: "abc", load_start: 0, load_end: 0 };
  return { started: "2025-01-01T00:00:00.000Z", quick: true, seconds: 1, machine, figures };
}

describe("figure", () => {
  it("summarises samples: median, middle-80 % spread, extremes", () => {
    const f = figure(rate, [10, 11, 9, 10, 30]);
    expect(f.median).toBe(10);
    expect([f.min, f.max]).toEqual([9, 30]);
    // 10th and 90th percentiles interpolate to 9.4 and 22.4: +-6.5 around 10.
    expect(f.spread_pct).toBeCloseTo(65, 5);
    expect(f.samples).toEqual([10, 11, 9, 10, 30]);
  });
});

describe("compareReports", () => {
  it("flags a change beyond either run's spread, in the figure's own direction", () => {
    const a = report([figure(rate, [100, 101, 99]), figure(rss, [100, 100, 100])]);
    const b = report([figure(rate, [120, 121, 119]), figure(rss, [100.5, 100.5, 100.5])]);
    const [r, m] = compareReports(a, b);
    expect(r.ratio).toBeCloseTo(1.2, 10);
    expect(r.verdict).toBe("better");
    expect(m.verdict).toBe("worse"); // half a percent, but neither run varied at all
    const noisy = report([figure(rate, [70, 130, 100]), figure(rss, [100, 100, 100])]);
    expect(compareReports(noisy, b)[0].verdict).toBe("same"); // +20 % is within a's +-24 %
    expect(compareReports(b, a)[0].verdict).toBe("worse");
  });

  it("lists figures only one report has, and skipped ones, without a ratio", () => {
    const a = report([figure(rate, [1]), skipped(wall, "why")]);
    const b = report([figure(rss, [1]), figure(wall, [1])]);
    const verdicts = Object.fromEntries(compareReports(a, b).map((c) => [c.id, c.verdict]));
    expect(verdicts).toEqual({ [rate.id]: "only in a", [wall.id]: "skipped", [rss.id]: "only in b" });
    expect(formatComparison(compareReports(a, b), a, b)).toContain("only in a");
  });
});

describe("checkAgainst", () => {
  const base = report([figure(rate, [100]), figure(rss, [100]), figure(wall, [100])]);
  it("passes within 25 % and fails beyond, either direction of better", () => {
    expect(checkAgainst(base, report([figure(rate, [76]), figure(rss, [133]), figure(wall, [100])]))).toEqual([]);
    const failed = checkAgainst(base, report([figure(rate, [74]), figure(rss, [134]), figure(wall, [100])]));
    expect(failed.map((f) => f.id)).toEqual([rate.id, rss.id]);
  });

  it("ignores wall-time figures, which move with the load", () => {
    expect(checkAgainst(base, report([figure(rate, [100]), figure(rss, [100]), figure(wall, [1000])]))).toEqual([]);
  });

  it("fails a guarded figure that is missing or skipped", () => {
    const failed = checkAgainst(base, report([skipped(rate, "broken")]));
    expect(failed.map((f) => [f.id, f.reason])).toEqual([
      [rate.id, "skipped: broken"],
      [rss.id, "not measured"],
    ]);
  });
});

describe("thin", () => {
  it("keeps few samples as they are, and the extremes and evenly spaced order statistics of many", () => {
    expect(thin([3, 1, 2])).toEqual([3, 1, 2]);
    const many = Array.from({ length: 1000 }, (_, i) => 999 - i);
    const kept = thin(many);
    expect(kept).toHaveLength(KEPT_SAMPLES);
    expect([kept[0], kept[KEPT_SAMPLES - 1]]).toEqual([0, 999]);
    expect(figure(rate, many).median).toBe(499.5); // from all samples, not the kept ones
  });
});
