import { describe, expect, it } from "vitest";
import { compareRows, parseFailRule, ruleThreshold, verdict, violations, type FailRule } from "./compare.js";

const run = (policy: string, drop: number[], p99: number[], jain = 0.99) =>
  drop.map((d, r) => ({ point: "0", policy, service: "web", replication: String(r), drop_rate: String(d), latency_p99_ms: String(p99[r]), jain_index: String(jain) }));

describe("compare", () => {
  it("gives better, worse or no clear change from Welch's interval, and the direction of each metric", () => {
    expect(verdict("drop_rate", 0.01, 0.02, 0.005, 0.015)).toBe("worse");
    expect(verdict("drop_rate", 0.02, 0.01, -0.015, -0.005)).toBe("better");
    expect(verdict("jain_index", 0.9, 0.95, 0.01, 0.09)).toBe("better");
    expect(verdict("drop_rate", 0.01, 0.012, -0.001, 0.005)).toBe("no clear change");
    // One replication a side: no interval, so any difference counts, none is no change.
    expect(verdict("latency_p99_ms", 100, 100, NaN, NaN)).toBe("no clear change");
    expect(verdict("latency_p99_ms", 100, 101, NaN, NaN)).toBe("worse");
    expect(verdict("load_cv", NaN, NaN, NaN, NaN)).toBe("no clear change");
    expect(verdict("load_cv", 0.1, NaN, NaN, NaN)).toBe("no value");
  });

  it("matches (point, policy, Service) rows, and lists rows found on one side only", () => {
    const a = [...run("random", [0.01, 0.011, 0.012], [100, 101, 102]), ...run("least-connections", [0.02], [90])];
    const b = [...run("random", [0.03, 0.031, 0.032], [100, 101, 102]), ...run("round-robin", [0.02], [90])];
    const rows = compareRows(a, b, 0.95);
    const drop = rows.find((r) => r.policy === "random" && r.metric === "drop_rate")!;
    expect(drop.diff as number).toBeCloseTo(0.02, 12);
    expect(drop.verdict).toBe("worse");
    expect(rows.find((r) => r.policy === "random" && r.metric === "latency_p99_ms")!.verdict).toBe("no clear change");
    expect(rows.filter((r) => r.verdict === "only in a").map((r) => r.policy)).toEqual(["least-connections"]);
    expect(rows.filter((r) => r.verdict === "only in b").map((r) => r.policy)).toEqual(["round-robin"]);
  });

  it("reads --fail-on rules: % is percentage points on drop_rate, percent of a elsewhere", () => {
    const rule = parseFailRule("drop_rate>+0.5%") as FailRule;
    expect(rule).toMatchObject({ metric: "drop_rate", op: ">", amount: 0.5, percent: true });
    expect(ruleThreshold(rule, 0.2)).toBeCloseTo(0.005, 12);
    expect(ruleThreshold(parseFailRule("latency_p99_ms>+10%") as FailRule, 200)).toBeCloseTo(20, 12);
    expect(ruleThreshold(parseFailRule("latency_p99_ms>25") as FailRule, 200)).toBe(25);
    expect(parseFailRule("drop>1")).toMatch(/unknown metric/);
    expect(parseFailRule("drop_rate=1")).toMatch(/cannot read the rule/);
  });

  it("fails a rule only on a clear change past its threshold", () => {
    const rows = compareRows(run("random", [0.01, 0.011, 0.012], [100, 101, 102]), run("random", [0.03, 0.031, 0.032], [100, 101, 102]), 0.95);
    expect(violations(rows, parseFailRule("drop_rate>+1%") as FailRule)).toHaveLength(1);
    expect(violations(rows, parseFailRule("drop_rate>+3%") as FailRule)).toHaveLength(0);
    expect(violations(rows, parseFailRule("latency_p99_ms>+0%") as FailRule)).toHaveLength(0); // unchanged
  });

  it("compares the topology metrics when both folders have them, and takes them in --fail-on", () => {
    const zoned = (share: number[]) => run("random", [0, 0, 0], [100, 101, 102]).map((r, i) => ({ ...r, cross_zone_share: String(share[i]) }));
    const rows = compareRows(zoned([0.66, 0.67, 0.665]), zoned([0.08, 0.081, 0.082]), 0.95);
    expect(rows.find((r) => r.metric === "cross_zone_share")!.verdict).toBe("better");
    expect(violations(rows, parseFailRule("cross_zone_share>+0.01") as FailRule)).toHaveLength(0);
    expect(compareRows(zoned([0.66, 0.67, 0.665]), run("random", [0, 0, 0], [100, 101, 102]), 0.95).some((r) => r.metric === "cross_zone_share")).toBe(false);
  });
});
