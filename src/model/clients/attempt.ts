/**
 * One attempt of a client request: the plain record that travels through kube-proxy to a pod.
 * A retry is a new attempt carrying the original arrival time, so every arrival ends exactly once
 * (on its last attempt) while each attempt can be reset, refused or timed out on its own.
 * Records are recycled through an AttemptPool, so a run allocates none per request once warm.
 */
import { NO_EVENT, type EventId } from "../../engine/index.js";
import type { Balancer, CloseKind } from "../node/kube-proxy/balancer.js";
import type { Connection } from "./connection.js";
import type { Pod } from "../node/kubelet/pod.js";
import type { Client } from "./client.js";
import type { Outcome } from "../../scenario/types.js";

/** Attempt.flags: this attempt is a counted retry, holding one of its client's active retries. */
export const HOLDS_RETRY = 1;
/** Attempt.flags: its request has had its one transparent retry. */
export const TRANSPARENT_USED = 2;

/**
 * Where an attempt's times and event ids live: a row of ROW doubles in a block of BLOCK rows; in
 * the row its arrival, sent time, deadline, timeout event, end, transit and delivery event. As
 * fields, each double would be a heap box of its own, away from the record (V8 does not keep
 * doubles inside objects): with thousands of pods a request's record is out of cache when it
 * ends, and its boxes were one or two more misses; the row is one line. The accessors write the
 * offsets out: a module constant is a checked context read, which lengthens the bytecode TurboFan
 * weighs when it inlines them into every function on the request path.
 */
const ROW = 8;
const BLOCK = 1024;

export class Attempt {
  client!: Client;
  /** 0 for the first attempt. */
  number = 0;
  /** Whether the arrival falls in the measured window. */
  measured = false;
  /**
   * The measured window's interval its request arrived in, where its outcome counts: set by its
   * Service's metrics when a measured request arrives (computed once, not again at its end), and
   * passed on to its retries.
   */
  interval = 0;
  /** Set once this attempt has an outcome; a pod still holding it then just finishes the work. */
  ended = false;
  /** The app holds it (queued or in service): the record is reused only once the app lets go. */
  held = false;
  pod: Pod | null = null;
  /** The balancer that chose the pod, told when the connection closes (least-connections counts). */
  balancer: Balancer | null = null;
  /** That pod's id, for the balancer when the connection closes (without a read of the pod, by then out of cache). */
  podId = -1;
  /** Set when its connection was never established: CLOSE_REFUSED or CLOSE_UNANSWERED. */
  failedHow: CloseKind | null = null;
  /** The keep-alive connection carrying this attempt, if any. */
  connection: Connection | null = null;
  /** Retry bookkeeping (retry-policy.ts): HOLDS_RETRY, TRANSPARENT_USED. */
  flags = 0;
  /** An outcome on its way back from another zone (see transit), and the event that brings it (deliverEvent). */
  arriving: Outcome = "ok";
  /** The next spare record while this one is in its AttemptPool. */
  nextSpare: Attempt | null = null;
  /** The block holding this record's times and its row's offset there (see ROW). */
  private readonly times: Float64Array<ArrayBuffer>;
  private readonly row: number;

  /** A record whose times are at `row` of `times` (by default a block of its own), NaN until written. */
  constructor(client: Client, number: number, measured: boolean, times = new Float64Array(ROW).fill(NaN), row = 0) {
    this.times = times;
    this.row = row;
    this.init(client, number, measured);
  }

  /** Arrival time of the original request, seconds. */
  get arrival(): number {
    return this.times[this.row];
  }
  set arrival(t: number) {
    this.times[this.row] = t;
  }

  /** When this attempt was sent. */
  get sentAt(): number {
    return this.times[this.row + 1];
  }
  set sentAt(t: number) {
    this.times[this.row + 1] = t;
  }

  /** When the client gives up on it (Infinity: never), set by its workload when it is sent. */
  get deadline(): number {
    return this.times[this.row + 2];
  }
  set deadline(t: number) {
    this.times[this.row + 2] = t;
  }

