/**
 * Helpers for the model's tests: a scenario from a YAML snippet (every default filled in by the
 * real schema) and a finished cluster run to inspect.
 */
import type { EventHandler } from "../engine/index.js";
import { parseScenario } from "../scenario/load.js";
import type { PolicyName, Scenario } from "../scenario/types.js";
import { Cluster } from "./cluster.js";
import type { Pod } from "./node/kubelet/pod.js";

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

/** Calls `check` every `step` seconds of simulated time, from `from` on (before or during the run). */
export function every(c: Cluster, step: number, from: number, check: (now: number) => void): void {
  const h: EventHandler = {
    onEvent(sim) {
      check(sim.now);
      sim.after(step, h);
    },
  };
  c.sim.at(from, h);
}

/** Calls `changed(pod)` after each change of a pod's conditions (Ready, terminating, gone). */
export function watchConditions(c: Cluster, changed: (pod: Pod, now: number) => void): void {
  const original = c.podConditionsChanged.bind(c);
  c.podConditionsChanged = (pod: Pod) => {
    original(pod);
    changed(pod, c.sim.now);
  };
}
