/**
 * `kubectl cordon`, `uncordon` and `drain` (staging/src/k8s.io/kubectl/pkg/drain: drain.go,
 * cordon.go). A drain cordons the node, then evicts every pod on it at once except DaemonSet pods
 * (which tolerate the cordon: the usual --ignore-daemonsets), each in its own loop: a pod whose
 * eviction is refused with 429 (a budget would be violated) is tried again 5 s later; once evicted,
 * kubectl polls every second until the pod is gone. A pod matched by several budgets gets an error
 * and is left. The drain ends when every pod is gone, or gives up at its --timeout. With
 * --disable-eviction it deletes the pods directly, budgets or not. Graceful termination, and the
 * controllers' replacements elsewhere, follow as for any deletion.
 */
import type { EventHandler, Simulation } from "../../engine/index.js";
import { evict, EVICTED, MULTIPLE_BUDGETS, type EvictionHost } from "../api/eviction.js";
import type { Pod } from "../node/kubelet/pod.js";
import type { Node } from "../node/node.js";

/** kubectl drain retries a refused eviction after this long. */
export const EVICTION_RETRY = 5;
/** waitForDelete polls every second. */
export const DELETE_POLL = 1;

export interface DrainHost extends EvictionHost {
  /** The node's pods a drain evicts: not gone, not DaemonSet-managed. */
  drainablePods(node: Node): Pod[];
  /** Notes what happened in the time series of every Service (or of the Services selecting `pod`). */
  mark(text: string, pod?: Pod): void;
}

/** How one pod's eviction went, for tests and for whoever reads a drain's history. */
export interface DrainStep {
  at: number;
  pod: string;
  what: "evicted" | "blocked" | "error" | "gone";
}

const EVICT = 0;
const POLL = 1;
const TIMEOUT = 2;

export class Drain implements EventHandler {
  readonly history: DrainStep[] = [];
  /** Pods still to be evicted or waited for. */
  private pending = 0;
  private failed = false;
  private over = false;

  constructor(
    private readonly sim: Simulation,
    private readonly host: DrainHost,
    readonly node: Node,
    private readonly timeout: number,
    private readonly disableEviction: boolean,
  ) {}

  start(): void {
    cordon(this.node, this.host, true);
    this.host.mark(`drain-start node-${this.node.index}`);
    const pods = this.host.drainablePods(this.node);
    this.pending = pods.length;
    if (Number.isFinite(this.timeout)) this.sim.after(this.timeout, this, TIMEOUT);
    if (pods.length === 0) this.finish();
    for (const pod of pods) this.tryEvict(pod);
  }

  onEvent(_sim: Simulation, kind: number, payload: unknown): void {
    if (this.over) return;
    if (kind === EVICT) this.tryEvict(payload as Pod);
    else if (kind === POLL) this.poll(payload as Pod);
    else {
      this.over = true;
      this.host.mark(`drain-timeout node-${this.node.index}`);
    }
  }

  private tryEvict(pod: Pod): void {
    if (this.disableEviction) {
      this.host.deletePod(pod);
      this.step(pod, "evicted");
      this.poll(pod);
      return;
    }
    const result = evict(pod, this.host);
    if (result === EVICTED) {
      this.step(pod, "evicted");
      this.poll(pod);
    } else if (result === MULTIPLE_BUDGETS) {
      this.step(pod, "error");
      this.failed = true;
      this.done();
    } else {
      this.step(pod, "blocked");
      this.sim.after(EVICTION_RETRY, this, EVICT, pod);
    }
  }

  /** waitForDelete: immediately, then every second until the pod is gone. */
  private poll(pod: Pod): void {
    if (!pod.gone) {
      this.sim.after(DELETE_POLL, this, POLL, pod);
      return;
    }
    this.step(pod, "gone");
    this.done();
  }

  private done(): void {
    if (--this.pending === 0) this.finish();
  }

  private finish(): void {
    this.over = true;
    this.host.mark(`${this.failed ? "drain-error" : "drain-end"} node-${this.node.index}`);
  }

  private step(pod: Pod, what: DrainStep["what"]): void {
    this.history.push({ at: this.sim.now, pod: pod.name, what });
    if (what === "evicted") this.host.mark(`evict ${pod.name}`, pod);
  }
}

/** kubectl cordon / uncordon: spec.unschedulable. */
export function cordon(node: Node, host: Pick<DrainHost, "mark">, unschedulable: boolean): void {
  if (node.unschedulable === unschedulable) return;
  node.unschedulable = unschedulable;
  host.mark(`${unschedulable ? "cordon" : "uncordon"} node-${node.index}`);
}
