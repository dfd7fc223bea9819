/**
 * For the report tests: a small reports folder written the way `svcsim run` writes one (scenario,
 * run, CSVs and run.json, then the derived reports), without spawning the command line.
 */
import { runScenario } from "../experiment/run.js";
import { parseScenario } from "../scenario/load.js";
import { writeFolderAtomic } from "./atomic.js";
import { deriveReports, type DeriveOptions } from "./generate.js";
import { reportFiles } from "./write.js";

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
  const scenario = parseScenario(yaml, "fixture.yaml", {});
  const output = runScenario(scenario);
  const files = reportFiles(scenario, output, { file: "fixture.yaml", wallMs: 0, argv: ["svcsim", "run", "fixture.yaml"] });
  await writeFolderAtomic(dir, files, true, (tmp) => deriveReports(tmp, options));
}
