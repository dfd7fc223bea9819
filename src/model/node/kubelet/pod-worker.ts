/**
 * When the kubelet's pod worker gets round to a container whose restart is backed off
 * (pkg/kubelet/pod_workers.go completeWork). The sync that finds the backoff running fails with a
 * CrashLoopBackOff error and the pod is requeued; the kubelet's sync loop picks requeued pods up
 * on its 1 s tick. Up to v1.33 the requeue is the generic error backoff, 10 s plus up to 50 %
 * jitter, so a restart comes up to 15 s after its backoff ran out (kubernetes#123602). From v1.34
 * (#133066) the requeue is for the backoff's expiry (at most the 60 s resync interval away), with
 * the same 50 % jitter on that wait.
 */
import type { RandomStream } from "../../../random/index.js";
import type { CrashLoopRecheck } from "../../../scenario/types.js";
import type { CrashLoopBackOff } from "./crash-loop-backoff.js";

/** kubelet.go backOffPeriod: the pod worker's wait after a failed sync. */
export const WORKER_BACKOFF = 10;
/** pod_workers.go workerBackOffPeriodJitterFactor: wait.Jitter adds up to this fraction. */
export const WORKER_JITTER = 0.5;
/** kubelet.go: the resync interval, the longest a requeue waits from v1.34 on. */
export const RESYNC_INTERVAL = 60;
/** The sync loop's ticker that picks up requeued pods. */
export const SYNC_TICK = 1;

/**
 * The time the kubelet restarts a container that exited at `exitedAt`, given a sync at `syncAt`
 * that found it in backoff. Draws the sync tick's phase, then one jitter per requeue.
 */
export function backedOffRestartAt(
  backoff: CrashLoopBackOff,
  exitedAt: number,
  syncAt: number,
  recheck: CrashLoopRecheck,
  rng: RandomStream,
): number {
  const phase = rng.random() * SYNC_TICK;
  const expiry = backoff.expiresAt(exitedAt);
  let t = syncAt;
  while (backoff.inBackOff(exitedAt, t)) {
    const wait = recheck === "periodic" ? WORKER_BACKOFF : Math.min(Math.max(expiry - t, 0), RESYNC_INTERVAL);
    const requeuedFor = t + wait * (1 + WORKER_JITTER * rng.random());
    // The first sync-loop tick at or after the requeue time; always later than t.
    t = Math.max(phase + Math.ceil((requeuedFor - phase) / SYNC_TICK) * SYNC_TICK, t + Number.EPSILON * Math.max(1, t));
  }
  return t;
}
