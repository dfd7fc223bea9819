/**
 * The scenario FILE schema: what users write in YAML, validated and transformed into the resolved
 * `Scenario` of types.ts with every default filled in.
 *
 * Conventions that make the error messages work (see issues.ts, which turns issues into lines):
 * - every issue's `message` is the "allowed" part of the line (what the field accepts);
 * - a custom issue may carry `params.problem` (what is wrong) and `params.found` (the offending value);
 * - an `unrecognized_keys` issue's message is the list of allowed keys, ", "-separated.
 * Fields without a hand-written message get one from `allowedFromIssue` (the per-parse error map).
 *
 * Times are seconds, rates per second. Event `at` is simulated time from the start of the warm-up.
 */
import * as z from "zod";
import { distributionSchema } from "../random/distribution-schema.js";
import type { DistributionSpec } from "../random/distributions.js";
import { durationSchema, rateSchema } from "../random/unit-schemas.js";
import { parseDuration, parseRate } from "../random/units.js";
import { TYPE_NAMES, closest, problemOf } from "./errors.js";
import {
  DEFAULT_KUBERNETES_VERSION,
  FEATURE_GATE_SINCE,
  gateExists,
  KUBERNETES_VERSIONS,
  parseKubernetesVersion,
  versionDefaults,
  type KubernetesVersion,
} from "./kubernetes-versions.js";
import {
  CLIENT_LOCATIONS,
  CRASH_LOOP_RECHECKS,
  DROP_REASONS,
  LOAD_BALANCER_PROVIDERS,
  NODE_TAINTS,
  SERVICE_TYPES,
  type HealthCheckSpec,
  type LoadBalancerProvider,
  type ServiceSpec,
  type TrafficPolicy,
  ON_SIGTERM,
  PROBE_HANDLERS,
  HEADLINE_METRICS,
  SESSION_AFFINITIES,
  TRAFFIC_DISTRIBUTIONS,
  TRAFFIC_POLICIES,
  POLICY_ALIASES,
  POLICY_NAMES,
  type PolicyName,
  type ArrivalSpec,
  type ClientsSpec,
  type ConnectionSpec,
  type DaemonSetSpec,
  type DeploymentSpec,
  type DropReason,
  type FeatureGates,
  type HorizontalPodAutoscalerSpec,
  type RetrySpec,
  RETRY_ON_CONDITIONS,
  type ProbeSpec,
  type PrecisionSpec,
  type Scenario,
  type SweepAxis,
  type SweepParameter,
  type TimelineEvent,
} from "./types.js";

// A scenario is validated once per process: zod's fast path, which compiles each object schema
// to a function through \`new Function\` on its first parse, costs more than it saves here (~5-10 ms
// of a 0.2 CPU-s run). Parsing without it gives the same results and the same issues.
z.config({ jitless: true });

// ---------------------------------------------------------------------------------------------
// Issue helpers
// ---------------------------------------------------------------------------------------------

/** Extra data a custom issue carries for the formatter. */
export interface IssueParams {
  problem?: string;
  found?: unknown;
}

type Ctx = z.RefinementCtx;

/** Runs a refinement even when other fields failed, so every problem is reported at once. */
const always = { when: () => true };

/** Reports a custom problem at `path` (relative to the refined value). */
function fail(ctx: Ctx, path: PropertyKey[], found: unknown, problem: string, allowed: string): void {
  ctx.addIssue({ code: "custom", path, message: allowed, input: found, params: { problem, found } satisfies IssueParams });
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function valueAt(x: unknown, path: readonly PropertyKey[]): unknown {
  let cur = x;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

const NONE_WORDS = `"none" (or omit the field)`;

/**
 * The per-parse error map: an "allowed" text for issues whose schema has no message of its own.
 * Pass it as `safeParse(x, { error: allowedFromIssue, reportInput: true })`.
 */
export function allowedFromIssue(iss: z.core.$ZodRawIssue): string {
  const rel = (inclusive: boolean | undefined, dir: "min" | "max") =>
    dir === "min" ? (inclusive === false ? ">" : ">=") : inclusive === false ? "<" : "<=";
  switch (iss.code) {
    case "invalid_type":
      return TYPE_NAMES[iss.expected] ?? `a value of type ${iss.expected}`;
    case "too_small":
      if (iss.origin === "array") return `a list with at least ${iss.minimum} ${iss.minimum === 1 ? "entry" : "entries"}`;
      if (iss.origin === "string") return iss.minimum === 1 ? "a non-empty string" : `a string of at least ${iss.minimum} characters`;
      return `a number ${rel(iss.inclusive, "min")} ${iss.minimum}`;
    case "too_big":
      if (iss.origin === "array") return `a list with at most ${iss.maximum} entries`;
      if (iss.origin === "string") return `a string of at most ${iss.maximum} characters`;
      return `a number ${rel(iss.inclusive, "max")} ${iss.maximum}`;
    case "invalid_value":
      return iss.values.length === 1 ? `exactly ${JSON.stringify(iss.values[0])}` : `one of ${iss.values.join(", ")}`;
    case "invalid_format":
      return iss.pattern ? `a string matching ${iss.pattern}` : `a string in ${iss.format} format`;
    case "not_multiple_of":
      return `a multiple of ${iss.divisor}`;
    case "invalid_union":
      return iss.discriminator && Array.isArray(iss.options) ? `one of ${iss.options.join(", ")}` : "one of the allowed forms";
    case "unrecognized_keys":
      return "no other fields";
    default:
      return "a valid value";
  }
}

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

/**
 * A strict object: unknown keys are errors. Its message lists the allowed fields; the formatter
 * turns an unknown key into `unknown field "x" (did you mean "y"?)`.
 */
function obj<S extends z.ZodRawShape>(shape: S, what = "a mapping") {
  const keys = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => (iss.code === "unrecognized_keys" ? keys.join(", ") : `${what} with the fields ${keys.join(", ")}`),
  });
}

const int = (min: number, what = `an integer >= ${min}`) => z.int({ error: what }).min(min, { error: what });
const nonEmpty = (what: string) => z.string({ error: what }).min(1, { error: what });

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_WHAT = "a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";
const SCENARIO_NAME_WHAT = `${DNS_WHAT} (it names the reports folder results/<name>)`;
/** Object names follow Kubernetes' DNS-1123 label rule (apimachinery validation.IsDNS1123Label). */
const dnsName = () => z.string({ error: DNS_WHAT }).max(63, { error: DNS_WHAT }).regex(DNS_LABEL, { error: DNS_WHAT });

/** Label syntax from apimachinery validation.IsQualifiedName / IsValidLabelValue. */
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE_WHAT =
  "a label value: a string of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (quote numbers: \"2\")";
const labelValue = () =>
  z
    .string({ error: LABEL_VALUE_WHAT })
    .max(63, { error: LABEL_VALUE_WHAT })
    .regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/, { error: LABEL_VALUE_WHAT });

