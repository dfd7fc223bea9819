/**
 * The compiler setting of a short walk of timeseries.csv: seen through V8's code cache, which V8
 * refuses when it was made under other flags, so a cache made before tells whether the setting
 * differs from V8's default now.
 */
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { SHORT_WALK_ROWS, withShortWalkCompiler } from "./short-walk-compiler.js";

// A new text each time, of the same length (V8 checks a cache's source by its length): the same
// text would be found in V8's in-memory compilation cache and the code cache not looked at.
let scripts = 0;
const source = () => `(function add(a, b) { return a + b; }) // ${String(scripts++).padStart(6, "0")}`;
const cache = new vm.Script(source()).createCachedData();
/** Whether V8 takes the cache made under the flags the process started with. */
const accepted = () => !new vm.Script(source(), { cachedData: cache }).cachedDataRejected;

describe("withShortWalkCompiler", () => {
  it("changes the setting while a short walk runs, and restores V8's default after", () => {
    expect(accepted()).toBe(true);
    expect(withShortWalkCompiler(5_000, accepted)).toBe(false);
    expect(accepted()).toBe(true);
    expect(withShortWalkCompiler(SHORT_WALK_ROWS, accepted)).toBe(false);
    expect(accepted()).toBe(true);
  });

  it("leaves a long walk under V8's default", () => {
    expect(withShortWalkCompiler(SHORT_WALK_ROWS + 1, accepted)).toBe(true);
  });

  it("restores the default when the walk throws, and passes the error on", () => {
    expect(() =>
      withShortWalkCompiler(10, () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(accepted()).toBe(true);
  });
});
