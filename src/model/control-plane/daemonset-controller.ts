/**
 * The DaemonSet controller: one pod per node, cordoned nodes included (DaemonSet pods tolerate the
 * unschedulable taint, and an unreachable node for ever). A new node gets a pod; a node whose pod
 * is gone gets a new one. A rollout with RollingUpdate and no surge deletes old pods on at most
 * maxUnavailable nodes at a time (counting nodes whose pod is missing, not available or still
 * being replaced), and a node's new pod is created only once the old one is gone; with maxSurge the
 * new pod starts beside the old one, which is deleted once the new one is available. Both counts
 * are percentages of the nodes, rounded up. Nodes are visited in Go map order, random per sync.
 * OnDelete replaces a pod only once something else deletes it. Source:
 * pkg/controller/daemon/daemon_controller.go (podsShouldBeOnNode), update.go (rollingUpdate,
 * updatedDesiredNodeCounts), util/daemonset_util.go (SurgeCount, UnavailableCount).
 */
import type { EventHandler, Simulation } from "../../engine/index.js";
import type { RandomStream } from "../../random/index.js";
import type { DaemonSetSpec } from "../../scenario/types.js";
import type { PodTemplate } from "../api/pod-template.js";
import type { Pod } from "../node/kubelet/pod.js";
import type { Node } from "../node/node.js";
import { resolveIntOrPercent } from "./deployment-controller.js";

/** A ControllerRevision: one version of the DaemonSet's pod template. */
export interface Revision {
  readonly version: string;
  readonly template: PodTemplate;
}

export interface DaemonSetHost {
  readonly nodes: readonly Node[];
  /** Creates and starts the DaemonSet's pod on `node`; a warm one is already running and Ready. */
  createDaemonPod(ds: DaemonSet, node: Node, revision: Revision, warm: boolean): Pod;
  deletePod(pod: Pod): void;
  /** Notes a rollout's start or end in the time series. */
  rolloutMark(owner: DaemonSet, text: string, inProgressDelta: number): void;
}

export class DaemonSet implements EventHandler {
  /** Oldest first; the last is the current one. */
  private readonly revisions: Revision[] = [];
  /** The DaemonSet's pods not yet gone (terminating ones included), by node index. */
  private readonly byNode: Pod[][] = [];
  private reconcilePending = false;
  private rolloutInProgress = false;

  constructor(
    private readonly sim: Simulation,
    private readonly host: DaemonSetHost,
    readonly spec: DaemonSetSpec,
    template: PodTemplate,
    /** The order in which a sync visits the nodes (a Go map's iteration order). */
    private readonly rng: RandomStream,
  ) {
    this.revisions.push({ version: spec.version, template });
  }

  get name(): string {
    return this.spec.name;
  }

  get current(): Revision {
    return this.revisions[this.revisions.length - 1];
  }

  /** Every pod not yet gone, by node. */
  get pods(): Pod[] {
    return this.byNode.flat();
  }

  /** A pod on every live node, already running and Ready (the steady state a run starts from). */
  startWarm(): void {
    for (const node of this.host.nodes) if (node.alive) this.create(node, true);
  }

  /** A new pod template: the update strategy replaces the pods. */
  rollout(version: string, template: PodTemplate): void {
    this.revisions.push({ version, template });
    if (!this.rolloutInProgress && this.spec.updateStrategy.type === "RollingUpdate") {
      this.rolloutInProgress = true;
      this.host.rolloutMark(this, `rollout-start ${this.name} ${version}`, 1);
    }
    this.requestReconcile();
  }

  /** A pod of ours changed, or a node came: look again (and once more when it becomes available). */
  podChanged(pod: Pod): void {
    if (pod.gone) {
      const list = this.byNode[pod.node];
      const i = list?.indexOf(pod) ?? -1;
      if (i >= 0) list.splice(i, 1);
    }
    this.requestReconcile();
    const minReady = this.spec.minReadySeconds;
    if (minReady > 0 && pod.endpointReady) this.sim.at(pod.readySince + minReady, this);
  }

  poke(): void {
    this.requestReconcile();
  }

  onEvent(): void {
    this.reconcilePending = false;
    this.manage();
    if (this.spec.updateStrategy.type === "RollingUpdate") this.rollingUpdate(this.spec.updateStrategy.rollingUpdate);
    this.checkRolloutEnd();
  }

  private requestReconcile(): void {
    if (this.reconcilePending) return;
    this.reconcilePending = true;
    this.sim.after(0, this);
  }

  private create(node: Node, warm: boolean): void {
    const pod = this.host.createDaemonPod(this, node, this.current, warm);
    (this.byNode[node.index] ??= []).push(pod);
  }

