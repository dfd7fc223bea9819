/**
 * Helpers for the model's tests: a scenario from a YAML snippet (every default filled in by the
 * real schema) and a finished cluster run to inspect.
 */
import { parseScenario } from "../scenario/load.js";
import type { PolicyName, Scenario } from "../scenario/types.js";
import { Cluster } from "./cluster.js";

export function scenarioFrom(yaml: string, set: string[] = []): Scenario {
  return parseScenario(yaml, "test.yaml", { set });
}

export function runCluster(s: Scenario, policy: PolicyName = s.policies[0], seed = s.seed): Cluster {
  const cluster = new Cluster(s, policy, seed);
  cluster.run();
  return cluster;
}

/** Sum of a Float64Array or number list. */
export const total = (xs: ArrayLike<number>): number => {
  let t = 0;
  for (let i = 0; i < xs.length; i++) t += xs[i];
  return t;
};

/** Mean and standard error of the mean of independent replications. */
export function meanAndError(xs: readonly number[]): { mean: number; se: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(variance / n) };
}
