/**
 * The kubelet's CrashLoopBackOff for one container (kuberuntime_manager.go doBackOff over
 * flowcontrol.Backoff, kubelet.go): before restarting a container the kubelet looks at its last exit;
 * while less than the current backoff has passed since it, the restart waits. Each restart
 * (`next`) sets the backoff to `initial` for the first, else doubles it up to `max`. An exit more than
 * 600 s after the backoff was last raised (HasExpiredFunc) starts afresh. Defaults 10 s and 300 s;
 * 1 s and 60 s with ReduceDefaultCrashLoopBackOffDecay.
 */

/** kubelet.go: HasExpiredFunc forgives a container that ran 600 s since its last restart. */
const RESET_AFTER = 600;

export class CrashLoopBackOff {
  /** Current backoff; 0 while the container has no entry (it never restarted after an exit). */
  private backoff = 0;
  /** When the backoff was last raised: the restart's time (flowcontrol's lastUpdate). */
  private lastUpdate = -Infinity;

  constructor(
    private readonly initial: number,
    private readonly max: number,
  ) {}

  /** IsInBackOffSince: a container that exited at `exitedAt` may not restart yet at `now`. */
  inBackOff(exitedAt: number, now: number): boolean {
    if (this.backoff === 0 || exitedAt - this.lastUpdate > RESET_AFTER) return false;
    return now - exitedAt < this.backoff;
  }

  /** When the backoff for an exit at `exitedAt` runs out. */
  expiresAt(exitedAt: number): number {
    return exitedAt + this.backoff;
  }

  /** Next: the kubelet restarts, at `now`, a container that exited at `exitedAt`. */
  next(exitedAt: number, now: number): void {
    this.backoff = this.backoff === 0 || exitedAt - this.lastUpdate > RESET_AFTER ? this.initial : Math.min(2 * this.backoff, this.max);
    this.lastUpdate = now;
  }
}
