/**
 * A pod: one app process with workers and a queue, its container restarts (CrashLoopBackOff), the
 * kubelet's readiness probe, and graceful termination (preStop, SIGTERM, SIGKILL at the grace period).
 * Source: Kubernetes pod-lifecycle docs and kubelet defaults (see kubernetes-facts.md).
 */
import type { EventHandler, Simulation } from "../engine/index.js";
import type { Distribution } from "../random/distributions.js";
import type { RandomStream } from "../random/index.js";
import type { Outcome, PodSpec } from "../scenario/types.js";
import { Fifo } from "../util/fifo.js";
import type { Attempt } from "./request.js";

/** What a pod tells the rest of the cluster. */
export interface PodHost {
  /** Ready, serving or terminating changed: the endpoints controllers and the deployment look again. */
  podConditionsChanged(pod: Pod): void;
  /** The pod's containers have exited for good and its IP is released. */
  podGone(pod: Pod): void;
  /** An attempt the pod held has ended (`ok`, or `reset` when the pod dropped it). */
  attemptEnded(attempt: Attempt, outcome: Outcome): void;
  /** Keep or drop the client-side timeout of an attempt whose work ends at `finishAt` (Infinity: unknown). */
  armTimeout(attempt: Attempt, finishAt: number): void;
}

/** A ReplicaSet's pod template with the streams its pods draw from (each its own, so they never shift each other). */
export interface PodTemplate {
  readonly spec: PodSpec;
  readonly serviceTime: Distribution;
  readonly serviceRng: RandomStream;
  readonly startup: Distribution;
  readonly startupRng: RandomStream;
  /** Phases of the kubelet's probe tickers. */
  readonly probeRng: RandomStream;
  /** Pod UIDs (random tie-breaks of the ReplicaSet's deletion order). */
  readonly uidRng: RandomStream;
}

/** The result of offering a new connection to a pod. */
export const ACCEPTED = 0;
export const REFUSED = 1;
export const OVERLOADED = 2;
/** The pod's node is down: nothing answers, the client waits for its timeout. */
export const UNREACHABLE = 3;
/** The keep-alive connection the request was sent on had been closed by the pod. */
export const CLOSED = 4;

const DONE = 0;
const STARTED = 1;
const PROBE = 2;
const CRASH_DETECTED = 3;
const RESTART = 4;
const SIGTERM = 5;
const STOP_ACCEPTING = 6;
const SIGKILL = 7;

/**
 * CrashLoopBackOff (kuberuntime_manager.go doBackOff, flowcontrol.Backoff): the first crash
 * restarts at once and starts a 10 s backoff; each later crash waits the current backoff, counted
 * from the crash, then doubles it up to 300 s. A crash more than 600 s after the backoff was last
 * raised starts afresh.
 */
const BACKOFF_INITIAL = 10;
const BACKOFF_MAX = 300;
const BACKOFF_RESET_AFTER = 2 * BACKOFF_MAX;
/** killContainer: the grace left after preStop is never below 2 s (minimumGracePeriodInSeconds). */
const MINIMUM_GRACE = 2;

export class Pod implements EventHandler {
  /** The app's process is running (it may not yet accept connections). */
  appUp = false;
  /** The app accepts new connections. */
  accepting = false;
  /** The kubelet's Ready condition (from the readiness probe). */
  ready = false;
  readySince = -1;
  terminating = false;
  gone = false;
  /** When the pod was gone for good; -1 while it is not. */
  goneAt = -1;
  /** The node is down: the pod is unreachable and its status frozen. */
  unreachable = false;
  restarts = 0;
  readonly createdAt: number;
  /** A random number standing for the pod's UID, where Kubernetes breaks ties by UID. */
  readonly uid: number;

  // Capacity.
  busy = 0;
  private readonly inService: Attempt[] = [];
  private readonly queue = new Fifo<Attempt>();

  // Probe and container state.
  /** Incarnation of the app's container: a restart makes a new process, with none of the old one's connections. */
  container = 0;
  /** When the app last crashed, for the CrashLoopBackOff delay. */
  private crashedAt = -1;
  /** The kubelet's backoff entry: current delay (0 = none yet) and when it was last raised. */
  private backoff = 0;
  private backoffRaisedAt = -Infinity;
  /** When the container last started running (initialDelaySeconds counts from it). */
  private containerStartedAt = -Infinity;
  private probeSuccesses = 0;
  private probeFailures = 0;
  private probeEvent: ReturnType<Simulation["at"]> | null = null;
  private killEvent: ReturnType<Simulation["at"]> | null = null;
  /** The readiness probe fails until then although the app keeps serving (a readiness-failure window). */
  private unreadyUntil = -Infinity;

