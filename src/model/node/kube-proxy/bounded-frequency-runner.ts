/**
 * kube-proxy's sync runner: BoundedFrequencyRunner (pkg/util/async/bounded_frequency_runner.go, up to
 * v1.33) and v1.34's pkg/proxy/runner. `Run()` only asks: a non-blocking send into a one-slot channel,
 * so a request made while one waits, or while a sync runs, merges into the one pending. The loop's
 * `tryRun` then calls syncProxyRules, which takes the changes tracked so far when it starts
 * (`endpointsMap.Update(endpointsChanges)` in the iptables and ipvs proxiers), not when it was asked for.
 * Here a request is served after the events already due at its instant, so changes delivered at one
 * instant make one sync with the newest state. `tryRun`: a token (a bucket at 1/minInterval holding
 * `burst`) runs at once, none retries at lastRun + minInterval, lastRun being when the sync returned.
 * v1.34's runner has no tokens and always waits minInterval after a sync returns: `burst` 1.
 * One runner per node serves every Service.
 */
import { NO_EVENT, type EventHandler, type EventId, type EventScheduler } from "../../../engine/index.js";

/** What the runner runs: kube-proxy's syncProxyRules. */
export interface Runnable {
  /** Starts a sync; returns how long writing the rules takes, seconds (0: they are in place now). */
  syncProxyRules(): number;
  /** The rules of a sync that took time are now in place. */
  rulesWritten(): void;
}

/** The loop takes the pending request (after the events already due at that instant). */
const REQUEST = 0;
/** The retry timer went off: the pending request is served now. */
const TIMER = 1;
/** The sync under way has written its rules. */
const WRITTEN = 2;

export class BoundedFrequencyRunner implements EventHandler {
  private tokens: number;
  private lastRefill: number;
  /** When the last sync returned. */
  private lastRun = -Infinity;
  /** The pending request's event (REQUEST, or the retry TIMER); NO_EVENT when none is pending. */
  private event: EventId = NO_EVENT;
  /** The end of the sync under way; NO_EVENT when none is. */
  private writing: EventId = NO_EVENT;
  /** A run was asked for while a sync was under way: the channel's one slot is full. */
  private wanted = false;
  /** When the sync under way started, and when it writes its rules (meaningful while `writing` is set). */
  private writeStart = NaN;
  private writeEnd = NaN;

  constructor(
    /** The simulation, or the proxy's own clock when nothing reads its rules per connection. */
    private readonly sim: EventScheduler,
    private readonly minInterval: number,
    private readonly burst: number,
    private readonly target: Runnable,
  ) {
    this.lastRefill = sim.now;
    this.tokens = burst;
  }

  /** Asks for a sync (Run): merged into the request already pending, if any. */
  run(): void {
    if (this.writing !== NO_EVENT) this.wanted = true;
    else if (this.event === NO_EVENT) this.event = this.sim.schedule(this.sim.now, this, REQUEST);
  }

  stop(): void {
    this.sim.cancel(this.event);
    this.sim.cancel(this.writing);
  }

  /**
   * Whether the sync under way writes its rules at exactly `time`, in an event that fires before a
   * reader's event at `time` scheduled at `instant` (from an event at that instant, or before any of
   * its events fired). Events at one time fire in the order they were scheduled, and a sync's end
   * is scheduled when it starts; a start at `instant` itself comes after the reader was scheduled,
   * as a request is served after the events already due at its instant.
   */
  writesBefore(time: number, instant: number): boolean {
    return this.writing !== NO_EVENT && this.writeEnd === time && this.writeStart < instant;
  }

  // Times are read from this.sim, not from the simulation passed: a proxy's own clock trails it.
  onEvent(_sim: unknown, kind: number): void {
    const sim = this.sim;
    if (kind === REQUEST) {
      this.event = NO_EVENT;
      this.tryRun();
    } else if (kind === TIMER) {
      // Served after the events due now, as a request is: a change delivered at this instant is in it.
      this.event = sim.schedule(sim.now, this, REQUEST);
    } else {
      this.writing = NO_EVENT;
      this.lastRun = sim.now;
      this.target.rulesWritten();
      if (this.wanted) {
        this.wanted = false;
        this.run();
      }
    }
  }

  /** tryRun: a sync now if a token is there (always minInterval after the last one), else at that time. */
  private tryRun(): void {
    const now = this.sim.now;
    const next = this.lastRun + this.minInterval;
    this.refill();
    if (now >= next || (this.burst > 1 && this.tokens >= 1)) {
      this.tokens = Math.max(0, this.tokens - 1);
      const writeTime = this.target.syncProxyRules();
      if (writeTime > 0) {
        this.writeStart = now;
        this.writeEnd = now + writeTime;
        this.writing = this.sim.schedule(this.writeEnd, this, WRITTEN);
      } else this.lastRun = now;
    } else {
      this.event = this.sim.schedule(next, this, TIMER);
    }
  }

  private refill(): void {
    const now = this.sim.now;
    const period = this.minInterval;
    this.tokens = period > 0 ? Math.min(this.burst, this.tokens + (now - this.lastRefill) / period) : this.burst;
    this.lastRefill = now;
  }
}
