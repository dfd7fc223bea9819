/**
 * The app in a pod's container: a server with `concurrency` workers and a bounded queue, serving
 * each request for a time drawn from the template's service-time distribution. The kubelet's HTTP
 * probes reach it like any request (same queue, same workers). What it does at SIGTERM is the
 * app's choice, not the kubelet's: drain (keep accepting for drainDelay, then stop accepting, finish
 * what it holds and exit), exit at once (what it holds is reset), or ignore it until SIGKILL.
 */
import { NO_EVENT, type EventHandler, type Simulation } from "../../engine/index.js";
import type { Outcome } from "../../scenario/types.js";
import { Fifo } from "../../util/fifo.js";
import type { PodTemplate } from "../api/pod-template.js";
import { Attempt } from "../clients/attempt.js";
import { ACCEPTED, OVERLOADED, REFUSED } from "../clients/offer.js";
import type { Pod } from "../node/kubelet/pod.js";
import type { ProbeRequest } from "../node/kubelet/prober/probe.js";
import { OpenConnections } from "./open-connections.js";

/** Where the app's answers go (the attempt's workload) and what the pod's kubelet needs to know. */
export interface AppHost {
  /** An attempt the app held has ended (`ok`, or `reset` when the app dropped it). */
  attemptEnded(attempt: Attempt, outcome: Outcome): void;
  /** Keep or drop the client-side timeout of an attempt whose work ends at `finishAt` (Infinity: unknown). */
  armTimeout(attempt: Attempt, finishAt: number): void;
  /** The app let go of an attempt that had already ended (timed out while queued or served): its record may be reused. */
  attemptReleased(attempt: Attempt): void;
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
  private inService: Work[] = [];
  private readonly queue = new Fifo<Work>();

  // Metrics: counts over the measured window, the busy integral over the whole run.
  received = 0;
  served = 0;
  intervalReceived = 0;
  busyTime = 0;
  private lastBusyChange = 0;
  /** Busy worker-seconds before the measured window: with busyTime, the run's total (what metrics-server reads as CPU). */
  private busyBefore = 0;
  /** Requests that reached the app over the whole run, measured or not (an app's requests counter). */
  admitted = 0;

  constructor(
    private readonly sim: Simulation,
    /** The pod the app runs in (it exits through the pod's kubelet: `drained`). */
    private readonly pod: Pod,
    private readonly host: AppHost,
    private readonly template: PodTemplate,
  ) {}

  /** Work held, requests and probes: in service plus queued (timed-out ones the app does not know about included). */
  get inFlight(): number {
    return this.busy + this.queue.length;
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
    if (a.measured) {
      this.received++;
    }
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
    const held = this.inService;
    // A probe's failure can make the kubelet look again at once; take the list first.
    this.inService = [];
    for (const w of held) {
      this.sim.cancel(w.doneEvent);
      w.doneEvent = NO_EVENT;
      w.slot = -1;
    }
    this.addBusy(now, -this.busy);
    for (const w of held) this.dropHeld(w);
    for (let w = this.queue.shift(); w !== undefined; w = this.queue.shift()) this.dropHeld(w);
  }

  /** The node died under the app: what it held never gets an answer, each ends at its client timeout. */
  abandonAll(): void {
    for (const w of this.inService) {
      this.sim.cancel(w.doneEvent);
      w.doneEvent = NO_EVENT;
      w.slot = -1;
      this.abandon(w);
    }
    this.inService.length = 0;
    this.addBusy(this.sim.now, -this.busy);
    for (let w = this.queue.shift(); w !== undefined; w = this.queue.shift()) this.abandon(w);
  }

  /** A request the app dropped without an answer waits for its client's timeout. */
  private abandon(w: Work): void {
    if (!(w instanceof Attempt)) return;
    w.held = false;
    if (w.ended) this.host.attemptReleased(w);
    else this.host.armTimeout(w, Infinity);
  }

  get idle(): boolean {
    return this.busy === 0 && this.queue.length === 0;
  }

  /** Starts the measured window: the busy integral and the interval count restart from zero. */
  startMeasuring(): void {
    this.settle();
    this.busyBefore += this.busyTime;
    this.busyTime = 0;
    this.intervalReceived = 0;
  }

  /** Busy worker-seconds since the app's pod started, up to now: its CPU seconds, one core per worker. */
  cpuSeconds(now: number): number {
    return this.busyBefore + this.busyTime + this.busy * (now - this.lastBusyChange);
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
    if (this.queue.length < this.template.spec.queueLimit) {
      this.queue.push(w);
      if (w instanceof Attempt) {
        w.held = true;
        w.pod = this.pod;
        this.host.armTimeout(w, Infinity);
      }
      return ACCEPTED;
    }
    return OVERLOADED;
  }

  private startService(w: Work): void {
    const now = this.sim.now;
    this.addBusy(now, 1);
    const isRequest = w instanceof Attempt;
    const finishAt = now + (isRequest ? this.template.serviceTime.sample(this.template.serviceRng.random) : w.serviceTime);
    w.slot = this.inService.length;
    this.inService.push(w);
    w.doneEvent = this.sim.schedule(finishAt, this, DONE, w);
    if (isRequest) {
      w.held = true;
      w.pod = this.pod;
      if (!w.ended) this.host.armTimeout(w, finishAt);
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
        if (w.measured) this.served++;
        this.host.attemptEnded(w, "ok");
      }
    } else if (!w.ended) {
      w.sender.answered(w, !(w.readiness && now < this.unreadyUntil));
    }
    const next = this.queue.shift();
    if (next !== undefined) this.startService(next);
    else if (this.draining && this.idle) this.pod.processExited();
  }

  private stopAccepting(): void {
    this.accepting = false;
    this.draining = true;
    this.connections.closeAll(this.sim.now, this.pod.container); // FIN, or GOAWAY for HTTP/2
    if (this.idle) this.pod.processExited();
  }

  private removeInService(w: Work): void {
    const list = this.inService;
    const last = list.pop()!;
    if (last !== w) {
      list[w.slot] = last;
      last.slot = w.slot;
    }
    w.slot = -1;
  }

  private dropHeld(w: Work): void {
    if (w instanceof Attempt) {
      w.held = false;
      if (w.ended) this.host.attemptReleased(w);
      else this.host.attemptEnded(w, "reset");
    } else if (!w.ended) w.sender.answered(w, false);
  }

  private addBusy(now: number, delta: number): void {
    this.busyTime += this.busy * (now - this.lastBusyChange);
    this.lastBusyChange = now;
    this.busy += delta;
  }
}
