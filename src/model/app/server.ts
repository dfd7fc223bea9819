/**
 * The app in a pod's container: a server with `concurrency` workers and a bounded queue, serving
 * each request for a time drawn from the template's service-time distribution. The kubelet's HTTP
 * probes reach it like any request (same queue, same workers). What it does at SIGTERM is the
 * app's choice, not the kubelet's: drain (keep accepting for drainDelay, then stop accepting, finish
 * what it holds and exit), exit at once (what it holds is reset), or ignore it until SIGKILL.
 */
import { NO_EVENT, type EventHandler, type EventId, type Simulation } from "../../engine/index.js";
import type { Outcome } from "../../scenario/types.js";
import type { PodTemplate } from "../api/pod-template.js";
import { Attempt } from "../clients/attempt.js";
import { ACCEPTED, OVERLOADED, REFUSED } from "../clients/offer.js";
import type { Pod } from "../node/kubelet/pod.js";
import type { ProbeRequest } from "../node/kubelet/prober/probe.js";
import { OpenConnections } from "./open-connections.js";
import type { ServerTimes } from "./server-times.js";
import { NO_CELL, type WorkQueues } from "./work-queues.js";

/** Where the app's answers go (the attempt's workload) and what the pod's kubelet needs to know. */
export interface AppHost {
  /** An attempt the app held has ended (`ok`, or `reset` when the app dropped it). */
  attemptEnded(attempt: Attempt, outcome: Outcome): void;
  /** Keep or drop the client-side timeout of an attempt whose work ends at `finishAt` (Infinity: unknown). */
  armTimeout(attempt: Attempt, finishAt: number): void;
  /** The app let go of an attempt that had already ended (timed out while queued or served): its record may be reused. */
  attemptReleased(attempt: Attempt): void;
  /** Where the cluster's app servers keep their busy-time integrals. */
  readonly serverTimes: ServerTimes;
  /** Where the cluster's app servers keep their queues. */
  readonly workQueues: WorkQueues;
}

/**
 * Work an app holds in service (an attempt or a probe) carries the links of its workers' list.
 * Lists threaded through the work itself cost the server no array of its own: with thousands of
 * pods, each array was one more scattered object touched per request. Queued work waits in the
 * cluster's WorkQueues instead (see there why).
 */
export interface HeldWork {
  prevHeld: HeldWork | null;
  nextHeld: HeldWork | null;
  /** The end of its service, while a worker serves it. */
  doneEvent: EventId;
}

/** What the app's workers serve: a client's request or a kubelet probe. */
type Work = Attempt | ProbeRequest;

const DONE = 0;
const STOP_ACCEPTING = 1;

export class AppServer implements EventHandler {
  /** The app listens and accepts new connections. */
  accepting = false;
  /** It stopped accepting after SIGTERM and exits once it holds nothing. */
  private draining = false;
  /** Its readiness endpoint answers with an error until then (a readiness-failure event). */
  private unreadyUntil = -Infinity;
  busy = 0;
  /** Client connections open to the app, closed gracefully when it drains. */
  readonly connections = new OpenConnections();
  // In service: a list in the order an array with swap-removal would keep (the order in which a
  // crash resets them). Queued: first in, first out, the first and last of its cells in `queues`.
  private serviceHead: Work | null = null;
  private serviceTail: Work | null = null;
  private queueHead = NO_CELL;
  private queueTail = NO_CELL;
  private readonly queues: WorkQueues;
  private queued = 0;

  // Metrics: counts over the measured window, the busy integral (in `times`) over the whole run.
  received = 0;
  served = 0;
  intervalReceived = 0;
  /** Busy worker-seconds before the measured window: with busyTime, the run's total (what metrics-server reads as CPU). */
  // NaN until the constructor sets it: a double from the start (README, "Time fields start as doubles").
  private busyBefore = NaN;
  /** Requests that reached the app over the whole run, measured or not (an app's requests counter). */
  admitted = 0;
  private readonly times: ServerTimes;
  /** This server's index in `times`. */
  private readonly index: number;

  constructor(
    private readonly sim: Simulation,
    /** The pod the app runs in (it exits through the pod's kubelet: `drained`). */
    private readonly pod: Pod,
    private readonly host: AppHost,
    private readonly template: PodTemplate,
  ) {
    this.busyBefore = 0;
    this.times = host.serverTimes;
    this.index = this.times.add();
    this.queues = host.workQueues;
  }

