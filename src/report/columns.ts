/**
 * The report tables: every CSV column in order, with its meaning. These lists are the contract
 * with spreadsheet users (stable order, units in names); the README documents each column and a
 * test keeps the two in step.
 */
import { HEADLINE_METRICS, type Scenario } from "../scenario/types.js";

export interface Column {
  name: string;
  doc: string;
}

const col = (name: string, doc: string): Column => ({ name, doc });

/** Where the setting columns (one per swept or `--set` path) go in every table: right after these. */
const POINT_KEY: Column[] = [
  col("scenario", "scenario name"),
  col("point", "sweep point number, from 0 (always 0 without a sweep); the setting columns that follow give its values"),
];

const RUN_KEY: Column[] = [
  ...POINT_KEY,
  col("policy", "balancing policy"),
  col("replication", "replication number, from 0"),
  col("seed", "the seed of this replication (the scenario's seed plus the replication number)"),
];

const DROPS = (what: string): Column[] => [
  col("dropped_refused", `${what} refused: the connection reached a pod that was not accepting (crashed, or shutting down after SIGTERM)`),
  col("dropped_reset", `${what} reset: the pod died or was killed while holding them, or a keep-alive connection had been closed`),
  col("dropped_overload", `${what} turned away by a pod whose workers and queue were full`),
  col("dropped_timeout", `${what} that hit the client timeout (or, on an established connection to a dead node, the kernel's 924.6 s retransmission limit)`),
  col("dropped_no_endpoints", `${what} rejected because the node's view had no usable endpoint`),
  col("dropped_unreachable", `${what} whose new connection got no answer (connect timeout) or an ICMP host-unreachable: the pod had exited and its IP was released, or its node was down`),
];

export const SUMMARY_COLUMNS: Column[] = [
  ...RUN_KEY,
  col("service", "Service the workload calls"),
  col("requests", "requests that arrived in the measured window"),
  col("ok", "of those, answered (after retries, if any)"),
  col("dropped", "of those, failed for good: the sum of the dropped_* columns"),
  col("drop_rate", "dropped / requests"),
  ...DROPS("requests"),
  col("retries", "retry attempts made for the measured requests, transparent ones included"),
  col("latency_mean_ms", "mean latency of answered requests, from arrival to answer including retries, ms"),
  col("latency_p50_ms", "median latency, ms (histogram: within 1% relative error)"),
  col("latency_p90_ms", "90th percentile latency, ms"),
  col("latency_p99_ms", "99th percentile latency, ms"),
  col("latency_max_ms", "largest latency, ms (exact)"),
  col("load_max_over_mean", "load skew: busiest pod's load over the mean load (1 is perfectly even); load = requests received per second Ready, over pods Ready at least half the window"),
  col("load_cv", "coefficient of variation of the pods' load (population standard deviation over mean)"),
  col("jain_index", "Jain's fairness index of the pods' load, 1/n..1 (1 is perfectly even)"),
  col("throughput_rps", "answered requests per second of the measured window"),
  col("mean_in_system", "time-average number of measured requests in the system (Little's law: equals arrival rate x mean time in system)"),
  col("pods_in_skew", "pods the load skew is computed over"),
  col("events", "simulation events processed in the run (all services)"),
];

/** summary.csv's columns for a cluster whose nodes are in zones (cluster.zones), after the others. */
export const ZONE_SUMMARY_COLUMNS: Column[] = [
  col("cross_zone_requests", "measured request attempts sent to a pod in another zone than the client's"),
  col("cross_zone_share", "cross_zone_requests over the measured attempts sent to a pod (0: all stayed in their zone)"),
];

/** summary.csv's column for a scenario with a Service of internalTrafficPolicy Local, or externalTrafficPolicy Local on a NodePort or LoadBalancer Service, after the others. */
export const LOCAL_POLICY_SUMMARY_COLUMNS: Column[] = [
  col("no_local_endpoint_drops", "measured attempts whose new connection a node DROPped for want of a local endpoint: the client's node under internalTrafficPolicy Local, or the node an external connection reached under externalTrafficPolicy Local; their clients saw no answer, so they are among dropped_timeout and dropped_unreachable"),
];

