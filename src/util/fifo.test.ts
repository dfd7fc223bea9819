import { describe, expect, it } from "vitest";
import { Fifo } from "./fifo.js";

describe("Fifo", () => {
  it("keeps order across growth and wrap-around", () => {
    const q = new Fifo<number>();
    const ref: number[] = [];
    let next = 0;
    for (let round = 0; round < 200; round++) {
      const pushes = (round * 7) % 23;
      for (let i = 0; i < pushes; i++) {
        q.push(next);
        ref.push(next++);
      }
      const shifts = (round * 5) % 19;
      for (let i = 0; i < shifts; i++) expect(q.shift()).toBe(ref.shift());
      expect(q.length).toBe(ref.length);
    }
    expect(q.drain()).toEqual(ref);
    expect(q.length).toBe(0);
    expect(q.shift()).toBeUndefined();
  });
});
