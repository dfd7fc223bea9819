/**
 * The discrete-event kernel: a virtual clock and an event list, knowing nothing of Kubernetes.
 * Modelled on SimPy's core: scheduling is one heap push, a step is one heap pop.
 *
 * Ordering contract: events fire in order of time; events at the same time fire in the order they
 * were scheduled (a monotonically increasing sequence number breaks ties), so a run is a pure
 * function of what was scheduled. Cancelled events stay in the heap and are skipped when popped
 * (lazy deletion). An event is a plain record naming a handler, a numeric kind and one payload,
 * so the loop allocates no closure per event.
 */
import FastPriorityQueue from "fastpriorityqueue";

/** Receives the events scheduled for it; `kind` tells the handler's own event types apart. */
export interface EventHandler {
  onEvent(sim: Simulation, kind: number, payload: unknown): void;
}

/** A scheduled event. Keep it only to cancel it. */
export class SimEvent {
  /** True once the event has fired or been cancelled. */
  done = false;
  constructor(
    public readonly time: number,
    public readonly seq: number,
    public readonly handler: EventHandler,
    public readonly kind: number,
    public readonly payload: unknown,
  ) {}
}

function earlier(a: SimEvent, b: SimEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

export class Simulation {
  private readonly queue = new FastPriorityQueue<SimEvent>(earlier);
  private seq = 0;
  private live = 0;
  private stopped = false;
  private clock: number;
  /** Events fired so far (cancelled ones are not counted). */
  eventCount = 0;

  constructor(startTime = 0) {
    this.clock = startTime;
  }

  /** The current simulated time. */
  get now(): number {
    return this.clock;
  }

  /** Events scheduled and not yet fired or cancelled. */
  get pending(): number {
    return this.live;
  }

  /** Schedules an event at an absolute time, which must not be in the past. */
  at(time: number, handler: EventHandler, kind = 0, payload: unknown = undefined): SimEvent {
    if (!(time >= this.clock)) {
      throw new RangeError(`cannot schedule at ${time}: the clock is at ${this.clock}`);
    }
    const ev = new SimEvent(time, this.seq++, handler, kind, payload);
    this.queue.add(ev);
    this.live++;
    return ev;
  }

  /** Schedules an event `delay` (>= 0) after now. */
  after(delay: number, handler: EventHandler, kind = 0, payload: unknown = undefined): SimEvent {
    return this.at(this.clock + delay, handler, kind, payload);
  }

  /** Cancels a scheduled event; cancelling a fired or cancelled event does nothing. */
  cancel(ev: SimEvent | undefined | null): void {
    if (ev && !ev.done) {
      ev.done = true;
      this.live--;
    }
  }

  /** Asks `run` to return after the event being handled. */
  stop(): void {
    this.stopped = true;
  }

  /** Time of the next live event, or Infinity when there is none. */
  peekTime(): number {
    this.dropCancelledHead();
    const head = this.queue.peek();
    return head === undefined ? Infinity : head.time;
  }

  /** Fires the next live event; returns false when none is left. */
  step(): boolean {
    this.dropCancelledHead();
    const ev = this.queue.poll();
    if (ev === undefined) return false;
    this.fire(ev);
    return true;
  }

  /**
   * Runs until the event list is empty, `stop()` is called, or the next event is at or after
   * `until`; then, unless stopped early, the clock is advanced to `until`. Events scheduled at
   * exactly `until` stay pending (as in SimPy), so consecutive runs compose.
   */
  run(until = Infinity): void {
    if (until < this.clock) throw new RangeError(`until (${until}) is before now (${this.clock})`);
    this.stopped = false;
    const queue = this.queue;
    while (!this.stopped) {
      const ev = queue.peek();
      if (ev === undefined || ev.time >= until) break;
      queue.poll();
      if (ev.done) continue;
      this.fire(ev);
    }
    if (!this.stopped && until !== Infinity) this.clock = until;
  }

  private fire(ev: SimEvent): void {
    this.clock = ev.time;
    this.live--;
    this.eventCount++;
    // Marked done so a late cancel() is a no-op and keeps the live count right.
    ev.done = true;
    ev.handler.onEvent(this, ev.kind, ev.payload);
  }

  private dropCancelledHead(): void {
    const queue = this.queue;
    let head = queue.peek();
    while (head !== undefined && head.done) {
      queue.poll();
      head = queue.peek();
    }
  }
}
