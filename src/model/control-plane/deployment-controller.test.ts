import { describe, expect, it } from "vitest";
import { resolveIntOrPercent } from "./deployment-controller.js";

describe("int-or-percent (intstr.GetScaledValueFromIntOrPercent)", () => {
  it("rounds maxSurge up and maxUnavailable down", () => {
    expect(resolveIntOrPercent("25%", 10, true)).toBe(3);
    expect(resolveIntOrPercent("25%", 10, false)).toBe(2);
    expect(resolveIntOrPercent("25%", 4, true)).toBe(1);
    expect(resolveIntOrPercent("25%", 3, false)).toBe(0);
    expect(resolveIntOrPercent("10%", 1, true)).toBe(1);
    expect(resolveIntOrPercent(2, 100, true)).toBe(2);
  });
});
