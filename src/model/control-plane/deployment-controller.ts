/**
 * The Deployment controller: scaling, RollingUpdate with maxSurge and maxUnavailable (surge rounded
 * up, unavailable down, progress gated on availability) and Recreate, each by setting its
 * ReplicaSets' desired counts. Source: pkg/controller/deployment/rolling.go, recreate.go, sync.go.
 */
import type { EventHandler, Simulation } from "../../engine/index.js";
import type { DeploymentSpec } from "../../scenario/types.js";
import type { PodTemplate } from "../api/pod-template.js";
import type { Pod } from "../node/kubelet/pod.js";
import { ReplicaSet, syncReplicaSet } from "./replicaset-controller.js";

export interface DeploymentHost {
  /** Creates, places and starts a pod of `rs`; a warm one is already running and Ready. Null: no node to run it (Pending). */
  createPod(deployment: Deployment, rs: ReplicaSet, warm: boolean): Pod | null;
  /** Notes a rollout's start or end in the time series. */
  rolloutMark(deployment: Deployment, text: string, inProgressDelta: number): void;
}

/** Resolves an int-or-percent against `replicas` (intstr.GetScaledValueFromIntOrPercent). */
export function resolveIntOrPercent(value: number | string, replicas: number, roundUp: boolean): number {
  if (typeof value === "number") return value;
  const pct = Number.parseFloat(value);
  const exact = (pct * replicas) / 100;
  return roundUp ? Math.ceil(exact - 1e-9) : Math.floor(exact + 1e-9);
}

/**
 * maxSurge and maxUnavailable as counts (deploymentutil.ResolveFenceposts and MaxUnavailable): both
 * zero would deadlock, so unavailable becomes 1; unavailable never exceeds replicas, and is 0 for none.
 */
export function resolveRollingParams(spec: DeploymentSpec, replicas: number): { maxSurge: number; maxUnavailable: number } {
  if (spec.strategy.type !== "RollingUpdate") return { maxSurge: 0, maxUnavailable: replicas };
  const ru = spec.strategy.rollingUpdate;
  const maxSurge = resolveIntOrPercent(ru.maxSurge, replicas, true);
  let maxUnavailable = resolveIntOrPercent(ru.maxUnavailable, replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: replicas === 0 ? 0 : Math.min(maxUnavailable, replicas) };
}

const sum = (xs: readonly ReplicaSet[], f: (rs: ReplicaSet) => number) => xs.reduce((acc, rs) => acc + f(rs), 0);

export class Deployment implements EventHandler {
  /** Oldest first; the last is the current (newest) one. */
  readonly replicaSets: ReplicaSet[] = [];
  replicas: number;
  private reconcilePending = false;
  private rolloutInProgress = false;
  /** The ReplicaSet controller's way to make a new (cold) pod of a ReplicaSet. */
  private readonly create = (rs: ReplicaSet): Pod | null => this.host.createPod(this, rs, false);

  constructor(
    private readonly sim: Simulation,
    private readonly host: DeploymentHost,
    readonly spec: DeploymentSpec,
    template: PodTemplate,
  ) {
    this.replicas = spec.replicas;
    this.replicaSets.push(new ReplicaSet(spec.version, template));
  }

  get name(): string {
    return this.spec.name;
  }

  get current(): ReplicaSet {
    return this.replicaSets[this.replicaSets.length - 1];
  }

  /** Every pod not yet deleted, oldest ReplicaSet first. */
  get pods(): Pod[] {
    return this.replicaSets.flatMap((rs) => rs.pods);
  }

  /** Creates the initial pods, already running and Ready (the steady state a run starts from). */
  startWarm(): void {
    const rs = this.current;
    rs.desired = this.replicas;
    for (let i = 0; i < this.replicas; i++) {
      const pod = this.host.createPod(this, rs, true);
      if (pod !== null) rs.pods.push(pod);
    }
  }

  scale(replicas: number): void {
    this.replicas = replicas;
    this.requestReconcile();
  }

  /** A new pod template: a new ReplicaSet replaces the old ones by the Deployment's strategy. */
  rollout(version: string, template: PodTemplate): void {
    this.replicaSets.push(new ReplicaSet(version, template));
    if (!this.rolloutInProgress) {
      this.rolloutInProgress = true;
      this.host.rolloutMark(this, `rollout-start ${this.name} ${version}`, 1);
    }
    this.requestReconcile();
  }

