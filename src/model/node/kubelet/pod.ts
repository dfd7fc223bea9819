/**
 * A pod as its node's kubelet runs it: the app's container starting, crashing and restarting
 * (CrashLoopBackOff), the Ready condition from the readiness probe, and graceful termination
 * (preStop, SIGTERM, SIGKILL at the grace period). Source: Kubernetes pod-lifecycle docs,
 * pkg/kubelet/kuberuntime (killContainer) and kubelet defaults (see kubernetes-facts.md).
 */
import type { EventHandler, SimEvent, Simulation } from "../../../engine/index.js";
import type { PodSpec } from "../../../scenario/types.js";
import type { PodTemplate } from "../../api/pod-template.js";
import { AppServer, type AppHost } from "../../app/server.js";
import type { Attempt } from "../../clients/attempt.js";
import { CLOSED, REFUSED, RELEASED, UNREACHABLE } from "../../clients/offer.js";
import { CrashLoopBackOff } from "./crash-loop-backoff.js";
import { ReadinessProber, type Probed } from "./prober.js";

/** What a pod tells the rest of the cluster. */
export interface PodHost extends AppHost {
  /** Ready, serving or terminating changed: the endpoints controllers and the deployment look again. */
  podConditionsChanged(pod: Pod): void;
  /** The pod's containers have exited for good and its IP is released. */
  podGone(pod: Pod): void;
}

const STARTED = 0;
const CRASH_DETECTED = 1;
const RESTART = 2;
const SIGTERM = 3;
const SIGKILL = 4;

/** killContainer: the grace left after preStop is never below 2 s (minimumGracePeriodInSeconds). */
const MINIMUM_GRACE = 2;

export class Pod implements EventHandler, Probed {
  /** The app's process is running (it may not yet accept connections). */
  appUp = false;
  /** The kubelet's Ready condition (from the readiness probe). */
  ready = false;
  readySince = -1;
  terminating = false;
  gone = false;
  /** When the pod was gone for good; -1 while it is not. */
  goneAt = -1;
  /** The node is down: the pod is unreachable and its status frozen. */
  unreachable = false;
  readonly createdAt: number;
  /** A random number standing for the pod's UID, where Kubernetes breaks ties by UID. */
  readonly uid: number;
  /** The app in the pod's container. */
  readonly server: AppServer;

  /** Incarnation of the app's container: a restart makes a new process, with none of the old one's connections. */
  container = 0;
  /** When the current container started running (initialDelaySeconds counts from it). */
  containerStartedAt = -Infinity;
  /** When the app last crashed, for the CrashLoopBackOff delay. */
  private crashedAt = -1;
  private readonly backoff = new CrashLoopBackOff();
  private readonly prober: ReadinessProber;
  private killEvent: SimEvent | null = null;
  /** The readiness probe fails until then although the app keeps serving (a readiness-failure window). */
  private unreadyUntil = -Infinity;

