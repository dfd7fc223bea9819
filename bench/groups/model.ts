/**
 * The model alone, in process: a `Cluster` built from a scenario file and run, with no reports
 * written (interval records go to a sink that drops them). What the whole-process scenario figures
 * add on top (start-up, a worker thread loading the model, the reports) is left out, so these
 * figures follow the hot path of the simulation itself.
 *
 * - `model.peer-model`: the peer model (bench/scenarios/peer-model.yaml, 2 M requests).
 * - `model.pods4.<policy>`, `model.pods4000.<policy>`: bench/scenarios/pods-scale.yaml at 4 and
 *   4,000 single-worker pods on one node, 100 requests/s per pod, the same number of requests at
 *   both sizes; `model.scale.<policy>` is the cost per request at 4,000 pods over that at 4 (the
 *   issue's target: within 1.5x). The two sizes run alternately, so other load falls on both alike.
 *   The source-hashing schedulers (ipvs-sh, ipvs-mh) run a load they can spread (`hashedLoad`).
 *
 * - `model.<scenario>.fresh` and `.warm` (baseline, rolling-update, random-crashes, keepalive-skew):
 *   every policy of the shipped scenario run one after another in a fresh process, as one thread
 *   of `svcsim run` would; `.fresh` is that first pass, JIT warm-up included (most of what these
 *   short runs cost), `.warm` a second pass over the same policies in the same process.
 *
 * Each other sample builds a fresh Cluster (not timed) and times `run()` in CPU time of this
 * process; one untimed run first lets the JIT settle. Requests are every arrival simulated. `run()` also
 * starts the pods (0.1 CPU-s for 4,000), so a scale sample subtracts a run of the same cluster over
 * 1/1,000 of the time: what is left is the cost of the requests.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Cluster } from "../../src/model/cluster.js";
import { SH_TABLE_BITS } from "../../src/model/node/kube-proxy/ipvs/sh.js";
import { loadScenario } from "../../src/scenario/load.js";
import type { PolicyName } from "../../src/scenario/types.js";
import { figure, type Figure } from "../lib/figures.js";
import { cpuNowMs } from "../lib/in-process.js";
import { distinctPolicies } from "./policies.js";

const PEER = "bench/scenarios/peer-model.yaml";
/** The shipped scenarios of issue 11's targets, whose runs are short enough for the JIT's warm-up to dominate. */
const SHIPPED = ["baseline", "rolling-update", "random-crashes", "keepalive-skew"];
const SCALE = "bench/scenarios/pods-scale.yaml";
/** 100 requests/s per pod (80 % busy at the scenario's 8 ms mean service time). */
const RATE_PER_POD = 100;

/** One run of `file` with `set` applied: requests simulated and CPU milliseconds of `run()`. */
export function runInProcess(file: string, set: readonly string[], policy?: PolicyName): { requests: number; cpuMs: number } {
  const scenario = loadScenario(file, { set, limits: false });
  const cluster = new Cluster(scenario, policy ?? scenario.policies[0], scenario.seed);
  for (const m of cluster.metrics) m.sink = () => {};
  const started = cpuNowMs();
  cluster.run();
  const cpuMs = cpuNowMs() - started;
  let requests = 0;
  for (const wl of cluster.workloads) requests += wl.arrived;
  return { requests, cpuMs };
}

/** The clients of a source-hashing scheduler's scale runs, at both sizes. */
export const HASHED_CLIENTS = 16 * 4_000;

/**
 * The load of `pods` pods under a source-hashing scheduler, which sends each client to one pod: the
 * scenario's 12 clients would reach at most 12 of 4,000 pods, and the figure would time an overload
 * (queues at their limit), not a large cluster. So 64,000 clients (16 per pod at 4,000) at both
 * sizes, so that only the pods change between them, and a rate the busiest pod can serve: Maglev's
 * 4,093 slots give ~2 % of 4,000 pods two slots (twice the mean load), hence 30 requests/s per pod
 * (24 % busy on average); sh's 256 buckets reach at most 256 pods, hence 50 requests/s for each pod
 * it can reach (40 % busy). Null for every other policy.
 */
export function hashedLoad(policy: PolicyName | undefined, pods: number): { clients: number; rate: number; perPod: number } | null {
  if (policy === "ipvs-mh") return { clients: HASHED_CLIENTS, rate: 30 * pods, perPod: 30 };
  if (policy === "ipvs-sh") return { clients: HASHED_CLIENTS, rate: 50 * Math.min(pods, 1 << SH_TABLE_BITS), perPod: 50 };
  return null;
}

/**
 * The `--set` overrides that make pods-scale.yaml `pods` pods simulating about `requests` requests
 * (under `policy`: see `hashedLoad`).
 */
export function scaleSettings(pods: number, requests: number, policy?: PolicyName): string[] {
  const hashed = hashedLoad(policy, pods);
  const rate = hashed?.rate ?? pods * RATE_PER_POD;
  const duration = requests / rate;
  const clients = hashed === null ? [] : [`workload[0].clients=${hashed.clients}`];
  return [`deployments[0].replicas=${pods}`, `workload[0].arrivals.rate=${rate}/s`, `duration=${duration}s`, `interval=${Math.min(1, duration)}s`, ...clients];
}

const rate = (r: { requests: number; cpuMs: number }) => r.requests / (r.cpuMs / 1000);

