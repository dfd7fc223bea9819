/**
 * Per app server in a cluster, the numbers its workers touch on every request (its busy time and the
 * work in service), in one row of a typed array indexed by server. Source of truth: server.ts.
 */
import { NO_EVENT } from "../../engine/index.js";

/**
 * With thousands of pods each request's server is out of cache when its turn comes: kept on the
 * server object, these doubles would be heap boxes of their own, each one more scattered object,
 * one more miss.
 *
 * A row holds the server's busy integral and when its busy count last changed, then, for each of its
 * workers, the event that ends the service of the work in that position (the event's payload is the
 * work, so the row needs no reference to it). Positions 0 .. busy - 1 are in service, in the order
 * an array with swap-removal keeps (the order in which a crash resets them).
 */
export class ServerRows {
  /**
   * Per server, from its row's offset r: at r its busy worker-seconds since its measured window
   * started (the whole run before that), at r + 1 when its busy count last changed, at r + 2 + p the
   * done event of the work at position p (NO_EVENT: none).
   */
  private slots: Float64Array<ArrayBuffer> = new Float64Array(128);
  private used = 0;

  /** A new server's row for `workers` workers, its integral at zero, nothing in service; returns its offset. */
  add(workers: number): number {
    const r = this.used;
    this.used += 2 + workers;
    if (this.used > this.slots.length) {
      const grown = new Float64Array(Math.max(this.used, 2 * this.slots.length));
      grown.set(this.slots);
      this.slots = grown;
    }
    this.slots.fill(NO_EVENT, r + 2, this.used);
    return r;
  }

  /** The busy worker-seconds of the server at r (see `slots`). */
  busyTime(r: number): number {
    return this.slots[r];
  }

  /** When the busy count of the server at r last changed. */
  lastChange(r: number): number {
    return this.slots[r + 1];
  }

  /** The server at r had `busy` workers busy since its last change: its integral is brought up to `now`. */
  advance(r: number, busy: number, now: number): void {
    const slots = this.slots;
    slots[r] += busy * (now - slots[r + 1]);
    slots[r + 1] = now;
  }

  /** The integral of the server at r restarts from zero (its measured window starts). */
  resetBusy(r: number): void {
    this.slots[r] = 0;
  }

  /** The work at position p of the server at r ends with event `done`. */
  hold(r: number, p: number, done: number): void {
    this.slots[r + 2 + p] = done;
  }

  /** The event that ends the service of the work at position p of the server at r. */
  doneEvent(r: number, p: number): number {
    return this.slots[r + 2 + p];
  }

  /**
   * Position p of the server at r is vacated and `last` (its last position in service) moves into
   * it (as an array's swap-removal); returns the moved work's done event.
   */
  moveLast(r: number, last: number, p: number): number {
    const done = this.slots[r + 2 + last];
    this.slots[r + 2 + p] = done;
    this.slots[r + 2 + last] = NO_EVENT;
    return done;
  }

  /** Position p of the server at r holds nothing. */
  vacate(r: number, p: number): void {
    this.slots[r + 2 + p] = NO_EVENT;
  }
}
