/**
 * ServiceRunsBuilder's run totals: the drops, reasons and rollouts of every row, the charted ones
 * (read once for the charts and the totals alike) and those of a longer run past them.
 */
import { describe, expect, it } from "vitest";
import { SeriesColumns } from "../series.js";
import { ServiceRunsBuilder } from "./time-charts.js";

const COLUMNS = ["policy", "t_start_s", "t_end_s", "dropped", "dropped_refused", "dropped_reset", "dropped_overload", "dropped_timeout", "dropped_no_endpoints", "dropped_unreachable", "ready_endpoints", "stale_nodes", "rollouts_in_progress", "latency_p50_ms", "latency_p99_ms"];

/** A row: interval t, `reset` and `timeout` drops, rollouts under way. */
const row = (policy: string, t: number, reset: number, timeout: number, rollouts = 0) =>
  [policy, `${t}`, `${t + 1}`, `${reset + timeout}`, "0", `${reset}`, "0", `${timeout}`, "0", "0", "4", "0", `${rollouts}`, "1.5", "9"];

describe("ServiceRunsBuilder", () => {
  it("counts every row's drops, reasons and rollouts, charted or past the charted ones", () => {
    const cols = new SeriesColumns(COLUMNS, "en");
    const byPolicy = [
      { policy: "a", reps: [0, 1] },
      { policy: "b", reps: [2] },
    ];
    // Three charted intervals (the shortest run's), then two more of run 2 only.
    const b = new ServiceRunsBuilder(null, "web", byPolicy, 3, 1000, [], cols);
    b.step([row("a", 0, 1, 0), row("a", 0, 0, 0), row("b", 0, 0, 0)]);
    b.step([row("a", 1, 0, 0), row("a", 1, 2, 0), row("b", 1, 0, 0)]);
    b.step([row("a", 2, 0, 0), row("a", 2, 0, 0), row("b", 2, 0, 0)]);
    b.step([null, null, row("b", 3, 0, 5, 1)]);
    b.step([null, null, row("b", 4, 0, 0)]);
    const runs = b.end();
    expect(runs.drops).toBe(1 + 2 + 5);
    expect(runs.reasons).toEqual(["reset", "timeout"]);
    expect(runs.rollouts).toBe(true);
    expect(runs.x).toEqual([0, 1, 2]);
    // The span is the charted intervals' (the rows of the longer run past them are not charted).
    expect([runs.span, runs.interval]).toEqual([[0, 2], 1]);
    expect(runs.lines.get([...runs.lines.keys()].find((k) => k.includes("cumulative") && k.includes("mean") && k.startsWith("a"))!)).toEqual([0.5, 1.5, 1.5]);
  });

  it("sees a reason or a rollout in any replication of any policy", () => {
    const cols = new SeriesColumns(COLUMNS, "en");
    const b = new ServiceRunsBuilder(null, "web", [{ policy: "a", reps: [0] }, { policy: "b", reps: [1] }], 2, 1000, [], cols);
    b.step([row("a", 0, 0, 0), row("b", 0, 0, 3)]);
    b.step([row("a", 1, 0, 0, 1), row("b", 1, 0, 0)]);
    const runs = b.end();
    expect([runs.drops, runs.reasons, runs.rollouts]).toEqual([3, ["timeout"], true]);
  });
});