/** Requests per CPU-second of `pods` pods simulating `requests` requests, less the cost of starting them. */
function scaleRate(pods: number, requests: number, policy: PolicyName): number {
  const setup = runInProcess(SCALE, scaleSettings(pods, requests / 1_000, policy), policy);
  const run = runInProcess(SCALE, scaleSettings(pods, requests, policy), policy);
  return rate({ requests: run.requests - setup.requests, cpuMs: run.cpuMs - setup.cpuMs });
}

/**
 * Requests and CPU milliseconds of two passes over every policy of `file` in a fresh process (this
 * module run as a script, with the loader this process was started with): the first pass pays the
 * JIT's warm-up, the second runs compiled code.
 */
export function freshPasses(file: string): { requests: number; freshMs: number; warmMs: number } {
  const out = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), PASSES_FLAG, file], { encoding: "utf8" });
  if (out.status !== 0) throw new Error(`${file}: the fresh process failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split("\n").pop()!);
}

const PASSES_FLAG = "--two-passes";

/** The child's side of `freshPasses`, with `set` applied to the scenario. */
export function twoPasses(file: string, set: readonly string[] = []): { requests: number; freshMs: number; warmMs: number } {
  const scenario = loadScenario(file, { set, limits: false });
  const pass = () => scenario.policies.map((p) => runInProcess(file, set, p)).reduce((a, r) => ({ requests: a.requests + r.requests, cpuMs: a.cpuMs + r.cpuMs }));
  const fresh = pass();
  const warm = pass();
  return { requests: fresh.requests, freshMs: fresh.cpuMs, warmMs: warm.cpuMs };
}

if (process.argv[2] === PASSES_FLAG && process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(twoPasses(process.argv[3]))}\n`);
}

export interface ModelOptions {
  samples: number;
  /** Requests in a peer-model run (2 M is the scenario as shipped). */
  peerRequests: number;
  /** Requests per run at each cluster size. */
  scaleRequests: number;
  policies: readonly PolicyName[];
  log: (s: string) => void;
  /** Samples of the shipped scenarios' fresh and warm passes (0: not measured). */
  shippedSamples?: number;
}

export function measureModel(o: ModelOptions): Figure[] {
  const figures: Figure[] = [];
  const peerSet = [`duration=${o.peerRequests / 400}s`];
  runInProcess(PEER, peerSet); // JIT warm-up
  const peer: number[] = [];
  for (let i = 0; i < o.samples; i++) {
    peer.push(rate(runInProcess(PEER, peerSet)));
    o.log(".");
  }
  figures.push(
    figure(
      {
        id: "model.peer-model",
        title: `peer model in process (the model alone, no reports): ${(o.peerRequests / 1e6).toLocaleString("en")} M requests`,
        unit: "requests/cpu-s",
        better: "higher",
      },
      peer,
    ),
  );
  for (const policy of o.policies) {
    runInProcess(SCALE, scaleSettings(4, o.scaleRequests / 4, policy), policy);
    runInProcess(SCALE, scaleSettings(4_000, o.scaleRequests / 4, policy), policy);
    const at4: number[] = [];
    const at4000: number[] = [];
    for (let i = 0; i < o.samples; i++) {
      at4.push(scaleRate(4, o.scaleRequests, policy));
      at4000.push(scaleRate(4_000, o.scaleRequests, policy));
      o.log(".");
    }
    const spec = (pods: number) => ({
      id: `model.pods${pods}.${policy}`,
      title: `${policy}: whole model in process, ${pods.toLocaleString("en")} single-worker pods on 1 node, ${hashedLoad(policy, pods)?.perPod ?? RATE_PER_POD} requests/s each`,
      unit: "requests/cpu-s",
      better: "higher" as const,
    });
    figures.push(figure(spec(4), at4), figure(spec(4_000), at4000));
    figures.push(
      figure(
        { id: `model.scale.${policy}`, title: `${policy}: cost per request at 4,000 pods over 4 (paired runs)`, unit: "x", better: "lower", target: 1.5 },
        at4.map((r, i) => r / at4000[i]),
      ),
    );
  }
  for (const name of o.shippedSamples ? SHIPPED : []) {
    const fresh: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < o.shippedSamples!; i++) {
      const r = freshPasses(`scenarios/${name}.yaml`);
      fresh.push(r.requests / (r.freshMs / 1000));
      warm.push(r.requests / (r.warmMs / 1000));
      o.log(".");
    }
    const spec = (pass: string, what: string) => ({
      id: `model.${name}.${pass}`,
      title: `${name}: every policy in one fresh process, the model alone, ${what}`,
      unit: "requests/cpu-s",
      better: "higher" as const,
    });
    figures.push(figure(spec("fresh", "first pass (JIT warm-up included)"), fresh), figure(spec("warm", "second pass"), warm));
  }
  return figures;
}

/** The group as `npm run bench` runs it: every distinct policy in full mode, two in quick mode. */
export function modelGroup(quick: boolean, log: (s: string) => void): Figure[] {
  return measureModel(
    quick
      ? { samples: 3, peerRequests: 400_000, scaleRequests: 200_000, policies: ["random", "least-connections"], log, shippedSamples: 1 }
      : { samples: 5, peerRequests: 2_000_000, scaleRequests: 400_000, policies: distinctPolicies(), log, shippedSamples: 5 },
  );
}