  /** A pod of ours changed: the controllers look again (and once more when it becomes available). */
  podChanged(pod: Pod): void {
    if (pod.terminating || pod.gone) {
      for (const rs of this.replicaSets) {
        const i = rs.pods.indexOf(pod);
        if (i >= 0) rs.pods.splice(i, 1);
        if (pod.gone) rs.terminating.delete(pod);
        else if (i >= 0) rs.terminating.add(pod);
      }
    }
    this.requestReconcile();
    const minReady = this.spec.minReadySeconds;
    if (minReady > 0 && pod.endpointReady) this.sim.at(pod.readySince + minReady, this);
  }

  onEvent(): void {
    this.reconcilePending = false;
    this.reconcile();
  }

  /** Something outside the deployment changed (a node came up): look again. */
  poke(): void {
    this.requestReconcile();
  }

  private requestReconcile(): void {
    if (this.reconcilePending) return;
    this.reconcilePending = true;
    this.sim.after(0, this);
  }

  private reconcile(): void {
    const now = this.sim.now;
    const minReady = this.spec.minReadySeconds;
    const current = this.current;
    const old = this.replicaSets.slice(0, -1);
    if (old.length === 0) {
      current.desired = this.replicas;
    } else if (this.spec.strategy.type === "Recreate") {
      for (const rs of old) rs.desired = 0;
      // Recreate waits until every old pod has terminated, not just been asked to.
      if (old.every((rs) => rs.pods.length === 0 && rs.terminating.size === 0)) current.desired = this.replicas;
    } else {
      this.rollingUpdate(now, current, old, minReady);
    }
    for (const rs of this.replicaSets) syncReplicaSet(rs, now, this.create);
    // Old ReplicaSets with no pods left, not even terminating ones, are done with.
    for (let i = this.replicaSets.length - 2; i >= 0; i--) {
      const rs = this.replicaSets[i];
      if (rs.desired === 0 && rs.pods.length === 0 && rs.terminating.size === 0) this.replicaSets.splice(i, 1);
    }
    const oldPodsLeft = this.replicaSets.slice(0, -1).some((rs) => rs.pods.length > 0);
    if (this.rolloutInProgress && !oldPodsLeft && current.available(now, minReady) >= this.replicas) {
      this.rolloutInProgress = false;
      this.host.rolloutMark(this, `rollout-end ${this.name} ${current.version}`, -1);
    }
  }

  private rollingUpdate(now: number, current: ReplicaSet, old: ReplicaSet[], minReady: number): void {
    const { maxSurge, maxUnavailable } = resolveRollingParams(this.spec, this.replicas);
    const all = this.replicaSets;
    // reconcileNewReplicaSet
    if (current.desired > this.replicas) {
      current.desired = this.replicas;
    } else if (current.desired < this.replicas) {
      const total = sum(all, (rs) => rs.desired);
      const maxTotal = this.replicas + maxSurge;
      if (total < maxTotal) {
        current.desired += Math.min(maxTotal - total, this.replicas - current.desired);
        // The real controller returns here and runs again on the ReplicaSet's update.
        this.requestReconcile();
        return;
      }
    }
    // reconcileOldReplicaSets
    if (sum(old, (rs) => rs.desired) === 0) return;
    const minAvailable = this.replicas - maxUnavailable;
    const newUnavailable = current.desired - current.available(now, minReady);
    const maxScaledDown = sum(all, (rs) => rs.desired) - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return;
    // cleanupUnhealthyReplicas: old pods that are not available go first.
    let cleaned = 0;
    for (const rs of old) {
      const unhealthy = rs.desired - rs.available(now, minReady);
      if (unhealthy <= 0) continue;
      const n = Math.min(maxScaledDown - cleaned, unhealthy);
      rs.desired -= n;
      cleaned += n;
      if (cleaned >= maxScaledDown) break;
    }
    // scaleDownOldReplicaSetsForRollingUpdate
    const availableNow = sum(all, (rs) => rs.available(now, minReady));
    if (availableNow <= minAvailable) return;
    let toScaleDown = availableNow - minAvailable;
    for (const rs of old) {
      if (toScaleDown <= 0) break;
      const n = Math.min(rs.desired, toScaleDown);
      rs.desired -= n;
      toScaleDown -= n;
    }
  }
}
