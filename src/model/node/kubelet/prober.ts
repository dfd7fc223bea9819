/**
 * The kubelet's readiness probe worker for one pod (pkg/kubelet/prober/worker.go): it probes at
 * once when the pod starts and then every period, skips probes within initialDelaySeconds of the
 * container's start, and flips the Ready condition after successThreshold successes or
 * failureThreshold failures in a row.
 */
import type { EventHandler, SimEvent, Simulation } from "../../../engine/index.js";
import type { RandomStream } from "../../../random/index.js";
import type { ReadinessSpec } from "../../../scenario/types.js";

/** What the prober looks at and acts on. */
export interface Probed {
  readonly gone: boolean;
  readonly unreachable: boolean;
  /** When the current container started running (initialDelaySeconds counts from it). */
  readonly containerStartedAt: number;
  /** Whether a probe sent now would succeed. */
  probeSucceeds(now: number): boolean;
  setReady(ready: boolean): void;
}

export class ReadinessProber implements EventHandler {
  private successes = 0;
  private failures = 0;
  private event: SimEvent | null = null;

  constructor(
    private readonly sim: Simulation,
    private readonly pod: Probed,
    private readonly spec: ReadinessSpec,
  ) {}

  /** A pod already running when the run starts: the ticker has some phase relative to the start. */
  startWarm(phaseRng: RandomStream): void {
    this.event = this.sim.after(phaseRng.random() * this.spec.period, this);
  }

  /** A new pod: the worker probes at once, then every period. */
  startCold(): void {
    this.event = this.sim.after(0, this);
  }

  stop(): void {
    this.sim.cancel(this.event);
  }

  /** The container exited: a run of successes starts over. */
  containerExited(): void {
    this.successes = 0;
  }

  onEvent(sim: Simulation): void {
    const pod = this.pod;
    if (pod.gone || pod.unreachable) return;
    const now = sim.now;
    const r = this.spec;
    this.event = sim.after(r.period, this);
    if (now - pod.containerStartedAt < r.initialDelay) return;
    if (pod.probeSucceeds(now)) {
      this.failures = 0;
      if (++this.successes >= r.successThreshold) pod.setReady(true);
    } else {
      this.successes = 0;
      if (++this.failures >= r.failureThreshold) pod.setReady(false);
    }
  }
}
