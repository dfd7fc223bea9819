/** The terminal tables: every way a request can fail that summary.csv counts has a column. */
import { describe, expect, it } from "vitest";
import { LOCAL_POLICY_SUMMARY_COLUMNS, SUMMARY_COLUMNS, ZONE_SUMMARY_COLUMNS } from "../report/columns.js";
import { summaryTable } from "./table.js";

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
