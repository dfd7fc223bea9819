/**
 * A pod as its node's kubelet runs it: the app's container starting, crashing and restarting
 * (CrashLoopBackOff, the pod worker's rechecks), the Ready condition from the probes, containers
 * killed for failed liveness or startup probes, and graceful termination (preStop, SIGTERM, SIGKILL
 * at the grace period). The kubelet sees a container's exit or start only at its PLEG's next relist.
 * Source: Kubernetes pod-lifecycle docs, pkg/kubelet/kuberuntime (killContainer, doBackOff),
 * pkg/kubelet/pleg, pkg/kubelet/prober, kubelet defaults (see kubernetes-facts.md).
 */
import type { EventHandler, SimEvent, Simulation } from "../../../engine/index.js";
import type { KubeletSpec, PodSpec } from "../../../scenario/types.js";
import type { PodTemplate } from "../../api/pod-template.js";
import { AppServer, type AppHost } from "../../app/server.js";
import type { Attempt } from "../../clients/attempt.js";
import { CLOSED, UNREACHABLE } from "../../clients/offer.js";
import { CrashLoopBackOff } from "./crash-loop-backoff.js";
import { backedOffRestartAt } from "./pod-worker.js";
import { ProbeManager } from "./prober/manager.js";
import { LIVENESS, READINESS, type ProbeKind, type ProbeTarget } from "./prober/worker.js";

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
const SEEN_RUNNING = 5;

/** killContainer: the grace left after preStop is never below 2 s (minimumGracePeriodInSeconds). */
const MINIMUM_GRACE = 2;

export class Pod implements EventHandler, ProbeTarget {
  /** The container's process exists (from its start until it crashes, exits or is killed). */
  running = false;
  /** The app has started and accepts connections unless shutting down. */
  appUp = false;
  /** The kubelet's PLEG has seen the current container running (and not yet its exit). */
  private seen = false;
  /** The kubelet considers the container started: seen running, and its startup probe passed. */
  started = false;
  /** The kubelet's Ready condition. */
  ready = false;
  // Times start as NaN and get their real start in the constructor, so V8 keeps them as doubles from
  // the first pod on (README, "Time fields start as doubles").
  readySince = NaN;
  /** The Ready condition's lastTransitionTime (False from the pod's creation); -Infinity for a pod Ready since before the run. */
  readyChangedAt: number;
  /** status.startTime: when the kubelet started the pod; -Infinity for a pod running since before the run. */
  startTime: number;
  terminating = false;
  gone = false;
  /** When the pod was gone for good; -1 while it is not. */
  goneAt = NaN;
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
  /** Restarts of the container (restartCount). */
  restarts = 0;
  /** Its node's zone (index into the cluster's zones), -1 without zones. */
  zone = -1;
  /** When the latest exited container finished (-1: none has), the one CrashLoopBackOff looks at. */
  private lastExitAt = NaN;
  /** The exit the pending restart was backed off for (-1: a restart without backoff). */
  private restartFor = NaN;
  private readonly backoff: CrashLoopBackOff;
  private readonly probes: ProbeManager;
  /** A kill (preStop, SIGTERM, SIGKILL) is under way: for a failed probe, or the pod's deletion. */
  private killing = false;
  private killEvent: SimEvent | null = null;

