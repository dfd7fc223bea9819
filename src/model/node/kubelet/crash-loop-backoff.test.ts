import { describe, expect, it } from "vitest";
import { CrashLoopBackOff } from "./crash-loop-backoff.js";

describe("CrashLoopBackOff", () => {
  it("lets the first exit restart at once, then backs off from each exit, doubling up to max", () => {
    const b = new CrashLoopBackOff(10, 300);
    expect(b.inBackOff(100, 100.5)).toBe(false);
    b.next(100, 100.5);
    // Exits 10 s apart or closer wait; the backoff counts from the exit, not the restart.
    expect(b.inBackOff(120, 121)).toBe(true);
    expect(b.expiresAt(120)).toBe(130);
    expect(b.inBackOff(120, 130)).toBe(false);
    const waits: number[] = [];
    let t = 130;
    for (let i = 0; i < 8; i++) {
      b.next(t, t);
      t += 1;
      waits.push(b.expiresAt(t) - t);
    }
    expect(waits).toEqual([20, 40, 80, 160, 300, 300, 300, 300]);
  });

  it("starts afresh when the container ran 600 s since the backoff was last raised", () => {
    const b = new CrashLoopBackOff(10, 300);
    b.next(0, 0);
    b.next(5, 20);
    expect(b.expiresAt(30) - 30).toBe(20);
    expect(b.inBackOff(620, 621)).toBe(true);
    expect(b.inBackOff(620.5, 621)).toBe(false);
    b.next(620.5, 621);
    expect(b.expiresAt(700) - 700).toBe(10);
  });

  it("uses ReduceDefaultCrashLoopBackOffDecay's 1 s and 60 s when given them", () => {
    const b = new CrashLoopBackOff(1, 60);
    const waits: number[] = [];
    for (let t = 0; t < 9; t++) {
      b.next(t * 2, t * 2);
      waits.push(b.expiresAt(0));
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
  });
});
