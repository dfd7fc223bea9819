/**
 * The discrete-event kernel: a virtual clock and an event list, knowing nothing of Kubernetes.
 * Modelled on SimPy's core: scheduling is one push onto the event list, a step is one pop.
 *
 * Ordering contract: events fire in order of time; events at the same time fire in the order they
 * were scheduled (a monotonically increasing sequence number breaks ties), so a run is a pure
 * function of what was scheduled (and of the kinds given to pending events with `rekind`). Cancelled
 * events stay in the list and are skipped when they come up (lazy deletion).
 *
 * The event list allocates nothing per event: an event is a slot in parallel arrays (handler, kind,
 * payload), and a ladder queue (`ladder-queue.ts`) orders slot numbers by (time, sequence) kept in
 * typed arrays beside them, at a cost per event that stays flat however many are pending.
 * `schedule` names an event by a number; `at`/`after` wrap that number in a small `SimEvent` handle
 * for callers that prefer an object (one allocation, as before this list was typed).
 */
import { LadderQueue } from "./ladder-queue.js";

/**
 * Receives the events scheduled for it. `kind` is the handler's own number, given at `schedule` and
 * changeable while the event is pending (`rekind`): an event type, or where its work sits.
 */
export interface EventHandler {
  onEvent(sim: Simulation, kind: number, payload: unknown): void;
}

/**
 * Names one scheduled event, for `cancel`, `isPending`, `timeOf`, `rekind` and `payloadOf`. Stays unique for the life of
 * the simulation in practice: a slot's number is reused, but with a new generation, and freed
 * slots are reused oldest first from a reserve of at least `SLOT_RESERVE`, so a number can only
 * come back after about 2^26 generations x 1,024 = 6.9e10 further events (ids stay below 2^52).
 */
export type EventId = number;

/** An EventId field's value when no event is scheduled (no real id is negative). */
export const NO_EVENT: EventId = -1;

/**
 * What a component schedules its events on and reads the time from: the Simulation, or a clock of
 * the component's own that trails it (local-clock.ts).
 */
export interface EventScheduler {
  readonly now: number;
  schedule(time: number, handler: EventHandler, kind?: number, payload?: unknown): EventId;
  cancel(id: EventId): void;
}

/** A scheduled event's handle (see `at`). */
export class SimEvent {
  constructor(
    private readonly sim: Simulation,
    /** The event's number (see `schedule`). */
    readonly id: EventId,
    /** When it fires (or would have). */
    readonly time: number,
  ) {}

  /** True once the event has fired or been cancelled. */
  get done(): boolean {
    return !this.sim.isPending(this.id);
  }
}

/** Slot numbers take the low 26 bits of an EventId, the slot's generation the bits above. */
const SLOT_BITS = 26;
const SLOT_LIMIT = 2 ** SLOT_BITS;
/** Freed slots wait behind at least this many others before reuse (see `EventId`). */
const SLOT_RESERVE = 1024;

export class Simulation implements EventScheduler {
  private readonly queue = new LadderQueue();
  private live = 0;
  private stopped = false;
  // Initialised here, not only in the constructor: a field declared bare starts as undefined, and
  // V8 then keeps it as a tagged field that allocates a new heap number for every time stored. NaN,
  // not 0: a small integer would make V8 widen the field to a double at the first fractional time,
  // replacing the class's hidden class mid-run, and the next Simulation built in the process (the
  // next policy of a comparison) would then throw away the code of every object holding one.
  private clock = NaN;
  /** Events fired so far (cancelled ones are not counted). */
  eventCount = 0;

  // Per slot, side by side so that an event touches few cache lines: what to call (handler at 2s,
  // payload at 2s + 1), and the event's id at 2s with its kind at 2s + 1. A slot's id is its pending
  // event's (>= 0), or -1 - the id of its last event once that fired or was cancelled, so the next
  // id follows from it (the slot itself is freed only when the queue gives it back).
  private capacity = 0;
  private targets: unknown[] = [];
  private idKinds = new Float64Array(0);
  // Free slots, a FIFO ring (capacity a power of 2): oldest freed is reused first.
  private free = new Int32Array(0);
  private freeHead = 0;
  private freeCount = 0;

