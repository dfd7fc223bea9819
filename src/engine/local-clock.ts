/**
 * A component's own clock and event list, run forward only when the rest of the model reads it:
 * for a component whose events change nothing but its own state, read at a few instants, its events
 * need not pass through the simulation's event list. `runUntil(t)` fires, in (time, sequence)
 * order as the Simulation would, every event due before `t`, then sets the clock to `t`; events at
 * exactly `t` stay pending, as in `Simulation.run`. Handlers must read the time here (`now`), not
 * from the Simulation they are passed, which is ahead. Scheduling and cancelling cost O(pending):
 * it is for a component with a few events pending at a time (a kube-proxy's sync runner and its
 * watch deliveries in flight), not a general event list.
 */
import { NO_EVENT, type EventHandler, type EventId, type EventScheduler, type Simulation } from "./simulation.js";

export class LocalClock implements EventScheduler {
  private clock: number;
  // The pending events, side by side, latest first: the next one is at size - 1, so firing takes
  // it off the end, and most events a component schedules are due before the others it has pending.
  // The arrays only grow (a few entries): a shorter `length` would be a call into the runtime.
  private size = 0;
  private readonly times: number[] = [];
  private readonly ids: number[] = [];
  private readonly kinds: number[] = [];
  private readonly handlers: (EventHandler | null)[] = [];
  private readonly payloads: unknown[] = [];
  /** The next event's id, its sequence number: later scheduled, later fired among equal times. */
  private nextId = 0;
  /** Inside `runUntil`'s loop: a nested call (a handler reading the component) returns at once. */
  private firing = false;

  constructor(
    /** The simulation whose time this clock trails; passed to handlers, as the EventHandler interface wants. */
    private readonly sim: Simulation,
  ) {
    this.clock = sim.now;
  }

  /** This component's time: at most the simulation's. */
  get now(): number {
    return this.clock;
  }

  /** Events scheduled here and not yet fired or cancelled. */
  get pending(): number {
    return this.size;
  }

  /** Schedules an event at `time` (not before `now`); returns its id. */
  schedule(time: number, handler: EventHandler, kind = 0, payload: unknown = undefined): EventId {
    if (!(time >= this.clock)) throw new RangeError(`cannot schedule at ${time}: the local clock is at ${this.clock}`);
    const { times, ids, kinds, handlers, payloads } = this;
    // After (below) every pending event due at or before `time`: ties fire in the order scheduled.
    let i = this.size;
    for (; i > 0 && times[i - 1] <= time; i--) {
      times[i] = times[i - 1];
      ids[i] = ids[i - 1];
      kinds[i] = kinds[i - 1];
      handlers[i] = handlers[i - 1];
      payloads[i] = payloads[i - 1];
    }
    const id = this.nextId++;
    times[i] = time;
    ids[i] = id;
    kinds[i] = kind;
    handlers[i] = handler;
    payloads[i] = payload;
    this.size++;
    return id;
  }

  /** Cancels a pending event; a fired or cancelled one (or NO_EVENT) is ignored. */
  cancel(id: EventId): void {
    if (id === NO_EVENT) return;
    for (let i = 0; i < this.size; i++) {
      if (this.ids[i] !== id) continue;
      const { times, ids, kinds, handlers, payloads } = this;
      for (let j = i + 1; j < this.size; j++) {
        times[j - 1] = times[j];
        ids[j - 1] = ids[j];
        kinds[j - 1] = kinds[j];
        handlers[j - 1] = handlers[j];
        payloads[j - 1] = payloads[j];
      }
      this.release(--this.size);
      return;
    }
  }

  /** Fires every event due before `time`, in order, then moves the clock to `time` (never back). */
  runUntil(time: number): void {
    if (this.firing) return;
    this.firing = true;
    const times = this.times;
    while (this.size > 0 && times[this.size - 1] < time) {
      const last = --this.size;
      this.clock = times[last];
      const handler = this.handlers[last]!;
      const kind = this.kinds[last];
      const payload = this.payloads[last];
      this.release(last);
      handler.onEvent(this.sim, kind, payload);
    }
    this.firing = false;
    if (time > this.clock) this.clock = time;
  }

  /** Drops every pending event. */
  clear(): void {
    while (this.size > 0) this.release(--this.size);
  }

  /** Lets what a slot held be collected. */
  private release(i: number): void {
    this.handlers[i] = null;
    this.payloads[i] = undefined;
  }
}
