/**
 * svcsim's size limits: checked on the resolved scenario before anything runs, so an absurd size
 * (a billion nodes, a rate of 10¹² per second) is a clear error instead of an out-of-memory abort
 * after hours. Each cap comes with its reason and what to do instead; the README states the same.
 * The caps were measured on a 2-core machine with Node 20 (see the README's "Limits" section);
 * `--no-limits` lifts them.
 */
import { makeDistribution } from "../random/distributions.js";
import type { ArrivalSpec, Scenario, WorkloadSpec } from "./types.js";
import { workloadPlans } from "./plan.js";
import { grouped } from "../util/plural.js";

export interface Limit {
  /** The most allowed. */
  cap: number;
  /** What is counted, as in "at most 5,000 nodes". */
  unit: string;
  /** Why the cap is there. */
  reason: string;
  /** What to do instead of going over it. */
  instead: string;
}

const NO_LIMITS = "or pass --no-limits if you know better";

/** The limits of `svcsim run` and `svcsim validate`. */
export const LIMITS = {
  nodes: {
    cap: 5_000,
    unit: "nodes",
    reason: "that is Kubernetes' largest supported cluster, and every endpoint change is one event per node",
    instead: "model only the nodes that run the pods and clients: the others add nothing",
  },
  pods: {
    cap: 100_000,
    unit: "pods created per run (initial, scale-ups, rollouts)",
    reason: "each pod is kept to the end (pods.csv has a row per pod) at about 6.5 KB, and placing them takes time that grows with the square of their number",
    instead: "use fewer replicas (or nodes, under a DaemonSet): how the load spreads over pods shows with tens of them",
  },
  clients: {
    cap: 1_000_000,
    unit: "clients",
    reason: "each client holds its state (and a keep-alive connection) for the whole run, about 100 bytes",
    instead: "use fewer clients: the arrival rate, not the number of clients, sets the load",
  },
  intervals: {
    cap: 1_000_000,
    unit: "time-series intervals per run",
    reason: "timeseries.csv gets a row per interval, and a spreadsheet shows at most 1,048,576 rows",
    instead: "use a longer interval",
  },
  timeseriesRows: {
    cap: 10_000_000,
    unit: "timeseries.csv rows per machine",
    reason:
      "each row takes 110-145 bytes on disk (twice over until the runs' files are joined, and timeseries_wide.csv about as much again per interval) and about 15 microseconds of CPU to build the reports; memory does not grow with them (the reports read them a run at a time): 10 million rows are 3-4 GB of disk and about 3 minutes of report building",
    instead: "use a longer interval, or split the runs over machines with --shard K/N",
  },
  requests: {
    cap: 1e10,
    unit: "expected requests per machine",
    reason: "svcsim simulates about 270,000 requests per second of wall time (npm run bench:model, slowest policy), fewer in large clusters: 10^10 requests take about 10 hours",
    instead: "shorten the duration or lower the rate (a drop rate needs thousands of requests, not billions), or split the runs over machines with --shard K/N",
  },
} as const satisfies Record<string, Limit>;

/** The limits of `svcsim demo` (an M/M/c queue on the bare kernel). */
export const DEMO_LIMITS = {
  arrivals: {
    cap: 1e10,
    unit: "expected arrivals (lambda x duration)",
    reason: "the kernel runs about 5 million arrivals per second of wall time: 10^10 take about half an hour, and the error against theory stops shrinking long before",
    instead: "use a shorter --duration",
  },
  workers: {
    cap: 1_000_000,
    unit: "workers",
    reason: "the Erlang C formula the demo compares with takes a step per worker",
    instead: "use fewer workers (-c)",
  },
} as const satisfies Record<string, Limit>;

/** One limit exceeded: the field to blame, what was found, and the limit. */
export interface LimitProblem {
  path: (string | number)[];
  found: string;
  limit: Limit;
}

/** `<field>: <what is wrong>: found X; allowed: Y` for a limit exceeded (the caller adds where). */
export function limitMessage(p: LimitProblem): string {
  const { limit } = p;
  return `over svcsim's limit of ${fmt(limit.cap)} ${limit.unit}, because ${limit.reason}: found ${p.found}; allowed: at most ${fmt(limit.cap)}; instead, ${limit.instead}; ${NO_LIMITS}`;
}

