/**
 * What a task is expected to cost, before it runs: the requests its scenario expects (the same
 * estimate as the size limits). Used to hand the pool its longest tasks first, and to run a small
 * experiment in the main thread, where workers' start-up would cost more than they save. Only where tasks run depends on it, never what they produce.
 */
import { expectedRequests } from "../scenario/limits.js";
import type { Scenario } from "../scenario/types.js";

/** Expected requests of one run of `s` (one task), over warm-up and measured window. */
export function taskRequests(s: Scenario): number {
  return s.workload.reduce((a, w) => a + expectedRequests(w, s, s.warmup + s.duration), 0);
}

/**
 * The most expected requests of a task run in the main thread: about 1-2 CPU-seconds of model
 * (the peer model runs 2 M requests in ~0.75 CPU-s in process). A worker thread's start-up (a
 * fresh V8 isolate loading the model, ~0.1-0.15 CPU-s) buys nothing when one task runs alone; but
 * while a task runs in the main thread, Ctrl-C waits for it to end, so only short ones run there.
 */
export const INLINE_MAX_REQUESTS = 4_000_000;
/** Larger clusters cost more per request (EndpointSlices delivered to every node, many pods). */
export const INLINE_MAX_NODES = 100;
export const INLINE_MAX_PODS = 1_000;

/**
 * The most expected requests, all runs together, of an experiment of several runs that the main
 * thread runs one after another. Below this the pool saves no time: two workers each pay their
 * start-up and their own JIT warm-up (the first run of a fresh isolate costs 2-3x the later ones:
 * baseline's runs in one thread take 0.23, 0.17, 0.09 and 0.07 CPU-s), which is as much as the
 * runs themselves (baseline's four runs, 0.53 M requests: 1.9 CPU-s with two workers, a third
 * less in one thread). Ctrl-C is seen between runs. Sweeps of many runs keep the pool: its
 * start-up is spread over many runs there, and Ctrl-C stops mid-run.
 *
 * 1.25 M, not 1 M: the five shipped comparisons between the two (keepalive-skew 1.06 M expected,
 * overload-cascade 1.12, node-drain 1.18, node-failure 1.22, retries 1.01 in 8 runs) take 16-21 %
 * less CPU in one thread than in two workers (1.07 -> 0.83 CPU-s for keepalive-skew; medians of 5
 * alternating runs). The wall time is the price where a core would otherwise idle: two workers run
 * them side by side (keepalive-skew 0.55 s with the pool against 0.63 s in one thread on an idle
 * machine); on busy cores one thread was faster in wall time too.
 */
export const INLINE_MAX_TOTAL_REQUESTS = 1_250_000;
/** The most runs an experiment run in the main thread has: a policy comparison with a few replications. */
export const INLINE_MAX_RUNS = 8;

/**
 * Whether an experiment whose remaining tasks are `tasks` (their points' scenarios) runs in the
 * main thread rather than the worker pool: one small task, or a few whose expected requests add up
 * to little; none of them on a large cluster.
 */
export function runsInline(tasks: readonly Scenario[]): boolean {
  if (tasks.length === 0 || tasks.length > INLINE_MAX_RUNS) return false;
  const limit = tasks.length === 1 ? INLINE_MAX_REQUESTS : INLINE_MAX_TOTAL_REQUESTS;
  const total = tasks.reduce((a, s) => a + taskRequests(s), 0);
  return total <= limit && tasks.every(smallCluster);
}

function smallCluster(s: Scenario): boolean {
  const pods = s.deployments.reduce((a, d) => a + d.replicas, 0) + s.daemonSets.length * s.cluster.nodes;
  return s.cluster.nodes <= INLINE_MAX_NODES && pods <= INLINE_MAX_PODS;
}
