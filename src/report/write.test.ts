/**
 * assembleReports knows where each run is in the timeseries.csv it assembles (from what each task
 * noted as it wrote its rows), so the derived reports need not scan the file: that layout must be
 * what scanSeries finds, or null (the file is then scanned) when it cannot be known.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveExperiment } from "../experiment/experiment.js";
import { taskInput } from "../experiment/execute.js";
import type { TaskResult } from "../experiment/run.js";
import { runTask } from "../experiment/run-task.js";
import { gridOrder, taskGrid } from "../experiment/tasks.js";
import { scanSeries } from "./series.js";
import { assembleReports, TASKS_DIR } from "./write.js";

const tmp = mkdtempSync(join(tmpdir(), "svcsim-write-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const scenario = `
name: layout
duration: 30s
warmup: 2s
policies: [random, round-robin]
replications: 2
services: [{ name: web, selector: { app: web } }, { name: api, selector: { app: api } }]
deployments:
  - { name: web, replicas: 3, labels: { app: web } }
  - { name: api, replicas: 2, labels: { app: api } }
workload:
  - { service: web, arrivals: { type: poisson, rate: 20/s }, timeout: 2s }
  - { service: api, arrivals: { type: poisson, rate: 5/s }, timeout: 2s }
events:
  - { at: 8s, action: crash, pods: [web-0] }
  - { at: 15s, action: rollout, deployment: api, version: v2 }
`;

/** Runs every task of the experiment into a fresh folder's tasks folder; returns the folder and the results in grid order. */
function runAll(text: string, opts: { sweep?: string[]; set?: string[] } = {}): { dir: string; exp: ReturnType<typeof resolveExperiment>; results: TaskResult[] } {
  const exp = resolveExperiment(text, "layout.yaml", opts);
  const dir = mkdtempSync(join(tmp, "run-"));
  mkdirSync(join(dir, TASKS_DIR));
  const replications = typeof exp.scenario.replications === "number" ? exp.scenario.replications : 1;
  const tasks = taskGrid(exp.points.length, exp.scenario.policies, replications).sort(gridOrder(exp.scenario.policies));
  const results = tasks.map((t) => runTask(taskInput(exp, t, join(dir, TASKS_DIR))));
  return { dir, exp, results };
}

describe("the time series layout assembleReports returns", () => {
  it("is what scanSeries finds: runs, byte ranges, rows, marked rows, policies", () => {
    const { dir, exp, results } = runAll(scenario);
    const layout = assembleReports(dir, exp, results, ["fixed"], 0.95, { keepTasks: true });
    const scanned = scanSeries(join(dir, "timeseries.csv"));
    expect(layout).toEqual(scanned);
    expect(scanned.runs).toHaveLength(8); // 2 policies x 2 replications x 2 Services
    expect(scanned.runs.some((r) => r.marked.length > 0)).toBe(true); // the crash and the rollout
  });

  it("is what scanSeries finds for a sweep whose setting cells are quoted", () => {
    const { dir, exp, results } = runAll(scenario, { sweep: ["deployments[0].replicas=2,4"], set: ["policies=[random, round-robin]", "replications=1"] });
    const layout = assembleReports(dir, exp, results, ["fixed", "fixed"], 0.95, { keepTasks: true });
    const scanned = scanSeries(join(dir, "timeseries.csv"));
    expect(layout).toEqual(scanned);
    expect(new Set(scanned.runs.map((r) => r.point))).toEqual(new Set([0, 1]));
  });

  it("is null, and the file is scanned, for a task file without the notes (an older svcsim) or whose bytes do not add up", () => {
    const { dir, exp, results } = runAll(scenario, { set: ["replications=1", "policies=[random]"] });
    const old = results.map((r, i) => (i === 0 ? { ...r, series: undefined } : r));
    expect(assembleReports(dir, exp, old, ["fixed"], 0.95, { keepTasks: true })).toBeNull();
    const off = results.map((r) => ({ ...r, series: r.series?.map((s, k) => (k === 0 ? { ...s, bytes: s.bytes + 1 } : s)) }));
    expect(assembleReports(dir, exp, off, ["fixed"], 0.95, { keepTasks: true })).toBeNull();
    expect(assembleReports(dir, exp, results, ["fixed"], 0.95, { keepTasks: true })).toEqual(scanSeries(join(dir, "timeseries.csv")));
  });
});
