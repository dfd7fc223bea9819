/**
 * The compiler setting of runs in the main thread: seen through V8's code cache, which V8 refuses
 * when it was made under other flags, so a cache made before tells whether the flag is off now.
 */
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { withoutLoopPeeling } from "./short-run-compiler.js";

// A new text each time, of the same length (V8 checks a cache's source by its length): the same
// text would be found in V8's in-memory compilation cache and the code cache not looked at.
let scripts = 0;
const source = () => `(function add(a, b) { return a + b; }) // ${String(scripts++).padStart(6, "0")}`;
const cache = new vm.Script(source()).createCachedData();
/** Whether V8 takes the cache made under the flags the process started with. */
const accepted = () => !new vm.Script(source(), { cachedData: cache }).cachedDataRejected;

describe("withoutLoopPeeling", () => {
  it("turns loop peeling off while the work runs, and back on after", async () => {
    expect(accepted()).toBe(true);
    const seen = await withoutLoopPeeling(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return accepted();
    });
    expect(seen).toBe(false);
    expect(accepted()).toBe(true);
  });

  it("turns it back on when the work throws, and passes the error on", async () => {
    await expect(
      withoutLoopPeeling(async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(accepted()).toBe(true);
  });
});
