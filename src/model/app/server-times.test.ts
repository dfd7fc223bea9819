import { describe, expect, it } from "vitest";
import { ServerTimes } from "./server-times.js";

describe("ServerTimes", () => {
  it("gives each server its own slots, which keep their values as the array grows", () => {
    const t = new ServerTimes();
    const ids = Array.from({ length: 1_000 }, () => t.add());
    expect(ids).toEqual(ids.map((_, i) => i));
    for (const i of ids) {
      t.slots[2 * i] = i * 0.5;
      t.slots[2 * i + 1] = i + 0.25;
    }
    t.add();
    expect(t.slots.length).toBeGreaterThan(2_000);
    for (const i of ids) {
      expect(t.busyTime(i)).toBe(i * 0.5);
      expect(t.lastChange(i)).toBe(i + 0.25);
    }
    expect(t.busyTime(1_000)).toBe(0);
    expect(t.lastChange(1_000)).toBe(0);
  });
});