function validLabelKey(k: string): boolean {
  const slash = k.lastIndexOf("/");
  const [prefix, name] = slash < 0 ? [undefined, k] : [k.slice(0, slash), k.slice(slash + 1)];
  if (prefix !== undefined && (prefix.length > 253 || !LABEL_PREFIX.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

/** A non-empty map of label key -> value (labels and selectors). */
function labelMap(what: string) {
  const allowed = `a non-empty mapping of ${what}, e.g. {app: web}`;
  return z
    .record(z.string(), labelValue(), { error: allowed })
    .superRefine((m, ctx) => {
      if (Object.keys(m).length === 0) fail(ctx, [], m, "the mapping is empty", allowed);
      for (const k of Object.keys(m)) {
        if (!validLabelKey(k)) {
          fail(ctx, [k], k, `invalid label key ${JSON.stringify(k)}`, "a label key: an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
        }
      }
    });
}

/** Splits a message from the random/ schemas ("X must be Y, found Z; allowed: W") into problem and allowed. */
function splitForeign(message: string, fallback: string): { problem: string; allowed: string } {
  let s = message.trim();
  let allowed: string | undefined;
  let m = /^(.*?): give (.*)$/s.exec(s);
  if (m) [s, allowed] = [m[1], m[2]];
  m = /^(.*?); (allowed: |expected |use )(.*)$/s.exec(s);
  if (m) {
    s = m[1];
    allowed ??= m[2] === "use " ? `a unit among ${m[3]}` : m[3];
  }
  s = s.replace(/,? found .*$/s, "");
  if (s.startsWith("expected ")) {
    allowed ??= s.slice("expected ".length);
    s = `not ${allowed.replace(/ such as .*$/s, "").replace(/ \(.*$/s, "")}`; // "not a duration"
  }
  m = /^(missing [^:]*): (?:expected )?(.*)$/s.exec(s);
  if (m) [s, allowed] = [m[1], allowed ?? m[2]];
  if (allowed === undefined) {
    m = /\bmust (.*)$/s.exec(s) ?? /^give (either .*)$/s.exec(s);
    if (m) allowed = m[1].replace(/^be /, "").replace(/^not be /, "not ");
  }
  return { problem: s, allowed: allowed ?? fallback };
}

/**
 * Runs one of the random/ schemas (durationSchema, rateSchema, distributionSchema) and re-raises its
 * issues in this file's message convention, each at its own path with the value found there.
 */
function foreign<T>(schema: z.ZodType<T, unknown>, fallback: string) {
  return z.unknown().transform((x, ctx): T => {
    const r = schema.safeParse(x);
    if (r.success) return r.data;
    for (const iss of r.error.issues) {
      if (iss.code === "unrecognized_keys") {
        const { allowed } = splitForeign(iss.message, fallback);
        const keys = allowed.split(/,\s*/);
        for (const k of iss.keys) {
          const hint = closest(k, keys);
          fail(ctx, [...iss.path, k], valueAt(x, [...iss.path, k]), `unknown field ${JSON.stringify(k)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ""}`, allowed);
        }
        continue;
      }
      const { problem, allowed } = splitForeign(iss.message, fallback);
      fail(ctx, iss.path, valueAt(x, iss.path), problem, allowed);
    }
    return z.NEVER;
  });
}

const DURATION_WHAT = "a duration such as 250ms, 2s or 5m (a number is seconds)";
const RATE_WHAT = "a rate such as 100/s or 6000/m (a number is per second)";
const DIST_WHAT =
  "a duration (a constant) or {type: constant|uniform|exponential|normal|lognormal|erlang|gamma|pareto|empirical, ...}";

const duration = () => foreign(durationSchema, DURATION_WHAT);
const positiveDuration = () => duration().pipe(z.number().gt(0, { error: "a duration greater than 0, such as 1s" }));
const rate = () => foreign(rateSchema, RATE_WHAT);
const positiveRate = () => rate().pipe(z.number().gt(0, { error: "a rate greater than 0, such as 100/s" }));
const distribution = () => foreign<DistributionSpec>(distributionSchema, DIST_WHAT);

/** `none` (or null / Infinity, as run.json writes it) means Infinity; anything else goes to `inner`. */
function noneOr(inner: z.ZodType<number, unknown>) {
  return z.unknown().transform((x, ctx): number => {
    if (x === "none" || x === null || x === Infinity || x === "Infinity") return Infinity;
    const r = inner.safeParse(x, { reportInput: true });
    if (r.success) return r.data;
    for (const iss of r.error.issues) {
      const p = iss.code === "custom" ? (iss.params as IssueParams | undefined) : undefined;
      fail(ctx, iss.path, p && "found" in p ? p.found : valueAt(x, iss.path), p?.problem || problemOf(iss), `${iss.message}, or ${NONE_WORDS}`);
    }
    return z.NEVER;
  });
}

/**
 * Parses a constant default through the real schema, so defaults and input share one code path;
 * on its first use, not when this module loads (a scenario uses a few of the defaults).
 */
function dist(input: unknown): () => DistributionSpec {
  let spec: DistributionSpec | undefined;
  return () => structuredClone((spec ??= distributionSchema.parse(input)));
}

// ---------------------------------------------------------------------------------------------
// Cluster
// ---------------------------------------------------------------------------------------------

/** `10%` or 0.1: a share from 0 up. */
const FRACTION_WHAT = 'a share >= 0: a percentage such as "10%" or a number such as 0.1';
const fraction = () =>
  z.unknown().transform((x, ctx): number => {
    const v = typeof x === "string" && /^\s*\d+(\.\d+)?\s*%\s*$/.test(x) ? Number(x.trim().slice(0, -1)) / 100 : x;
    if (typeof v === "number" && v >= 0 && Number.isFinite(v)) return v;
    fail(ctx, [], x, "", FRACTION_WHAT);
    return z.NEVER;
  });

/**
 * ASSUMPTION: the facts file has no small-cluster figure for watch latency (KEP-3453 measured
 * p50 ~5 s / p99 ~25 s at 5000 nodes); median 200 ms, p99 2 s is our guess for a small cluster.
 */
const DEFAULT_WATCH_LATENCY = dist({ type: "lognormal", median: "200ms", p99: "2s" });

const proxySchema = obj({
  watchLatency: distribution().default(DEFAULT_WATCH_LATENCY),
  minSyncPeriod: duration().default(1), // kube-proxy defaults.go: minSyncPeriod 1s
  // The runner's burst: default by cluster.kubernetesVersion (2 up to v1.33, 1 from v1.34).
  burstSyncs: int(1).optional(),
  // An idle cluster by default: rewrites take no time and no other Service changes.
  syncDuration: obj({ base: duration().default(0), perEndpoint: duration().default(0) }).prefault({}),
  background: obj({ endpoints: int(0).default(0), changes: rate().default(0) }).prefault({}),
});

const VERSION_WHAT = `a Kubernetes minor version, one of ${KUBERNETES_VERSIONS.map((v) => `"${v}"`).join(", ")} (quote it: YAML reads 1.30 as 1.3)`;
const kubernetesVersion = () =>
  z.unknown().transform((x, ctx): KubernetesVersion => {
    const v = parseKubernetesVersion(x);
    if (v !== undefined) return v;
    fail(ctx, [], x, "unsupported Kubernetes version", VERSION_WHAT);
    return z.NEVER;
  });

const featureGatesSchema = obj({
  ReduceDefaultCrashLoopBackOffDecay: z.boolean({ error: "true or false" }).default(false), // alpha from v1.33, off by default
  KubeProxyDrainingTerminatingNodes: z.boolean({ error: "true or false" }).optional(), // default by kubernetesVersion: on from v1.30
}, "a mapping of feature gate names to true or false");

const kubeletSchema = obj({
  // Defaults: 10s / 300s, or 1s / 60s with ReduceDefaultCrashLoopBackOffDecay; an initial above max is lowered to max.
  crashLoopBackOff: obj({ initial: positiveDuration().optional(), max: positiveDuration().optional() }).prefault({}),
  // Default by cluster.kubernetesVersion.
  crashLoopRecheck: z.enum(CRASH_LOOP_RECHECKS, { error: `one of ${CRASH_LOOP_RECHECKS.join(", ")}` }).optional(),
});

/**
 * What the common CNIs do with a packet for a released pod IP (see node/pod-network.ts): Calico
 * blackholes its IPAM blocks, Cilium drops it as "Stale or unroutable IP", AWS VPC CNI keeps the
 * IP on the node's ENI with no route to it: no answer. Bridge-based plugins (flannel, bridge,
 * kubenet) answer with ICMP host-unreachable once ARP gives up: 3 probes 1 s apart.
 */
const networkSchema = obj({
  releasedPodIP: z.enum(["no-answer", "host-unreachable"], { error: "no-answer or host-unreachable" }).default("no-answer"),
  hostUnreachableAfter: distribution().default(dist("3s")), // Linux neighbour: mcast_solicit 3 x retrans_time 1 s
  latency: duration().default(0.00025), // ASSUMPTION: 0.25 ms one way, a round trip of 0.5 ms inside a zone
  // ASSUMPTION: 0.5 ms more one way between zones of a region (a round trip of about 1 ms more, as
  // the clouds' inter-zone latency is commonly measured); it counts only when cluster.zones is set.
  crossZoneLatency: duration().default(0.0005),
});

const ZONES_WHAT = "a list of zone names (node i is in zones[i mod length]: the names once each spread the nodes round-robin, one name per node places each)";

const clusterSchema = obj({
  kubernetesVersion: kubernetesVersion().default(DEFAULT_KUBERNETES_VERSION),
  featureGates: featureGatesSchema.prefault({}),
  kubelet: kubeletSchema.prefault({}),
  nodes: int(1).default(3), // svcsim default: a small 3-node cluster
  clientWeights: z
    .array(z.number({ error: "a number >= 0" }).min(0, { error: "a number >= 0" }), { error: "a list of numbers >= 0, one per node" })
    .optional(), // default: all 1 (filled below, once nodes is known)
  zones: z.array(labelValue().pipe(z.string().min(1, { error: "a non-empty zone name" })), { error: ZONES_WHAT }).default(() => []), // no zones
  proxy: proxySchema.prefault({}),
  network: networkSchema.prefault({}),
  endpointsBatchPeriod: duration().default(0), // EndpointSlice controller: batch period 0s
  nodeMonitorGracePeriod: duration().optional(), // default by kubernetesVersion: 50s from v1.32 (kubernetes#126287), 40s before
  horizontalPodAutoscaler: obj({
    syncPeriod: positiveDuration().default(15), // --horizontal-pod-autoscaler-sync-period 15s
    tolerance: fraction().default(0.1), // --horizontal-pod-autoscaler-tolerance 0.1
    downscaleStabilization: duration().default(300), // --horizontal-pod-autoscaler-downscale-stabilization 5m
    cpuInitializationPeriod: duration().default(300), // --horizontal-pod-autoscaler-cpu-initialization-period 5m
    initialReadinessDelay: duration().default(30), // --horizontal-pod-autoscaler-initial-readiness-delay 30s
  }).prefault({}),
  metricsServer: obj({
    resolution: positiveDuration().default(15), // metrics-server --metric-resolution 15s
  }).prefault({}),
})
  .superRefine((c, ctx) => {
    const gates = c.featureGates as Partial<Record<keyof FeatureGates, unknown>> | undefined;
    if (typeof c.kubernetesVersion === "string" && isObj(gates)) {
      for (const gate of Object.keys(FEATURE_GATE_SINCE) as (keyof FeatureGates)[]) {
        if (gates[gate] === true && !gateExists(gate, c.kubernetesVersion)) {
          fail(ctx, ["featureGates", gate], true, `the gate exists from Kubernetes ${FEATURE_GATE_SINCE[gate]}, but kubernetesVersion is ${c.kubernetesVersion}`, `false, or kubernetesVersion "${FEATURE_GATE_SINCE[gate]}" or later`);
        }
      }
    }
    const clb = isObj(c.kubelet) && isObj(c.kubelet.crashLoopBackOff) ? c.kubelet.crashLoopBackOff : undefined;
    if (clb && typeof clb.initial === "number" && typeof clb.max === "number" && clb.initial > clb.max) {
      fail(ctx, ["kubelet", "crashLoopBackOff", "initial"], clb.initial, "initial is longer than max", `a duration <= max (${clb.max}s)`);
    }
    if (Array.isArray(c.zones) && typeof c.nodes === "number" && c.zones.length > c.nodes) {
      fail(ctx, ["zones"], c.zones, `${c.zones.length} zone entries for ${c.nodes} nodes`, `at most ${c.nodes} entries: ${ZONES_WHAT}`);
    }
    if (!Array.isArray(c.clientWeights) || typeof c.nodes !== "number") return;
    if (c.clientWeights.length !== c.nodes) {
      fail(ctx, ["clientWeights"], c.clientWeights, `${c.clientWeights.length} weights for ${c.nodes} nodes`, `a list of exactly ${c.nodes} numbers >= 0 (one per node)`);
    } else if (!c.clientWeights.some((w) => w > 0)) {
      fail(ctx, ["clientWeights"], c.clientWeights, "all weights are 0", "at least one weight > 0");
    }
  })
  .transform((c) => {
    // The version-dependent defaults, filled once the version is known.
    const byVersion = versionDefaults(c.kubernetesVersion);
    const reduced = c.featureGates.ReduceDefaultCrashLoopBackOffDecay;
    const max = c.kubelet.crashLoopBackOff.max ?? (reduced ? 60 : 300);
    const initial = c.kubelet.crashLoopBackOff.initial ?? Math.min(reduced ? 1 : 10, max);
    const featureGates = { ...c.featureGates, KubeProxyDrainingTerminatingNodes: c.featureGates.KubeProxyDrainingTerminatingNodes ?? byVersion.KubeProxyDrainingTerminatingNodes };
    return {
      ...c,
      featureGates,
      kubelet: { ...c.kubelet, crashLoopBackOff: { initial, max }, crashLoopRecheck: c.kubelet.crashLoopRecheck ?? byVersion.crashLoopRecheck },
      proxy: { ...c.proxy, burstSyncs: c.proxy.burstSyncs ?? byVersion.burstSyncs },
      nodeMonitorGracePeriod: c.nodeMonitorGracePeriod ?? byVersion.nodeMonitorGracePeriod,
      clientWeights: c.clientWeights ?? Array.from({ length: c.nodes }, () => 1),
    };
  });

// ---------------------------------------------------------------------------------------------
// Services and deployments
// ---------------------------------------------------------------------------------------------

/**
 * Health-check defaults of the load balancers the cloud providers make for a LoadBalancer Service,
 * by externalTrafficPolicy (Cluster: kube-proxy's /healthz on port 10256; Local: the Service's
 * healthCheckNodePort). gce: kubernetes/cloud-provider-gcp providers/gce/gce.go (gceHcCheckIntervalSeconds
 * 8, gceHcTimeoutSeconds 1, gceHcHealthyThreshold 1, gceHcUnhealthyThreshold 3, for both policies).
 * aws-nlb: kubernetes/cloud-provider-aws buildNLBHealthCheckConfiguration (Cluster: interval 30 s,
 * timeout 10 s, thresholds 3 and 3, on kube-proxy's /healthz since cloud-provider-aws#622; Local:
 * HTTP on the healthCheckNodePort, interval 10 s, timeout 10 s, thresholds 2 and 2).
 */
export const HEALTH_CHECK_DEFAULTS: Readonly<Record<LoadBalancerProvider, Record<TrafficPolicy, HealthCheckSpec>>> = {
  gce: {
    Cluster: { interval: 8, timeout: 1, healthyThreshold: 1, unhealthyThreshold: 3 },
    Local: { interval: 8, timeout: 1, healthyThreshold: 1, unhealthyThreshold: 3 },
  },
  "aws-nlb": {
    Cluster: { interval: 30, timeout: 10, healthyThreshold: 3, unhealthyThreshold: 3 },
    Local: { interval: 10, timeout: 10, healthyThreshold: 2, unhealthyThreshold: 2 },
  },
};

const loadBalancerSchema = obj({
  provider: z.enum(LOAD_BALANCER_PROVIDERS, { error: `one of ${LOAD_BALANCER_PROVIDERS.join(", ")}` }).default("gce"), // the e2e test's CI runs on GCE
  // Each field defaults from the provider and the Service's externalTrafficPolicy.
  healthCheck: obj({
    interval: positiveDuration().optional(),
    timeout: positiveDuration().optional(),
    healthyThreshold: int(1).optional(),
    unhealthyThreshold: int(1).optional(),
  }).default(() => ({})),
});

const serviceSchema = obj({
  name: dnsName(),
  selector: labelMap("label selector key -> value"),
  // A selector that matches no pod at any time is an error (a typo, most likely) unless this says it is meant.
  allowEmpty: z.boolean({ error: "true or false" }).default(false),
  internalTrafficPolicy: z.enum(TRAFFIC_POLICIES, { error: "Cluster or Local" }).default("Cluster"), // core/v1 default Cluster
  // Unset: no preference. PreferClose from v1.31 (beta, on by default), PreferSameZone/PreferSameNode from v1.34.
  trafficDistribution: z
    .preprocess((x) => (x === "none" ? null : x), z.enum(TRAFFIC_DISTRIBUTIONS, { error: `one of ${TRAFFIC_DISTRIBUTIONS.join(", ")}, or ${NONE_WORDS}` }).nullable())
    .default(null),
  // The service.kubernetes.io/topology-mode annotation (Topology Aware Routing); it takes precedence over trafficDistribution.
  topologyMode: z.preprocess((x) => (x === "none" ? null : x), z.enum(["Auto"], { error: `Auto, or ${NONE_WORDS}` }).nullable()).default(null),
  sessionAffinity: z.enum(SESSION_AFFINITIES, { error: "None or ClientIP" }).default("None"),
  sessionAffinityConfig: obj({
    // core/v1 DefaultClientIPServiceAffinitySeconds: 10800 (3 h); validation allows 1..86400.
    clientIP: obj({ timeoutSeconds: int(1, "an integer from 1 to 86400 (seconds)").max(86400, { error: "an integer from 1 to 86400 (seconds)" }).default(10800) }).prefault({}),
  })
    .nullable()
    .optional(),
  type: z.enum(SERVICE_TYPES, { error: `one of ${SERVICE_TYPES.join(", ")}` }).default("ClusterIP"),
  externalTrafficPolicy: z.enum(TRAFFIC_POLICIES, { error: `one of ${TRAFFIC_POLICIES.join(", ")}` }).default("Cluster"),
  // null (as run.json writes it for the other types) or omitted: the provider's defaults for a LoadBalancer Service.
  loadBalancer: loadBalancerSchema.nullable().optional(),
})
  .superRefine((v, ctx) => {
    // apis/core/validation: the config belongs to ClientIP affinity only (null: not set, as run.json writes it).
    if (v.sessionAffinityConfig != null && v.sessionAffinity !== "ClientIP") {
      fail(ctx, ["sessionAffinityConfig"], v.sessionAffinityConfig, "sessionAffinityConfig is set but sessionAffinity is not ClientIP", "sessionAffinity: ClientIP with it, or no sessionAffinityConfig");
    }
    if (v.type === "ClusterIP" && v.externalTrafficPolicy === "Local") {
      fail(ctx, ["externalTrafficPolicy"], v.externalTrafficPolicy, "a ClusterIP Service takes no external traffic", "type: NodePort or LoadBalancer with externalTrafficPolicy: Local (or no externalTrafficPolicy)");
    }
    if (v.type !== undefined && v.type !== "LoadBalancer" && isObj(v.loadBalancer)) {
      fail(ctx, ["loadBalancer"], v.loadBalancer, `a ${v.type} Service has no load balancer`, "type: LoadBalancer with loadBalancer: {...} (or no loadBalancer)");
    }
  }, always)
  .transform((v): ServiceSpec => {
    const { loadBalancer, ...rest } = v;
    const affinity = { sessionAffinityConfig: v.sessionAffinity === "ClientIP" ? (v.sessionAffinityConfig ?? { clientIP: { timeoutSeconds: 10800 } }) : null };
    if (v.type !== "LoadBalancer") return { ...rest, ...affinity, loadBalancer: null };
    const provider = loadBalancer?.provider ?? "gce";
    const given = loadBalancer?.healthCheck ?? {};
    const d = HEALTH_CHECK_DEFAULTS[provider][v.externalTrafficPolicy];
    return {
      ...rest,
      ...affinity,
      loadBalancer: {
        provider,
        healthCheck: {
          interval: given.interval ?? d.interval,
          timeout: given.timeout ?? d.timeout,
          healthyThreshold: given.healthyThreshold ?? d.healthyThreshold,
          unhealthyThreshold: given.unhealthyThreshold ?? d.unhealthyThreshold,
        },
      },
    };
  });

/** Probe defaults: SetDefaults_Probe (period 10s, timeout 1s, failure 3, success 1, initial delay 0). */
const probeFields = {
  handler: z.enum(PROBE_HANDLERS, { error: `one of ${PROBE_HANDLERS.join(", ")}` }).default("http"), // an HTTP GET, answered by the app
  initialDelay: duration().default(0),
  period: positiveDuration().default(10),
  timeout: positiveDuration().default(1),
  failureThreshold: int(1).default(3),
  successThreshold: int(1).default(1),
  serviceTime: distribution().default(dist(0)), // svcsim default: a health endpoint costs the worker nothing
};

/** `none` (or null, as run.json writes it) means no probe; a mapping is a probe, its fields merged over the defaults. */
function noneOrProbe<S extends z.ZodRawShape>(shape: S) {
  return z.preprocess((x) => (x === "none" ? null : x), obj(shape, `"none", or a mapping`).nullable());
}

/** Default service time: exponential, mean 20 ms (svcsim default, an M/M/c-like pod). */
const DEFAULT_SERVICE_TIME = dist({ type: "exponential", mean: "20ms" });
/** Default startup: constant 2 s (svcsim default). */
const DEFAULT_STARTUP = dist("2s");
/** The PLEG relists every 1 s (genericPlegRelistPeriod): a change is seen 0-1 s later; no figure for the relist's own time was found. */
const DEFAULT_CRASH_DETECTION = dist({ type: "uniform", min: "0s", max: "1s" });

const podFields = {
  concurrency: int(1).default(4), // svcsim default: 4 requests at once
  queueLimit: int(0).default(100), // svcsim default
  serviceTime: distribution().default(DEFAULT_SERVICE_TIME),
  startup: distribution().default(DEFAULT_STARTUP),
  readiness: noneOrProbe(probeFields).default(null), // Kubernetes default: no probe, Ready once the container runs
  liveness: noneOrProbe(probeFields).default(null),
  startupProbe: noneOrProbe(probeFields).default(null),
  crashDetection: distribution().default(DEFAULT_CRASH_DETECTION),
  preStop: duration().default(0), // no preStop hook by default (#43576: 3-5s is the common workaround)
  onSigterm: z.enum(ON_SIGTERM, { error: `one of ${ON_SIGTERM.join(", ")}` }).default("drain"), // svcsim default: a server that drains
  drainDelay: duration().default(0), // the app stops accepting at SIGTERM
  terminationGracePeriod: duration().default(30), // pod-lifecycle.md: terminationGracePeriodSeconds 30
};

/** Kubernetes' validation: liveness and startup probes must have successThreshold 1. */
function singleSuccess(p: Record<string, unknown>, ctx: Ctx): void {
  for (const kind of ["liveness", "startupProbe"] as const) {
    const probe = p[kind];
    if (isObj(probe) && typeof probe.successThreshold === "number" && probe.successThreshold !== 1) {
      fail(ctx, [kind, "successThreshold"], probe.successThreshold, `a ${kind === "liveness" ? "liveness" : "startup"} probe must succeed once`, "1");
    }
  }
}

/** A pod spec: a partial object merges over the defaults. */
const podSchema = obj(podFields).superRefine(singleSuccess, always).prefault({});

const probeOverrideFields = Object.fromEntries(Object.entries(probeFields).map(([k, v]) => [k, v.unwrap().optional()])) as {
  [K in keyof typeof probeFields]: z.ZodOptional<ReturnType<(typeof probeFields)[K]["unwrap"]>>;
};

/** A rollout's pod override: only what changes; a probe may be partial (merged over the template current at the rollout, or over the defaults if it had none) or none. */
const podOverrideSchema = obj({
  concurrency: int(1).optional(),
  queueLimit: int(0).optional(),
  serviceTime: distribution().optional(),
  startup: distribution().optional(),
  readiness: noneOrProbe(probeOverrideFields).optional(),
  liveness: noneOrProbe(probeOverrideFields).optional(),
  startupProbe: noneOrProbe(probeOverrideFields).optional(),
  crashDetection: distribution().optional(),
  preStop: duration().optional(),
  onSigterm: z.enum(ON_SIGTERM, { error: `one of ${ON_SIGTERM.join(", ")}` }).optional(),
  drainDelay: duration().optional(),
  terminationGracePeriod: duration().optional(),
}).superRefine(singleSuccess, always);

/** A probe with every default: what a rollout's partial probe merges over when the template had none. */
export function defaultProbe(): ProbeSpec {
  return obj(probeFields).parse({}) as ProbeSpec;
}

const SURGE_WHAT = 'a count (an integer >= 0) or a percentage such as "25%"';
const surge = () =>
  z.union([z.int({ error: SURGE_WHAT }).min(0, { error: SURGE_WHAT }), z.string({ error: SURGE_WHAT }).regex(/^\d+%$/, { error: SURGE_WHAT })], {
    error: SURGE_WHAT,
  });

function isZero(v: number | string): boolean {
  return v === 0 || (typeof v === "string" && parseInt(v, 10) === 0);
}

/**
 * apps validation of an update strategy: rollingUpdate only with type RollingUpdate (not with
 * `other`), maxSurge and maxUnavailable not both 0, percentages of maxUnavailable (and, for a
 * DaemonSet, of maxSurge) at most 100%; a DaemonSet may not set both to non-zero.
 */
function checkStrategy(other: string, daemonSet: boolean) {
  return (s: { type: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } }, ctx: Ctx) => {
    if (s.type === other && s.rollingUpdate !== undefined) {
      fail(ctx, ["rollingUpdate"], s.rollingUpdate, `rollingUpdate may not be given when type is ${other}`, `type: RollingUpdate with rollingUpdate, or type: ${other} alone`);
    }
    const ru = s.rollingUpdate;
    if (!ru || ru.maxSurge === undefined || ru.maxUnavailable === undefined) return;
    if (isZero(ru.maxSurge) && isZero(ru.maxUnavailable)) {
      fail(ctx, ["rollingUpdate", "maxUnavailable"], ru.maxUnavailable, "maxSurge and maxUnavailable are both 0, so a rollout could never progress", "a value > 0 when maxSurge is 0");
    } else if (daemonSet && !isZero(ru.maxSurge) && !isZero(ru.maxUnavailable)) {
      fail(ctx, ["rollingUpdate", "maxSurge"], ru.maxSurge, "maxSurge may not be set when maxUnavailable is non-zero", "0 here, or maxUnavailable: 0");
    }
    for (const key of daemonSet ? (["maxSurge", "maxUnavailable"] as const) : (["maxUnavailable"] as const)) {
      const v = ru[key];
      if (typeof v === "string" && parseInt(v, 10) > 100) fail(ctx, ["rollingUpdate", key], v, "more than 100%", 'a percentage from "0%" to "100%" or a count');
    }
  };
}

const strategySchema = obj({
  type: z.enum(["RollingUpdate", "Recreate"], { error: "RollingUpdate or Recreate" }).default("RollingUpdate"), // apps/v1 default
  rollingUpdate: obj({
    maxSurge: surge().default("25%"), // apps/v1 default
    maxUnavailable: surge().default("25%"), // apps/v1 default
  }).optional(),
})
  .superRefine(checkStrategy("Recreate", false))
  .transform((s): DeploymentSpec["strategy"] =>
    s.type === "Recreate"
      ? { type: "Recreate" }
      : { type: "RollingUpdate", rollingUpdate: s.rollingUpdate ?? { maxSurge: "25%", maxUnavailable: "25%" } },
  );

const deploymentSchema = obj({
  name: dnsName(),
  replicas: int(0).default(3), // svcsim default
  labels: labelMap("pod label key -> value"),
  version: labelValue().default("v1"),
  strategy: strategySchema.prefault({}),
  minReadySeconds: duration().default(0), // apps/v1 default 0
  pod: podSchema,
});

/** DaemonSet updateStrategy: apps/v1 defaults maxUnavailable 1, maxSurge 0; both non-zero is invalid. */
const daemonSetStrategySchema = obj({
  type: z.enum(["RollingUpdate", "OnDelete"], { error: "RollingUpdate or OnDelete" }).default("RollingUpdate"), // apps/v1 default
  rollingUpdate: obj({
    maxSurge: surge().default(0), // apps/v1 default
    maxUnavailable: surge().default(1), // apps/v1 default
  }).optional(),
})
  .superRefine(checkStrategy("OnDelete", true))
  .transform((s): DaemonSetSpec["updateStrategy"] =>
    s.type === "OnDelete" ? { type: "OnDelete" } : { type: "RollingUpdate", rollingUpdate: s.rollingUpdate ?? { maxSurge: 0, maxUnavailable: 1 } },
  );

const daemonSetSchema = obj({
  name: dnsName(),
  labels: labelMap("pod label key -> value"),
  version: labelValue().default("v1"),
  updateStrategy: daemonSetStrategySchema.prefault({}),
  minReadySeconds: duration().default(0), // apps/v1 default 0
  pod: podSchema,
});

const PERCENT_WHAT = 'a percentage from "0%" to "100%" or a count';
const pdbSchema = obj({
  name: dnsName(),
  selector: labelMap("label selector key -> value"),
  minAvailable: surge().optional(),
  maxUnavailable: surge().optional(),
  unhealthyPodEvictionPolicy: z.enum(["IfHealthyBudget", "AlwaysAllow"], { error: "IfHealthyBudget or AlwaysAllow" }).default("IfHealthyBudget"), // policy/v1 default
}).superRefine((b, ctx) => {
  // policy validation: minAvailable and maxUnavailable cannot both be set.
  if (b.minAvailable !== undefined && b.maxUnavailable !== undefined) {
    fail(ctx, ["maxUnavailable"], b.maxUnavailable, "minAvailable and maxUnavailable cannot both be set", "one of minAvailable or maxUnavailable");
  } else if (b.minAvailable === undefined && b.maxUnavailable === undefined) {
    fail(ctx, ["minAvailable"], undefined, "missing budget", "minAvailable or maxUnavailable: a count or a percentage such as \"50%\"");
  }
  for (const key of ["minAvailable", "maxUnavailable"] as const) {
    const v = b[key];
    if (typeof v === "string" && parseInt(v, 10) > 100) fail(ctx, [key], v, "more than 100%", PERCENT_WHAT);
  }
});

// ---------------------------------------------------------------------------------------------
// HorizontalPodAutoscalers (autoscaling/v2)
// ---------------------------------------------------------------------------------------------

const UTILIZATION_WHAT = 'a percentage of the pod\'s CPU request (its concurrency) such as "70%" or 70: an integer > 0';
const utilization = () =>
  z.unknown().transform((x, ctx): number => {
    const v = typeof x === "string" && /^\s*\d+\s*%\s*$/.test(x) ? Number(x.trim().slice(0, -1)) : x;
    if (typeof v === "number" && Number.isInteger(v) && v > 0) return v;
    fail(ctx, [], x, "", UTILIZATION_WHAT);
    return z.NEVER;
  });

const HPA_METRIC_WHAT = "a mapping {type: cpu, averageUtilization: 70%} or {type: requests-per-second, averageValue: 50/s}";
const hpaMetricSchema = z.discriminatedUnion(
  "type",
  [
    obj({ type: z.literal("cpu"), averageUtilization: utilization() }),
    obj({ type: z.literal("requests-per-second"), averageValue: positiveRate() }),
  ],
  { error: (iss) => ((iss.code as string) === "invalid_type" ? HPA_METRIC_WHAT : undefined) },
);

/** autoscaling validation: periodSeconds 1..1800, value > 0. */
const hpaPolicySchema = obj({
  type: z.enum(["Pods", "Percent"], { error: "Pods or Percent" }),
  value: int(1),
  period: duration().pipe(z.number().gt(0, { error: "a duration from 1s to 30m" }).max(1800, { error: "a duration from 1s to 30m" })),
});

const HPA_WINDOW_WHAT = "a duration from 0s to 1h";
/** One direction's rules; what is left out takes the autoscaling/v2 defaults (filled in `hpaBehavior`). */
const hpaRulesSchema = obj({
  stabilizationWindow: duration().pipe(z.number().max(3600, { error: HPA_WINDOW_WHAT })).optional(),
  selectPolicy: z.enum(["Max", "Min", "Disabled"], { error: "Max, Min or Disabled" }).default("Max"), // autoscaling/v2 default
  policies: z.array(hpaPolicySchema, { error: "a non-empty list of {type: Pods|Percent, value, period}" }).min(1, { error: "a non-empty list of {type: Pods|Percent, value, period}" }).optional(),
}).prefault({});

const hpaSchema = obj({
  name: dnsName(),
  deployment: dnsName(),
  minReplicas: int(1).default(1), // autoscaling/v2 default (0 needs the HPAScaleToZero alpha gate)
  maxReplicas: int(1),
  metrics: z
    .array(hpaMetricSchema, { error: `a non-empty list, each ${HPA_METRIC_WHAT}` })
    .min(1, { error: `a non-empty list, each ${HPA_METRIC_WHAT}` })
    .default(() => [{ type: "cpu" as const, averageUtilization: 80 }]), // autoscaling/v2 default: 80% CPU
  behavior: obj({ scaleUp: hpaRulesSchema, scaleDown: hpaRulesSchema }).optional(),
}).superRefine((h, ctx) => {
  if (typeof h.minReplicas === "number" && typeof h.maxReplicas === "number" && h.maxReplicas < h.minReplicas) {
    fail(ctx, ["maxReplicas"], h.maxReplicas, "maxReplicas is below minReplicas", `an integer >= minReplicas (${h.minReplicas})`);
  }
});

type HpaRulesInput = z.output<typeof hpaRulesSchema>;

/**
 * spec.behavior with the autoscaling/v2 defaults (GenerateHPAScaleUpRules / ScaleDownRules): up at
 * once by 4 pods or 100 % per 15 s, whichever is more; down by up to 100 % per 15 s after the
 * controller's downscale window. No behavior at all stays null: the controller's older rules.
 */
function hpaBehavior(b: { scaleUp: HpaRulesInput; scaleDown: HpaRulesInput } | undefined, downscaleStabilization: number): HorizontalPodAutoscalerSpec["behavior"] {
  if (b === undefined) return null;
  return {
    scaleUp: {
      stabilizationWindow: b.scaleUp.stabilizationWindow ?? 0,
      selectPolicy: b.scaleUp.selectPolicy,
      policies: b.scaleUp.policies ?? [
        { type: "Pods", value: 4, period: 15 },
        { type: "Percent", value: 100, period: 15 },
      ],
    },
    scaleDown: {
      stabilizationWindow: b.scaleDown.stabilizationWindow ?? downscaleStabilization,
      selectPolicy: b.scaleDown.selectPolicy,
      policies: b.scaleDown.policies ?? [{ type: "Percent", value: 100, period: 15 }],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Workload
// ---------------------------------------------------------------------------------------------

const ARRIVAL_TYPES = "poisson, constant, bursty, ramp";
const arrivalsSchema = z.discriminatedUnion(
  "type",
  [
    obj({ type: z.literal("poisson"), rate: positiveRate() }),
    obj({ type: z.literal("constant"), rate: positiveRate() }),
    obj({ type: z.literal("bursty"), rateOn: positiveRate(), rateOff: rate(), meanOn: positiveDuration(), meanOff: positiveDuration() }),
    obj({ type: z.literal("ramp"), from: rate(), to: rate(), over: duration(), start: duration().default(0) }),
  ],
  { error: (iss) => ((iss.code as string) === "invalid_type" ? `a mapping {type: ${ARRIVAL_TYPES.replaceAll(", ", "|")}, ...}` : undefined) },
);

const DEFAULT_RETRY_ON: DropReason[] = ["refused", "reset", "overload", "no-endpoints", "unreachable"];
const RETRY_ON_WHAT = `Envoy's retry_on conditions, comma-separated or a list: ${Object.keys(RETRY_ON_CONDITIONS).join(", ")}`;
/** Envoy's retry_on: "connect-failure,reset" (as x-envoy-retry-on writes it) or a list; each condition names the outcomes it retries. */
const retryOnSchema = z.unknown().transform((x, ctx): DropReason[] => {
  const names = typeof x === "string" ? x.split(",").map((n) => n.trim()) : Array.isArray(x) ? x : null;
  if (names === null || names.length === 0 || names.some((n) => typeof n !== "string")) {
    fail(ctx, [], x, "", RETRY_ON_WHAT);
    return z.NEVER;
  }
  const out = new Set<DropReason>();
  for (const name of names as string[]) {
    const outcomes = RETRY_ON_CONDITIONS[name];
    if (outcomes === undefined) {
      const hint = closest(name, Object.keys(RETRY_ON_CONDITIONS));
      fail(ctx, typeof x === "string" ? [] : [(names as string[]).indexOf(name)], name, `unknown retry_on condition ${JSON.stringify(name)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ""}`, RETRY_ON_WHAT);
      return z.NEVER;
    }
    for (const o of outcomes) out.add(o);
  }
  // In svcsim's outcome order, so a policy reads the same however it was written.
  return DROP_REASONS.filter((r) => out.has(r));
});

const retriesSchema = obj({
  count: int(0).default(0), // no retries unless asked
  backoff: distribution().default(dist(0)),
  on: z
    .array(z.enum(DROP_REASONS, { error: `one of ${DROP_REASONS.join(", ")}` }), { error: `a list of ${DROP_REASONS.join(", ")}` })
    .optional(),
  retryOn: retryOnSchema.optional(),
  perTryTimeout: noneOr(positiveDuration()).default(Infinity), // Envoy: no per_try_timeout unless given
  // `none` (or null, as run.json writes it): no budget.
  budget: z
    .preprocess(
      (x) => (x === "none" ? null : x),
      obj({
        percent: fraction().default(0.2), // Envoy retry_budget.budget_percent: 20 %
        minConcurrency: int(1).default(3), // Envoy retry_budget.min_retry_concurrency: 3
      }, `"none", or a mapping {percent, minConcurrency}`).nullable(),
    )
    .optional(),
  transparent: z.boolean({ error: "true or false" }).default(false), // gRPC retries transparently; plain HTTP clients do not
})
  .superRefine((r, ctx) => {
    if (r.on !== undefined && r.retryOn !== undefined) fail(ctx, ["retryOn"], r.retryOn, "give on or retryOn, not both", "on: [svcsim outcomes], or retryOn: Envoy conditions");
  }, always)
  .transform((r): RetrySpec => ({
    count: r.count,
    backoff: r.backoff,
    on: r.on ?? r.retryOn ?? [...DEFAULT_RETRY_ON],
    perTryTimeout: r.perTryTimeout,
    budget: r.budget ?? null,
    transparent: r.transparent,
  }))
  .prefault({});

/** maxRequests: 0 or none means unlimited (Infinity). */
const maxRequests = () =>
  z.unknown().transform((x, ctx): number => {
    if (x === 0 || x === "none" || x === "unlimited" || x === null || x === Infinity || x === "Infinity") return Infinity;
    if (typeof x === "number" && Number.isInteger(x) && x > 0) return x;
    fail(ctx, [], x, "", 'an integer >= 1, or 0 / "none" for unlimited');
    return z.NEVER;
  });

const connectionsSchema = z
  .discriminatedUnion(
    "mode",
    [
      obj({ mode: z.literal("per-request") }),
      obj({
        mode: z.literal("keep-alive"),
        maxRequests: maxRequests().default(100), // svcsim default: close after 100 requests
        idleTimeout: noneOr(duration()).default(60), // svcsim default: 60s idle
      }),
      obj({
        mode: z.literal("pool"),
        size: int(1).default(2), // Go net/http DefaultMaxIdleConnsPerHost: 2 idle connections per host
        maxRequests: maxRequests().default(100), // svcsim default: close after 100 requests
        idleTimeout: noneOr(duration()).default(90), // Go net/http DefaultTransport IdleConnTimeout: 90s
      }),
    ],
    {
      error: (iss) =>
        (iss.code as string) === "invalid_type"
          ? "a mapping {mode: per-request}, {mode: keep-alive, maxRequests, idleTimeout} or {mode: pool, size, maxRequests, idleTimeout}"
          : undefined,
    },
  )
  .default((): ConnectionSpec => ({ mode: "per-request" }));

const CLIENTS_WHAT = "an integer >= 1 (open-loop client processes), or {mode: open, count} or {mode: closed, count, thinkTime}";
const clientsMappingSchema = z.discriminatedUnion(
  "mode",
  [
    obj({ mode: z.literal("open"), count: int(1).default(12) }), // svcsim default: 12 client processes
    // One closed-loop client by default, sending back to back: the e2e LoadBalancer test's client.
    obj({ mode: z.literal("closed"), count: int(1).default(1), thinkTime: distribution().default(dist(0)) }),
  ],
  { error: (iss) => ((iss.code as string) === "invalid_type" ? CLIENTS_WHAT : undefined) },
);

/** `clients`: a bare count is open-loop (what svcsim always had); a mapping picks the mode. */
const clientsSchema = z.unknown().transform((x, ctx): ClientsSpec => {
  const schema: z.ZodType<ClientsSpec, unknown> = isObj(x) ? clientsMappingSchema : int(1, CLIENTS_WHAT).transform((count): ClientsSpec => ({ mode: "open", count }));
  const r = schema.safeParse(x, { error: allowedFromIssue, reportInput: true });
  if (r.success) return r.data;
  for (const iss of r.error.issues) ctx.addIssue({ ...iss, path: iss.path } as Parameters<typeof ctx.addIssue>[0]);
  return z.NEVER;
});

const workloadSchema = obj({
  service: nonEmpty("the name of a service defined under services"),
  // External clients need a NodePort or LoadBalancer Service (crossCheck).
  from: z.enum(CLIENT_LOCATIONS, { error: `one of ${CLIENT_LOCATIONS.join(", ")}` }).default("cluster"),
  // Required for open-loop clients, not allowed for closed-loop ones (crossCheck); run.json writes null.
  arrivals: arrivalsSchema.nullable().default(null),
  timeout: noneOr(positiveDuration()).default(Infinity), // no client timeout unless given
  connectTimeout: positiveDuration().default(127), // Linux tcp_syn_retries 6: SYNs at 0, 1, 3, 7, 15, 31, 63 s, gives up at 127 s
  retries: retriesSchema,
  clients: clientsSchema.default((): ClientsSpec => ({ mode: "open", count: 12 })), // svcsim default: 12 open-loop client processes
  connections: connectionsSchema,
});

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

const POD_NAMES_WHAT = "a non-empty list of pod names such as web-0";
const podNames = () =>
  z.array(nonEmpty("a pod name such as web-0"), { error: POD_NAMES_WHAT }).min(1, { error: POD_NAMES_WHAT });

/** crash / readiness-failure: either `pods: [...]` or `deployment` (+ `count`, default 1). */
function targetShape(ev: { pods?: unknown; deployment?: unknown; count?: unknown }, ctx: Ctx): void {
  const allowed = "either pods: [names], or deployment: <name> with an optional count";
  if (ev.pods !== undefined && ev.deployment !== undefined) fail(ctx, ["deployment"], ev.deployment, "give pods or deployment, not both", allowed);
  else if (ev.pods === undefined && ev.deployment === undefined) fail(ctx, ["pods"], undefined, "missing target", allowed);
  else if (ev.pods !== undefined && ev.count !== undefined) fail(ctx, ["count"], ev.count, "count goes with deployment, not pods", allowed);
}

const at = () => duration();

const crashSchema = obj({
  at: at(),
  action: z.literal("crash"),
  pods: podNames().optional(),
  deployment: dnsName().optional(),
  count: int(1).optional(),
})
  .superRefine(targetShape, always)
  .transform((e): TimelineEvent =>
    e.pods ? { at: e.at, action: "crash", pods: e.pods } : { at: e.at, action: "crash", deployment: e.deployment!, count: e.count ?? 1 },
  );

const readinessFailureSchema = obj({
  at: at(),
  action: z.literal("readiness-failure"),
  pods: podNames().optional(),
  deployment: dnsName().optional(),
  count: int(1).optional(),
  for: positiveDuration(),
})
  .superRefine(targetShape, always)
  .transform((e): TimelineEvent =>
    e.pods
      ? { at: e.at, action: "readiness-failure", pods: e.pods, for: e.for }
      : { at: e.at, action: "readiness-failure", deployment: e.deployment!, count: e.count ?? 1, for: e.for },
  );

const ACTIONS = ["crash", "crashes", "scale", "rollout", "readiness-failure", "node-down", "node-up", "cordon", "uncordon", "drain", "taint", "untaint"];
const taintKey = () => z.enum(NODE_TAINTS, { error: `one of ${NODE_TAINTS.join(", ")}` }).default("ToBeDeletedByClusterAutoscaler");
const nodeIndex = () => int(0, "a node index: an integer >= 0");

const eventSchema = z.discriminatedUnion(
  "action",
  [
    crashSchema,
    obj({ at: at(), action: z.literal("crashes"), deployment: dnsName(), mtbf: positiveDuration(), until: noneOr(duration()).default(Infinity) }),
    obj({ at: at(), action: z.literal("scale"), deployment: dnsName(), replicas: int(0) }),
    obj({
      at: at(),
      action: z.literal("rollout"),
      deployment: dnsName().optional(),
      daemonSet: dnsName().optional(),
      version: labelValue().default("v2"),
      pod: podOverrideSchema.default(() => ({})),
      // The e2e LoadBalancer test rolls its DaemonSet 5 times, each once the one before has completed.
      successive: int(1).default(1),
      pause: duration().default(0),
    })
      .superRefine((e, ctx) => {
        const allowed = "either deployment: <name> or daemonSet: <name>";
        if (e.deployment !== undefined && e.daemonSet !== undefined) fail(ctx, ["daemonSet"], e.daemonSet, "give deployment or daemonSet, not both", allowed);
        else if (e.deployment === undefined && e.daemonSet === undefined) fail(ctx, ["deployment"], undefined, "missing target", allowed);
      }, always)
      .transform((e): TimelineEvent =>
        e.daemonSet !== undefined
          ? { at: e.at, action: "rollout", daemonSet: e.daemonSet, version: e.version, pod: e.pod, successive: e.successive, pause: e.pause }
          : { at: e.at, action: "rollout", deployment: e.deployment!, version: e.version, pod: e.pod, successive: e.successive, pause: e.pause },
      ),
    readinessFailureSchema,
    obj({ at: at(), action: z.literal("node-down"), node: nodeIndex() }),
    obj({ at: at(), action: z.literal("node-up") }),
    obj({ at: at(), action: z.literal("cordon"), node: nodeIndex() }),
    obj({ at: at(), action: z.literal("uncordon"), node: nodeIndex() }),
    obj({
      at: at(),
      action: z.literal("drain"),
      node: nodeIndex(),
      timeout: noneOr(positiveDuration()).default(Infinity), // kubectl drain --timeout: 0 (none) by default
      disableEviction: z.boolean({ error: "true or false" }).default(false), // kubectl drain --disable-eviction
    }),
    obj({ at: at(), action: z.literal("taint"), node: nodeIndex(), key: taintKey() }),
    obj({ at: at(), action: z.literal("untaint"), node: nodeIndex(), key: taintKey() }),
  ],
  { error: (iss) => ((iss.code as string) === "invalid_type" ? `a mapping {at, action: ${ACTIONS.join("|")}, ...}` : undefined) },
);

// ---------------------------------------------------------------------------------------------
// Experiments: replications until precise, sweeps, the paired-comparison baseline
// ---------------------------------------------------------------------------------------------

const METRIC_WHAT = `one of ${HEADLINE_METRICS.join(", ")}`;
const PRECISION_WHAT = "an integer >= 1, or {until: 5%, metric: drop_rate, min: 5, max: 200, batch: 5}";

/** `5%` or 0.05: a share greater than 0. */
const share = () =>
  z.unknown().transform((x, ctx): number => {
    const v = typeof x === "string" && /^\s*\d+(\.\d+)?\s*%\s*$/.test(x) ? Number(x.trim().slice(0, -1)) / 100 : x;
    if (typeof v === "number" && v > 0 && Number.isFinite(v)) return v;
    fail(ctx, [], x, "", 'a share greater than 0: a percentage such as "5%" or a number such as 0.05');
    return z.NEVER;
  });

const precisionSchema = obj(
  {
    until: share(),
    metric: z.enum(HEADLINE_METRICS, { error: METRIC_WHAT }).default("drop_rate"),
    min: int(2).default(5), // svcsim default: 5 replications before the first check
    max: int(2).default(200), // svcsim default
    batch: int(1).optional(), // default: min
  },
  PRECISION_WHAT,
)
  .superRefine((p, ctx) => {
    if (typeof p.min === "number" && typeof p.max === "number" && p.max < p.min) fail(ctx, ["max"], p.max, "max is below min", `an integer >= min (${p.min})`);
  })
  .transform((p): PrecisionSpec => ({ ...p, batch: p.batch ?? p.min }));

const replicationsSchema = z.union([int(1), precisionSchema], { error: PRECISION_WHAT });

/** A number, or a duration / rate string: its value in seconds or per second, and which kind it was. */
function rangeEnd(x: unknown): { value: number; kind: "number" | "duration" | "rate" } | undefined {
  if (typeof x === "number" && Number.isFinite(x)) return { value: x, kind: "number" };
  if (typeof x !== "string") return undefined;
  for (const [kind, parse] of [["duration", parseDuration], ["rate", parseRate]] as const) {
    try {
      return { value: parse(x), kind };
    } catch {
      // not this kind
    }
  }
  return undefined;
}

/** Rounds away float noise (0.30000000000000004) so sweep values print as written. */
const clean = (x: number) => Number(x.toPrecision(12));

const RANGE_WHAT = "{from, to, steps, scale: linear|log, integer: true|false}; from and to are numbers, durations or rates";
const rangeSchema = obj(
  {
    from: z.unknown(),
    to: z.unknown(),
    steps: int(2, "an integer >= 2"),
    scale: z.enum(["linear", "log"], { error: "linear or log" }).default("linear"),
    integer: z.boolean({ error: "true or false" }).default(false),
  },
  RANGE_WHAT,
).transform((r, ctx): unknown[] => {
  const [a, b] = (["from", "to"] as const).map((k) => {
    const e = rangeEnd(r[k]);
    if (!e) fail(ctx, [k], r[k], r[k] === undefined ? "missing required field" : "", "a number, a duration such as 250ms or a rate such as 100/s");
    return e;
  });
  if (!a || !b) return z.NEVER;
  if (a.kind !== b.kind && a.kind !== "number" && b.kind !== "number") {
    fail(ctx, ["to"], r.to, `from is a ${a.kind} but to is a ${b.kind}`, `a ${a.kind} like from`);
    return z.NEVER;
  }
  if (r.scale === "log" && !(a.value > 0 && b.value > 0)) {
    fail(ctx, ["from"], r.from, "a log range needs both ends greater than 0", "from and to greater than 0, or scale: linear");
    return z.NEVER;
  }
  const values: number[] = [];
  for (let k = 0; k < r.steps; k++) {
    const f = k / (r.steps - 1);
    const v = k === r.steps - 1 ? b.value : r.scale === "log" ? a.value * Math.pow(b.value / a.value, f) : a.value + (b.value - a.value) * f;
    const x = r.integer ? Math.round(v) : clean(v);
    if (!values.includes(x)) values.push(x);
  }
  return values;
});

const VALUES_WHAT = "a non-empty list of values";
const sweepParameterSchema = obj(
  {
    path: nonEmpty("a field path as for --set, e.g. deployments[0].pod.preStop"),
    values: z.array(z.unknown(), { error: VALUES_WHAT }).min(1, { error: VALUES_WHAT }).optional(),
    range: rangeSchema.optional(),
  },
  "a mapping {path, values} or {path, range}",
)
  .superRefine((p, ctx) => {
    if ((p.values === undefined) === (p.range === undefined)) {
      fail(ctx, ["values"], p.values, p.values === undefined ? "missing values" : "give values or range, not both", "either values: [...] or range: {from, to, steps}");
    }
  })
  .transform((p): SweepParameter => ({ path: p.path, values: p.values ?? p.range ?? [] }));

const SWEEP_WHAT = "a list of {path, values}, {path, range} or {zip: [{path, values}, ...]}";
const ZIP_WHAT = "a list of at least 2 {path, values} with the same number of values";
const sweepZipSchema = obj({
  zip: z.array(sweepParameterSchema, { error: ZIP_WHAT }).min(2, { error: ZIP_WHAT }),
}).superRefine((g, ctx) => {
  const lengths = g.zip.map((p) => p.values.length);
  if (lengths.some((n) => n !== lengths[0])) fail(ctx, ["zip"], lengths, "zipped parameters have different numbers of values", ZIP_WHAT);
});

/** One axis: `{zip: [...]}` when the entry has a zip field, else one parameter (so messages point into the right shape). */
const sweepAxisSchema = z.unknown().transform((x, ctx): SweepAxis => {
  const schema: z.ZodType<SweepAxis, unknown> = isObj(x) && "zip" in x ? sweepZipSchema : sweepParameterSchema;
  const r = schema.safeParse(x, { error: allowedFromIssue, reportInput: true });
  if (r.success) return r.data;
  for (const iss of r.error.issues) ctx.addIssue({ ...iss, path: iss.path } as Parameters<typeof ctx.addIssue>[0]);
  return z.NEVER;
});

// ---------------------------------------------------------------------------------------------
// The scenario
// ---------------------------------------------------------------------------------------------

const POLICY_WHAT = `one of ${POLICY_NAMES.join(", ")}`;

const scenarioObject = obj({
  // It names the reports folder results/<name>: a DNS-1123 label cannot climb out with "/" or "..".
  name: z
    .string({ error: SCENARIO_NAME_WHAT })
    .max(63, { error: SCENARIO_NAME_WHAT })
    .regex(DNS_LABEL, { error: SCENARIO_NAME_WHAT })
    .default("scenario"), // the loader defaults it to the file's base name
  description: z.string({ error: "a string" }).default(""),
  seed: int(0, "an integer >= 0").default(1),
  duration: positiveDuration().default(300),
  warmup: duration().default(30),
  replications: replicationsSchema.default(1),
  policies: z
    .array(
      z.string({ error: POLICY_WHAT }).superRefine((p, ctx) => {
        if ((POLICY_NAMES as readonly string[]).includes(p)) return;
        const hint = closest(p, POLICY_NAMES);
        fail(ctx, [], p, `unknown policy${hint ? ` (did you mean "${hint}"?)` : ""}`, POLICY_WHAT);
      }),
      { error: `a non-empty list, each ${POLICY_WHAT}` },
    )
    .min(1, { error: `a non-empty list, each ${POLICY_WHAT}` })
    .default(() => ["random"]),
  powerOfTwo: obj({
    choiceCount: int(2).default(2), // Envoy least-request choice_count: default 2, at least 2
    sampling: z.enum(["with-replacement", "distinct"], { error: "with-replacement or distinct" }).default("with-replacement"), // Envoy samples with replacement (envoy#14859)
  }).prefault({}),
  interval: positiveDuration().default(1),
  cluster: clusterSchema.prefault({}),
  services: z.array(serviceSchema, { error: "a non-empty list of services {name, selector}" }).min(1, { error: "a non-empty list of services {name, selector}" }),
  // At least one Deployment or DaemonSet (crossCheck).
  deployments: z.array(deploymentSchema, { error: "a list of deployments {name, labels, ...}" }).default(() => []),
  workload: z
    .array(workloadSchema, { error: "a non-empty list of workloads {service, arrivals, ...}" })
    .min(1, { error: "a non-empty list of workloads {service, arrivals, ...}" }),
  daemonSets: z.array(daemonSetSchema, { error: "a list of DaemonSets {name, labels, ...}" }).default(() => []),
  podDisruptionBudgets: z
    .array(pdbSchema, { error: "a list of PodDisruptionBudgets {name, selector, minAvailable or maxUnavailable}" })
    .default(() => []),
  horizontalPodAutoscalers: z
    .array(hpaSchema, { error: "a list of HorizontalPodAutoscalers {name, deployment, maxReplicas, ...}" })
    .default(() => []),
  events: z.array(eventSchema, { error: "a list of events {at, action, ...}" }).default(() => []),
  sweep: z.array(sweepAxisSchema, { error: SWEEP_WHAT }).default(() => []),
  compare: obj({ baseline: z.string({ error: POLICY_WHAT }).optional() }).default(() => ({})),
});

type Parsed = z.output<typeof scenarioObject>;

function list(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}
function str(x: unknown): string | undefined {
  return typeof x === "string" ? x : undefined;
}
function num(x: unknown): number | undefined {
  return typeof x === "number" ? x : undefined;
}

/**
 * Cross-field checks. Runs even when some fields failed (so every problem is reported at once),
 * hence the defensive reads: a failed field may hold anything.
 */
function crossCheck(s: Parsed, ctx: Ctx): void {
  const raw = s as unknown as Record<string, unknown>;
  const services = list(raw.services);
  const deployments = list(raw.deployments);

  const unique = (items: unknown[], key: string, kind: string) => {
    const seen = new Map<string, number>();
    items.forEach((it, i) => {
      const name = isObj(it) ? str(it.name) : undefined;
      if (name === undefined) return;
      const first = seen.get(name);
      if (first !== undefined) fail(ctx, [key, i, "name"], name, `duplicate ${kind} name (also ${key}[${first}])`, `a ${kind} name not used before`);
      else seen.set(name, i);
    });
  };
  unique(services, "services", "service");
  unique(deployments, "deployments", "deployment");
  unique(list(raw.podDisruptionBudgets), "podDisruptionBudgets", "PodDisruptionBudget");
  const daemonSets = list(raw.daemonSets);
  unique(daemonSets, "daemonSets", "DaemonSet");
  if (deployments.length === 0 && daemonSets.length === 0 && (raw.deployments === undefined || Array.isArray(raw.deployments))) {
    fail(ctx, ["deployments"], raw.deployments, raw.deployments === undefined ? "missing required field" : "no Deployment and no DaemonSet", "a non-empty list of deployments {name, labels, ...}, or daemonSets");
  }
  const daemonSetNames = [...new Set(daemonSets.map((d) => (isObj(d) ? str(d.name) : undefined)).filter((n): n is string => n !== undefined))];

  const deploymentNames = [...new Set(deployments.map((d) => (isObj(d) ? str(d.name) : undefined)).filter((n): n is string => n !== undefined))];
  // Pods are named <owner>-<n>: a DaemonSet may not share a Deployment's name.
  daemonSets.forEach((d, i) => {
    const name = isObj(d) ? str(d.name) : undefined;
    if (name !== undefined && deploymentNames.includes(name)) fail(ctx, ["daemonSets", i, "name"], name, "a Deployment has this name too (their pods would share names)", "a name no Deployment has");
  });
  const replicasOf = new Map<string, number>();
  for (const d of deployments) {
    if (isObj(d) && typeof d.name === "string" && typeof d.replicas === "number" && !replicasOf.has(d.name)) replicasOf.set(d.name, d.replicas);
  }
  // A DaemonSet's initial pods are one per initial node.
  const initialNodes = isObj(raw.cluster) && typeof raw.cluster.nodes === "number" ? raw.cluster.nodes : 3;
  for (const name of daemonSetNames) if (!replicasOf.has(name)) replicasOf.set(name, initialNodes);
  const ownerNames = [...deploymentNames, ...daemonSetNames.filter((n) => !deploymentNames.includes(n))];
  const serviceNames = [...new Set(services.map((v) => (isObj(v) ? str(v.name) : undefined)).filter((n): n is string => n !== undefined))];

  const known = (names: string[], what: string) => `the name of a ${what}: ${names.length ? names.join(", ") : "(none defined)"}`;
  const unknownName = (path: PropertyKey[], name: string, names: string[], what: string) => {
    const hint = closest(name, names);
    fail(ctx, path, name, `no ${what} named ${JSON.stringify(name)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ""}`, known(names, what));
  };

  // HPAs scale a Deployment each; two on one Deployment would fight (the controller stops both: AmbiguousSelector).
  const hpas = list(raw.horizontalPodAutoscalers);
  unique(hpas, "horizontalPodAutoscalers", "HorizontalPodAutoscaler");
  const scaledBy = new Map<string, number>();
  hpas.forEach((h, i) => {
    if (!isObj(h) || typeof h.deployment !== "string") return;
    if (!deploymentNames.includes(h.deployment)) {
      unknownName(["horizontalPodAutoscalers", i, "deployment"], h.deployment, deploymentNames, "deployment");
      return;
    }
    const first = scaledBy.get(h.deployment);
    if (first !== undefined) fail(ctx, ["horizontalPodAutoscalers", i, "deployment"], h.deployment, `horizontalPodAutoscalers[${first}] already scales this deployment`, "a deployment no other HPA scales");
    else scaledBy.set(h.deployment, i);
  });

  // Deployment and DaemonSet labels may not set "version": the version label comes from `version`.
  for (const [key, items] of [["deployments", deployments], ["daemonSets", daemonSets]] as const) {
    items.forEach((d, i) => {
      if (isObj(d) && isObj(d.labels) && "version" in d.labels) {
        fail(ctx, [key, i, "labels", "version"], d.labels.version, 'the "version" label is set by the version field', "labels other than version (use version: instead)");
      }
    });
  }

  // Policies: no duplicates, and not a policy together with its other name (ipvs-rr is round-robin).
  const canonical = (p: unknown) => (typeof p === "string" ? (POLICY_ALIASES[p as PolicyName] ?? p) : p);
  list(raw.policies).forEach((p, i, all) => {
    if (typeof p !== "string") return;
    if (all.indexOf(p) < i) fail(ctx, ["policies", i], p, "duplicate policy", `each of ${POLICY_NAMES.join(", ")} at most once`);
    else {
      const same = all.findIndex((q) => canonical(q) === canonical(p));
      if (same < i) fail(ctx, ["policies", i], p, `the same policy as ${JSON.stringify(all[same])} under another name`, "each balancer once, under one of its names");
    }
  });

  // The paired-comparison baseline is one of the policies run.
  const baseline = isObj(raw.compare) ? raw.compare.baseline : undefined;
  const policies = list(raw.policies).filter((p): p is string => typeof p === "string");
  if (typeof baseline === "string" && policies.length > 0 && !policies.includes(baseline)) {
    fail(ctx, ["compare", "baseline"], baseline, "the baseline is not one of the policies run", `one of ${policies.join(", ")}`);
  }

  // Service fields by Kubernetes version.
  const version = isObj(raw.cluster) ? parseKubernetesVersion(raw.cluster.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION) : undefined;
  services.forEach((v, i) => {
    if (!isObj(v)) return;
    const td = v.trafficDistribution;
    const since = td === "PreferClose" ? "1.31" : td === "PreferSameZone" || td === "PreferSameNode" ? "1.34" : undefined;
    if (since !== undefined && version !== undefined && Number(version.split(".")[1]) < Number(since.split(".")[1])) {
      fail(ctx, ["services", i, "trafficDistribution"], td, `trafficDistribution ${td} is on by default from Kubernetes ${since}, but kubernetesVersion is ${version}`, `kubernetesVersion "${since}" or later, or ${NONE_WORDS}`);
    }
  });

  // Interval within the measured window.
  if (num(raw.interval) !== undefined && num(raw.duration) !== undefined && (raw.interval as number) > (raw.duration as number)) {
    fail(ctx, ["interval"], raw.interval, "the interval is longer than the measured duration", `a duration <= duration (${raw.duration}s)`);
  }
  // The number of intervals is one of svcsim's size limits (limits.ts), checked after the schema.

  // Workloads name defined services; open-loop clients need arrivals, closed-loop ones pace themselves.
  list(raw.workload).forEach((w, i) => {
    if (!isObj(w)) return;
    if (typeof w.service === "string" && w.service !== "" && !serviceNames.includes(w.service)) {
      unknownName(["workload", i, "service"], w.service, serviceNames, "service");
    }
    if (w.from === "external" && typeof w.service === "string") {
      const svc = services.find((v) => isObj(v) && v.name === w.service);
      const type = isObj(svc) && typeof svc.type === "string" ? svc.type : "ClusterIP";
      if (isObj(svc) && type === "ClusterIP") {
        fail(ctx, ["workload", i, "from"], w.from, `service ${JSON.stringify(w.service)} is a ClusterIP Service, which clients outside the cluster cannot reach`, `from: cluster, or type: NodePort or LoadBalancer on services[${services.indexOf(svc)}]`);
      }
    }
    const closed = isObj(w.clients) && w.clients.mode === "closed";
    if (closed && w.arrivals !== null && w.arrivals !== undefined) {
      fail(ctx, ["workload", i, "arrivals"], w.arrivals, "closed-loop clients send their next request when the previous one ends: they take no arrival process", "no arrivals with clients {mode: closed} (pace them with thinkTime)");
    } else if (!closed && w.arrivals === null) {
      fail(ctx, ["workload", i, "arrivals"], undefined, "missing required field", `a mapping {type: ${ARRIVAL_TYPES.replaceAll(", ", "|")}, ...} (open-loop clients need arrivals)`);
    }
  });

  // Events.
  const nodes = isObj(raw.cluster) ? num(raw.cluster.nodes) : undefined;
  const end = num(raw.warmup) !== undefined && num(raw.duration) !== undefined ? (raw.warmup as number) + (raw.duration as number) : undefined;
  list(raw.events).forEach((e, i) => {
    if (!isObj(e)) return;
    const t = num(e.at);
    if (t !== undefined && end !== undefined && (t < 0 || t > end)) {
      fail(ctx, ["events", i, "at"], t, "the event is outside the simulated time", `a time from 0 to warmup + duration (${end}s)`);
    }
    if (typeof e.deployment === "string" && !deploymentNames.includes(e.deployment)) {
      unknownName(["events", i, "deployment"], e.deployment, deploymentNames, "deployment");
    }
    if (typeof e.daemonSet === "string" && !daemonSetNames.includes(e.daemonSet)) {
      unknownName(["events", i, "daemonSet"], e.daemonSet, daemonSetNames, "DaemonSet");
    }
    if (Array.isArray(e.pods)) {
      e.pods.forEach((p, j) => {
        if (typeof p !== "string") return;
        const ok = ownerNames.some((d) => {
          if (!p.startsWith(`${d}-`)) return false;
          const idx = p.slice(d.length + 1);
          return /^(0|[1-9]\d*)$/.test(idx) && Number(idx) < (replicasOf.get(d) ?? 0);
        });
        if (!ok) {
          const all = ownerNames.flatMap((d) => Array.from({ length: Math.min(replicasOf.get(d) ?? 0, 4) }, (_, k) => `${d}-${k}`));
          const hint = closest(p, all);
          const ranges = ownerNames.map((d) => `${d}-0..${d}-${(replicasOf.get(d) ?? 0) - 1}`).join(", ");
          fail(ctx, ["events", i, "pods", j], p, `no initial pod named ${JSON.stringify(p)}${hint ? ` (did you mean ${JSON.stringify(hint)}?)` : ""}`, `an initial pod name <deployment>-<i> with i < replicas${daemonSetNames.length ? ", or <daemonSet>-<i> with i < cluster.nodes" : ""}: ${ranges || "(no deployments)"}`);
        }
      });
    }
    if (typeof e.node === "number" && nodes !== undefined && t !== undefined) {
      // node-up events before this one (in time, then in list order) add nodes numbered on from `nodes`.
      const added = list(raw.events).filter((u, j) => isObj(u) && u.action === "node-up" && num(u.at) !== undefined && ((u.at as number) < t || (u.at === t && j < i))).length;
      const existing = nodes + added;
      if (e.node >= existing) {
        fail(ctx, ["events", i, "node"], e.node, `the cluster has ${existing} node${existing === 1 ? "" : "s"} at ${t}s`, `a node index from 0 to ${existing - 1}`);
      }
    }
    if (e.action === "readiness-failure") {
      // Only a readiness probe can fail: the deployment must declare one (in its template or a rollout's).
      const target = typeof e.deployment === "string" ? e.deployment : Array.isArray(e.pods) && typeof e.pods[0] === "string" ? deploymentNames.find((d) => (e.pods as string[])[0].startsWith(`${d}-`)) : undefined;
      const template = deployments.find((d) => isObj(d) && d.name === target);
      const probed = (pod: unknown) => isObj(pod) && isObj(pod.readiness);
      const declared = (isObj(template) && probed(template.pod)) || list(raw.events).some((r) => isObj(r) && r.action === "rollout" && r.deployment === target && probed(r.pod));
      if (target !== undefined && template !== undefined && !declared) {
        fail(ctx, ["events", i, "action"], e.action, `deployment ${JSON.stringify(target)} has no readiness probe to fail`, `a deployment whose pod declares readiness: {...}`);
      }
    }
    if (e.action === "crashes" && t !== undefined && typeof e.until === "number" && e.until <= t) {
      fail(ctx, ["events", i, "until"], e.until, "until is not after at, so no crash would happen", `a time after at (${t}s), or ${NONE_WORDS}`);
    }
  });
}

/** Narrows the parsed types to Scenario's (a rollout's override stays partial: it applies over the template current at its time). */
function finish(s: Parsed): Scenario {
  const policies = s.policies as Scenario["policies"];
  const compare = { baseline: (s.compare.baseline ?? policies[0]) as PolicyName };
  const horizontalPodAutoscalers = s.horizontalPodAutoscalers.map(
    (h): HorizontalPodAutoscalerSpec => ({ ...h, behavior: hpaBehavior(h.behavior, s.cluster.horizontalPodAutoscaler.downscaleStabilization) }),
  );
  return { ...s, policies, events: s.events as TimelineEvent[], compare, horizontalPodAutoscalers } satisfies Scenario;
}

/**
 * The scenario file schema: input is the parsed YAML document, output the resolved `Scenario`.
 * Parse with `{ error: allowedFromIssue, reportInput: true }` (as `validateScenario` does) so every
 * issue carries an "allowed" message and the offending value.
 */
export const scenarioSchema: z.ZodType<Scenario, unknown> = scenarioObject.superRefine(crossCheck, always).transform(finish);

// Compile-time checks that the pieces produce the types.ts shapes.
type Assert<T extends true> = T;
export type _Checks = [
  Assert<z.output<typeof arrivalsSchema> extends ArrivalSpec ? true : false>,
  Assert<z.output<typeof deploymentSchema> extends DeploymentSpec ? true : false>,
  Assert<z.output<typeof eventSchema> extends TimelineEvent | { action: "rollout" } ? true : false>,
];

