/**
 * The kubelet's worker for one probe of one pod (pkg/kubelet/prober/worker.go): a ticker every
 * period from the worker's start, probing at once. Probes are skipped within initialDelay of the
 * container's start; readiness and liveness probes wait until the container has started (its
 * startup probe passed), startup probes stop once it has; liveness and startup probes stop when the
 * pod is deleted. A result counts after failureThreshold failures or successThreshold successes in
 * a row; a failed liveness or startup probe holds the worker until a new container runs. A probe
 * runs to its end (answer or timeout) before the next: a tick meanwhile is kept and probes as soon
 * as it ends, as Go's ticker channel keeps one tick.
 */
import type { EventHandler, SimEvent, Simulation } from "../../../../engine/index.js";
import type { Distribution } from "../../../../random/distributions.js";
import type { RandomStream } from "../../../../random/index.js";
import type { ProbeSpec } from "../../../../scenario/types.js";
import type { AppServer } from "../../../app/server.js";
import { ACCEPTED } from "../../../clients/offer.js";
import { ProbeRequest, type ProbeSender } from "./probe.js";

export const READINESS = 0;
export const LIVENESS = 1;
export const STARTUP = 2;
export type ProbeKind = typeof READINESS | typeof LIVENESS | typeof STARTUP;

/** What a worker looks at and tells. */
export interface ProbeTarget {
  readonly gone: boolean;
  readonly unreachable: boolean;
  readonly terminating: boolean;
  /** The kubelet sees the container running (its PLEG saw it start, and not yet exit). */
  readonly containerSeen: boolean;
  /** Incarnation of the container: a probe's answer counts only for the container it was sent to. */
  readonly container: number;
  /** When the current container started running (initialDelaySeconds counts from it). */
  readonly containerStartedAt: number;
  /** The kubelet sees the container running and its startup probe, if any, has passed. */
  readonly started: boolean;
  /** The app, which answers HTTP probes. */
  readonly server: AppServer;
  /** A worker's result changed. */
  probeResultChanged(kind: ProbeKind): void;
}

const TICK = 0;
const TIMEOUT = 1;

/** worker.go initialValue: readiness starts failed, liveness passed, startup unknown. */
function initialResult(kind: ProbeKind): boolean | null {
  return kind === READINESS ? false : kind === LIVENESS ? true : null;
}

export class ProbeWorker implements EventHandler, ProbeSender {
  /** The result for the current container: true success, false failure, null unknown (a startup probe before its first result). */
  result: boolean | null;
  private lastResult: boolean | null = null;
  private resultRun = 0;
  private onHold = false;
  private inFlight: ProbeRequest | null = null;
  /** The container the probe in flight went to. */
  private inFlightContainer = -1;
  private tickPending = false;
  private tick: SimEvent | null = null;
  private stopped = false;

  constructor(
    private readonly sim: Simulation,
    private readonly pod: ProbeTarget,
    readonly kind: ProbeKind,
    readonly spec: ProbeSpec,
    private readonly serviceTime: Distribution,
    private readonly serviceRng: RandomStream,
  ) {
    this.result = initialResult(kind);
  }

  /** A pod already running when the run starts: its probe passes, and the ticker has some phase. */
  startWarm(phase: number): void {
    this.result = true;
    this.tick = this.sim.after(phase, this, TICK);
  }

  /** A new pod: the worker probes at once, then every period. */
  startCold(): void {
    this.tick = this.sim.after(0, this, TICK);
  }

  stop(): void {
    this.stopped = true;
    this.sim.cancel(this.tick);
    const p = this.inFlight;
    if (p !== null) {
      this.sim.cancel(p.timeoutEvent);
      p.ended = true;
      this.inFlight = null;
    }
  }

  /** A new container runs: results start again from the initial value, and probing resumes. */
  containerStarted(): void {
    this.result = initialResult(this.kind);
    this.lastResult = null;
    this.resultRun = 0;
    this.onHold = false;
  }

  /** The container is not running: a readiness result is a failure, and a run of results starts over. */
  containerExited(): void {
    if (this.kind === READINESS) this.result = false;
    this.lastResult = null;
    this.resultRun = 0;
  }

  /** Probes now unless a probe is in flight (prober_manager.go UpdatePodStatus's manual trigger). */
  trigger(): void {
    if (!this.stopped && this.inFlight === null) this.probe();
  }

  onEvent(sim: Simulation, kind: number, payload: unknown): void {
    if (kind === TICK) {
      this.tick = sim.after(this.spec.period, this, TICK);
      if (this.inFlight !== null) this.tickPending = true;
      else this.probe();
      return;
    }
    const p = payload as ProbeRequest;
    p.timeoutEvent = null;
    if (p === this.inFlight) this.finish(p, false);
  }

  answered(p: ProbeRequest, healthy: boolean): void {
    if (p !== this.inFlight) return;
    this.sim.cancel(p.timeoutEvent);
    p.timeoutEvent = null;
    this.finish(p, healthy);
  }

  private probe(): void {
    const pod = this.pod;
    if (pod.gone || pod.unreachable) {
      this.stop();
      return;
    }
    if (!pod.containerSeen) return;
    if (pod.terminating && this.kind !== READINESS) {
      // Graceful shutdown: liveness and startup probes pass and stop.
      this.result = true;
      this.stop();
      return;
    }
    if (this.onHold) return;
    if (this.sim.now - pod.containerStartedAt < this.spec.initialDelay) return;
    if (this.kind === STARTUP ? pod.started : !pod.started) return;
    if (this.spec.handler === "tcp") {
      // The kernel completes the handshake for a listening socket: the app's workers are not involved.
      this.record(pod.server.accepting);
      return;
    }
    const p = new ProbeRequest(this, this.serviceTime.sample(this.serviceRng), this.kind === READINESS);
    if (pod.server.probe(p) !== ACCEPTED) {
      // Refused (nothing listens) or answered 503 at once (workers and queue full).
      p.ended = true;
      this.record(false);
      return;
    }
    this.inFlight = p;
    this.inFlightContainer = pod.container;
    p.timeoutEvent = this.sim.after(this.spec.timeout, this, TIMEOUT, p);
  }

  private finish(p: ProbeRequest, healthy: boolean): void {
    p.ended = true;
    this.inFlight = null;
    if (!this.stopped && this.inFlightContainer === this.pod.container) this.record(healthy);
    if (this.tickPending && !this.stopped) {
      this.tickPending = false;
      this.probe();
    }
  }

  private record(success: boolean): void {
    if (this.lastResult === success) this.resultRun++;
    else {
      this.lastResult = success;
      this.resultRun = 1;
    }
    if (this.resultRun < (success ? this.spec.successThreshold : this.spec.failureThreshold)) return;
    const changed = this.result !== success;
    this.result = success;
    if (!success && this.kind !== READINESS) {
      // The container will be restarted: stop probing until a new one runs.
      this.onHold = true;
      this.resultRun = 0;
    }
    if (changed) this.pod.probeResultChanged(this.kind);
  }
}
