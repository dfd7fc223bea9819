/**
 * Runs a resolved scenario: every replication, and in each every policy on the same seed, so the
 * policies see the same arrivals (common random numbers). A run is a pure function of the scenario
 * and its seed, so replications can later move to worker threads or other machines.
 */
import { Cluster } from "../model/cluster.js";
import type { RunRows } from "../report/rows.js";
import { runRows } from "../report/rows.js";
import type { PolicyName, Scenario } from "../scenario/types.js";

export interface RunInfo {
  policy: PolicyName;
  replication: number;
  seed: number;
  events: number;
  wallMs: number;
}

export interface ScenarioOutput extends RunRows {
  runs: RunInfo[];
}

/** The seed of replication r: the scenario's seed plus r (kept small so spreadsheets show it exactly). */
export function replicationSeed(scenario: Scenario, replication: number): number {
  return scenario.seed + replication;
}

/** One policy, one replication: builds the cluster, runs it, returns its rows. */
export function runOnce(scenario: Scenario, policy: PolicyName, replication: number): { rows: RunRows; info: RunInfo } {
  const seed = replicationSeed(scenario, replication);
  const started = performance.now();
  const cluster = new Cluster(scenario, policy, seed);
  cluster.run();
  const rows = runRows(cluster, replication);
  const info = { policy, replication, seed, events: cluster.sim.eventCount, wallMs: performance.now() - started };
  return { rows, info };
}

export function runScenario(scenario: Scenario, onRun?: (info: RunInfo) => void): ScenarioOutput {
  const out: ScenarioOutput = { summary: [], pods: [], timeseries: [], runs: [] };
  for (let r = 0; r < scenario.replications; r++) {
    for (const policy of scenario.policies) {
      const { rows, info } = runOnce(scenario, policy, r);
      out.summary.push(...rows.summary);
      out.pods.push(...rows.pods);
      out.timeseries.push(...rows.timeseries);
      out.runs.push(info);
      onRun?.(info);
    }
  }
  return out;
}
