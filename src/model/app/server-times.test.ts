import { describe, expect, it } from "vitest";
import { ServerTimes } from "./server-times.js";

describe("ServerTimes", () => {
  it("gives each server its own slots, which keep their values as the arrays grow", () => {
    const t = new ServerTimes();
    const ids = Array.from({ length: 1_000 }, () => t.add());
    expect(ids).toEqual(ids.map((_, i) => i));
    for (const i of ids) {
      t.busyTime[i] = i * 0.5;
      t.lastChange[i] = i + 0.25;
    }
    t.add();
    expect(t.busyTime.length).toBeGreaterThan(1_000);
    for (const i of ids) {
      expect(t.busyTime[i]).toBe(i * 0.5);
      expect(t.lastChange[i]).toBe(i + 0.25);
    }
    expect(t.busyTime[1_000]).toBe(0);
  });
});
