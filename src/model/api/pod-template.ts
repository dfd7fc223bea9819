/**
 * A ReplicaSet's pod template (spec.template), or a DaemonSet revision's: the pod spec its pods are
 * made from, with the random streams those pods draw from. Each ReplicaSet (or revision) gets
 * streams of its own, named after its owner and its number, so a rollout never shifts the draws of
 * the pods before it.
 */
import { makeDistribution, type Distribution } from "../../random/distributions.js";
import type { RandomStream, RandomStreams } from "../../random/index.js";
import { DEFAULT_PROBE } from "../../scenario/probe-defaults.js";
import type { PodOverride, PodSpec, ProbeSpec } from "../../scenario/types.js";

/** The kind of controller that owns the template's pods. */
export type OwnerKind = "ReplicaSet" | "DaemonSet";

export interface PodTemplate {
  readonly owner: OwnerKind;
  readonly spec: PodSpec;
  readonly serviceTime: Distribution;
  readonly serviceRng: RandomStream;
  readonly startup: Distribution;
  readonly startupRng: RandomStream;
  /** Phases of the kubelet's readiness probe tickers. */
  readonly probeRng: RandomStream;
  /** Phases of the liveness and startup probe tickers. */
  readonly probePhaseRng: RandomStream;
  /** The app's work per probe, by kind (readiness, liveness, startup). */
  readonly probeServiceTime: readonly (Distribution | null)[];
  readonly probeServiceRng: readonly RandomStream[];
  /** Pod UIDs (random tie-breaks of the ReplicaSet's deletion order). */
  readonly uidRng: RandomStream;
  /** How long the kubelet's PLEG takes to see a container exit or start. */
  readonly crashDetection: Distribution;
  readonly plegRng: RandomStream;
  /** The pod worker's jittered rechecks of a backed-off restart. */
  readonly podWorkerRng: RandomStream;
}

/** The probe kinds, in the order of PodTemplate.probeServiceTime. */
export const PROBE_KINDS = ["readiness", "liveness", "startupProbe"] as const;

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
      probePhaseRng: this.streams.stream(`probe-phase:liveness-startup:${key}`),
      probeServiceTime: PROBE_KINDS.map((k) => (spec[k] === null ? null : makeDistribution(spec[k].serviceTime))),
      probeServiceRng: PROBE_KINDS.map((k) => this.streams.stream(`probe-service-time:${k}:${key}`)),
      uidRng: this.streams.stream(`pod-uid:${key}`),
      crashDetection: makeDistribution(spec.crashDetection),
      plegRng: this.streams.stream(`pleg:${key}`),
      podWorkerRng: this.streams.stream(`pod-worker:${key}`),
    };
  }
}

/**
 * A rollout's template: the override's fields over the current template's. A probe merges field by
 * field over the current one (over the defaults if there was none); `null` removes it.
 */
export function overridePodSpec(current: PodSpec, override: PodOverride): PodSpec {
  const probe = (was: ProbeSpec | null, given: Partial<ProbeSpec> | null | undefined): ProbeSpec | null =>
    given === undefined ? was : given === null ? null : { ...(was ?? DEFAULT_PROBE), ...given };
  return {
    ...current,
    ...override,
    readiness: probe(current.readiness, override.readiness),
    liveness: probe(current.liveness, override.liveness),
    startupProbe: probe(current.startupProbe, override.startupProbe),
  };
}