  constructor(startTime = 0) {
    this.clock = startTime;
    this.grow(2 * SLOT_RESERVE);
  }

  /** The current simulated time. */
  get now(): number {
    return this.clock;
  }

  /** Events scheduled and not yet fired or cancelled. */
  get pending(): number {
    return this.live;
  }

  /**
   * Schedules an event at an absolute time, which must not be in the past, and returns its number;
   * allocates nothing. When it fires, `handler.onEvent(sim, kind, payload)` is called.
   */
  schedule(time: number, handler: EventHandler, kind = 0, payload: unknown = undefined): EventId {
    // Kept short, the rare paths out of line, so that TurboFan inlines it into the model's handlers
    // more often (a call it does not inline boxes `time` and the returned id). The numbers are
    // SLOT_RESERVE, SLOT_LIMIT - 1 and 2^52 (the id limit) written out: a module constant is read
    // through a checked context slot, which lengthens the bytecode TurboFan weighs (295 -> 217 bytes).
    if (!(time >= this.clock) || this.freeCount <= 1024) this.makeRoom(time);
    const slot = this.free[this.freeHead];
    this.freeHead = (this.freeHead + 1) & (this.capacity - 1);
    this.freeCount--;
    const i = 2 * slot;
    const idKinds = this.idKinds;
    // The slot's last id (stored as -1 - id) plus one generation, wrapping after the last one.
    let id = 67108863 - idKinds[i];
    if (id >= 4503599627370496) id -= 4503599627370496;
    idKinds[i] = id;
    idKinds[i + 1] = kind;
    const targets = this.targets;
    targets[i] = handler;
    targets[i + 1] = payload;
    this.queue.push(time, slot);
    this.live++;
    return id;
  }

  /** `schedule`'s rare paths: a time in the past, or too few free slots. */
  private makeRoom(time: number): void {
    if (!(time >= this.clock)) throw this.inThePast(time);
    this.grow(this.capacity * 2);
  }

  /** `schedule` at `delay` (>= 0) after now. */
  scheduleAfter(delay: number, handler: EventHandler, kind = 0, payload: unknown = undefined): EventId {
    return this.schedule(this.clock + delay, handler, kind, payload);
  }

  /** Schedules an event at an absolute time, which must not be in the past; returns a handle to it. */
  at(time: number, handler: EventHandler, kind = 0, payload: unknown = undefined): SimEvent {
    return new SimEvent(this, this.schedule(time, handler, kind, payload), time);
  }

  /** Schedules an event `delay` (>= 0) after now; returns a handle to it. */
  after(delay: number, handler: EventHandler, kind = 0, payload: unknown = undefined): SimEvent {
    return this.at(this.clock + delay, handler, kind, payload);
  }

  /** Whether the event is still to fire (not fired, not cancelled). */
  isPending(id: EventId): boolean {
    return id >= 0 && this.idKinds[2 * slotOf(id)] === id;
  }

  /** When a pending event will fire; NaN if it fired or was cancelled. */
  timeOf(id: EventId): number {
    return this.isPending(id) ? this.queue.timeOf(slotOf(id)) : NaN;
  }

  /** Cancels a scheduled event; cancelling a fired or cancelled event does nothing. */
  cancel(ev: SimEvent | EventId | undefined | null): void {
    if (ev === undefined || ev === null || ev === NO_EVENT) return;
    const id = typeof ev === "number" ? ev : ev.id;
    if (!this.isPending(id)) return;
    const slot = slotOf(id);
    this.idKinds[2 * slot] = -1 - id;
    this.targets[2 * slot + 1] = undefined; // let the payload be collected before the slot comes up
    this.live--;
  }

  /**
   * Changes the kind a pending event will fire with; does nothing once it fired or was cancelled.
   * For a handler whose kinds are positions rather than types: when what the event is for moves,
   * the event follows it without being cancelled and scheduled again (which would change its tie order).
   */
  rekind(id: EventId, kind: number): void {
    if (this.isPending(id)) this.idKinds[2 * slotOf(id) + 1] = kind;
  }

