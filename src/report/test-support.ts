/**
 * For the report tests: a small reports folder written the way `svcsim run` writes one (scenario,
 * run, CSVs and run.json, then the derived reports), without spawning the command line.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compareRows } from "../experiment/compare.js";
import { taskInput } from "../experiment/execute.js";
import { resolveExperiment, type ExperimentOptions } from "../experiment/experiment.js";
import { runTask } from "../experiment/run-task.js";
import { pointTasks } from "../experiment/tasks.js";
import { StagedFolder, writeFolderAtomic } from "./atomic.js";
import { COMPARE_COLUMNS, type Row } from "./columns.js";
import { toCsv } from "./csv.js";
import { parseTable } from "./folder.js";
import { deriveReports, type DeriveOptions } from "./generate.js";
import { assembleReports, runJson, TASKS_DIR } from "./write.js";

/** Two Services, two policies, two replications; a crash, a rollout and a scale-up. */
export const FIXTURE_YAML = `
name: fixture
description: two Services; a crash, a rollout and a scale-up
duration: 40s
warmup: 5s
interval: 1s
replications: 2
policies: [random, round-robin]
cluster: { nodes: 2 }
services: [{ name: web, selector: { app: web } }, { name: api, selector: { app: api } }]
deployments:
  - { name: web, replicas: 3, labels: { app: web }, pod: { startup: 5s, readiness: {} } }
  - { name: api, replicas: 2, labels: { app: api }, pod: { readiness: {} } }
workload:
  - { service: web, arrivals: { type: poisson, rate: 200 } }
  - { service: api, arrivals: { type: poisson, rate: 50 } }
events:
  - { at: 15s, action: crash, pods: [web-0] }
  - { at: 25s, action: rollout, deployment: web, version: v2 }
  - { at: 30s, action: scale, deployment: api, replicas: 3 }
`;

/** Runs an experiment in this process (no worker threads) and writes its folder as `svcsim run` does. */
async function writeExperimentFolder(dir: string, yaml: string, experiment: ExperimentOptions, options: DeriveOptions): Promise<void> {
  const exp = resolveExperiment(yaml, "fixture.yaml", experiment);
  const replications = exp.scenario.replications as number;
  const stage = StagedFolder.stage(dir);
  const tasks = join(stage.dir, TASKS_DIR);
  mkdirSync(tasks);
  const results = exp.points.flatMap((p) => pointTasks(p.index, exp.scenario.policies, 0, replications).map((t) => runTask(taskInput(exp, t, tasks))));
  const stopReasons = exp.points.map(() => "fixed" as const);
  assembleReports(stage.dir, exp, results, stopReasons, 0.95);
  const meta = { file: "fixture.yaml", argv: ["svcsim", "run", "fixture.yaml"], wallMs: 0, confidence: 0.95, complete: true, tasks: results.length, stopReasons };
  writeFileSync(join(stage.dir, "run.json"), runJson(exp, results, meta));
  await deriveReports(stage.dir, options);
  stage.commit();
}

export async function writeFixtureFolder(dir: string, yaml = FIXTURE_YAML, options: DeriveOptions = {}): Promise<void> {
  await writeExperimentFolder(dir, yaml, {}, options);
}

/** The sweep of writeSweepFolder: each swept path, its values (as report cells) and how to write them. */
export const SWEEP = [
  { column: "cluster.proxy.minSyncPeriod", values: [0.5, 1, 2, 4], yaml: (v: number) => `${v}s` },
  { column: "deployments[0].pod.preStop", values: [0, 3], yaml: (v: number) => `${v}s` },
];

/** Writes a sweep folder over FIXTURE_YAML (SWEEP's full grid, first path outermost) as `svcsim run --sweep` does. */
export async function writeSweepFolder(dir: string, yaml = FIXTURE_YAML): Promise<void> {
  const sweep = SWEEP.map((p) => `${p.column}=${p.values.map(p.yaml).join(",")}`);
  await writeExperimentFolder(dir, yaml, { sweep }, {});
}

/**
 * A `svcsim compare` folder: compare.csv and run.json over two fixture folders written beside it
 * (`a`: FIXTURE_YAML; `b`: kube-proxy's minSyncPeriod 4 s and a third policy, so some rows are on
 * one side only), compared as `svcsim compare` compares them.
 */
export async function writeCompareFolder(root: string, shownAs = root): Promise<void> {
  const a = `${root}/a`;
  const b = `${root}/b`;
  // run.json names the folders as the command line did (`shownAs`: a path relative to the current folder).
  const [namedA, namedB] = [`${shownAs}/a`, `${shownAs}/b`];
  await writeFixtureFolder(a);
  await writeFixtureFolder(b, FIXTURE_YAML.replace("policies: [random, round-robin]", "policies: [random, round-robin, power-of-two]").replace("cluster: { nodes: 2 }", "cluster: { nodes: 2, proxy: { minSyncPeriod: 4s } }"));
  const [sa, sb] = [a, b].map((d) => parseTable("summary.csv", readFileSync(`${d}/summary.csv`, "utf8")).rows as Row[]);
  const rows = compareRows(sa, sb, 0.95);
  const files = new Map([
    ["compare.csv", toCsv(COMPARE_COLUMNS, rows)],
    ["run.json", JSON.stringify({ generator: "svcsim", svcsim: "test", complete: true, command: `svcsim compare ${namedA} ${namedB}`, a: namedA, b: namedB, confidence: 0.95, failOn: [] }, null, 2) + "\n"],
  ]);
  await writeFolderAtomic(`${root}/compare`, files, true, (tmp) => deriveReports(tmp));
}
