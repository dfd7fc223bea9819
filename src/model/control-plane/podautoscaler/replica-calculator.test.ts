/** The replica calculator against the cases of replica_calculator_test.go's kind. */
import { describe, expect, it } from "vitest";
import { calculateReplicas as calculate, type PodInput } from "./replica-calculator.js";

/** The calculator's result, as a mapping with `replicas` (or `error`) for the assertions. */
const calculateReplicas = (...args: Parameters<typeof calculate>) => calculate(...args) as { replicas: number; current: number; error?: string };

const cfg = { tolerance: 0.1, cpuInitializationPeriod: 300, initialReadinessDelay: 30 };
const NOW = 1000;
/** A Ready pod, long started, with a CPU sample of `milli` milli-cores of a 1000 m request. */
const pod = (milli: number | null, over: Partial<PodInput> = {}): PodInput => ({
  ready: true,
  startTime: -Infinity,
  readyChangedAt: -Infinity,
  value: milli,
  timestamp: NOW,
  window: 15,
  request: 1000,
  ...over,
});

describe("calculateReplicas", () => {
  it("is ceil(ready pods x utilisation / target), in whole percent", () => {
    // 3 pods at 90 %, target 50: ratio 1.8, ceil(5.4) = 6.
    expect(calculateReplicas(3, [pod(900), pod(900), pod(900)], true, 50, NOW, cfg)).toEqual({ replicas: 6, current: 90 });
    // Truncation: 2 x 999 m of 2 x 1000 m is 99 %, not 99.9 %.
    expect(calculateReplicas(2, [pod(999), pod(999)], true, 99, NOW, cfg)).toEqual({ replicas: 2, current: 99 });
  });

  it("holds within the tolerance, on either side", () => {
    expect(calculateReplicas(4, [pod(540), pod(540), pod(540), pod(540)], true, 50, NOW, cfg).replicas).toBe(4); // 1.08
    expect(calculateReplicas(4, [pod(460), pod(460), pod(460), pod(460)], true, 50, NOW, cfg).replicas).toBe(4); // 0.92
    expect(calculateReplicas(4, [pod(560), pod(560), pod(560), pod(560)], true, 50, NOW, cfg).replicas).toBe(5); // 1.12
    expect(calculateReplicas(4, [pod(440), pod(440), pod(440), pod(440)], true, 50, NOW, cfg).replicas).toBe(4); // 0.88: ceil(3.52) = 4
    expect(calculateReplicas(4, [pod(300), pod(300), pod(300), pod(300)], true, 50, NOW, cfg).replicas).toBe(3); // 0.6: ceil(2.4)
  });

  it("counts missing pods at 100 % of their request on a scale-down and at 0 on a scale-up", () => {
    // Down: 2 pods at 20 % plus 2 missing at 100 %: 60/50... ratio (200+200+1000+1000)/4000 = 60 % > 50: direction flips, hold.
    expect(calculateReplicas(4, [pod(200), pod(200), pod(null), pod(null)], true, 50, NOW, cfg).replicas).toBe(4);
    // Down: 3 at 10 %, 1 missing at 100 %: 32 % -> ceil(4 x 0.64) = 3 instead of ceil(3 x 0.2) = 1.
    expect(calculateReplicas(4, [pod(100), pod(100), pod(100), pod(null)], true, 50, NOW, cfg).replicas).toBe(3);
    // Up: 2 at 100 %, 2 missing at 0: 50 % -> at target, hold (without them it would be 4).
    expect(calculateReplicas(4, [pod(1000), pod(1000), pod(null), pod(null)], true, 50, NOW, cfg).replicas).toBe(4);
  });

  it("ignores unready CPU samples, and counts those pods at 0 only on a scale-up", () => {
    const young = { startTime: NOW - 60, ready: false, readyChangedAt: NOW - 60 };
    // Up: 2 at 100 % + 2 unready (ignored, then 0): 50 % of target 40 -> ratio 1.25, ceil(5) = 5.
    expect(calculateReplicas(4, [pod(1000), pod(1000), pod(800, young), pod(800, young)], true, 40, NOW, cfg).replicas).toBe(5);
    // Down: unready pods stay out: 2 at 10 % -> ceil(2 x 0.2) = 1.
    expect(calculateReplicas(4, [pod(100), pod(100), pod(800, young), pod(800, young)], true, 50, NOW, cfg).replicas).toBe(1);
    // A young pod Ready, but sampled over a window that began before it was Ready, is ignored too.
    const justReady = { startTime: NOW - 60, ready: true, readyChangedAt: NOW - 10 };
    expect(calculateReplicas(2, [pod(500), pod(1000, justReady)], true, 50, NOW, cfg).replicas).toBe(2);
    // A Pods metric keeps every sample, ready or not: mean 10/s of target 5/s -> 4.
    expect(calculateReplicas(2, [pod(10_000), pod(10_000, young)], false, 5_000, NOW, cfg)).toEqual({ replicas: 4, current: 10_000 });
  });

  it("proposes nothing without pods or without a usable sample", () => {
    expect(calculateReplicas(2, [], true, 50, NOW, cfg)).toHaveProperty("error");
    expect(calculateReplicas(2, [pod(null), pod(null)], true, 50, NOW, cfg)).toHaveProperty("error");
  });
});