  /** The payload a pending event will fire with; undefined once it fired or was cancelled. */
  payloadOf(id: EventId): unknown {
    return this.isPending(id) ? this.targets[2 * slotOf(id) + 1] : undefined;
  }

  /** Asks `run` to return after the event being handled. */
  stop(): void {
    this.stopped = true;
  }

  /** Time of the next live event, or Infinity when there is none. */
  peekTime(): number {
    this.dropCancelledHead();
    return this.queue.size === 0 ? Infinity : this.queue.topTime();
  }

  /** Fires the next live event; returns false when none is left. */
  step(): boolean {
    this.dropCancelledHead();
    if (this.queue.size === 0) return false;
    this.clock = this.queue.topTime();
    this.fire(this.queue.pop());
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
    this.loop(until);
    if (!this.stopped && until !== Infinity) this.clock = until;
  }

  /**
   * `run`'s loop, alone in its method: V8 compiles a long first run's loop while it runs (on-stack
   * replacement) and keeps that code for later calls; code after the loop, never reached before that
   * compile, had no type feedback, so every later `run` (a model calls it a few times per run)
   * entered the compiled loop and was thrown back to the interpreter at its end.
   */
  private loop(until: number): void {
    const queue = this.queue;
    while (!this.stopped && queue.size > 0) {
      const time = queue.topTime();
      if (time >= until) return;
      const slot = queue.pop();
      if (this.idKinds[2 * slot] < 0) this.release(slot);
      else {
        // The clock moves here rather than in a call taking the time: a double passed to a call
        // that is not inlined is boxed, one heap object per event.
        this.clock = time;
        this.fire(slot);
      }
    }
  }

  /** Fires the event in `slot`, which the queue has just given back; the clock is already at its time. */
  private fire(slot: number): void {
    const handler = this.targets[2 * slot] as EventHandler;
    const payload = this.targets[2 * slot + 1];
    const kind = this.idKinds[2 * slot + 1];
    this.idKinds[2 * slot] = -1 - this.idKinds[2 * slot]; // a late cancel() is then a no-op and keeps the live count right
    this.targets[2 * slot + 1] = undefined;
    this.release(slot);
    this.live--;
    this.eventCount++;
    handler.onEvent(this, kind, payload);
  }

  /** Built out of line: a template string over `time` in `schedule` made V8 box every time it was given. */
  private inThePast(time: number): RangeError {
    return new RangeError(`cannot schedule at ${time}: the clock is at ${this.clock}`);
  }

  /** Returns a slot the queue has given back to the free ring. */
  private release(slot: number): void {
    this.free[(this.freeHead + this.freeCount) & (this.capacity - 1)] = slot;
    this.freeCount++;
  }

  private dropCancelledHead(): void {
    const queue = this.queue;
    while (queue.size > 0 && this.idKinds[2 * queue.topSlot()] < 0) this.release(queue.pop());
  }

  /** Doubles the slot arrays; the new slots join the free ring. */
  private grow(capacity: number): void {
    if (capacity > SLOT_LIMIT) throw new RangeError(`more than ${SLOT_LIMIT} events pending at once`);
    const old = this.capacity;
    const idKinds = new Float64Array(2 * capacity);
    idKinds.set(this.idKinds);
    // A new slot's "last id" is the slot number itself (generation 0), so its first id is generation 1.
    for (let s = old; s < capacity; s++) idKinds[2 * s] = -1 - s;
    this.idKinds = idKinds;
    // Unroll the ring into the new array's start, then append the new slots.
    const free = new Int32Array(capacity);
    for (let i = 0; i < this.freeCount; i++) free[i] = this.free[(this.freeHead + i) % old];
    for (let s = old; s < capacity; s++) free[this.freeCount + s - old] = s;
    this.free = free;
    this.freeHead = 0;
    this.freeCount += capacity - old;
    for (let s = old; s < capacity; s++) this.targets.push(undefined, undefined);
    this.capacity = capacity;
    this.queue.reserve(capacity);
  }
}

function slotOf(id: EventId): number {
  return id % SLOT_LIMIT;
}
