import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LadderQueue, type LadderLimits } from "./ladder-queue.js";

/** The reference: every entry kept in a plain array, the earliest by (time, sequence) found by sorting. */
class SortedReference {
  private entries: { t: number; s: number; v: number }[] = [];
  get size(): number {
    return this.entries.length;
  }
  push(t: number, s: number, v: number): void {
    this.entries.push({ t, s, v });
  }
  first(): { t: number; s: number; v: number } {
    this.entries.sort((a, b) => (a.t === b.t ? a.s - b.s : a.t < b.t ? -1 : 1));
    return this.entries[0];
  }
  pop(): number {
    const e = this.first();
    this.entries.shift();
    return e.v;
  }
}

/** Hands out slot numbers as the kernel does: each freed slot is reused, oldest first. */
class Slots {
  private free: number[] = [];
  private nextNew = 0;
  take(): number {
    return this.free.length > 0 ? this.free.shift()! : this.nextNew++;
  }
  give(v: number): void {
    this.free.push(v);
  }
}

type Op =
  | { push: number; gap: "tie" | "near" | "far" | "infinite"; count: number }
  | { pop: number }
  | { peek: true };

// Times are `base + gap`: ties among few distinct values, near and far continuous values (spans
// with awkward binary fractions), and now and then an infinite time. Bursts push many at once, so
// buckets overflow and rungs open even under the default limits.
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      push: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      gap: fc.constantFrom("tie", "tie", "near", "near", "far", "infinite"),
      count: fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 200 }) }),
    }),
  },
  { weight: 5, arbitrary: fc.record({ pop: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 1, arbitrary: fc.constant({ peek: true as const }) },
);

// Default limits, and small ones that reach every tier (and run out of rungs) with few entries.
const limits: fc.Arbitrary<LadderLimits | undefined> = fc.constantFrom(
  undefined,
  { split: 2, small: 1, rungs: 2 },
  { split: 3, small: 2, rungs: 8 },
  { split: 8, small: 4, rungs: 3 },
);

/** Runs `ops` on a queue and the reference side by side; `monotone` keeps every time at or after the last one taken, as the kernel does. */
function replay(ops: readonly Op[], limit: LadderLimits | undefined, monotone: boolean): void {
  const q = new LadderQueue(limit);
  q.reserve(64);
  const ref = new SortedReference();
  const slots = new Slots();
  let seq = 0;
  let now = 0;
  const check = () => {
    expect(q.size).toBe(ref.size);
    if (ref.size === 0) return;
    const e = ref.first();
    expect(q.topTime()).toBe(e.t);
    expect(q.topSlot()).toBe(e.v);
  };
  for (const o of ops) {
    if ("push" in o) {
      let x = o.push;
      for (let i = 0; i < o.count; i++) {
        x = (x * 48271) % 2147483647; // one draw per entry of the burst
        const u = x / 2147483647;
        const base = monotone ? now : 0;
        const t =
          o.gap === "tie" ? base + (x % 4) : o.gap === "near" ? base + u * 0.37 : o.gap === "far" ? base + 1000 + u * 1e6 : x % 3 === 0 ? Infinity : base + u;
        const v = slots.take();
        q.reserve(v + 1);
        q.push(t, v);
        ref.push(t, seq++, v);
      }
    } else if ("pop" in o) {
      for (let i = 0; i < o.pop && ref.size > 0; i++) {
        check();
        const t = ref.first().t;
        const v = q.pop();
        expect(v).toBe(ref.pop());
        if (t !== Infinity) now = t;
        slots.give(v);
      }
    } else check();
    check();
  }
  while (ref.size > 0) {
    check();
    const v = q.pop();
    expect(v).toBe(ref.pop());
  }
  expect(q.size).toBe(0);
}

describe("LadderQueue", () => {
  it("gives entries back in (time, sequence) order, as a sorted list does, whatever is pushed and popped (property)", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), limits, fc.boolean(), (ops, limit, monotone) => replay(ops, limit, monotone)),
      { numRuns: 400 },
    );
  });

  it("keeps scheduling order among thousands of entries at one time, with later ones mixed in", () => {
    const q = new LadderQueue();
    q.reserve(3000);
    for (let i = 0; i < 2000; i++) q.push(5, i);
    for (let i = 2000; i < 3000; i++) q.push(i % 2 === 0 ? 5 : 6 + (i % 7), i);
    const out: number[] = [];
    while (q.size > 0) out.push(q.pop());
    const expected = [...Array(3000).keys()].sort((a, b) => {
      const ta = a < 2000 || a % 2 === 0 ? 5 : 6 + (a % 7);
      const tb = b < 2000 || b % 2 === 0 ? 5 : 6 + (b % 7);
      return ta - tb || a - b;
    });
    expect(out).toEqual(expected);
  });

  it("orders a far event and a crowd of nearer ones scheduled after it (a long Bottom turned into a rung)", () => {
    const q = new LadderQueue();
    q.reserve(2000);
    q.push(1e6, 0);
    q.push(0, 1);
    expect(q.pop()).toBe(1); // Top came down with 2 entries: Bottom now takes everything
    let x = 7;
    const times = new Map<number, number>();
    for (let v = 1; v < 2000; v++) {
      x = (x * 48271) % 2147483647;
      const t = (x % 1000) / 7;
      times.set(v, t);
      q.push(t, v);
    }
    const out: number[] = [];
    while (q.size > 1) out.push(q.pop());
    expect(out).toEqual([...times.keys()].sort((a, b) => times.get(a)! - times.get(b)! || a - b));
    expect(q.pop()).toBe(0);
  });

  it("gives infinite times last, in scheduling order, and still puts finite ones pushed later before them", () => {
    const q = new LadderQueue();
    q.reserve(10);
    q.push(Infinity, 0);
    q.push(3, 1);
    q.push(Infinity, 2);
    expect(q.pop()).toBe(1);
    expect(q.topTime()).toBe(Infinity);
    expect(q.topSlot()).toBe(0);
    q.push(4, 3);
    expect(q.topTime()).toBe(4);
    expect([q.pop(), q.pop(), q.pop()]).toEqual([3, 0, 2]);
    expect(q.size).toBe(0);
  });

  it("compacts Bottom first within a few events, then at doubling distances up to its arrays' length (so V8 sees the branch early)", () => {
    const q = new LadderQueue();
    q.reserve(2048);
    const bottom = q as unknown as { bHead: number };
    // A queue of 10 pending entries, one popped and one pushed later per step: after the first
    // refill, Bottom takes every push and slides along its arrays; a compaction moves it back to 0.
    for (let v = 0; v < 10; v++) q.push(v, v);
    const compactions: number[] = [];
    for (let step = 0; step < 20_000; step++) {
      const v = q.pop();
      q.push(10 + step, v);
      if (bottom.bHead === 0) compactions.push(step);
    }
    const gaps = compactions.slice(1).map((s, i) => s - compactions[i]);
    expect(compactions[0]).toBeLessThan(16);
    // A compaction at limit L leaves Bottom's 9 entries in front; the next comes at 2L.
    expect(gaps.slice(0, 5)).toEqual([16 - 9, 32 - 9, 64 - 9, 128 - 9, 256 - 9]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2048);
    expect(gaps.at(-1)).toBeGreaterThan(2000);
  });

  it("compacts Bottom in time when its arrays are shorter than the first compaction point", () => {
    const q = new LadderQueue();
    q.reserve(4);
    for (let v = 0; v < 3; v++) q.push(v, v);
    const popped: number[] = [];
    for (let step = 0; step < 50; step++) {
      const v = q.pop();
      popped.push(q.timeOf(v));
      q.push(3 + step, v);
    }
    expect(popped).toEqual([...Array(50).keys()]);
  });

  it("keeps its contents when it grows, in every tier", () => {
    const q = new LadderQueue({ split: 2, small: 1, rungs: 3 });
    q.reserve(4);
    for (let i = 0; i < 4; i++) q.push(1000 - i, i);
    expect(q.pop()).toBe(3);
    q.reserve(100);
    for (let i = 4; i < 100; i++) q.push(1000 - i, i);
    const out: number[] = [];
    while (q.size > 0) out.push(q.pop());
    expect(out).toEqual([...Array(100).keys()].filter((i) => i !== 3).reverse());
  });
});