  /** Work held, requests and probes: in service plus queued (timed-out ones the app does not know about included). */
  get inFlight(): number {
    return this.busy + this.queued;
  }

  /** Busy worker-seconds over the measured window (over the run so far, before it starts). */
  get busyTime(): number {
    return this.times.busyTime(this.index);
  }

  /** The app has started: it listens. */
  listen(): void {
    this.accepting = true;
    this.draining = false;
  }

  /** Its process is gone: nothing listens. */
  stop(): void {
    this.accepting = false;
    this.draining = false;
  }

  /** Takes a request: a free worker serves it, else it queues, else the app answers 503. */
  admit(a: Attempt): number {
    // Counted by adding 0 or 1, not in a branch: the first requests, made before the measured window,
    // would leave a branch's increment without type feedback, and V8's code compiled for them would
    // be thrown away at the window's first request (see `finishService`).
    this.received += a.measured ? 1 : 0;
    this.intervalReceived++;
    this.admitted++;
    return this.take(a);
  }

  /**
   * A kubelet HTTP probe: to the app a request like any other, so it waits for a worker in the same
   * FIFO queue and gets a 503 when the queue is full. Not counted as a client request.
   */
  probe(p: ProbeRequest): number {
    if (!this.accepting) return REFUSED;
    return this.take(p);
  }

  /** The readiness endpoint answers with an error for `duration` seconds; the app keeps serving. */
  failReadinessFor(duration: number): void {
    this.unreadyUntil = Math.max(this.unreadyUntil, this.sim.now + duration);
  }

  onEvent(_sim: Simulation, kind: number, payload: unknown): void {
    if (kind === DONE) this.finishService(payload as Work);
    else if (payload === this.pod.container && this.pod.appUp) this.stopAccepting();
  }

  /** SIGTERM, handled as the app was written to. */
  sigterm(): void {
    const spec = this.template.spec;
    if (spec.onSigterm === "exit") {
      // No handler, or one that exits: the process dies, and what it held is reset.
      this.stop();
      this.resetAll();
      this.pod.processExited();
    } else if (spec.onSigterm === "drain") {
      if (spec.drainDelay > 0) this.sim.after(spec.drainDelay, this, STOP_ACCEPTING, this.pod.container);
      else this.stopAccepting();
    }
    // "ignore": it keeps serving until SIGKILL (a PID 1 without a handler).
  }

  /** Ends everything the app holds as `reset` (its process died): a probe fails, an attempt is `reset`. */
  resetAll(): void {
    const now = this.sim.now;
    // A probe's failure can make the kubelet look again at once; take the list first.
    const held = this.takeInService();
    this.addBusy(now, 0 - this.busy); // not -busy: -0 is no small integer, and deoptimises addBusy
    for (const w of held) this.dropHeld(w);
    for (let w = this.shiftQueue(); w !== null; w = this.shiftQueue()) this.dropHeld(w);
  }

  /** The node died under the app: what it held never gets an answer, each ends at its client timeout. */
  abandonAll(): void {
    for (const w of this.takeInService()) this.abandon(w);
    this.addBusy(this.sim.now, 0 - this.busy);
    for (let w = this.shiftQueue(); w !== null; w = this.shiftQueue()) this.abandon(w);
  }

  /** Empties the in-service list, in its order, with each one's end cancelled. */
  private takeInService(): Work[] {
    const held: Work[] = [];
    for (let w = this.serviceHead; w !== null; ) {
      const next = w.nextHeld as Work | null;
      this.sim.cancel(w.doneEvent);
      w.doneEvent = NO_EVENT;
      w.prevHeld = w.nextHeld = null;
      held.push(w);
      w = next;
    }
    this.serviceHead = this.serviceTail = null;
    return held;
  }

  /** A request the app dropped without an answer waits for its client's timeout. */
  private abandon(w: Work): void {
    if (!(w instanceof Attempt)) return;
    w.held = false;
    if (w.ended) this.host.attemptReleased(w);
    else this.host.armTimeout(w, Infinity);
  }

  get idle(): boolean {
    return this.busy === 0 && this.queued === 0;
  }

  /** Starts the measured window: the busy integral and the interval count restart from zero. */
  startMeasuring(): void {
    this.settle();
    this.busyBefore += this.busyTime;
    this.times.resetBusy(this.index);
    this.intervalReceived = 0;
  }