  /** Attempts that failed at this pod (counted by the workload, which knows every outcome). */
  dropped = 0;
  /** Seconds a Ready endpoint, integrated over the measured window. */
  readyTime = NaN;
  private lastReadyChange = NaN;

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
    private readonly kubelet: KubeletSpec,
  ) {
    this.readySince = -1;
    this.goneAt = -1;
    this.lastExitAt = -1;
    this.restartFor = -1;
    this.readyTime = 0;
    this.lastReadyChange = 0;
    this.createdAt = sim.now;
    this.startTime = sim.now;
    this.readyChangedAt = sim.now;
    this.uid = template.uidRng.random();
    this.server = new AppServer(sim, this, host, template);
    this.backoff = new CrashLoopBackOff(kubelet.crashLoopBackOff.initial, kubelet.crashLoopBackOff.max);
    this.probes = new ProbeManager(sim, this, template);
  }

  /** What the kubelet believes: its PLEG saw the container start and not yet its exit. */
  get containerSeen(): boolean {
    return this.seen;
  }

  get spec(): PodSpec {
    return this.template.spec;
  }

  /** Requests and probes held by the app: in service plus queued. */
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

  /** Starts the pod as if it had been running for a while: app up, started and Ready at once (steady state). */
  startWarm(): void {
    this.container++;
    this.running = true;
    this.appUp = true;
    this.seen = true;
    this.started = true;
    this.server.listen();
    this.containerStartedAt = -Infinity;
    this.startTime = -Infinity;
    this.setReady(true);
    this.readyChangedAt = -Infinity;
    this.probes.startWarm(this.template);
  }

  /**
   * Starts a new pod: its container starts and the probe workers with it, probing at once and then
   * every period (prober/worker.go).
   */
  startCold(): void {
    this.startContainer();
    this.probes.startCold();
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
  /** The container exits on its own; false when it was not running (nothing happens then). */
  crash(): boolean {
    if (!this.appUp || this.gone || this.unreachable) return false;
    this.stopContainer();
    this.lastExitAt = this.sim.now;
    this.sim.after(this.plegDelay(), this, CRASH_DETECTED, this.container);
    return true;
  }

  /** The app stays up but its readiness endpoint fails for `duration` seconds. */
  failReadinessFor(duration: number): void {
    this.server.failReadinessFor(duration);
  }

  /** Deletion: the endpoint turns terminating at once, preStop runs, then SIGTERM; SIGKILL at the grace period. */
  terminate(): void {
    if (this.terminating || this.gone) return;
    this.addReadyTime();
    this.terminating = true;
    this.host.podConditionsChanged(this);
    if (this.unreachable) return;
    // A kill under way (a failed probe's) ends with the pod's exit now that it is deleted.
    if (this.killing) return;
    if (!this.running) {
      this.exit();
      return;
    }
    this.killContainer();
  }

  /** Node failure: the pod stops answering; its status is frozen until the node controller acts. */
  nodeDown(): void {
    if (this.gone) return;
    this.unreachable = true;
    this.running = false;
    this.appUp = false;
    this.server.stop();
    this.probes.stop();
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

  /** The app's process exited after SIGTERM (drained, or exited at once): the kill is over. */
  processExited(): void {
    this.sim.cancel(this.killEvent);
    this.killed();
  }

  /** A probe worker's result changed. */
  probeResultChanged(kind: ProbeKind): void {
    if (kind === READINESS) {
      this.updateReady();
      return;
    }
    const worker = kind === LIVENESS ? this.probes.liveness : this.probes.startup;
    if (worker?.result === false) {
      // computePodActions: a failed liveness or startup probe kills the container to restart it.
      if (this.running && !this.killing && !this.terminating) this.killContainer();
    } else {
      this.updateStarted();
    }
  }

  onEvent(sim: Simulation, kind: number, payload: unknown): void {
    if (payload !== this.container || this.gone || this.unreachable) return;
    switch (kind) {
      case STARTED:
        this.appUp = true;
        this.server.listen();
        return;
      case SEEN_RUNNING:
        this.seen = true;
        this.updateStarted();
        return;
      case CRASH_DETECTED:
        // The kubelet sees the container exit (PLEG): a container not running is not ready.
        this.containerGone();
        if (this.terminating) this.exit();
        else this.restartAfterExit(this.lastExitAt, sim.now);
        return;
      case RESTART:
        if (this.terminating) return;
        if (this.restartFor >= 0) this.backoff.next(this.restartFor, sim.now);
        this.restarts++;
        this.startContainer();
        this.probes.containerStarted();
        return;
      case SIGTERM:
        if (this.appUp) this.server.sigterm();
        // An app still starting has nothing to drain: it dies, unless it ignores the signal.
        else if (this.spec.onSigterm !== "ignore") this.processExited();
        return;
      case SIGKILL:
        this.server.stop();
        this.server.resetAll();
        this.killed();
        return;
    }
  }

  setReady(ready: boolean): void {
    if (this.ready === ready) return;
    this.addReadyTime();
    this.ready = ready;
    this.readyChangedAt = this.sim.now;
    if (ready) this.readySince = this.sim.now;
    this.host.podConditionsChanged(this);
  }

  // --- the container ---------------------------------------------------------------------------

  private startContainer(): void {
    this.container++;
    this.running = true;
    this.appUp = false;
    this.seen = false;
    this.started = false;
    this.server.stop();
    this.containerStartedAt = this.sim.now;
    this.sim.after(this.template.startup.sample(this.template.startupRng), this, STARTED, this.container);
    this.sim.after(this.plegDelay(), this, SEEN_RUNNING, this.container);
  }

  /** The container's process ends (a crash or a kill): what the app held is reset. */
  private stopContainer(): void {
    this.running = false;
    this.appUp = false;
    this.killing = false;
    this.container++;
    this.server.stop();
    this.server.resetAll();
  }

  /** The kubelet knows the container is not running: it is neither started nor ready. */
  private containerGone(): void {
    this.seen = false;
    this.started = false;
    this.probes.containerExited();
    this.setReady(false);
  }

  /** killContainer: preStop runs for at most the grace period; SIGKILL follows SIGTERM after what is left, at least 2 s. */
  private killContainer(): void {
    this.killing = true;
    const { preStop, terminationGracePeriod: grace } = this.spec;
    const sigterm = Math.min(preStop, grace);
    this.sim.after(sigterm, this, SIGTERM, this.container);
    this.killEvent = this.sim.after(sigterm + Math.max(grace - sigterm, MINIMUM_GRACE), this, SIGKILL, this.container);
  }

  /** A kill is over: a deleted pod is gone; a container killed for a failed probe is restarted. */
  private killed(): void {
    if (this.terminating) {
      this.exit();
      return;
    }
    // The restart in the same sync looks at the container that exited before this one (doBackOff).
    const previousExit = this.lastExitAt;
    this.stopContainer();
    this.lastExitAt = this.sim.now;
    this.containerGone();
    this.restartAfterExit(previousExit, this.sim.now);
  }

  /** The sync at `now` restarts the container at once, or when its backoff for the exit at `exitedAt` allows. */
  private restartAfterExit(exitedAt: number, now: number): void {
    this.restartFor = exitedAt;
    const at =
      exitedAt >= 0 && this.backoff.inBackOff(exitedAt, now)
        ? backedOffRestartAt(this.backoff, exitedAt, now, this.kubelet.crashLoopRecheck, this.template.podWorkerRng)
        : now;
    this.sim.at(at, this, RESTART, this.container);
  }

  /** From a container's start or exit until the kubelet's PLEG relist sees it. */
  private plegDelay(): number {
    return this.template.crashDetection.sample(this.template.plegRng);
  }

  private updateStarted(): void {
    const started = this.running && this.seen && this.probes.startupPassed;
    if (started && !this.started) {
      this.started = true;
      this.probes.started();
    }
    this.updateReady();
  }

  /** UpdatePodStatus: Ready once started and the readiness probe passes (or there is none). */
  private updateReady(): void {
    this.setReady(this.running && this.started && this.probes.readinessPassed);
  }

  private exit(): void {
    if (this.gone) return;
    this.addReadyTime();
    this.gone = true;
    this.goneAt = this.sim.now;
    this.running = false;
    this.appUp = false;
    this.ready = false;
    this.server.stop();
    this.server.resetAll();
    this.probes.stop();
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
