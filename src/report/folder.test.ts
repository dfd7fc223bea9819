/**
 * A reports folder's small tables: parseTable splits a plain text itself and gives what csv-parse
 * gives, rows, typed cells and errors alike.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsvTable, parseTable } from "./folder.js";

/** The table, or the error's message. */
const outcome = (parse: () => unknown) => {
  try {
    return parse();
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
};

describe("parseTable", () => {
  it("gives what csv-parse gives for any text, with or without quotes, blank lines or ragged rows", () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "1", ".", "-", "'", " ", "=", "e", ",", ";", "\n", '"', "\r"), maxLength: 4 });
    const text = fc.oneof(
      // svcsim's shape: a header and rows of as many cells, either dialect.
      fc.tuple(fc.integer({ min: 1, max: 4 }), fc.constantFrom(",", ";"), fc.array(fc.array(fc.constantFrom("1", "2.5", "-3", "x", "'=y", "", "1e5", "2,5", "version"), { minLength: 4, maxLength: 4 }), { maxLength: 5 }), fc.boolean()).map(
        ([n, d, rows, end]) => ["version" + d + "b" + d + "c" + d + "marks", ...rows].map((r) => (typeof r === "string" ? r.split(d).slice(0, n).join(d) : r.slice(0, n).join(d))).join("\n") + (end ? "\n" : ""),
      ),
      fc.array(cell, { maxLength: 12 }).map((cells) => cells.join("")),
    );
    fc.assert(
      fc.property(text, (t) => {
        expect(outcome(() => parseTable("t.csv", t))).toEqual(outcome(() => parseCsvTable("t.csv", t)));
      }),
      { numRuns: 3000 },
    );
  });
});
