import { describe, expect, it } from "vitest";
import { NO_CELL, WorkQueues } from "./work-queues.js";

const work = (id: number) => ({ id });

describe("WorkQueues", () => {
  it("keeps many interleaved queues first in, first out, each work with its tag, as its cells grow and are reused", () => {
    const q = new WorkQueues();
    const heads = [NO_CELL, NO_CELL, NO_CELL];
    const tails = [NO_CELL, NO_CELL, NO_CELL];
    const reference: number[][] = [[], [], []];
    const shift = (k: number): number => {
      const cell = heads[k];
      const id = (q.work(cell) as { id: number }).id;
      expect(q.tag(cell)).toBe(id % 3);
      heads[k] = q.after(cell);
      if (heads[k] === NO_CELL) tails[k] = NO_CELL;
      q.release(cell);
      return id;
    };
    let id = 0;
    for (let step = 0; step < 2_000; step++) {
      const k = step % 3;
      // Mostly pushes early, mostly shifts late: the queues grow past the first cells, then drain.
      if (reference[k].length > 0 && (step * 7919) % 100 < (step < 1_000 ? 30 : 70)) {
        expect(shift(k)).toBe(reference[k].shift());
      } else {
        const cell = q.push(work(id), id % 3, tails[k]);
        if (tails[k] === NO_CELL) heads[k] = cell;
        tails[k] = cell;
        reference[k].push(id++);
      }
    }
    for (let k = 0; k < 3; k++) while (reference[k].length > 0) expect(shift(k)).toBe(reference[k].shift());
    expect(heads).toEqual([NO_CELL, NO_CELL, NO_CELL]);
    expect(id).toBeGreaterThan(200);
  });

  it("starts with a few cells and doubles them, so that its first growths come while a run's first requests queue", () => {
    const q = new WorkQueues();
    const cells = () => (q as unknown as { works: unknown[] }).works.length;
    const sizes: number[] = [];
    for (let i = 0; i < 40; i++) {
      q.push(work(i), 0, NO_CELL);
      if (sizes.at(-1) !== cells()) sizes.push(cells());
    }
    expect(sizes).toEqual([4, 8, 16, 32, 64]);
  });

  it("hands out the most recently freed cell first, and never a cell in use, also past growth", () => {
    const q = new WorkQueues();
    const live = new Set<number>();
    const take = (): number => {
      const cell = q.push(work(0), 7, NO_CELL);
      expect(live.has(cell)).toBe(false);
      live.add(cell);
      return cell;
    };
    const cells = Array.from({ length: 200 }, take);
    expect(cells.slice(0, 3)).toEqual([0, 1, 2]);
    for (const c of [5, 150, 70]) {
      q.release(c);
      live.delete(c);
    }
    expect([take(), take(), take(), take()]).toEqual([70, 150, 5, 200]);
  });
});