/** 1,000,000 with separators; 1e10 and up as a power of ten; small fractions to 3 digits. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (!Number.isInteger(n) && Math.abs(n) < 1000) return String(Number(n.toPrecision(3)));
  if (Math.abs(n) >= 1e10) return n.toPrecision(3).replace(/\.?0+e\+/, "e+").replace("e+", "e");
  return grouped(Math.round(n));
}

/** "1 replication", "70,000 replications". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${fmt(n)} ${n === 1 ? one : many}`;
}

/** Expected arrivals of one arrival process over [0, end) seconds (arrivals stop at the end of the measured window). */
export function expectedArrivals(a: ArrivalSpec, end: number): number {
  switch (a.type) {
    case "poisson":
    case "constant":
      return a.rate * end;
    case "bursty":
      return ((a.rateOn * a.meanOn + a.rateOff * a.meanOff) / (a.meanOn + a.meanOff)) * end;
    case "ramp": {
      // from until start, linear to `to` over `over` seconds, then `to`: integrate the pieces up to `end`.
      const rampEnd = a.start + a.over;
      const flat1 = Math.min(end, a.start) * a.from;
      const t = Math.max(0, Math.min(end, rampEnd) - a.start);
      const slope = a.over > 0 ? (a.to - a.from) / a.over : 0;
      const ramp = a.from * t + (slope * t * t) / 2;
      const flat2 = Math.max(0, end - Math.max(rampEnd, a.start)) * a.to;
      return flat1 + ramp + flat2;
    }
  }
}

/**
 * Expected requests of one workload over [0, end): its arrivals when open-loop; for closed-loop
 * clients an upper bound, each client at most one request per think time plus the shortest mean
 * service time of any pod, a Deployment's or a DaemonSet's (a response can be no faster).
 */
export function expectedRequests(w: WorkloadSpec, s: Scenario, end: number): number {
  if (w.arrivals !== null) return expectedArrivals(w.arrivals, end);
  if (w.clients.mode !== "closed") return 0;
  const think = makeDistribution(w.clients.thinkTime).mean;
  const service = Math.min(...[...s.deployments, ...s.daemonSets].map((d) => makeDistribution(d.pod.serviceTime).mean), Infinity);
  const cycle = think + (Number.isFinite(service) ? service : 0);
  return cycle > 0 ? (w.clients.count * end) / cycle : Infinity;
}

/**
 * The limits that must be checked on the raw document, before the schema: the schema fills
 * `cluster.clientWeights` with one entry per node, which for a billion nodes would exhaust memory.
 */
export function rawLimitProblems(raw: unknown): LimitProblem[] {
  const cluster = typeof raw === "object" && raw !== null ? (raw as { cluster?: unknown }).cluster : undefined;
  const nodes = typeof cluster === "object" && cluster !== null ? (cluster as { nodes?: unknown }).nodes : undefined;
  return typeof nodes === "number" && nodes > LIMITS.nodes.cap ? [{ path: ["cluster", "nodes"], found: fmt(nodes), limit: LIMITS.nodes }] : [];
}

/** The most replications a scenario may run per policy: the fixed count, or the `max` of replications until precise. */
export function maxReplications(s: Scenario): number {
  return typeof s.replications === "number" ? s.replications : s.replications.max;
}

/**
 * Every limit the scenario exceeds (empty when it fits). With `volume: false`, only what one run
 * holds (nodes, pods, clients, intervals); an experiment checks the volume over all its points.
 */
export function limitProblems(s: Scenario, opts: { volume?: boolean } = {}): LimitProblem[] {
  return opts.volume === false ? sizeProblems(s) : [...sizeProblems(s), ...volumeProblems([s], 1)];
}

/**
 * The limits on what a whole experiment produces, summed over its sweep points and shared by its
 * shards: expected requests and timeseries.csv rows.
 */
export function experimentLimitProblems(points: readonly Scenario[], shards = 1): LimitProblem[] {
  return volumeProblems(points, shards);
}

/** Nodes, pods, clients and intervals: what one run holds in memory. */
function sizeProblems(s: Scenario): LimitProblem[] {
  const out: LimitProblem[] = [];
  const nodeUps = s.events.filter((e) => e.action === "node-up").length;
  const nodes = s.cluster.nodes + nodeUps;
  if (nodes > LIMITS.nodes.cap) {
    out.push({ path: ["cluster", "nodes"], found: nodeUps ? `${fmt(nodes)} (${fmt(s.cluster.nodes)} + ${nodeUps} node-up)` : fmt(nodes), limit: LIMITS.nodes });
  }

  const plans = workloadPlans(s);
  const pods = plans.reduce((a, p) => a + p.podsCreated, 0);
  if (pods > LIMITS.pods.cap) {
    const top = plans.reduce((a, b) => (b.podsCreated > a.podsCreated ? b : a));
    out.push({ path: top.sizePath, found: `${fmt(pods)} (${fmt(top.podsCreated)} of them in ${top.spec.name})`, limit: LIMITS.pods });
  }

  const clients = s.workload.reduce((a, w) => a + w.clients.count, 0);
  if (clients > LIMITS.clients.cap) {
    const top = s.workload.reduce((best, w, i) => (w.clients.count > s.workload[best].clients.count ? i : best), 0);
    out.push({ path: ["workload", top, "clients"], found: fmt(clients), limit: LIMITS.clients });
  }

  const intervals = Math.ceil(s.duration / s.interval);
  if (intervals > LIMITS.intervals.cap) {
    out.push({ path: ["interval"], found: `${fmt(intervals)} (duration ${s.duration} s / interval ${s.interval} s)`, limit: LIMITS.intervals });
  }
  return out;
}

