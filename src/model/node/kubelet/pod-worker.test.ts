import { describe, expect, it } from "vitest";
import { RandomStream } from "../../../random/index.js";
import { CrashLoopBackOff } from "./crash-loop-backoff.js";
import { backedOffRestartAt } from "./pod-worker.js";

/** A backoff of `seconds` for an exit at 0 (the container restarted once before, at -100). */
function backoffOf(seconds: number): CrashLoopBackOff {
  const b = new CrashLoopBackOff(seconds, 300);
  b.next(-100, -100);
  return b;
}

describe("the pod worker's recheck of a backed-off restart", () => {
  const rng = new RandomStream(1, "test");
  const lateness = (backoff: number, recheck: "periodic" | "at-expiry") => {
    const b = backoffOf(backoff);
    return Array.from({ length: 2000 }, () => backedOffRestartAt(b, 0, 0.5, recheck, rng) - backoff);
  };
  const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;

  it("up to v1.33 rechecks every 10-15 s from the sync that found the backoff, so restarts come up to 16 s late", () => {
    for (const backoff of [10, 20, 40, 300]) {
      const late = lateness(backoff, "periodic");
      expect(Math.min(...late)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...late)).toBeLessThanOrEqual(15 + 1);
    }
    // A 20 s backoff seen at 0.5 s: rechecks at 0.5 + 10..15 (too early) then once more, 21..31 s (+ a tick).
    const late = lateness(20, "periodic");
    expect(mean(late)).toBeGreaterThan(4);
    expect(Math.max(...late)).toBeGreaterThan(10);
  });

  it("from v1.34 requeues for the backoff's expiry with up to 50 % jitter on the wait, at most 60 s at a time", () => {
    for (const backoff of [10, 20, 40]) {
      const late = lateness(backoff, "at-expiry");
      expect(Math.min(...late)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...late)).toBeLessThanOrEqual(0.5 * (backoff - 0.5) + 1);
      expect(mean(late)).toBeGreaterThan(0.2 * (backoff - 0.5));
    }
    // 300 s: requeued 60 s at a time (each up to 90 s), so the last wait is at most 60 s and its jitter 30 s.
    const late = lateness(300, "at-expiry");
    expect(Math.max(...late)).toBeLessThanOrEqual(30 + 1);
  });

  it("never restarts a container before its backoff ran out", () => {
    const b = backoffOf(10);
    for (let i = 0; i < 500; i++) {
      const syncAt = rng.random() * 10;
      for (const recheck of ["periodic", "at-expiry"] as const) expect(backedOffRestartAt(b, 0, syncAt, recheck, rng)).toBeGreaterThanOrEqual(10);
    }
  });
});
