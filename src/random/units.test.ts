/**
 * Tests for duration and rate parsing: the grammar, the error messages users will read, and the
 * zod schemas' issue paths (what the scenario validator reports).
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { durationSchema, rateSchema } from "./unit-schemas.js";
import { formatDuration, formatRate, parseDuration, parseRate } from "./units.js";

describe("parseDuration", () => {
  it.each([
    [0.25, 0.25],
    [0, 0],
    ["0", 0],
    ["0s", 0],
    ["250ms", 0.25],
    ["20ms", 0.02],
    ["2s", 2],
    ["1.5s", 1.5],
    ["5m", 300],
    ["5min", 300],
    ["1h", 3600],
    ["500us", 0.0005],
    ["500µs", 0.0005],
    ["500μs", 0.0005], // Greek mu
    ["100ns", 1e-7],
    [".5s", 0.5],
    ["1e3ms", 1],
    ["1m30s", 90],
    ["1h 30m", 5400],
    [" 250 ms ", 0.25],
    ["2", 2],
  ] as const)("%j is %d s", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each([
    [-1, /must not be negative, found -1/],
    ["-5s", /must not be negative, found "-5s"/],
    ["1m-30s", /must not be negative/],
    [NaN, /expected a duration such as 250ms, 2s or 5m \(a number is seconds\), found NaN/],
    ["NaN", /found "NaN"/],
    [Infinity, /must be finite, found Infinity/],
    ["1e400s", /must be finite/],
    ["abc", /expected a duration such as 250ms, 2s or 5m \(a number is seconds\), found "abc"/],
    ["", /found ""/],
    ["5parsecs", /unknown unit "parsecs" in duration "5parsecs"; use ns, us, µs, ms, s, m, min or h/],
    ["5M", /unknown unit "M"/],
    ["1m30", /missing unit after 30 in "1m30"/],
    ["2s!", /found "2s!"/],
  ] as const)("rejects %j", (bad, message) => {
    expect(() => parseDuration(bad)).toThrow(message);
  });
});

describe("parseRate", () => {
  it.each([
    [100, 100],
    ["100", 100],
    ["100/s", 100],
    ["6000/m", 100],
    ["50/min", 50 / 60],
    ["7200/h", 2],
    ["5/250ms", 20],
    ["0/s", 0],
  ] as const)("%j is %d per second", (text, perSecond) => {
    expect(parseRate(text)).toBeCloseTo(perSecond, 12);
  });

  it.each([
    [-1, /must not be negative, found -1/],
    ["-1/s", /must not be negative, found "-1\/s"/],
    ["100/0s", /non-zero time window/],
    ["abc", /expected a rate such as 100\/s, 6000\/m or 50\/min \(a number is per second\), found "abc"/],
    ["100/parsec", /unknown unit "parsec"/],
    ["100ms", /expected a rate/],
  ] as const)("rejects %j", (bad, message) => {
    expect(() => parseRate(bad)).toThrow(message);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [0.25, "250ms"],
    [0.0201, "20.1ms"],
    [1.5, "1.5s"],
    [90, "1.5m"],
    [5400, "1.5h"],
    [5e-7, "500ns"],
    [0.0005, "500µs"],
    [0.99999, "1s"], // rounds before choosing the unit
    [1 / 3, "333.3ms"],
    [-2, "-2s"],
    [Infinity, "Infinity"],
  ])("%d s is %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it("parses back to within four significant digits", () => {
    for (let e = -9; e <= 5; e += 0.37) {
      const x = 1.2345678 * 10 ** e;
      expect(Math.abs(parseDuration(formatDuration(x)) - x) / x).toBeLessThan(5e-4);
    }
  });

  it("formats rates per second", () => {
    expect(formatRate(100)).toBe("100/s");
    expect(formatRate(1 / 3)).toBe("0.3333/s");
  });
});

describe("durationSchema and rateSchema", () => {
  const Config = z.object({ timeout: durationSchema, arrivals: rateSchema });

  it("transform to seconds and per second", () => {
    expect(Config.parse({ timeout: "250ms", arrivals: "6000/m" })).toEqual({ timeout: 0.25, arrivals: 100 });
    expect(Config.parse({ timeout: 2, arrivals: 3 })).toEqual({ timeout: 2, arrivals: 3 });
  });

  it("report problems as zod issues at the field's path", () => {
    const result = Config.safeParse({ timeout: "abc", arrivals: "-5/s" });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => ({ path: i.path, message: i.message }));
    expect(issues).toEqual([
      { path: ["timeout"], message: 'expected a duration such as 250ms, 2s or 5m (a number is seconds), found "abc"' },
      { path: ["arrivals"], message: 'a rate must not be negative, found "-5/s"' },
    ]);
  });

  it("explain wrong types and missing fields in the same words", () => {
    const result = Config.safeParse({ timeout: true });
    expect(result.error!.issues.map((i) => [i.path, i.message])).toEqual([
      [["timeout"], "expected a duration such as 250ms, 2s or 5m (a number is seconds), found true"],
      [["arrivals"], "missing rate: expected a rate such as 100/s, 6000/m or 50/min (a number is per second)"],
    ]);
  });

  it("reject negative and unknown units with the parser's message", () => {
    expect(durationSchema.safeParse("-1s").error!.issues[0].message).toBe('a duration must not be negative, found "-1s"');
    expect(durationSchema.safeParse("3 fortnights").error!.issues[0].message).toMatch(/unknown unit "fortnights"/);
  });
});