  // Metrics: counts over the measured window, integrals over the whole run.
  received = 0;
  served = 0;
  /** Attempts that failed at this pod (counted by the workload, which knows every outcome). */
  dropped = 0;
  intervalReceived = 0;
  busyTime = 0;
  readyTime = 0;
  private lastBusyChange = 0;
  private lastReadyChange = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly host: PodHost,
    readonly id: number,
    readonly name: string,
    readonly node: number,
    readonly deployment: string,
    readonly version: string,
    readonly labels: Readonly<Record<string, string>>,
    readonly template: PodTemplate,
  ) {
    this.createdAt = sim.now;
    this.uid = template.uidRng.random();
  }

  get spec(): PodSpec {
    return this.template.spec;
  }

  /** Requests held: in service plus queued (timed-out ones the app does not know about included). */
  get inFlight(): number {
    return this.busy + this.queue.length;
  }

  /** Ready and not terminating: what an EndpointSlice calls `ready`. */
  get endpointReady(): boolean {
    return this.ready && !this.terminating;
  }

  /** Starts the pod as if it had been running for a while: app up and Ready at once (steady state). */
  startWarm(): void {
    this.container++;
    this.appUp = true;
    this.accepting = true;
    this.containerStartedAt = -Infinity;
    this.setReady(true);
    // The kubelet's probe ticker has some phase relative to the run's start.
    const period = this.spec.readiness.period;
    this.probeEvent = this.sim.after(this.template.probeRng.random() * period, this, PROBE);
  }

  /**
   * Starts a new pod: its container starts and the probe worker with it, probing at once and then
   * every period (prober/worker.go); probes within initialDelaySeconds of the container's start are skipped.
   */
  startCold(): void {
    this.startContainer();
    this.probeEvent = this.sim.after(0, this, PROBE);
  }

  /** Offers a new connection carrying `a`; ACCEPTED means the pod now holds it. */
  offer(a: Attempt): number {
    if (this.unreachable) return UNREACHABLE;
    if (!this.accepting) return REFUSED;
    return this.admit(a);
  }

  /**
   * Sends `a` over a keep-alive connection that is already open. A pod that died, went away or has
   * stopped accepting (a server shutting down closes its idle connections) fails it: CLOSED.
   */
  offerOnConnection(a: Attempt, container: number): number {
    if (this.unreachable) return UNREACHABLE;
    if (!this.accepting || container !== this.container) return CLOSED;
    return this.admit(a);
  }

  private admit(a: Attempt): number {
    if (a.measured) {
      this.received++;
    }
    this.intervalReceived++;
    if (this.busy < this.spec.concurrency) {
      this.startService(a);
      return ACCEPTED;
    }
    if (this.queue.length < this.spec.queueLimit) {
      a.pod = this;
      this.queue.push(a);
      this.host.armTimeout(a, Infinity);
      return ACCEPTED;
    }
    return OVERLOADED;
  }

  private startService(a: Attempt): void {
    const now = this.sim.now;
    this.addBusy(now, 1);
    const finishAt = now + this.template.serviceTime.sample(this.template.serviceRng.random);
    a.pod = this;
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
    else if (this.terminating && !this.accepting && this.appUp) this.exitIfIdle();
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

  /** Ends every attempt the pod holds as `reset` (its process died). */
  private resetAll(): void {
    const now = this.sim.now;
    for (const a of this.inService) {
      this.sim.cancel(a.doneEvent);
      a.doneEvent = null;
      a.slot = -1;
      this.dropHeld(a, "reset");
    }
    this.inService.length = 0;
    this.addBusy(now, -this.busy);
    for (let a = this.queue.shift(); a !== undefined; a = this.queue.shift()) this.dropHeld(a, "reset");
  }

  private dropHeld(a: Attempt, outcome: Outcome): void {
    if (!a.ended) this.host.attemptEnded(a, outcome);
  }

  // --- lifecycle -------------------------------------------------------------------------------

  /** The app process dies: held requests are reset, new connections refused until it restarts. */
  crash(): void {
    if (!this.appUp || this.gone || this.unreachable) return;
    this.appUp = false;
    this.accepting = false;
    this.container++;
    this.crashedAt = this.sim.now;
    this.resetAll();
    this.sim.after(this.spec.crashDetection, this, CRASH_DETECTED, this.container);
  }

  /** The app stays up but its readiness probe fails for `duration` seconds. */
  failReadinessFor(duration: number): void {
    this.unreadyUntil = Math.max(this.unreadyUntil, this.sim.now + duration);
  }

  /** Deletion: the endpoint turns terminating at once, preStop runs, then SIGTERM; SIGKILL at the grace period. */
  terminate(): void {
    if (this.terminating || this.gone) return;
    this.addReadyTime();
    this.terminating = true;
    this.host.podConditionsChanged(this);
    if (this.unreachable) return;
    if (!this.appUp) {
      this.exit();
      return;
    }
    // preStop runs for at most the grace period; SIGKILL follows SIGTERM after what is left, at least 2 s.
    const { preStop, terminationGracePeriod: grace } = this.spec;
    const sigterm = Math.min(preStop, grace);
    this.sim.after(sigterm, this, SIGTERM);
    this.killEvent = this.sim.after(sigterm + Math.max(grace - sigterm, MINIMUM_GRACE), this, SIGKILL);
  }

  /** Node failure: the pod stops answering; its status is frozen until the node controller acts. */
  nodeDown(): void {
    if (this.gone) return;
    this.unreachable = true;
    this.appUp = false;
    this.accepting = false;
    this.sim.cancel(this.probeEvent);
    this.sim.cancel(this.killEvent);
    // Requests held there never get an answer: each ends at its client timeout.
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

  /** The node lifecycle controller marks the pod NotReady (node monitor grace period passed). */
  markNotReady(): void {
    this.setReady(false);
  }

  /** The pod object is removed without its kubelet (eviction from a dead node). */
  forceRemove(): void {
    if (this.gone) return;
    this.addReadyTime();
    this.terminating = true;
    this.exit();
  }

  onEvent(sim: Simulation, kind: number, payload: unknown): void {
    switch (kind) {
      case DONE:
        this.finishService(payload as Attempt);
        return;
      case STARTED:
        if (payload === this.container && !this.gone && !this.unreachable) {
          this.appUp = true;
          this.accepting = true;
        }
        return;
      case PROBE:
        this.probe();
        return;
      case CRASH_DETECTED:
        if (payload !== this.container || this.gone || this.unreachable) return;
        // The kubelet sees the container exit (PLEG): a container not running is not ready.
        this.probeSuccesses = 0;
        this.setReady(false);
        if (this.terminating) {
          this.exit();
          return;
        }
        this.sim.at(Math.max(sim.now, this.crashedAt + this.nextBackoff()), this, RESTART);
        return;
      case RESTART:
        if (!this.gone && !this.unreachable) this.startContainer();
        return;
      case SIGTERM:
        if (this.gone || !this.appUp) return;
        if (this.spec.drainDelay > 0) this.sim.after(this.spec.drainDelay, this, STOP_ACCEPTING);
        else this.stopAccepting();
        return;
      case STOP_ACCEPTING:
        if (!this.gone && this.appUp) this.stopAccepting();
        return;
      case SIGKILL:
        if (this.gone) return;
        this.resetAll();
        this.exit();
        return;
    }
  }

  private startContainer(): void {
    this.container++;
    this.appUp = false;
    this.accepting = false;
    this.containerStartedAt = this.sim.now;
    this.sim.after(this.template.startup.sample(this.template.startupRng.random), this, STARTED, this.container);
  }

  /** The delay from the crash to the restart, and the backoff raised for the next crash. */
  private nextBackoff(): number {
    if (this.crashedAt - this.backoffRaisedAt > BACKOFF_RESET_AFTER) this.backoff = 0;
    const delay = this.backoff;
    this.backoff = this.backoff === 0 ? BACKOFF_INITIAL : Math.min(2 * this.backoff, BACKOFF_MAX);
    this.backoffRaisedAt = this.crashedAt;
    this.restarts++;
    return delay;
  }

  private probe(): void {
    if (this.gone || this.unreachable) return;
    const now = this.sim.now;
    const r = this.spec.readiness;
    this.probeEvent = this.sim.after(r.period, this, PROBE);
    // Within initialDelaySeconds of the container's start the worker skips the probe.
    if (now - this.containerStartedAt < r.initialDelay) return;
    if (this.appUp && this.accepting && now >= this.unreadyUntil) {
      this.probeFailures = 0;
      if (++this.probeSuccesses >= r.successThreshold) this.setReady(true);
    } else {
      this.probeSuccesses = 0;
      if (++this.probeFailures >= r.failureThreshold) this.setReady(false);
    }
  }

  private stopAccepting(): void {
    this.accepting = false;
    this.exitIfIdle();
  }

  private exitIfIdle(): void {
    if (this.busy === 0 && this.queue.length === 0) this.exit();
  }

  private exit(): void {
    if (this.gone) return;
    this.addReadyTime();
    this.gone = true;
    this.goneAt = this.sim.now;
    this.appUp = false;
    this.accepting = false;
    this.ready = false;
    this.resetAll();
    this.sim.cancel(this.probeEvent);
    this.sim.cancel(this.killEvent);
    this.host.podGone(this);
  }

  private setReady(ready: boolean): void {
    if (this.ready === ready) return;
    this.addReadyTime();
    this.ready = ready;
    if (ready) this.readySince = this.sim.now;
    this.host.podConditionsChanged(this);
  }

  private addBusy(now: number, delta: number): void {
    this.busyTime += this.busy * (now - this.lastBusyChange);
    this.lastBusyChange = now;
    this.busy += delta;
  }

  private addReadyTime(): void {
    const now = this.sim.now;
    if (this.endpointReady && !this.gone) this.readyTime += now - this.lastReadyChange;
    this.lastReadyChange = now;
  }

  /** Starts the measured window: the time integrals and the interval count restart from zero. */
  startMeasuring(): void {
    this.settle();
    this.busyTime = 0;
    this.readyTime = 0;
    this.intervalReceived = 0;
  }

  /** Brings the time integrals up to `now` (before reading them). */
  settle(): void {
    this.addBusy(this.sim.now, 0);
    this.addReadyTime();
  }
}