/** The values a scenario's sweep gives the paths `matches` accepts (swept paths in `--set` syntax). */
function sweptValues(s: Scenario, matches: (path: string) => boolean): unknown[] {
  return s.sweep.flatMap((axis) => ("zip" in axis ? axis.zip : [axis])).flatMap((p) => (matches(p.path) ? p.values : []));
}

/** Whether the scenario's nodes are in zones at some point (summary.csv gains the zone columns, and zones.csv is written). */
export const isZoned = (s: Scenario): boolean =>
  s.cluster.zones.length > 0 || sweptValues(s, (p) => /^cluster\.zones\b/.test(p)).some((v) => !(Array.isArray(v) && v.length === 0));

/** Whether a Service has a Local traffic policy at some point: internal, or external on a NodePort or LoadBalancer Service. */
const usesLocalPolicy = (s: Scenario): boolean =>
  s.services.some((svc) => svc.internalTrafficPolicy === "Local" || (svc.type !== "ClusterIP" && svc.externalTrafficPolicy === "Local")) ||
  sweptValues(s, (p) => /(internal|external)TrafficPolicy$/.test(p)).includes("Local");

/** summary.csv's columns for a scenario whose clients retry (retries.count > 0 or retries.transparent), after the others. */
export const RETRY_SUMMARY_COLUMNS: Column[] = [
  col("retries_transparent", "of the retries, gRPC transparent retries of attempts that never left the client (retries.transparent), not counted against retries.count"),
  col("retries_denied", "retries the retry budget refused (Envoy's upstream_rq_retry_overflow): the request ended with the failure it would have retried"),
  col("retries_exhausted", "requests that failed for good on an outcome they retry, with all retries.count retries spent"),
  col("rescued", "requests answered after at least one failed attempt: what the retries bought"),
];

/** Whether any workload retries, or a sweep sets retries: summary.csv then says which retries were spent. */
export const retries = (s: Scenario): boolean =>
  s.workload.some((w) => w.retries.count > 0 || w.retries.transparent) || sweptValues(s, (p) => p.includes("retries")).length > 0;

/** summary.csv's columns for a scenario: the standard ones, then the topology and retry columns it needs (none for most). */
export function summaryColumns(s: Scenario): Column[] {
  return [
    ...SUMMARY_COLUMNS,
    ...(isZoned(s) ? ZONE_SUMMARY_COLUMNS : []),
    ...(usesLocalPolicy(s) ? LOCAL_POLICY_SUMMARY_COLUMNS : []),
    ...(retries(s) ? RETRY_SUMMARY_COLUMNS : []),
  ];
}

/** The summary metrics of the topology columns, aggregated, compared and usable in `--fail-on` where a folder has them. */
export const TOPOLOGY_METRICS = ["cross_zone_share", "no_local_endpoint_drops"] as const;

/** The summary metrics aggregate.csv and paired.csv give statistics of: the headline ones, plus the topology ones the scenario reports. */
export function reportedMetrics(s: Scenario): string[] {
  return [...HEADLINE_METRICS, ...(isZoned(s) ? [TOPOLOGY_METRICS[0]] : []), ...(usesLocalPolicy(s) ? [TOPOLOGY_METRICS[1]] : [])];
}

export const POD_COLUMNS: Column[] = [
  ...RUN_KEY,
  col("pod", "pod name: <deployment>-<n>, numbered in creation order"),
  col("deployment", "deployment the pod belongs to"),
  col("version", "pod template version"),
  col("node", "node index the pod ran on"),
  col("created_s", "simulated time the pod was created, s"),
  col("gone_s", "simulated time the pod was gone for good, s (empty: still there at the end)"),
  col("restarts", "container restarts (crashes followed by CrashLoopBackOff)"),
  col("received", "measured requests that reached the pod's app"),
  col("served", "of those, answered by this pod"),
  col("dropped", "measured request attempts that failed at this pod (refused, reset, overload, timeout, unreachable)"),
  col("busy_s", "worker-seconds spent serving during the measured window, s"),
  col("ready_s", "seconds the pod was a Ready endpoint during the measured window, s"),
  col("utilization", "busy_s / (concurrency x measured window)"),
  col("received_per_ready_rps", "received / ready_s: the load used for skew, requests per second"),
];

