import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { grouped, plural } from "./plural.js";

describe("plural", () => {
  it("picks the noun by the count and groups thousands the English way", () => {
    expect(plural(1, "run")).toBe("1 run");
    expect(plural(0, "run")).toBe("0 runs");
    expect(plural(1200, "policy", "policies")).toBe("1,200 policies");
  });

  it("groups digits exactly as toLocaleString('en') does, without loading ICU for whole numbers", () => {
    for (const n of [0, -0, 1, 12, 123, 999, 1000, 1001, 12345, 123456, 999999, 1000000, -1234567, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]) {
      expect(grouped(n)).toBe(n.toLocaleString("en"));
    }
    fc.assert(fc.property(fc.maxSafeInteger(), (n) => grouped(n) === n.toLocaleString("en")));
    for (const n of [1.5, 2 ** 60, Infinity, NaN]) expect(grouped(n)).toBe(n.toLocaleString("en")); // left to ICU
  });
});
