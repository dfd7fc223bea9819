/**
 * The kubelet's probe manager for one pod (pkg/kubelet/prober/prober_manager.go): a worker per
 * declared probe, and what their results mean for the pod's status (UpdatePodStatus). A container
 * has started once the kubelet sees it running and its startup probe, if any, has passed; it is
 * ready once started and its readiness probe passes, or at once if it has no readiness probe
 * (Kubernetes' default: whether or not the app listens yet).
 */
import type { Simulation } from "../../../../engine/index.js";
import type { PodTemplate } from "../../../api/pod-template.js";
import { LIVENESS, ProbeWorker, READINESS, STARTUP, type ProbeTarget } from "./worker.js";

export class ProbeManager {
  readonly readiness: ProbeWorker | null;
  readonly liveness: ProbeWorker | null;
  readonly startup: ProbeWorker | null;

  constructor(sim: Simulation, pod: ProbeTarget, template: PodTemplate) {
    const { spec, probeServiceTime: time, probeServiceRng: rng } = template;
    this.readiness = spec.readiness && new ProbeWorker(sim, pod, READINESS, spec.readiness, time[READINESS]!, rng[READINESS]);
    this.liveness = spec.liveness && new ProbeWorker(sim, pod, LIVENESS, spec.liveness, time[LIVENESS]!, rng[LIVENESS]);
    this.startup = spec.startupProbe && new ProbeWorker(sim, pod, STARTUP, spec.startupProbe, time[STARTUP]!, rng[STARTUP]);
  }

  /** A pod already running when the run starts: each ticker has some phase relative to the start. */
  startWarm(template: PodTemplate): void {
    // The readiness phase keeps its own stream, so adding a liveness or startup probe moves nothing.
    if (this.readiness) this.readiness.startWarm(template.probeRng.random() * this.readiness.spec.period);
    if (this.liveness) this.liveness.startWarm(template.probePhaseRng.random() * this.liveness.spec.period);
    if (this.startup) this.startup.startWarm(template.probePhaseRng.random() * this.startup.spec.period);
  }

  /** A new pod: every worker probes at once, then every period. */
  startCold(): void {
    this.readiness?.startCold();
    this.liveness?.startCold();
    this.startup?.startCold();
  }

  stop(): void {
    this.readiness?.stop();
    this.liveness?.stop();
    this.startup?.stop();
  }

  containerStarted(): void {
    this.readiness?.containerStarted();
    this.liveness?.containerStarted();
    this.startup?.containerStarted();
  }

  containerExited(): void {
    this.readiness?.containerExited();
    this.liveness?.containerExited();
    this.startup?.containerExited();
  }

  /** isContainerStarted: no startup probe, or it has passed. */
  get startupPassed(): boolean {
    return this.startup === null || this.startup.result === true;
  }

  /** UpdatePodStatus: no readiness probe counts as passing. */
  get readinessPassed(): boolean {
    return this.readiness === null || this.readiness.result === true;
  }

  /** The container has just started: the status update that records it probes readiness at once. */
  started(): void {
    if (this.readiness && this.readiness.result !== true) this.readiness.trigger();
  }
}