/** Timeseries rows and expected requests over every run of the scenarios (the points of a sweep), per shard. */
function volumeProblems(points: readonly Scenario[], shards: number): LimitProblem[] {
  const out: LimitProblem[] = [];
  const s = points[0];
  const runsOf = (p: Scenario) => p.policies.length * maxReplications(p);
  const intervalsOf = (p: Scenario) => Math.ceil(p.duration / p.interval);
  const perShard = shards > 1 ? ` / ${count(shards, "shard")}` : "";
  const detail = (one: string) =>
    (points.length > 1 ? `over ${count(points.length, "sweep point")}` : `${one} x ${count(s.policies.length, "policy", "policies")} x ${count(maxReplications(s), "replication")}`) + perShard;

  const rows = points.reduce((a, p) => a + intervalsOf(p) * p.services.length * runsOf(p), 0) / shards;
  if (intervalsOf(s) <= LIMITS.intervals.cap && rows > LIMITS.timeseriesRows.cap) {
    out.push({ path: ["interval"], found: `${fmt(rows)} (${detail(`${count(intervalsOf(s), "interval")} x ${count(s.services.length, "Service")}`)})`, limit: LIMITS.timeseriesRows });
  }

  const requestsOf = (p: Scenario) => p.workload.reduce((a, w) => a + expectedRequests(w, p, p.warmup + p.duration), 0) * runsOf(p);
  const requests = points.reduce((a, p) => a + requestsOf(p), 0) / shards;
  if (requests > LIMITS.requests.cap) {
    const end = s.warmup + s.duration;
    const perWorkload = s.workload.map((w) => expectedRequests(w, s, end));
    const top = perWorkload.reduce((best, n, i) => (n > perWorkload[best] ? i : best), 0);
    out.push({ path: ["workload", top, "arrivals"], found: `${fmt(requests)} (${detail(`${fmt((requests * shards) / runsOf(s) / end)}/s on average x ${fmt(end)} s`)})`, limit: LIMITS.requests });
  }
  return out;
}

/** The demo's options, as `svcsim demo` takes them. */
export interface DemoOptions {
  lambda: number;
  mu: number;
  c: number;
  duration: number;
}

/** Everything wrong with the demo's options, one `demo: <option>: <what is wrong>: found X; allowed: Y` line each. */
export function demoProblems(o: DemoOptions, limits = true): string[] {
  const out: string[] = [];
  const bad = (option: string, problem: string, found: string, allowed: string) => out.push(`demo: ${option}: ${problem}: found ${found}; allowed: ${allowed}`);
  if (!(o.lambda > 0)) bad("--lambda", "not a rate > 0", String(o.lambda), "an arrival rate per second > 0");
  if (!(o.mu > 0)) bad("--mu", "not a rate > 0", String(o.mu), "a service rate per worker per second > 0");
  if (!(Number.isInteger(o.c) && o.c >= 1)) bad("-c, --workers", "not a whole number >= 1", String(o.c), "a whole number of workers >= 1");
  if (!(o.duration > 0)) bad("--duration", "not a duration > 0", String(o.duration), "simulated seconds > 0");
  if (out.length === 0 && !(o.lambda < o.c * o.mu)) {
    bad("--lambda", "the queue is unstable: arrivals outpace the workers", `lambda ${o.lambda} with c x mu = ${o.c * o.mu}`, "lambda < c x mu");
  }
  if (limits && out.length === 0) {
    const over = (option: string, found: string, limit: Limit) => out.push(`demo: ${option}: ${limitMessage({ path: [], found, limit })}`);
    if (o.c > DEMO_LIMITS.workers.cap) over("-c, --workers", fmt(o.c), DEMO_LIMITS.workers);
    const arrivals = o.lambda * o.duration;
    if (arrivals > DEMO_LIMITS.arrivals.cap) over("--duration", `${fmt(arrivals)} (lambda ${fmt(o.lambda)}/s x ${fmt(o.duration)} s)`, DEMO_LIMITS.arrivals);
  }
  return out;
}
