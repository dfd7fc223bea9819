/** Stabilisation and rate policies against hand-worked cases of horizontal.go's rules. */
import { describe, expect, it } from "vitest";
import type { HpaScalingRules } from "../../../scenario/types.js";
import { normalizeLegacy, normalizeWithBehaviors, scaleDownLimit, scaleUpLimit, type BehaviorInput } from "./behavior.js";

const UP: HpaScalingRules = { stabilizationWindow: 0, selectPolicy: "Max", policies: [{ type: "Pods", value: 4, period: 15 }, { type: "Percent", value: 100, period: 15 }] };
const DOWN: HpaScalingRules = { stabilizationWindow: 300, selectPolicy: "Max", policies: [{ type: "Percent", value: 100, period: 15 }] };
const input = (over: Partial<BehaviorInput>): BehaviorInput => ({
  scaleUp: UP,
  scaleDown: DOWN,
  minReplicas: 1,
  maxReplicas: 100,
  current: 3,
  desired: 3,
  recommendations: [],
  upEvents: [],
  downEvents: [],
  now: 1000,
  ...over,
});

describe("HPA behavior", () => {
  it("default scale-up: the larger of +4 pods and +100 % per 15 s", () => {
    expect(scaleUpLimit(2, [], [], UP, 0)).toBe(6);
    expect(scaleUpLimit(10, [], [], UP, 0)).toBe(20);
    // 4 added 10 s ago count against the period: it started at 6.
    expect(scaleUpLimit(10, [{ at: -10, value: 4 }], [], UP, 0)).toBe(12);
    expect(normalizeWithBehaviors(input({ current: 10, desired: 30 }))).toEqual({ replicas: 20, stabilized: 30, reason: "ScaleUpLimit" });
    expect(normalizeWithBehaviors(input({ current: 10, desired: 30, maxReplicas: 15 }))).toEqual({ replicas: 15, stabilized: 30, reason: "TooManyReplicas" });
  });

  it("Min picks the smaller change, Disabled none; Percent rounds up going up and down going down", () => {
    const min: HpaScalingRules = { ...UP, selectPolicy: "Min" };
    expect(scaleUpLimit(10, [], [], min, 0)).toBe(14);
    expect(scaleUpLimit(10, [], [], { ...UP, selectPolicy: "Disabled" }, 0)).toBe(10);
    expect(scaleUpLimit(3, [], [], { ...UP, policies: [{ type: "Percent", value: 10, period: 60 }] }, 0)).toBe(4); // ceil(3.3)
    expect(scaleDownLimit(3, [], [], { ...DOWN, policies: [{ type: "Percent", value: 10, period: 60 }] }, 0)).toBe(2); // trunc(2.7)
    const down: HpaScalingRules = { ...DOWN, selectPolicy: "Min", policies: [{ type: "Pods", value: 1, period: 60 }, { type: "Percent", value: 50, period: 60 }] };
    expect(scaleDownLimit(10, [], [], down, 0)).toBe(9);
  });

  it("scale-down takes the highest recommendation of its window, scale-up the lowest of its", () => {
    const recs = [{ at: 750, value: 8 }, { at: 900, value: 6 }, { at: 990, value: 5 }];
    // The 8 is 250 s old: inside the 300 s window.
    expect(normalizeWithBehaviors(input({ current: 8, desired: 2, recommendations: recs })).replicas).toBe(8);
    expect(normalizeWithBehaviors(input({ current: 8, desired: 2, recommendations: recs, now: 1051 })).replicas).toBe(6);
    // A 60 s scale-up window: the lowest recent recommendation (5) caps a jump to 9.
    const up = { ...UP, stabilizationWindow: 60 };
    expect(normalizeWithBehaviors(input({ scaleUp: up, current: 3, desired: 9, recommendations: recs })).replicas).toBe(5);
  });

  it("without behavior: the downscale window's highest recommendation, then min/max and max(2 x current, 4)", () => {
    expect(normalizeLegacy(2, 20, [], 300, 1, 100, 0)).toEqual({ replicas: 4, stabilized: 20, reason: "ScaleUpLimit" });
    expect(normalizeLegacy(5, 20, [], 300, 1, 100, 0).replicas).toBe(10);
    expect(normalizeLegacy(5, 1, [{ at: -300, value: 5 }], 300, 1, 100, 0).replicas).toBe(5); // at the cutoff: still counts
    expect(normalizeLegacy(5, 1, [{ at: -301, value: 5 }], 300, 2, 100, 0)).toEqual({ replicas: 2, stabilized: 1, reason: "TooFewReplicas" });
  });
});
