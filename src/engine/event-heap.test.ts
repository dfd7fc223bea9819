import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventHeap } from "./event-heap.js";

describe("EventHeap", () => {
  it("pops in (time, sequence) order whatever the pushes and pops (property)", () => {
    // Few distinct times, so ties (broken by sequence) are common.
    const op = fc.oneof(fc.record({ push: fc.integer({ min: 0, max: 8 }) }), fc.constant({ pop: true }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const heap = new EventHeap();
        heap.reserve(ops.length);
        const reference: { t: number; s: number; slot: number }[] = [];
        let seq = 0;
        // Slot numbers are handed out in a scrambled order, as the kernel's free ring does.
        let nextSlot = 0;
        for (const o of ops) {
          if ("push" in o) {
            const slot = (nextSlot++ * 7919) % ops.length;
            heap.push(o.push, seq, slot);
            reference.push({ t: o.push, s: seq++, slot });
          } else if (reference.length > 0) {
            reference.sort((a, b) => a.t - b.t || a.s - b.s);
            const first = reference.shift()!;
            expect(heap.topTime()).toBe(first.t);
            expect(heap.topSlot()).toBe(first.slot);
            expect(heap.pop()).toBe(first.slot);
          }
          expect(heap.size).toBe(reference.length);
        }
        reference.sort((a, b) => a.t - b.t || a.s - b.s);
        for (const r of reference) expect(heap.pop()).toBe(r.slot);
        expect(heap.size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps its contents when it grows", () => {
    const heap = new EventHeap();
    heap.reserve(4);
    for (let i = 0; i < 4; i++) heap.push(1000 - i, i, i);
    heap.reserve(100);
    for (let i = 4; i < 100; i++) heap.push(1000 - i, i, i);
    const out: number[] = [];
    while (heap.size > 0) out.push(heap.pop());
    expect(out).toEqual([...Array(100).keys()].reverse());
  });
});
