/**
 * The maglev scheduler's memo of clients' slots (a hash table in a typed array) must give every
 * source the slot the hash gives it, whatever the addresses, through its growth and once full.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sourceSlotOf } from "./mh.js";
import { SourceSlots } from "./source-slots.js";

describe("SourceSlots", () => {
  it("gives each source its hashed slot, asked in any order and again", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 300 }), (sources) => {
        const memo = new SourceSlots(sourceSlotOf);
        for (const s of [...sources, ...sources.reverse()]) expect(memo.slot(s)).toBe(sourceSlotOf(s));
        expect(memo.size).toBe(new Set(sources).size);
      }),
      { numRuns: 50 },
    );
  });

  it("keeps its entries through every growth, and starts again empty once full", () => {
    const memo = new SourceSlots(sourceSlotOf);
    // Neighbouring addresses (a node's clients), and far ones whose low bits are the same.
    const sources = Array.from({ length: 70_000 }, (_, i) => (i % 2 === 0 ? 0x0af40000 + i : 0x64000000 + (i >> 1) * 65_536));
    const slots = sources.map(sourceSlotOf);
    sources.forEach((s, i) => expect(memo.slot(s)).toBe(slots[i]));
    // The first 65,536 filled it to half of its 2^17 entries: it emptied, and holds the rest.
    expect(memo.size).toBe(70_000 - 65_536);
    sources.forEach((s, i) => expect(memo.slot(s)).toBe(slots[i]));
  });
});
