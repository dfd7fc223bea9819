/**
 * The report tables: every CSV column in order, with its meaning. These lists are the contract
 * with spreadsheet users (stable order, units in names); the README documents each column and a
 * test keeps the two in step.
 */

export interface Column {
  name: string;
  doc: string;
}

const col = (name: string, doc: string): Column => ({ name, doc });

const RUN_KEY: Column[] = [
  col("scenario", "scenario name"),
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
  col("retries", "retry attempts made for the measured requests"),
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
  col("marks", "what happened in the interval: rollout-start / rollout-end <deployment> <version>, separated by ';'"),
];

export type Row = Record<string, string | number>;
