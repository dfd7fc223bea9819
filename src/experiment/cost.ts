/**
 * What a task is expected to cost, before it runs: the requests its scenario expects (the same
 * estimate as the size limits). Used to hand the pool its longest tasks first, and to run an
 * experiment of one small task in the main thread, where a worker's start-up would cost more than
 * it saves. Only where tasks run depends on it, never what they produce.
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
 * Whether an experiment whose remaining tasks are `tasks` (their points' scenarios) runs in the
 * main thread rather than the worker pool: exactly one task, and a small one.
 */
export function runsInline(tasks: readonly Scenario[]): boolean {
  if (tasks.length !== 1) return false;
  const s = tasks[0];
  const pods = s.deployments.reduce((a, d) => a + d.replicas, 0) + s.daemonSets.length * s.cluster.nodes;
  return taskRequests(s) <= INLINE_MAX_REQUESTS && s.cluster.nodes <= INLINE_MAX_NODES && pods <= INLINE_MAX_PODS;
}
