/**
 * The terminal tables: every way a request can fail that summary.csv counts has a column; the
 * rollouts table groups by run and Service, each rollout's success rate against the e2e test's 95 %.
 */
import { describe, expect, it } from "vitest";
import { LOCAL_POLICY_SUMMARY_COLUMNS, SUMMARY_COLUMNS, ZONE_SUMMARY_COLUMNS } from "../report/columns.js";
import { rolloutsTable, summaryTable } from "./table.js";

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

describe("summaryTable", () => {
  it("shows each drop column of summary.csv, unreachable included", () => {
    const drops = [...SUMMARY_COLUMNS, ...ZONE_SUMMARY_COLUMNS, ...LOCAL_POLICY_SUMMARY_COLUMNS].map((c) => c.name).filter((n) => n.startsWith("dropped_"));
    const row: Record<string, string | number> = { policy: "random", replication: 0, service: "web", requests: 1000, dropped: 21, drop_rate: 0.021 };
    drops.forEach((c, i) => (row[c] = i + 1));
    const [header, , line] = summaryTable([row]).split("\n");
    expect(header.split(/\s{2,}/)).toEqual(["policy", "rep", "service", "requests", "dropped", "drop %", "refused", "reset", "overload", "timeout", "no-endp", "unreach", "p50 ms", "p99 ms", "load CV", "max/mean"]);
    expect(line.split(/\s+/).slice(6, 6 + drops.length)).toEqual(drops.map((_, i) => String(i + 1)));
  });
});
