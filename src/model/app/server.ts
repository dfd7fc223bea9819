/**
 * The app in a pod's container: a server with `concurrency` workers and a bounded queue, serving
 * each request for a time drawn from the template's service-time distribution. What it does at
 * SIGTERM (keep accepting for drainDelay, then stop accepting and finish what it holds) is the
 * app's choice, not the kubelet's.
 */
import type { EventHandler, Simulation } from "../../engine/index.js";
import type { Outcome } from "../../scenario/types.js";
import { Fifo } from "../../util/fifo.js";
import type { PodTemplate } from "../api/pod-template.js";
import type { Attempt } from "../clients/attempt.js";
import { ACCEPTED, OVERLOADED } from "../clients/offer.js";
import type { Pod } from "../node/kubelet/pod.js";
import { OpenConnections } from "./open-connections.js";

/** Where the app's answers go (the attempt's workload) and what the pod's kubelet needs to know. */
export interface AppHost {
  /** An attempt the app held has ended (`ok`, or `reset` when the app dropped it). */
  attemptEnded(attempt: Attempt, outcome: Outcome): void;
  /** Keep or drop the client-side timeout of an attempt whose work ends at `finishAt` (Infinity: unknown). */
  armTimeout(attempt: Attempt, finishAt: number): void;
}

const DONE = 0;
const STOP_ACCEPTING = 1;

export class AppServer implements EventHandler {
  /** The app listens and accepts new connections. */
  accepting = false;
  busy = 0;
  /** Client connections open to the app, closed gracefully when it drains. */
  readonly connections = new OpenConnections();
  private readonly inService: Attempt[] = [];
  private readonly queue = new Fifo<Attempt>();

  // Metrics: counts over the measured window, the busy integral over the whole run.
  received = 0;
  served = 0;
  intervalReceived = 0;
  busyTime = 0;
  private lastBusyChange = 0;

  constructor(
    private readonly sim: Simulation,
    /** The pod the app runs in (it exits through the pod's kubelet: `drained`). */
    private readonly pod: Pod,
    private readonly host: AppHost,
    private readonly template: PodTemplate,
  ) {}

  /** Requests held: in service plus queued (timed-out ones the app does not know about included). */
  get inFlight(): number {
    return this.busy + this.queue.length;
  }

  /** Takes a request: a free worker serves it, else it queues, else the app answers 503. */
  admit(a: Attempt): number {
    if (a.measured) {
      this.received++;
    }
    this.intervalReceived++;
    if (this.busy < this.template.spec.concurrency) {
      this.startService(a);
      return ACCEPTED;
    }
    if (this.queue.length < this.template.spec.queueLimit) {
      a.pod = this.pod;
      this.queue.push(a);
      this.host.armTimeout(a, Infinity);
      return ACCEPTED;
    }
    return OVERLOADED;
  }

  onEvent(_sim: Simulation, kind: number, payload: unknown): void {
    if (kind === DONE) this.finishService(payload as Attempt);
    else if (!this.pod.gone && this.pod.appUp) this.stopAccepting();
  }

  /** SIGTERM: the app keeps accepting for drainDelay, then stops and exits once it holds nothing. */
  sigterm(): void {
    const drainDelay = this.template.spec.drainDelay;
    if (drainDelay > 0) this.sim.after(drainDelay, this, STOP_ACCEPTING);
    else this.stopAccepting();
  }

  /** Ends every attempt the app holds as `reset` (its process died). */
  resetAll(): void {
    const now = this.sim.now;
    for (const a of this.inService) {
      this.sim.cancel(a.doneEvent);
      a.doneEvent = null;
      a.slot = -1;
      this.dropHeld(a);
    }
    this.inService.length = 0;
    this.addBusy(now, -this.busy);
    for (let a = this.queue.shift(); a !== undefined; a = this.queue.shift()) this.dropHeld(a);
  }

  /** The node died under the app: what it held never gets an answer, each ends at its client timeout. */
  abandonAll(): void {
    for (const a of this.inService) {
      this.sim.cancel(a.doneEvent);
      a.doneEvent = null;
      a.slot = -1;
      if (!a.ended) this.host.armTimeout(a, Infinity);
    }
    this.inService.length = 0;
    this.addBusy(this.sim.now, -this.busy);
    for (let a = this.queue.shift(); a !== undefined; a = this.queue.shift()) if (!a.ended) this.host.armTimeout(a, Infinity);
  }

  get idle(): boolean {
    return this.busy === 0 && this.queue.length === 0;
  }

  /** Starts the measured window: the busy integral and the interval count restart from zero. */
  startMeasuring(): void {
    this.settle();
    this.busyTime = 0;
    this.intervalReceived = 0;
  }

  /** Brings the busy integral up to now. */
  settle(): void {
    this.addBusy(this.sim.now, 0);
  }

  private startService(a: Attempt): void {
    const now = this.sim.now;
    this.addBusy(now, 1);
    const finishAt = now + this.template.serviceTime.sample(this.template.serviceRng.random);
    a.pod = this.pod;
    a.slot = this.inService.length;
    this.inService.push(a);
    a.doneEvent = this.sim.at(finishAt, this, DONE, a);
    if (!a.ended) this.host.armTimeout(a, finishAt);
  }

  private finishService(a: Attempt): void {
    const now = this.sim.now;
    this.removeInService(a);
    this.addBusy(now, -1);
    a.doneEvent = null;
    if (!a.ended) {
      if (a.measured) this.served++;
      this.host.attemptEnded(a, "ok");
    }
    const next = this.queue.shift();
    if (next !== undefined) this.startService(next);
    else if (this.pod.terminating && !this.accepting && this.pod.appUp && this.idle) this.pod.drained();
  }

  private stopAccepting(): void {
    this.accepting = false;
    this.connections.closeAll(this.sim.now, this.pod.container); // FIN, or GOAWAY for HTTP/2
    if (this.idle) this.pod.drained();
  }

  private removeInService(a: Attempt): void {
    const list = this.inService;
    const last = list.pop()!;
    if (last !== a) {
      list[a.slot] = last;
      last.slot = a.slot;
    }
    a.slot = -1;
  }

  private dropHeld(a: Attempt): void {
    if (!a.ended) this.host.attemptEnded(a, "reset");
  }

  private addBusy(now: number, delta: number): void {
    this.busyTime += this.busy * (now - this.lastBusyChange);
    this.lastBusyChange = now;
    this.busy += delta;
  }
}