  private updated(pod: Pod): boolean {
    return pod.template === this.current.template;
  }

  private available(pod: Pod): boolean {
    return pod.ready && !pod.terminating && this.sim.now - pod.readySince >= this.spec.minReadySeconds;
  }

  /**
   * podsShouldBeOnNode: a node without any pod of ours (a terminating one counts) gets one. A node
   * that is down keeps what it has: a pod created there could never start.
   */
  private manage(): void {
    for (const node of this.host.nodes) {
      if ((this.byNode[node.index]?.length ?? 0) === 0 && node.alive) this.create(node, false);
    }
  }

  /** The nodes in the order a sync visits them. */
  private shuffledNodes(): Node[] {
    const nodes = this.host.nodes.slice();
    for (let i = nodes.length - 1; i > 0; i--) {
      const j = this.rng.int(i + 1);
      [nodes[i], nodes[j]] = [nodes[j], nodes[i]];
    }
    return nodes;
  }

  /** findUpdatedPodsOnNode: at most one new and one old pod not being deleted, or null for more. */
  private podsOn(node: Node): { newPod: Pod | null; oldPod: Pod | null } | null {
    let newPod: Pod | null = null;
    let oldPod: Pod | null = null;
    for (const pod of this.byNode[node.index] ?? []) {
      if (pod.terminating) continue;
      if (this.updated(pod)) {
        if (newPod !== null) return null;
        newPod = pod;
      } else {
        if (oldPod !== null) return null;
        oldPod = pod;
      }
    }
    return { newPod, oldPod };
  }

  private rollingUpdate(ru: { maxSurge: number | string; maxUnavailable: number | string }): void {
    const desired = this.host.nodes.length;
    const maxSurge = resolveIntOrPercent(ru.maxSurge, desired, true);
    let maxUnavailable = resolveIntOrPercent(ru.maxUnavailable, desired, true);
    if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
    if (maxSurge === 0) this.replaceWithoutSurge(maxUnavailable);
    else this.replaceWithSurge(maxSurge);
  }

  /** Deletes just enough old pods to stay within maxUnavailable; manage() creates their successors. */
  private replaceWithoutSurge(maxUnavailable: number): void {
    let numUnavailable = 0;
    const toDelete: Pod[] = [];
    const candidates: Pod[] = [];
    for (const node of this.shuffledNodes()) {
      const found = this.podsOn(node);
      if (found === null) {
        numUnavailable++;
        continue;
      }
      const { newPod, oldPod } = found;
      if ((oldPod === null) === (newPod === null)) {
        numUnavailable++;
      } else if (newPod !== null) {
        if (!this.available(newPod)) numUnavailable++;
      } else if (!this.available(oldPod!)) {
        // An old pod that is not available is replaced without counting against the budget twice.
        toDelete.push(oldPod!);
        numUnavailable++;
      } else if (numUnavailable < maxUnavailable) {
        candidates.push(oldPod!);
      }
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
    for (const pod of [...toDelete, ...candidates.slice(0, remaining)]) this.host.deletePod(pod);
  }

  /** Starts new pods beside old ones, at most maxSurge at a time; an old pod goes once its successor is available. */
  private replaceWithSurge(maxSurge: number): void {
    let numSurge = 0;
    const toDelete: Pod[] = [];
    const allowedNew: Node[] = [];
    const candidateNew: Node[] = [];
    for (const node of this.shuffledNodes()) {
      const found = this.podsOn(node);
      if (found === null) {
        numSurge++;
        continue;
      }
      const { newPod, oldPod } = found;
      if (oldPod === null) continue;
      if (newPod === null) {
        if (!this.available(oldPod)) allowedNew.push(node);
        else if (numSurge < maxSurge) candidateNew.push(node);
      } else if (!this.available(newPod)) {
        numSurge++;
      } else {
        toDelete.push(oldPod);
      }
    }
    const remaining = Math.min(Math.max(0, maxSurge - numSurge), candidateNew.length);
    for (const pod of toDelete) this.host.deletePod(pod);
    for (const node of [...allowedNew, ...candidateNew.slice(0, remaining)]) if (node.alive) this.create(node, false);
  }

  /** The rollout is over once every node runs an available pod of the current revision and no old pod is left. */
  private checkRolloutEnd(): void {
    if (!this.rolloutInProgress) return;
    for (const node of this.host.nodes) {
      const pods = this.byNode[node.index] ?? [];
      if (pods.length !== 1 || !this.updated(pods[0]) || !this.available(pods[0])) return;
    }
    this.rolloutInProgress = false;
    this.host.rolloutMark(this, `rollout-end ${this.name} ${this.current.version}`, -1);
  }
}