export const TIMESERIES_COLUMNS: Column[] = [
  ...RUN_KEY,
  col("service", "Service the workload calls"),
  col("t_start_s", "interval start, simulated seconds since the run began (the warm-up included)"),
  col("t_end_s", "interval end, s"),
  col("arrivals", "requests that arrived in the interval; the outcome columns count these same requests"),
  col("ok", "of those, answered"),
  col("dropped", "of those, failed for good"),
  col("drop_rate", "dropped / arrivals (empty when no arrivals)"),
  ...DROPS("requests"),
  col("retries", "retry attempts of those requests"),
  col("latency_mean_ms", "mean latency of the requests answered during the interval, ms"),
  col("latency_p50_ms", "median latency of the requests answered during the interval, ms"),
  col("latency_p99_ms", "99th percentile latency of the requests answered during the interval, ms"),
  col("ready_endpoints", "Ready endpoints in the Service's published EndpointSlice at the interval's end"),
  col("stale_nodes", "live nodes whose kube-proxy rules lag that slice at the interval's end"),
  col("in_flight", "requests of this Service in the system at the interval's end"),
  col("load_max_over_mean", "skew of the requests received in the interval by the pods Ready at its end"),
  col("load_cv", "coefficient of variation of the same"),
  col("jain_index", "Jain's fairness index of the same"),
  col("rollouts_in_progress", "rollouts under way at the interval's end"),
  col("marks", "what happened in the interval: rollout-start / rollout-end <deployment> <version>, crash <pod> (a random crash of a crashes event), hpa <name> <from>-><to> <metric> <value>/<target>, separated by ';'"),
];

export const ROLLOUT_COLUMNS: Column[] = [
  ...RUN_KEY,
  col("service", "Service whose requests are counted (one row per rollout and Service that selects the rolled pods)"),
  col("owner", "Deployment or DaemonSet rolled out"),
  col("rollout", "the owner's rollouts in the run, numbered from 1"),
  col("version", "version label of the new pod template"),
  col("started_s", "simulated time the rollout started, s"),
  col("completed_s", "simulated time every pod ran the new template and was available, s (empty: not completed by the end of the run)"),
  col("duration_s", "completed_s - started_s, s (empty when not completed)"),
  col("requests", "measured requests that arrived from the start until the rollout completed (plus the pause before the next rollout of a series)"),
  col("ok", "of those, answered"),
  col("failed", "of those, failed for good: the sum of the dropped_* columns"),
  ...DROPS("requests"),
  col("success_rate", "ok / requests (empty when no request arrived): the figure the Kubernetes e2e test checks per rollout"),
  col("meets_e2e_threshold", "1 when success_rate >= 0.95 (the e2e LoadBalancer rolling-update test's minSuccessRate), else 0; empty without requests"),
];

export type Row = Record<string, string | number>;

/**
 * A table's columns with one column per swept or `--set` path inserted after `point`. A path named
 * like one of the table's own columns (`--set replications=5`, a sweep of `seed`) is not repeated:
 * the table's column (the replications aggregated, the seed a run used) tells it.
 */
export function withSettings(columns: readonly Column[], settingColumns: readonly string[]): Column[] {
  const at = columns.findIndex((c) => c.name === "point") + 1;
  if (at === 0) throw new Error("withSettings: the table has no point column");
  const own = new Set(columns.map((c) => c.name));
  const settings = settingColumns.filter((name) => !own.has(name)).map((name) => col(name, "the value of this swept or --set path at the point (durations in s, rates per s)"));
  return [...columns.slice(0, at), ...settings, ...columns.slice(at)];
}

const STAT_SUFFIXES: [string, string][] = [
  ["mean", "mean over the replications"],
  ["sd", "sample standard deviation over the replications (empty for one)"],
  ["ci_low", "low end of the confidence interval of the mean (Student t)"],
  ["ci_high", "high end of the confidence interval of the mean"],
];

