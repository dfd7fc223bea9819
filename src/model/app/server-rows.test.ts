import { describe, expect, it } from "vitest";
import { ServerRows } from "./server-rows.js";

describe("ServerRows", () => {
  it("gives each server its own row, which keeps its values as the array grows", () => {
    const t = new ServerRows();
    const rows = Array.from({ length: 500 }, (_, i) => t.add(1 + (i % 5)));
    expect(rows.slice(0, 4)).toEqual([0, 3, 7, 12]);
    rows.forEach((r, i) => {
      t.advance(r, 0, i + 0.25); // idle until then: only the last change moves
      t.advance(r, i, i + 0.75); // i workers busy for half a second
      t.hold(r, i % 5, 1_000 + i); // its last position
    });
    const r = t.add(3);
    rows.forEach((r, i) => {
      expect(t.busyTime(r)).toBe(i * 0.5);
      expect(t.lastChange(r)).toBe(i + 0.75);
      expect(t.doneEvent(r, i % 5)).toBe(1_000 + i);
      if (i % 5 > 0) expect(t.doneEvent(r, 0)).toBe(-1);
    });
    expect([t.busyTime(r), t.lastChange(r), t.doneEvent(r, 0), t.doneEvent(r, 2)]).toEqual([0, 0, -1, -1]);
  });

  it("integrates busy workers over time piece by piece, and restarts an integral from zero", () => {
    const t = new ServerRows();
    const a = t.add(1);
    const b = t.add(1);
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

  it("removes a position as an array's swap-removal does: the last one moves in, and says which event moved", () => {
    const t = new ServerRows();
    const before = t.add(2);
    const r = t.add(4);
    const after = t.add(2);
    t.hold(before, 1, 1);
    t.hold(after, 0, 2);
    const array: number[] = [];
    const put = (done: number) => {
      t.hold(r, array.length, done);
      array.push(done);
    };
    put(10);
    put(11);
    put(12);
    put(13);
    expect(t.moveLast(r, 3, 1)).toBe(13); // 11 leaves: 13 takes its place
    array[1] = array.pop()!;
    t.vacate(r, 2); // 12, the last, leaves
    array.pop();
    put(14);
    expect([0, 1, 2, 3].map((p) => t.doneEvent(r, p))).toEqual([...array, -1]);
    expect(array).toEqual([10, 13, 14]);
    // Its neighbours' rows are untouched.
    expect([t.doneEvent(before, 1), t.doneEvent(after, 0), t.busyTime(after)]).toEqual([1, 2, 0]);
  });
});
