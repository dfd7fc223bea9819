/** topology-mode Auto's proportional hints, on the cases of topologycache_test.go's kind. */
import { describe, expect, it } from "vitest";
import { allocations, proportionalHints } from "./topology-cache.js";

const third = 1 / 3;

describe("proportionalHints", () => {
  it("hints each endpoint for its own zone when the zones hold their share", () => {
    expect(proportionalHints([0, 1, 2, 0, 1, 2], [third, third, third])).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it("moves a zone's surplus to the zones short of their share, first endpoints first", () => {
    // Zone a holds 4 of 6 against a share of 2: two of its endpoints serve b and c.
    expect(proportionalHints([0, 0, 0, 0, 1, 2], [third, third, third])).toEqual([1, 2, 0, 0, 1, 2]);
  });

  it("follows the zones' CPU, not their endpoints", () => {
    // Zone a has half the CPU and 1 of 4 endpoints: zone b gives it one.
    expect(proportionalHints([0, 1, 1, 1], [0.5, 0.5])).toEqual([0, 0, 1, 1]);
  });

  it("gives no hints with fewer endpoints than zones, with one zone, or beyond the overload threshold", () => {
    expect(proportionalHints([0, 1], [third, third, third])).toBeNull();
    expect(proportionalHints([0, 0, 0], [1])).toBeNull();
    // Desired 2, 1, 1 of 4 need at least 2, 1, 1 (desired / 1.2, rounded up): fine; of 3 endpoints 1.5 -> 2, 0.75 -> 1, 1: 4 > 3.
    expect(allocations([0.5, 0.25, 0.25], 4)).not.toBeNull();
    expect(proportionalHints([0, 1, 2], [0.5, 0.25, 0.25])).toBeNull();
  });

  it("gives no hints when an endpoint is in a zone without a Ready node", () => {
    expect(proportionalHints([0, 1, 2], [0.5, 0.5, 0])).toBeNull();
  });

  it("moves an endpoint only with a whole one to give or take", () => {
    // Desired 1.8 (at least 2) and 4.2 of 6; held 3 and 3: one moves.
    expect(proportionalHints([0, 0, 0, 1, 1, 1], [0.3, 0.7])).toEqual([1, 0, 0, 1, 1, 1]);
    // Desired 2.4 and 3.6, held 3 and 3: 0.6 each way, under a whole endpoint on both sides: none.
    expect(proportionalHints([0, 0, 0, 1, 1, 1], [0.4, 0.6])).toEqual([0, 0, 0, 1, 1, 1]);
  });
});
