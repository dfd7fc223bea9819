import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMmc } from "../queue/mmc-queue.js";
import type { Row } from "../report/columns.js";
import { HEADLINE_METRICS } from "../scenario/types.js";
import { mm1 } from "../stats/theory.js";
import { sampleMeanTolerance } from "../stats/summary.js";
import { welchInterval } from "../stats/compare.js";
import { aggregateRows, pairedRows } from "./aggregate.js";
import { loadExperiment } from "./experiment.js";
import { taskInput } from "./execute.js";
import { runTask } from "./run-task.js";
import { pointTasks } from "./tasks.js";

const tmp = mkdtempSync(join(tmpdir(), "svcsim-aggregate-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const scenarios = join(import.meta.dirname, "../../scenarios");

/** Summary-like rows of one policy and Service with a metric per replication. */
const rows = (metric: string, values: number[], extra: Row = {}): Row[] =>
  values.map((v, r) => ({ scenario: "t", point: 0, policy: "random", service: "web", replication: r, [metric]: v, ...extra }));

describe("aggregate.csv", () => {
  it("gives mean, sd and the Student-t interval of each metric (known value)", () => {
    const [row] = aggregateRows(rows("drop_rate", [1, 2, 3, 4, 5]), [], ["fixed"], 0.95);
    expect(row.replications).toBe(5);
    expect(row.drop_rate_mean).toBe(3);
    expect(row.drop_rate_sd).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(row.drop_rate_ci_high as number).toBeCloseTo(3 + 2.7764451 * Math.sqrt(0.5), 6);
    expect(row.latency_p99_ms_mean).toBeNaN(); // no values: an empty cell
  });

  it("covers the M/M/1 mean response time at its nominal rate over repeated experiments", () => {
    // Each experiment: 5 replications of an M/M/1 queue (rho = 0.5) on svcsim's kernel, its 95 %
    // interval of the mean response time computed as aggregate.csv does. The share of experiments
    // whose interval holds the theory W = 1/(mu - lambda) must be 95 % within the binomial tolerance
    // (4 standard errors: 91.9 % to 98.1 %); a normal instead of a t quantile would cover only ~88 %.
    const lambda = 0.5;
    const mu = 1;
    const W = mm1(lambda, mu).W;
    const experiments = 800;
    let covered = 0;
    for (let e = 0; e < experiments; e++) {
      const values = Array.from({ length: 5 }, (_, r) => runMmc({ lambda, mu, c: 1, duration: 2000, warmup: 200, seed: `ci-${e}-${r}` }).meanResponse * 1000);
      const [row] = aggregateRows(rows("latency_mean_ms", values), [], ["fixed"], 0.95);
      if ((row.latency_mean_ms_ci_low as number) <= W * 1000 && W * 1000 <= (row.latency_mean_ms_ci_high as number)) covered++;
    }
    expect(Math.abs(covered / experiments - 0.95)).toBeLessThan(sampleMeanTolerance(0.95 * 0.05, experiments));
  });
});

/** Runs every task of `replications` replications in this process and returns the summary rows in grid order. */
function summaryOf(file: string, set: string[], replications: number): { rows: Row[]; settings: string[] } {
  const exp = loadExperiment(file, { set });
  const dir = mkdtempSync(join(tmp, "run-"));
  const rows = pointTasks(0, exp.scenario.policies, 0, replications).flatMap((t) => runTask(taskInput(exp, t, dir)).summary);
  return { rows, settings: exp.settingColumns };
}

describe("paired.csv", () => {
  it("is narrower than the unpaired interval on a shipped scenario (common random numbers)", () => {
    const { rows, settings } = summaryOf(join(scenarios, "pod-crash.yaml"), ["policies=[random, round-robin]", "duration=60s"], 6);
    const [pair] = pairedRows(rows, settings, ["random", "round-robin"], "random", 0.95).filter((r) => r.metric === "drop_rate");
    const of = (p: string) => rows.filter((r) => r.policy === p).map((r) => Number(r.drop_rate));
    const unpaired = welchInterval(of("random"), of("round-robin"));
    const pairedHalf = ((pair.diff_ci_high as number) - (pair.diff_ci_low as number)) / 2;
    expect(pair.pairs).toBe(6);
    expect(pairedHalf).toBeGreaterThan(0);
    expect(pairedHalf).toBeLessThan(unpaired.halfWidth);
  });

  it("is exactly 0 when the policies cannot differ (one pod: every policy picks it)", () => {
    const { rows, settings } = summaryOf(join(scenarios, "pod-crash.yaml"), ["policies=[random, round-robin, least-connections]", "deployments[0].replicas=1", "events=[]", "duration=30s"], 3);
    const paired = pairedRows(rows, settings, ["random", "round-robin", "least-connections"], "random", 0.95);
    expect(paired.length).toBe(2 * HEADLINE_METRICS.length);
    for (const r of paired) {
      if (Number.isNaN(r.diff_mean)) continue; // a metric without values (no drops: no skew to compare)
      expect(r.diff_mean).toBe(0);
      expect(r.diff_ci_low === 0 || Number.isNaN(r.diff_ci_low)).toBe(true);
      expect(r.excludes_zero === 0 || Number.isNaN(r.excludes_zero)).toBe(true);
    }
    expect(paired.filter((r) => r.metric === "latency_mean_ms").every((r) => r.diff_mean === 0 && r.diff_sd === 0)).toBe(true);
  });
});
