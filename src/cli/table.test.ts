/** The terminal's rollouts table: grouped by run and Service, each rollout's success rate against the e2e test's 95 %. */
import { describe, expect, it } from "vitest";
import { rolloutsTable } from "./table.js";

const row = (service: string, rollout: number, success: number, meets: number) => ({
  policy: "random",
  replication: 0,
  service,
  owner: service,
  rollout,
  version: `v${rollout + 1}`,
  started_s: 60 * rollout,
  duration_s: 30,
  requests: 40,
  failed: Math.round(40 * (1 - success)),
  success_rate: success,
  meets_e2e_threshold: meets,
});

describe("rolloutsTable", () => {
  it("groups rows by Service in rollout order and marks the rollouts below 95 %", () => {
    const lines = rolloutsTable([row("b", 1, 1, 1), row("a", 1, 0.9, 0), row("b", 2, 0.95, 1), row("a", 2, NaN, NaN)]).split("\n");
    expect(lines).toHaveLength(6);
    expect(lines.slice(2).map((l) => l.split(/\s+/).slice(2, 5).join(" "))).toEqual(["b b 1", "b b 2", "a a 1", "a a 2"]);
    expect(lines[4]).toMatch(/90\.00%\s+NO$/);
    expect(lines[3]).toMatch(/95\.00%\s+yes$/);
    expect(lines[5]).toMatch(/-\s+-$/);
  });
});
