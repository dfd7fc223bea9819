/**
 * For the report tests: a small reports folder written the way `svcsim run` writes one (scenario,
 * run, CSVs and run.json, then the derived reports), without spawning the command line.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { taskInput } from "../experiment/execute.js";
import { resolveExperiment } from "../experiment/experiment.js";
import { runTask } from "../experiment/run.js";
import { pointTasks } from "../experiment/tasks.js";
import { StagedFolder } from "./atomic.js";
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
  - { name: web, replicas: 3, labels: { app: web }, pod: { startup: 5s } }
  - { name: api, replicas: 2, labels: { app: api } }
workload:
  - { service: web, arrivals: { type: poisson, rate: 200 } }
  - { service: api, arrivals: { type: poisson, rate: 50 } }
events:
  - { at: 15s, action: crash, pods: [web-0] }
  - { at: 25s, action: rollout, deployment: web, version: v2 }
  - { at: 30s, action: scale, deployment: api, replicas: 3 }
`;

export async function writeFixtureFolder(dir: string, yaml = FIXTURE_YAML, options: DeriveOptions = {}): Promise<void> {
  const exp = resolveExperiment(yaml, "fixture.yaml");
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
