/** PositionSet's first position is the least of those added and not deleted, as a plain set says. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PositionSet } from "./position-set.js";

describe("PositionSet", () => {
  it("gives the least position in the set through adds, deletes and resets, across word and summary boundaries", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(20), fc.nat(4200)), { maxLength: 400 }), (ops) => {
        const set = new PositionSet();
        let n = 0;
        const ref = new Set<number>();
        for (const [op, x] of ops) {
          if (op === 0) {
            n = x + 1;
            set.reset(n);
            ref.clear();
          } else if (n > 0) {
            const p = x % n;
            if (op < 11) {
              set.add(p);
              ref.add(p);
            } else {
              set.delete(p);
              ref.delete(p);
            }
          }
          expect(set.first()).toBe(ref.size === 0 ? -1 : Math.min(...ref));
        }
      }),
      { numRuns: 200 },
    );
  });

  it("finds positions beyond the first 1,024 and the last bit of a word", () => {
    const set = new PositionSet();
    set.reset(4000);
    expect(set.first()).toBe(-1);
    for (const p of [3999, 1024, 31, 1055]) set.add(p);
    expect(set.first()).toBe(31);
    set.delete(31);
    expect(set.first()).toBe(1024);
    set.delete(1024);
    expect(set.first()).toBe(1055);
    set.delete(1055);
    expect(set.first()).toBe(3999);
  });
});