  /** Its client timeout's pending event, NO_EVENT for none. */
  get timeoutEvent(): EventId {
    return this.times[this.row + 3];
  }
  set timeoutEvent(id: EventId) {
    this.times[this.row + 3] = id;
  }

  /** When its request ended (set by its workload as it reports the request's outcome). */
  get endedAt(): number {
    return this.times[this.row + 4];
  }
  set endedAt(t: number) {
    this.times[this.row + 4] = t;
  }

  /** Seconds its outcome takes to come back on top of the pod's work: the round trips to another zone. */
  get transit(): number {
    return this.times[this.row + 5];
  }
  set transit(t: number) {
    this.times[this.row + 5] = t;
  }

  /** The event that brings an outcome back from another zone (see `arriving`), NO_EVENT for none. */
  get deliverEvent(): EventId {
    return this.times[this.row + 6];
  }
  set deliverEvent(id: EventId) {
    this.times[this.row + 6] = id;
  }

  /**
   * Makes this record a fresh attempt (every field as the constructor leaves it) but for its two
   * times, `arrival` and `sentAt`, which the caller stores (a double passed to a call V8 does not
   * inline is boxed, a heap object per request), and `endedAt` and `arriving`, which keep the last
   * request's values until this one ends and writes them before anything reads them.
   */
  init(client: Client, number: number, measured: boolean): this {
    this.client = client;
    this.number = number;
    this.measured = measured;
    this.interval = 0;
    this.deadline = Infinity;
    this.ended = false;
    this.held = false;
    this.pod = null;
    this.balancer = null;
    this.podId = -1;
    this.failedHow = null;
    this.connection = null;
    this.flags = 0;
    this.timeoutEvent = NO_EVENT;
    this.transit = 0;
    this.deliverEvent = NO_EVENT;
    return this;
  }

  /**
   * Whether its workload must look at its timeout once its work is known to end at `workDoneAt`
   * (Infinity: unknown): a timeout event is pending, or its deadline comes before its answer would
   * reach the client. Otherwise there is nothing to do, and the app spares itself the call. Asked by
   * an app that holds it, so its pod is reachable (a pod whose node is down holds nothing and takes
   * nothing): the pod is not read, which with thousands of pods is a cache miss on every request.
   */
  timeoutDue(workDoneAt: number): boolean {
    return this.timeoutEvent !== NO_EVENT || this.deadline < workDoneAt + this.transit;
  }
}

/**
 * Spare attempt records. An attempt goes back once its workload is done with it (it ended, and was
 * retried or finished) and no app holds it; nothing else keeps a reference past that point.
 */
export class AttemptPool {
  // A stack threaded through the spare records (the last released is taken first), not an array:
  // each run's fresh empty array would start with another hidden class than the last run's full
  // one, and V8 would throw away the code it compiled for the pool.
  private spare: Attempt | null = null;
  /** The block new records take their rows from, and its next free row's offset. */
  private block = new Float64Array(0);
  private nextRow = 0;

  /** A fresh attempt record; the caller stores its `arrival` and `sentAt` (see `Attempt.init`). */
  take(client: Client, number: number, measured: boolean): Attempt {
    const a = this.spare;
    if (a === null) return this.fresh(client, number, measured);
    this.spare = a.nextSpare;
    a.nextSpare = null;
    return a.init(client, number, measured);
  }

  /** A new record, its times in the next row of the current block (a new one once it is full). */
  private fresh(client: Client, number: number, measured: boolean): Attempt {
    if (this.nextRow === this.block.length) {
      this.block = new Float64Array(BLOCK * ROW).fill(NaN);
      this.nextRow = 0;
    }
    const a = new Attempt(client, number, measured, this.block, this.nextRow);
    this.nextRow += ROW;
    return a;
  }

  release(a: Attempt): void {
    if (a.client === undefined) throw new Error("an attempt record was released twice: a model bug");
    a.client = undefined!; // nothing reaches a spare record's client, pod or connection
    a.pod = null;
    a.balancer = null;
    a.connection = null;
    a.nextSpare = this.spare;
    this.spare = a;
  }
}
