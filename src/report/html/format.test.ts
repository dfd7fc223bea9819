/**
 * The report's number formatting: `fixed` writes what Intl.NumberFormat("en-US") writes with that
 * many decimals (ICU rounds the shortest decimal text, half away from zero), without loading ICU.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixed, formatValue } from "./format.js";

const intl = (v: number, digits: number) => new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);

describe("fixed", () => {
  it("writes what Intl.NumberFormat writes, ties, carries, tiny and huge numbers, signs included", () => {
    const tie = fc.tuple(fc.integer({ min: -999_999, max: 999_999 }), fc.integer({ min: 0, max: 8 })).map(([m, e]) => Number(`${m}5e-${e}`));
    const number = fc.oneof(
      tie,
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.double({ min: -1e7, max: 1e7, noNaN: true }),
      fc.double({ min: -1e-3, max: 1e-3, noNaN: true }),
      fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 1000),
      fc.constantFrom(0, -0, 0.5, -0.5, 999.95, 9.995, 1.005, 0.125, 1e21, 1.5e21, 1e-7, 123456789012, 2 ** 53),
    );
    fc.assert(
      fc.property(number, fc.integer({ min: 0, max: 6 }), (v, digits) => {
        expect(fixed(v, digits)).toBe(intl(v, digits));
      }),
      { numRuns: 20000 },
    );
  });

  it("is what the report's tables show", () => {
    expect(formatValue(1234567, "count")).toBe("1,234,567");
    expect(formatValue(0.0123, "rate")).toBe("1.23%");
    expect(formatValue(1.005, "ratio")).toBe("1.005");
    expect(fixed(1.005, 2)).toBe("1.01"); // toFixed says 1.00: ICU rounds the shortest text
    for (const n of [0, 7, 2000, 5000, 1234567, 2 ** 40]) expect(fixed(n, 0)).toBe(n.toLocaleString("en-US")); // the captions of reduced charts
  });
});
