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

/**
 * A class, not an object literal: V8 builds a literal's boilerplate the second time the literal runs
 * (the next policy of a comparison building its Cluster), and that throws away all code compiled
 * against the template's shape in the run before (the app server's and the kubelet's).
 */
export class PodTemplate {
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

  /** `key` names the template's streams (`<kind>:<key>`). */
  constructor(
    readonly owner: OwnerKind,
    readonly spec: PodSpec,
    streams: RandomStreams,
    key: string,
  ) {
    this.serviceTime = makeDistribution(spec.serviceTime);
    this.serviceRng = streams.stream(`service-time:${key}`);
    this.startup = makeDistribution(spec.startup);
    this.startupRng = streams.stream(`startup:${key}`);
    this.probeRng = streams.stream(`probe-phase:${key}`);
    this.probePhaseRng = streams.stream(`probe-phase:liveness-startup:${key}`);
    this.probeServiceTime = PROBE_KINDS.map((k) => (spec[k] === null ? null : makeDistribution(spec[k].serviceTime)));
    this.probeServiceRng = PROBE_KINDS.map((k) => streams.stream(`probe-service-time:${k}:${key}`));
    this.uidRng = streams.stream(`pod-uid:${key}`);
    this.crashDetection = makeDistribution(spec.crashDetection);
    this.plegRng = streams.stream(`pleg:${key}`);
    this.podWorkerRng = streams.stream(`pod-worker:${key}`);
  }
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
    return new PodTemplate(owner, spec, this.streams, key);
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