  /** Busy worker-seconds since the app's pod started, up to now: its CPU seconds, one core per worker. */
  cpuSeconds(now: number): number {
    return this.busyBefore + this.busyTime + this.busy * (now - this.times.lastChange(this.index));
  }

  /** Brings the busy integral up to now. */
  settle(): void {
    this.addBusy(this.sim.now, 0);
  }

  /** A free worker serves it, else it queues, else a 503. */
  private take(w: Work): number {
    if (this.busy < this.template.spec.concurrency) {
      this.startService(w);
      return ACCEPTED;
    }
    if (this.queued < this.template.spec.queueLimit) {
      this.pushQueue(w);
      if (w instanceof Attempt) {
        w.held = true;
        w.pod = this.pod;
        // Its end is unknown while it waits. Only requests to a reachable pod get here (the pod
        // answers UNREACHABLE before its app sees them), so the pod's state is not looked at.
        if (w.timeoutDue(Infinity)) this.host.armTimeout(w, Infinity);
      }
      return ACCEPTED;
    }
    return OVERLOADED;
  }

  private startService(w: Work): void {
    const now = this.sim.now;
    this.addBusy(now, 1);
    const isRequest = w instanceof Attempt;
    const finishAt = now + (isRequest ? this.template.serviceTime.sample(this.template.serviceRng) : w.serviceTime);
    this.pushInService(w);
    w.doneEvent = this.sim.schedule(finishAt, this, DONE, w);
    if (isRequest) {
      w.held = true;
      w.pod = this.pod;
      if (!w.ended && w.timeoutDue(finishAt)) this.host.armTimeout(w, finishAt);
    }
  }

  private finishService(w: Work): void {
    const now = this.sim.now;
    this.removeInService(w);
    this.addBusy(now, -1);
    w.doneEvent = NO_EVENT;
    if (w instanceof Attempt) {
      w.held = false;
      if (w.ended) this.host.attemptReleased(w);
      else {
        this.served += w.measured ? 1 : 0; // as `received` in `admit`
        this.host.attemptEnded(w, "ok");
      }
    } else if (!w.ended) {
      w.sender.answered(w, !(w.readiness && now < this.unreadyUntil));
    }
    const next = this.shiftQueue();
    if (next !== null) this.startService(next);
    else if (this.draining && this.idle) this.pod.processExited();
  }

  private stopAccepting(): void {
    this.accepting = false;
    this.draining = true;
    this.connections.closeAll(this.sim.now, this.pod.container); // FIN, or GOAWAY for HTTP/2
    if (this.idle) this.pod.processExited();
  }

  private pushInService(w: Work): void {
    const tail = this.serviceTail;
    w.prevHeld = tail;
    w.nextHeld = null;
    if (tail === null) this.serviceHead = w;
    else tail.nextHeld = w;
    this.serviceTail = w;
  }

  /** As an array's swap-removal: the last one takes w's place (the order resetAll goes by). */
  private removeInService(w: Work): void {
    const last = this.serviceTail!;
    const before = last.prevHeld as Work | null;
    this.serviceTail = before;
    if (before === null) this.serviceHead = null;
    else before.nextHeld = null;
    if (last !== w) {
      const prev = w.prevHeld as Work | null;
      const next = w.nextHeld as Work | null;
      last.prevHeld = prev;
      last.nextHeld = next;
      if (prev === null) this.serviceHead = last;
      else prev.nextHeld = last;
      if (next === null) this.serviceTail = last;
      else next.prevHeld = last;
    }
    w.prevHeld = w.nextHeld = null;
  }

  private pushQueue(w: Work): void {
    const cell = this.queues.push(w, this.queueTail);
    if (this.queueTail === NO_CELL) this.queueHead = cell;
    this.queueTail = cell;
    this.queued++;
  }

  private shiftQueue(): Work | null {
    const cell = this.queueHead;
    if (cell === NO_CELL) return null;
    const w = this.queues.work(cell) as Work;
    this.queueHead = this.queues.after(cell);
    if (this.queueHead === NO_CELL) this.queueTail = NO_CELL;
    this.queues.release(cell);
    this.queued--;
    return w;
  }

  private dropHeld(w: Work): void {
    if (w instanceof Attempt) {
      w.held = false;
      if (w.ended) this.host.attemptReleased(w);
      else this.host.attemptEnded(w, "reset");
    } else if (!w.ended) w.sender.answered(w, false);
  }

  private addBusy(now: number, delta: number): void {
    this.times.advance(this.index, this.busy, now);
    this.busy += delta;
  }
}
