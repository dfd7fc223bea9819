/**
 * The kubelet's CrashLoopBackOff for one container (kuberuntime_manager.go doBackOff,
 * flowcontrol.Backoff): the first crash restarts at once and starts a 10 s backoff; each later
 * crash waits the current backoff, counted from the crash, then doubles it up to 300 s. A crash more
 * than 600 s after the backoff was last raised starts afresh.
 */

const BACKOFF_INITIAL = 10;
const BACKOFF_MAX = 300;
const BACKOFF_RESET_AFTER = 2 * BACKOFF_MAX;

export class CrashLoopBackOff {
  /** Restarts so far (the pod's restartCount). */
  restarts = 0;
  /** Current delay (0 = none yet) and when it was last raised. */
  private delay = 0;
  private raisedAt = -Infinity;

  /** The delay from a crash at `crashedAt` to the restart; raises the backoff for the next crash. */
  next(crashedAt: number): number {
    if (crashedAt - this.raisedAt > BACKOFF_RESET_AFTER) this.delay = 0;
    const delay = this.delay;
    this.delay = this.delay === 0 ? BACKOFF_INITIAL : Math.min(2 * this.delay, BACKOFF_MAX);
    this.raisedAt = crashedAt;
    this.restarts++;
    return delay;
  }
}