/** aggregate.csv's columns when it aggregates `metrics` (reportedMetrics). */
export function aggregateColumns(metrics: readonly string[]): Column[] {
  return [
    ...POINT_KEY,
    col("policy", "balancing policy"),
    col("service", "Service the workload calls"),
    col("replications", "replications aggregated (runs of this policy at this point)"),
    col("stop_reason", "why replications stopped: fixed (the count asked for), precise (the interval reached the target), max (the maximum was reached first)"),
    col("confidence", "confidence level of the intervals, e.g. 0.95"),
    ...metrics.flatMap((m) => STAT_SUFFIXES.map(([suffix, doc]) => col(`${m}_${suffix}`, `${m}: ${doc}`))),
  ];
}

export const AGGREGATE_COLUMNS: Column[] = aggregateColumns(HEADLINE_METRICS);

/** zones.csv (written when the nodes are in zones): one row per run, Service and zone. */
export const ZONE_COLUMNS: Column[] = [
  ...RUN_KEY,
  col("service", "Service the workload calls"),
  col("zone", "zone name (cluster.zones)"),
  col("nodes", "nodes in the zone at the end of the run (nodes that failed included)"),
  col("clients", "the Service's clients on the zone's nodes"),
  col("pods", "the Service's pods ever placed in the zone"),
  col("sent", "measured request attempts the zone's clients sent to a pod"),
  col("sent_cross_zone", "of those, sent to a pod in another zone"),
  col("cross_zone_share", "sent_cross_zone / sent (empty when sent is 0)"),
  col("received", "measured request attempts sent to the zone's pods, from any zone"),
  col("received_share", "received over all the measured attempts sent to a pod: the zone's share of the load"),
  col("ready_s", "seconds the zone's pods were Ready endpoints during the measured window, summed over its pods, s"),
  col("received_per_ready_rps", "requests that reached the zone's pods per pod-second Ready: the load on each of its pods, requests per second (empty without a Ready pod)"),
];

export const PAIRED_COLUMNS: Column[] = [
  ...POINT_KEY,
  col("service", "Service the workload calls"),
  col("metric", "the summary.csv metric compared"),
  col("policy", "the policy compared with the baseline"),
  col("baseline", "the baseline policy (compare.baseline, or the first policy)"),
  col("pairs", "replications in which both policies have a value"),
  col("policy_mean", "mean of the metric for the policy"),
  col("baseline_mean", "mean of the metric for the baseline"),
  col("diff_mean", "mean of the per-replication differences policy - baseline"),
  col("diff_sd", "sample standard deviation of those differences"),
  col("diff_ci_low", "low end of the paired-t confidence interval of the difference"),
  col("diff_ci_high", "high end of the paired-t confidence interval of the difference"),
  col("diff_relative", "diff_mean / baseline_mean (empty when the baseline mean is 0)"),
  col("excludes_zero", "1 when the interval excludes 0 (a difference beyond noise), 0 when it contains 0, empty without an interval"),
  col("confidence", "confidence level of the interval"),
];

export const COMPARE_COLUMNS: Column[] = [
  col("point", "sweep point number"),
  col("policy", "balancing policy"),
  col("service", "Service the workload calls"),
  col("metric", "the summary.csv metric compared"),
  col("a_replications", "replications on side a (the first folder)"),
  col("b_replications", "replications on side b (the second folder)"),
  col("a_mean", "mean of the metric on side a"),
  col("b_mean", "mean of the metric on side b"),
  col("diff", "b_mean - a_mean"),
  col("diff_relative", "diff / a_mean (empty when a_mean is 0)"),
  col("diff_ci_low", "low end of Welch's confidence interval of the difference (empty unless both sides have 2 or more replications)"),
  col("diff_ci_high", "high end of Welch's confidence interval of the difference"),
  col("verdict", "better or worse (the interval excludes 0, or without intervals the values differ), no clear change, only in a, only in b"),
];
