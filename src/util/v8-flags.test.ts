import { cachedDataVersionTag } from "node:v8";
import { describe, expect, it } from "vitest";
import { flagName, withV8Flag } from "./v8-flags.js";

// V8's tag for code caches changes with its flags: the same tag before and after means the flags were put back.
const FLAG = "--max-inlined-bytecode-size-cumulative";

describe("flagName", () => {
  it("reads both spellings, a negation and a value as one name", () => {
    for (const a of ["--max-inlined-bytecode-size-cumulative=300", "--max_inlined_bytecode_size_cumulative=300", "--max-inlined-bytecode-size-cumulative"]) {
      expect(flagName(a)).toBe("max-inlined-bytecode-size-cumulative");
    }
    expect(flagName("--no-turbo-loop-peeling")).toBe(flagName("--turbo_loop_peeling"));
    expect(flagName("--turbo-inlining")).not.toBe(flagName("--turbo-loop-peeling"));
  });
});

describe("withV8Flag", () => {
  it("sets the flag while the work runs and puts V8's setting back after, for work that returns or throws", async () => {
    const before = cachedDataVersionTag();
    expect(withV8Flag(`${FLAG}=200`, `${FLAG}=920`, () => cachedDataVersionTag(), [])).not.toBe(before);
    expect(cachedDataVersionTag()).toBe(before);
    expect(() => withV8Flag(`${FLAG}=200`, `${FLAG}=920`, () => { throw new Error("boom"); }, [])).toThrow("boom");
    expect(cachedDataVersionTag()).toBe(before);
    const inside = withV8Flag(`${FLAG}=200`, `${FLAG}=920`, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return cachedDataVersionTag();
    }, []);
    expect(await inside).not.toBe(before);
    expect(cachedDataVersionTag()).toBe(before);
    await expect(withV8Flag(`${FLAG}=200`, `${FLAG}=920`, async () => { throw new Error("late"); }, [])).rejects.toThrow("late");
    expect(cachedDataVersionTag()).toBe(before);
  });

  it("leaves a flag the process was started with alone, in either spelling", () => {
    const before = cachedDataVersionTag();
    for (const started of [["--max_inlined_bytecode_size_cumulative=300"], [`${FLAG}=300`]]) {
      expect(withV8Flag(`${FLAG}=200`, `${FLAG}=920`, () => cachedDataVersionTag(), started)).toBe(before);
    }
    expect(withV8Flag("--no-turbo-loop-peeling", "--turbo-loop-peeling", () => cachedDataVersionTag(), ["--turbo_loop_peeling"])).toBe(before);
  });
});
