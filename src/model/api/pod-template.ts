/**
 * A ReplicaSet's pod template (spec.template): the pod spec its pods are made from, with the
 * random streams those pods draw from. Each ReplicaSet gets streams of its own, named after the
 * deployment and the ReplicaSet's number, so a rollout never shifts the draws of the pods before it.
 */
import { makeDistribution, type Distribution } from "../../random/distributions.js";
import type { RandomStream, RandomStreams } from "../../random/index.js";
import type { PodSpec } from "../../scenario/types.js";

export interface PodTemplate {
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

/** Makes the templates of every deployment's ReplicaSets, numbering them per deployment. */
export class PodTemplates {
  private readonly counter = new Map<string, number>();

  constructor(private readonly streams: RandomStreams) {}

  create(deployment: string, spec: PodSpec): PodTemplate {
    const n = this.counter.get(deployment) ?? 0;
    this.counter.set(deployment, n + 1);
    const key = `${deployment}:rs${n}`;
    return {
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
