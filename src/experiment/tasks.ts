/**
 * The task grid: every (point, replication, policy) an experiment runs, in one deterministic order
 * (point, then replication, then policy as listed), which is also the order of every report's
 * rows. Shards are interleaved slices of it; replications until precise extend it round by round.
 */
import { estimate } from "../stats/compare.js";
import type { Row } from "../report/columns.js";
import type { PolicyName, PrecisionSpec } from "../scenario/types.js";
import { taskId, type TaskKey } from "./run.js";

export interface PlannedTask extends TaskKey {
  id: string;
}

/** The tasks of replications [from, to) of one point, replication-major. */
export function pointTasks(point: number, policies: readonly PolicyName[], from: number, to: number): PlannedTask[] {
  const out: PlannedTask[] = [];
  for (let replication = from; replication < to; replication++) {
    for (const policy of policies) out.push({ point, replication, policy, id: taskId({ point, replication, policy }) });
  }
  return out;
}

/** The whole grid of a fixed number of replications per point. */
export function taskGrid(points: number, policies: readonly PolicyName[], replications: number): PlannedTask[] {
  const out: PlannedTask[] = [];
  for (let p = 0; p < points; p++) out.push(...pointTasks(p, policies, 0, replications));
  return out;
}

/** Grid order: point, then replication, then the policy's place in the scenario's list. */
export function gridOrder(policies: readonly PolicyName[]): (a: TaskKey, b: TaskKey) => number {
  const rank = new Map(policies.map((p, i) => [p, i]));
  return (a, b) => a.point - b.point || a.replication - b.replication || rank.get(a.policy)! - rank.get(b.policy)!;
}

/** A shard: `index` of `count`, numbered from 1. */
export interface Shard {
  index: number;
  count: number;
}

/**
 * Shard k of n takes every n-th task of the grid starting at the k-th. Interleaving, rather than
 * cutting the grid into blocks, spreads costly points (more pods, longer runs) over all shards.
 */
export function shardSlice<T>(tasks: readonly T[], shard: Shard): T[] {
  return tasks.filter((_, i) => i % shard.count === shard.index - 1);
}

/** Why a point stopped adding replications. */
export type StopReason = "fixed" | "precise" | "max";

/**
 * Replications until precise: after `n` replications of a point (their summary rows in `rows`),
 * either stop, because for every policy and Service the interval of the metric is within the
 * target relative to its mean ("precise") or `max` is reached ("max"), or go on to `next`
 * replications. It depends on the rows alone, so it decides the same on any machine, with any
 * number of workers, and when a run is resumed.
 */
export function precisionStep(spec: PrecisionSpec, n: number, rows: readonly Row[], confidence: number): { stop: StopReason } | { next: number } {
  const groups = new Map<string, number[]>();
  for (const row of rows) {
    const k = `${row.policy}\u0000${row.service}`;
    let xs = groups.get(k);
    if (!xs) groups.set(k, (xs = []));
    xs.push(Number(row[spec.metric]));
  }
  const precise = groups.size > 0 && [...groups.values()].every((xs) => withinTarget(xs, spec.until, confidence));
  if (precise) return { stop: "precise" };
  if (n >= spec.max) return { stop: "max" };
  return { next: Math.min(spec.max, n + spec.batch) };
}

/** Half-width <= target x |mean|; a metric that never varies (all 0 drops) is precise, a missing interval is not. */
export function withinTarget(xs: readonly number[], target: number, confidence: number): boolean {
  const e = estimate(xs, confidence);
  if (e.n < 2 || !Number.isFinite(e.halfWidth)) return false;
  return e.halfWidth <= target * Math.abs(e.mean);
}
