/**
 * Cost per request against cluster size: bench/scenarios/node-scaling.yaml (400 pods, 10 k
 * requests/s from the default 12 clients, so on nodes 0-11: the other nodes' kube-proxies only watch
 * and sync) on 1, 10, 100 and 1,000 nodes, for every policy, in this
 * process: the run alone, after a warm-up round (building 1,000 nodes takes a fixed ~15-80 ms per
 * run, whatever its length, and is left out; so are the reports). Two variants: steady
 * (no events) and with the scenario's rolling update, whose every EndpointSlice change reaches each
 * node's kube-proxy. A figure is measured requests per CPU-second; `.cost_1000_over_1` is the cost
 * per request on 1,000 nodes over that on 1 node (the issue's target: at most 1.5).
 */
import { Cluster } from "../../src/model/cluster.js";
import { loadScenario } from "../../src/scenario/index.js";
import type { PolicyName } from "../../src/scenario/types.js";
import { figure, type Figure } from "../lib/figures.js";
import { cpuNowMs } from "../lib/in-process.js";
import { distinctPolicies } from "./policies.js";

export const SCENARIO = "bench/scenarios/node-scaling.yaml";
export const NODE_COUNTS = [1, 10, 100, 1_000] as const;
export const VARIANTS = ["steady", "rollout"] as const;
export type Variant = (typeof VARIANTS)[number];

/** One run: measured requests per CPU-second of running the cluster. */
export function requestsPerCpuSecond(policy: PolicyName, nodes: number, variant: Variant): number {
  const s = loadScenario(SCENARIO, { set: [`cluster.nodes=${nodes}`] });
  const scenario = variant === "steady" ? { ...s, events: [] } : s;
  const cluster = new Cluster(scenario, policy, scenario.seed);
  const t = cpuNowMs();
  cluster.run();
  const ms = cpuNowMs() - t;
  return cluster.metrics.reduce((sum, m) => sum + m.arrivals, 0) / (ms / 1000);
}

export interface NodesOptions {
  policies: readonly PolicyName[];
  counts: readonly number[];
  variants: readonly Variant[];
  samples: number;
}

export function nodesOptions(quick: boolean): NodesOptions {
  return quick
    ? { policies: ["random"], counts: [1, 1_000], variants: ["steady"], samples: 3 }
    : { policies: distinctPolicies(), counts: NODE_COUNTS, variants: VARIANTS, samples: 3 };
}

/**
 * Runs the grid, alternating node counts within each sample so the machine's load hits them alike,
 * after one round whose figures are dropped (the first runs of a policy are JIT warm-up: ~3x slower).
 */
export function measureNodes(o: NodesOptions, log: (s: string) => void): Figure[] {
  const figures: Figure[] = [];
  for (const variant of o.variants) {
    for (const policy of o.policies) {
      const rates = new Map<number, number[]>(o.counts.map((n) => [n, []]));
      for (let i = -1; i < o.samples; i++) {
        for (const n of o.counts) {
          const r = requestsPerCpuSecond(policy, n, variant);
          if (i >= 0) rates.get(n)!.push(r);
        }
        log(".");
      }
      const id = `nodes.${policy}.${variant}`;
      const what = `${policy}, 400 pods at 10 k requests/s${variant === "rollout" ? " with a rolling update" : ""}`;
      for (const n of o.counts) {
        figures.push(figure({ id: `${id}.n${n}`, title: `${what}, ${n} nodes: requests per CPU-second (in process)`, unit: "requests/cpu-s", better: "higher" }, rates.get(n)!));
      }
      const first = rates.get(o.counts[0])!;
      const last = rates.get(o.counts[o.counts.length - 1])!;
      figures.push(
        figure(
          { id: `${id}.cost_${o.counts[o.counts.length - 1]}_over_${o.counts[0]}`, title: `${what}: cost per request on ${o.counts[o.counts.length - 1]} nodes over ${o.counts[0]}`, unit: "ratio", better: "lower", target: 1.5 },
          first.map((r, i) => r / last[i]),
        ),
      );
    }
  }
  return figures;
}
