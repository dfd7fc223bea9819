import { describe, expect, it } from "vitest";
import { ServerTimes } from "./server-times.js";

describe("ServerTimes", () => {
  it("gives each server its own integral and last change, which keep their values as the array grows", () => {
    const t = new ServerTimes();
    const ids = Array.from({ length: 1_000 }, () => t.add());
    expect(ids).toEqual(ids.map((_, i) => i));
    for (const i of ids) {
      t.advance(i, 0, i + 0.25); // idle until then: only the last change moves
      t.advance(i, i, i + 0.75); // i workers busy for half a second
    }
    t.add();
    for (const i of ids) {
      expect(t.busyTime(i)).toBe(i * 0.5);
      expect(t.lastChange(i)).toBe(i + 0.75);
    }
    expect(t.busyTime(1_000)).toBe(0);
    expect(t.lastChange(1_000)).toBe(0);
  });

  it("integrates busy workers over time piece by piece, and restarts an integral from zero", () => {
    const t = new ServerTimes();
    const a = t.add();
    const b = t.add();
    t.advance(a, 0, 1); // idle from 0 to 1
    t.advance(a, 2, 3); // 2 busy from 1 to 3: 4
    t.advance(b, 1, 2); // 1 busy from 0 to 2: 2
    t.advance(a, 1, 4); // 1 busy from 3 to 4: 5
    expect([t.busyTime(a), t.busyTime(b)]).toEqual([5, 2]);
    t.resetBusy(a);
    expect([t.busyTime(a), t.lastChange(a), t.busyTime(b)]).toEqual([0, 4, 2]);
    t.advance(a, 3, 5);
    expect(t.busyTime(a)).toBe(3);
  });
});
