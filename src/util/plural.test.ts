import { describe, expect, it } from "vitest";
import { plural } from "./plural.js";

describe("plural", () => {
  it("picks the noun by the count and groups thousands the English way", () => {
    expect(plural(1, "run")).toBe("1 run");
    expect(plural(0, "run")).toBe("0 runs");
    expect(plural(1200, "policy", "policies")).toBe("1,200 policies");
  });
});
