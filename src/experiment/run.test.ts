/**
 * A task streams its rows: long or finely sliced runs complete and write every interval's row,
 * in the report's order (Service by Service), and the task counts as done only once written.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { resolveExperiment } from "./experiment.js";
import { taskInput } from "./execute.js";
import { taskPart } from "./run.js";
import { runTask } from "./run-task.js";
import { pointTasks } from "./tasks.js";

const tmp = mkdtempSync(join(tmpdir(), "svcsim-task-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const scenario = (extra: string) => `
name: long
services: [{ name: web, selector: { app: web } }, { name: api, selector: { app: api } }]
deployments:
  - { name: web, replicas: 2, labels: { app: web } }
  - { name: api, replicas: 2, labels: { app: api } }
workload:
  - { service: web, arrivals: { type: poisson, rate: 5/s }, timeout: 2s }
  - { service: api, arrivals: { type: poisson, rate: 2/s }, timeout: 2s }
${extra}`;

function runOne(text: string) {
  const exp = resolveExperiment(text, "long.yaml");
  const dir = mkdtempSync(join(tmp, "t-"));
  const [task] = pointTasks(0, exp.scenario.policies, 0, 1);
  const result = runTask(taskInput(exp, task, dir));
  const csv = readFileSync(taskPart(dir, task.id, "timeseries"), "utf8");
  return { exp, dir, result, csv };
}

describe("a task's time series", () => {
  it("completes a 48-hour run with a row per interval and Service, Service by Service", () => {
    const { result, csv, dir } = runOne(scenario("duration: 48h\nwarmup: 10s\ninterval: 10s\nevents: [{ at: 3600s, action: crash, pods: [web-0] }]\n"));
    const rows = parse(csv) as string[][];
    expect(rows).toHaveLength(2 * 17_280);
    const services = rows.map((r) => r[5]);
    expect(services.slice(0, 17_280).every((s) => s === "web")).toBe(true);
    expect(services.slice(17_280).every((s) => s === "api")).toBe(true);
    expect(rows.slice(0, 3).map((r) => r[6])).toEqual(["10", "20", "30"]); // t_start_s in order
    // Every arrival is in exactly one row, and the rows add up to the summary.
    const web = result.summary.find((r) => r.service === "web")!;
    expect(rows.slice(0, 17_280).reduce((s, r) => s + Number(r[8]), 0)).toBe(web.requests);
    expect(rows.slice(0, 17_280).reduce((s, r) => s + Number(r[10]), 0)).toBe(web.dropped);
    expect(readdirSync(dir).sort()).toEqual([`${result.id}.json`, `${result.id}.pods.csv`, `${result.id}.rollouts.csv`, `${result.id}.timeseries.csv`]);
  });

  it("completes a 300 s run sliced into 1 ms intervals", () => {
    const { csv } = runOne(scenario("duration: 300s\nwarmup: 5s\ninterval: 1ms\n"));
    const lines = csv.split("\n");
    expect(lines).toHaveLength(2 * 300_000 + 1);
    expect(lines[299_999].split(",").slice(5, 8)).toEqual(["web", "304.999", "305"]); // the last web interval ends with the window
    expect(lines[300_000].split(",").slice(5, 8)).toEqual(["api", "5", "5.001"]);
  });
});
