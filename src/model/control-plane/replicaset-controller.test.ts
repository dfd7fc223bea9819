/**
 * The ReplicaSet controller's choice of pods to delete: the first k by rank, as a stable sort of
 * them all would give, found without sorting them all.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { firstInOrder } from "./replicaset-controller.js";

describe("firstInOrder", () => {
  it("gives the first k of a stable sort, ties kept in their order", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ key: fc.integer({ min: 0, max: 9 }), id: fc.nat() }), { maxLength: 200 }), fc.nat({ max: 40 }), (items, k) => {
        const order = (a: { key: number }, b: { key: number }) => a.key - b.key;
        expect(firstInOrder(items, k, order)).toEqual(items.slice().sort(order).slice(0, k));
      }),
    );
  });

  it("takes nothing for k <= 0", () => {
    expect(firstInOrder([3, 1, 2], 0, (a, b) => a - b)).toEqual([]);
  });
});