  /** Attempts that failed at this pod (counted by the workload, which knows every outcome). */
  dropped = 0;
  /** Seconds a Ready endpoint, integrated over the measured window. */
  readyTime = 0;
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
    this.server = new AppServer(sim, this, host, template);
    this.prober = new ReadinessProber(sim, this, template.spec.readiness);
  }

  get spec(): PodSpec {
    return this.template.spec;
  }

  get restarts(): number {
    return this.backoff.restarts;
  }

  /** Requests held by the app: in service plus queued. */
  get inFlight(): number {
    return this.server.inFlight;
  }

  /** Measured requests that reached the app. */
  get received(): number {
    return this.server.received;
  }

  /** Of those, answered by the app. */
  get served(): number {
    return this.server.served;
  }

  /** Requests that reached the app in the current interval (measured or not). */
  get intervalReceived(): number {
    return this.server.intervalReceived;
  }

  set intervalReceived(n: number) {
    this.server.intervalReceived = n;
  }

  /** Worker-seconds spent serving, integrated over the measured window. */
  get busyTime(): number {
    return this.server.busyTime;
  }

  /** Ready and not terminating: what an EndpointSlice calls `ready`. */
  get endpointReady(): boolean {
    return this.ready && !this.terminating;
  }

  /** Starts the pod as if it had been running for a while: app up and Ready at once (steady state). */
  startWarm(): void {
    this.container++;
    this.appUp = true;
    this.server.accepting = true;
    this.containerStartedAt = -Infinity;
    this.setReady(true);
    this.prober.startWarm(this.template.probeRng);
  }

  /**
   * Starts a new pod: its container starts and the probe worker with it, probing at once and then
   * every period (prober/worker.go); probes within initialDelaySeconds of the container's start are skipped.
   */
  startCold(): void {
    this.startContainer();
    this.prober.startCold();
  }

  /**
   * Offers a new connection carrying `a`; ACCEPTED means the pod now holds it. While the sandbox
   * lives its kernel answers a SYN to a closed port with a reset (REFUSED: crashed, not started
   * yet, shutting down); once the pod is gone its IP is released and nothing answers (RELEASED).
   */
  offer(a: Attempt): number {
    if (this.unreachable) return UNREACHABLE;
    if (this.gone) return RELEASED;
    if (!this.server.accepting) return REFUSED;
    return this.server.admit(a);
  }

  /**
   * Sends `a` over a keep-alive connection that is already open. A pod that died, went away or has
   * stopped accepting (a server shutting down closes its idle connections) fails it: CLOSED.
   */
  offerOnConnection(a: Attempt, container: number): number {
    if (this.unreachable) return UNREACHABLE;
    if (!this.server.accepting || container !== this.container) return CLOSED;
    return this.server.admit(a);
  }

  // --- lifecycle -------------------------------------------------------------------------------

  /** The app process dies: held requests are reset, new connections refused until it restarts. */
  crash(): void {
    if (!this.appUp || this.gone || this.unreachable) return;
    this.appUp = false;
    this.server.accepting = false;
    this.container++;
    this.crashedAt = this.sim.now;
    this.server.resetAll();
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
    this.server.accepting = false;
    this.prober.stop();
    this.sim.cancel(this.killEvent);
    this.server.abandonAll();
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

  /** The app has stopped accepting and finished everything it held: its process exits. */
  drained(): void {
    this.exit();
  }

  onEvent(sim: Simulation, kind: number, payload: unknown): void {
    switch (kind) {
      case STARTED:
        if (payload === this.container && !this.gone && !this.unreachable) {
          this.appUp = true;
          this.server.accepting = true;
        }
        return;
      case CRASH_DETECTED:
        if (payload !== this.container || this.gone || this.unreachable) return;
        // The kubelet sees the container exit (PLEG): a container not running is not ready.
        this.prober.containerExited();
        this.setReady(false);
        if (this.terminating) {
          this.exit();
          return;
        }
        this.sim.at(Math.max(sim.now, this.crashedAt + this.backoff.next(this.crashedAt)), this, RESTART);
        return;
      case RESTART:
        if (!this.gone && !this.unreachable) this.startContainer();
        return;
      case SIGTERM:
        if (this.gone || !this.appUp) return;
        this.server.sigterm();
        return;
      case SIGKILL:
        if (this.gone) return;
        this.server.resetAll();
        this.exit();
        return;
    }
  }

  /** Whether a readiness probe sent now succeeds: the app answers, unless a readiness failure is under way. */
  probeSucceeds(now: number): boolean {
    return this.appUp && this.server.accepting && now >= this.unreadyUntil;
  }

  setReady(ready: boolean): void {
    if (this.ready === ready) return;
    this.addReadyTime();
    this.ready = ready;
    if (ready) this.readySince = this.sim.now;
    this.host.podConditionsChanged(this);
  }

  private startContainer(): void {
    this.container++;
    this.appUp = false;
    this.server.accepting = false;
    this.containerStartedAt = this.sim.now;
    this.sim.after(this.template.startup.sample(this.template.startupRng.random), this, STARTED, this.container);
  }

  private exit(): void {
    if (this.gone) return;
    this.addReadyTime();
    this.gone = true;
    this.goneAt = this.sim.now;
    this.appUp = false;
    this.server.accepting = false;
    this.ready = false;
    this.server.resetAll();
    this.prober.stop();
    this.sim.cancel(this.killEvent);
    this.host.podGone(this);
  }

  private addReadyTime(): void {
    const now = this.sim.now;
    if (this.endpointReady && !this.gone) this.readyTime += now - this.lastReadyChange;
    this.lastReadyChange = now;
  }

  /** Starts the measured window: the time integrals and the interval count restart from zero. */
  startMeasuring(): void {
    this.settle();
    this.server.startMeasuring();
    this.readyTime = 0;
  }

  /** Brings the time integrals up to `now` (before reading them). */
  settle(): void {
    this.server.settle();
    this.addReadyTime();
  }
}
