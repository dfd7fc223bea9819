/**
 * The scenario's timeline: crashes (named pods, N random pods, or a random crash process with a
 * mean time between failures per pod), scaling, rollouts, readiness failures, node failures and
 * kubectl's cordon, uncordon and drain, the cluster autoscaler's taint, each applied to the
 * cluster at its time.
 */
import type { EventHandler, Simulation } from "../engine/index.js";
import type { RandomStream } from "../random/index.js";
import type { PodOverride, TimelineEvent } from "../scenario/types.js";
import type { Pod } from "./node/kubelet/pod.js";

/** What the timeline acts on. */
export interface TimelineTarget {
  podByName(name: string): Pod | undefined;
  /** Pods of a deployment that are not deleted, in creation order. */
  podsOf(deployment: string): Pod[];
  scale(deployment: string, replicas: number): void;
  /** A new pod template for a Deployment or, with `daemonSet`, a DaemonSet. */
  rollout(owner: string, version: string, pod: PodOverride, daemonSet: boolean, successive: number, pause: number): void;
  nodeDown(node: number): void;
  nodeUp(): void;
  cordon(node: number, unschedulable: boolean): void;
  drainNode(node: number, timeout: number, disableEviction: boolean): void;
  /** Notes `text` in the time series of the Services selecting `pod`. */
  mark(text: string, pod: Pod): void;
  taint(node: number, on: boolean): void;
}

const APPLY = 0;
const RANDOM_CRASH = 1;

interface CrashProcess {
  spec: Extract<TimelineEvent, { action: "crashes" }>;
  rng: RandomStream;
}

export class Timeline implements EventHandler {
  constructor(
    private readonly sim: Simulation,
    private readonly target: TimelineTarget,
    private readonly events: readonly TimelineEvent[],
    /** Random choices of pods ("crash 2 pods of orders"). */
    private readonly rng: RandomStream,
    /** A stream per random crash process, named after its deployment. */
    private readonly crashRng: (deployment: string, index: number) => RandomStream,
  ) {}

  start(): void {
    this.events.forEach((ev, i) => this.sim.at(ev.at, this, APPLY, i));
  }

  onEvent(_sim: Simulation, kind: number, payload: unknown): void {
    if (kind === RANDOM_CRASH) {
      this.randomCrash(payload as CrashProcess);
      return;
    }
    const index = payload as number;
    const ev = this.events[index];
    switch (ev.action) {
      case "crash":
        for (const pod of this.choosePods(ev)) pod.crash();
        return;
      case "readiness-failure":
        for (const pod of this.choosePods(ev)) pod.failReadinessFor(ev.for);
        return;
      case "crashes": {
        this.scheduleRandomCrash({ spec: ev, rng: this.crashRng(ev.deployment, index) });
        return;
      }
      case "scale":
        this.target.scale(ev.deployment, ev.replicas);
        return;
      case "rollout":
        if ("daemonSet" in ev) this.target.rollout(ev.daemonSet, ev.version, ev.pod, true, ev.successive, ev.pause);
        else this.target.rollout(ev.deployment, ev.version, ev.pod, false, ev.successive, ev.pause);
        return;
      case "node-down":
        this.target.nodeDown(ev.node);
        return;
      case "node-up":
        this.target.nodeUp();
        return;
      case "cordon":
      case "uncordon":
        this.target.cordon(ev.node, ev.action === "cordon");
        return;
      case "drain":
        this.target.drainNode(ev.node, ev.timeout, ev.disableEviction);
        return;
      case "taint":
      case "untaint":
        this.target.taint(ev.node, ev.action === "taint");
        return;
    }
  }

  private choosePods(ev: { pods: string[] } | { deployment: string; count: number }): Pod[] {
    if ("pods" in ev) return ev.pods.map((n) => this.target.podByName(n)).filter((p): p is Pod => p !== undefined && !p.gone);
    // N distinct pods, uniformly, among those whose app is up.
    const candidates = this.target.podsOf(ev.deployment).filter((p) => p.appUp);
    const chosen: Pod[] = [];
    for (let k = 0; k < ev.count && candidates.length > 0; k++) {
      const i = Math.floor(this.rng.random() * candidates.length);
      chosen.push(candidates[i]);
      candidates.splice(i, 1);
    }
    return chosen;
  }

  /** Each pod fails at rate 1/mtbf: the deployment's next failure comes at rate n/mtbf. */
  private scheduleRandomCrash(p: CrashProcess): void {
    const n = Math.max(1, this.target.podsOf(p.spec.deployment).length);
    const at = this.sim.now + p.rng.exponential(p.spec.mtbf / n);
    if (at < p.spec.until) this.sim.at(at, this, RANDOM_CRASH, p);
  }

  private randomCrash(p: CrashProcess): void {
    const pods = this.target.podsOf(p.spec.deployment);
    if (pods.length > 0) {
      const pod = pods[Math.floor(p.rng.random() * pods.length)];
      // A pod already down does not crash again: the process thins itself. The crashes that happen
      // are marked: their times are drawn here, so no other record of them exists.
      if (pod.crash()) this.target.mark(`crash ${pod.name}`, pod);
    }
    this.scheduleRandomCrash(p);
  }
}
