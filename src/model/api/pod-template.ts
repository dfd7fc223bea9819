/**
 * A ReplicaSet's pod template (spec.template), or a DaemonSet revision's: the pod spec its pods are
 * made from, with the random streams those pods draw from. Each ReplicaSet (or revision) gets
 * streams of its own, named after its owner and its number, so a rollout never shifts the draws of
 * the pods before it.
 */
import { makeDistribution, type Distribution } from "../../random/distributions.js";
import type { RandomStream, RandomStreams } from "../../random/index.js";
import type { PodSpec } from "../../scenario/types.js";

/** The kind of controller that owns the template's pods. */
export type OwnerKind = "ReplicaSet" | "DaemonSet";

export interface PodTemplate {
  readonly owner: OwnerKind;
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

/**
 * Makes the templates of every deployment's ReplicaSets (streams `<kind>:<deployment>:rs<n>`) and
 * every DaemonSet's revisions (`<kind>:<daemonSet>:rev<n>`), numbering them per owner.
 */
export class PodTemplates {
  private readonly counter = new Map<string, number>();

  constructor(private readonly streams: RandomStreams) {}

  create(deployment: string, spec: PodSpec, owner: OwnerKind = "ReplicaSet"): PodTemplate {
    const n = this.counter.get(deployment) ?? 0;
    this.counter.set(deployment, n + 1);
    const key = `${deployment}:${owner === "ReplicaSet" ? "rs" : "rev"}${n}`;
    return {
      owner,
      spec,
      serviceTime: makeDistribution(spec.serviceTime),
      serviceRng: this.streams.stream(`service-time:${key}`),
      startup: makeDistribution(spec.startup),
      startupRng: this.streams.stream(`startup:${key}`),
      probeRng: this.streams.stream(`probe-phase:${key}`),
      uidRng: this.streams.stream(`pod-uid:${key}`),
    };
  }
}
