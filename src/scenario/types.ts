/**
 * The resolved scenario: what a scenario file means once validated and every default is filled in.
 * It is plain JSON data (no classes, no functions, all durations in seconds, all rates per second),
 * so it can be written to run.json, sent to a worker thread, and rerun bit for bit.
 */
import type { DistributionSpec } from "../random/distributions.js";

export const POLICY_NAMES = [
  "random",
  "round-robin",
  "least-connections",
  "power-of-two",
  "static-upstream",
  "ipvs-rr",
  "ipvs-wrr",
  "ipvs-lc",
  "ipvs-wlc",
  "ipvs-sed",
  "ipvs-nq",
  "ipvs-sh",
  "ipvs-mh",
] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];
/** Two names for one balancer: IPVS's scheduler names for the policies svcsim had first. */
export const POLICY_ALIASES: Readonly<Partial<Record<PolicyName, PolicyName>>> = { "ipvs-rr": "round-robin", "ipvs-lc": "least-connections" };

export type Outcome = "ok" | "refused" | "reset" | "overload" | "timeout" | "no-endpoints" | "unreachable";
export const DROP_REASONS = ["refused", "reset", "overload", "timeout", "no-endpoints", "unreachable"] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export interface ProxySpec {
  /** Delay from an EndpointSlice change to this node's kube-proxy seeing it; one draw per node and change. */
  watchLatency: DistributionSpec;
  /** BoundedFrequencyRunner: rule rewrites at most one per minSyncPeriod on average, seconds. */
  minSyncPeriod: number;
  /** Rewrites allowed back to back (the token bucket's burst): 2 up to kube-proxy v1.33, 1 from v1.34 (by kubernetesVersion). */
  burstSyncs: number;
  /** How long one rewrite of a node's rules takes: base + perEndpoint x endpoints in the rules, seconds. */
  syncDuration: { base: number; perEndpoint: number };
  /** The cluster's other Services, which share every node's kube-proxy. */
  background: {
    /** Their endpoints, in every node's rules. */
    endpoints: number;
    /** Cluster-wide rate of their EndpointSlice changes, per second. */
    changes: number;
  };
}

/** The kubelet settings svcsim models (every node's kubelet is configured alike). */
export interface KubeletSpec {
  /** CrashLoopBackOff: the first backoff and its cap, seconds (10 s / 300 s; 1 s / 60 s with ReduceDefaultCrashLoopBackOffDecay). */
  crashLoopBackOff: { initial: number; max: number };
  /**
   * When the pod worker looks again at a pod whose restart is backed off: `periodic` every 10-15 s
   * (kubelets up to v1.33, kubernetes#123602), `at-expiry` when the backoff expires, plus jitter (v1.34 on, #133066).
   */
  crashLoopRecheck: CrashLoopRecheck;
}

export type CrashLoopRecheck = "periodic" | "at-expiry";
export const CRASH_LOOP_RECHECKS: readonly CrashLoopRecheck[] = ["periodic", "at-expiry"];

/** The feature gates svcsim knows, each on or off. */
export interface FeatureGates {
  /** Alpha from v1.33, off by default: CrashLoopBackOff starts at 1 s and is capped at 60 s (KEP-4603). */
  ReduceDefaultCrashLoopBackOffDecay: boolean;
  /**
   * KEP-3836: kube-proxy's /healthz fails on a node being deleted or tainted ToBeDeletedByClusterAutoscaler.
   * Alpha in v1.28 (off), beta from v1.30 (on), GA in v1.31: on by default from v1.30.
   */
  KubeProxyDrainingTerminatingNodes: boolean;
}

/** The `power-of-two` policy: how it samples the endpoints it compares (Envoy's least-request). */
export interface PowerOfTwoSpec {
  /** Endpoints sampled per pick (Envoy's choice_count, default 2). */
  choiceCount: number;
  /** With replacement (Envoy) an endpoint can be sampled twice; distinct never. */
  sampling: "with-replacement" | "distinct";
}

/** The pod network (the CNI plugin's routes): what becomes of packets sent to a pod IP. */
export interface NetworkSpec {
  /**
   * A packet for a pod IP that no pod holds any more (its sandbox is gone): dropped without an
   * answer (the client's connect times out), or answered with an ICMP host-unreachable.
   */
  releasedPodIP: "no-answer" | "host-unreachable";
  /** With host-unreachable: from the SYN to the ICMP error reaching the client, seconds. */
  hostUnreachableAfter: DistributionSpec;
  /** One-way packet latency between a client and a pod, seconds: how long a server's FIN takes to arrive. */
  latency: number;
  /**
   * What crossing zones adds to the one-way latency, seconds: each round trip to a pod in another
   * zone adds twice this to the request's latency (a new connection's handshake is one more).
   */
  crossZoneLatency: number;
}

export interface ClusterSpec {
  /** The Kubernetes minor version, "1.29" to "1.35": it sets the version-dependent defaults. */
  kubernetesVersion: string;
  featureGates: FeatureGates;
  kubelet: KubeletSpec;
  nodes: number;
  /** Relative share of the clients on each node (length = nodes); default all 1. */
  clientWeights: number[];
  /**
   * The nodes' zones (topology.kubernetes.io/zone): node i is in zones[i mod zones.length], so a
   * list of the zone names spreads the nodes round-robin and a list with one name per node places
   * each. Empty: no zones.
   */
  zones: string[];
  proxy: ProxySpec;
  network: NetworkSpec;
  /** EndpointSlice controller batch period, seconds (default 0). */
  endpointsBatchPeriod: number;
  /** Node lifecycle controller: how long a node may miss its lease before its pods are marked NotReady, seconds (50 from v1.32, 40 before). */
  nodeMonitorGracePeriod: number;
  /** kube-controller-manager's --horizontal-pod-autoscaler-* settings, shared by every HPA. */
  horizontalPodAutoscaler: HpaControllerSpec;
  /** metrics-server, where the HPA reads its pods' metrics. */
  metricsServer: MetricsServerSpec;
}

/** The HPA controller's settings (kube-controller-manager flags --horizontal-pod-autoscaler-*). */
export interface HpaControllerSpec {
  /** How often each HPA is reconciled, seconds (--horizontal-pod-autoscaler-sync-period, 15 s). */
  syncPeriod: number;
  /** No change while |1 - metric/target| is at most this (--horizontal-pod-autoscaler-tolerance, 0.1). */
  tolerance: number;
  /** Scale-down stabilisation window of HPAs that give none, seconds (--horizontal-pod-autoscaler-downscale-stabilization, 300 s). */
  downscaleStabilization: number;
  /** CPU samples of a pod this young are ignored while it is unready or its sample predates readiness (--horizontal-pod-autoscaler-cpu-initialization-period, 300 s). */
  cpuInitializationPeriod: number;
  /** An unready pod this soon after its start is taken as never ready (--horizontal-pod-autoscaler-initial-readiness-delay, 30 s). */
  initialReadinessDelay: number;
}

/** metrics-server: scrapes every kubelet each `resolution`; a pod's usage is the rate between its last two scrapes. */
export interface MetricsServerSpec {
  /** Seconds between scrapes, and so the window of each sample (--metric-resolution, 15 s). */
  resolution: number;
}

/** Where a node sends traffic: to any endpoint (Cluster), or only to its own (Local). */
export type TrafficPolicy = "Cluster" | "Local";
export const TRAFFIC_POLICIES: readonly TrafficPolicy[] = ["Cluster", "Local"];
/** spec.trafficDistribution (PreferClose is the older name of PreferSameZone). */
export type TrafficDistribution = "PreferClose" | "PreferSameZone" | "PreferSameNode";
export const TRAFFIC_DISTRIBUTIONS: readonly TrafficDistribution[] = ["PreferClose", "PreferSameZone", "PreferSameNode"];
export type SessionAffinity = "None" | "ClientIP";
export const SESSION_AFFINITIES: readonly SessionAffinity[] = ["None", "ClientIP"];

/** How a Service is reached (core/v1 ServiceType): its ClusterIP only, or also a port on every node, or also a cloud load balancer. */
export type ServiceType = "ClusterIP" | "NodePort" | "LoadBalancer";
export const SERVICE_TYPES: readonly ServiceType[] = ["ClusterIP", "NodePort", "LoadBalancer"];

/** Whose defaults a load balancer's health check takes: the cloud provider that made it. */
export type LoadBalancerProvider = "gce" | "aws-nlb";
export const LOAD_BALANCER_PROVIDERS: readonly LoadBalancerProvider[] = ["gce", "aws-nlb"];

/** A load balancer's health check of each node (seconds; thresholds in consecutive probes). */
export interface HealthCheckSpec {
  interval: number;
  /** A probe without an answer within this long fails (a node that is down never answers). */
  timeout: number;
  /** Consecutive passes that make an unhealthy node healthy again. */
  healthyThreshold: number;
  /** Consecutive failures that take a healthy node out. */
  unhealthyThreshold: number;
}

/** The cloud load balancer of a `LoadBalancer` Service. */
export interface LoadBalancerSpec {
  provider: LoadBalancerProvider;
  healthCheck: HealthCheckSpec;
}

export interface ServiceSpec {
  name: string;
  selector: Record<string, string>;
  /** A selector that matches no pod at any time is an error unless this is true (then its requests end as no-endpoints). */
  allowEmpty: boolean;
  /** Cluster: any endpoint; Local: only endpoints on the client's node, and none there drops the traffic. */
  internalTrafficPolicy: TrafficPolicy;
  /** null: no preference (every endpoint). */
  trafficDistribution: TrafficDistribution | null;
  /** "Auto": the service.kubernetes.io/topology-mode annotation (hints in proportion to each zone's CPU); null: none. */
  topologyMode: "Auto" | null;
  /** ClientIP: each node's rules send a client back to the endpoint it last reached, until the timeout. */
  sessionAffinity: SessionAffinity;
  /** With ClientIP: how long a client's affinity lasts after its last new connection (default 10,800 s); null with None. */
  sessionAffinityConfig: { clientIP: { timeoutSeconds: number } } | null;
  type: ServiceType;
  /** For NodePort and LoadBalancer Services: Cluster (the default) or Local. */
  externalTrafficPolicy: TrafficPolicy;
  /** The load balancer of a LoadBalancer Service; null for the other types. */
  loadBalancer: LoadBalancerSpec | null;
}

/** How the kubelet probes: an HTTP GET the app answers like any request, or a TCP connect the kernel answers. */
export type ProbeHandler = "http" | "tcp";
export const PROBE_HANDLERS: readonly ProbeHandler[] = ["http", "tcp"];

/** A readiness, liveness or startup probe (core/v1 Probe; defaults from SetDefaults_Probe). */
export interface ProbeSpec {
  handler: ProbeHandler;
  initialDelay: number;
  period: number;
  /** No answer within this long is a failure (timeoutSeconds). */
  timeout: number;
  failureThreshold: number;
  /** Must be 1 for liveness and startup probes. */
  successThreshold: number;
  /** The app's work to answer an HTTP probe once a worker takes it. */
  serviceTime: DistributionSpec;
}

/** What the app does at SIGTERM. */
export type OnSigterm = "drain" | "exit" | "ignore";
export const ON_SIGTERM: readonly OnSigterm[] = ["drain", "exit", "ignore"];

export interface PodSpec {
  /** Requests a pod serves at once. */
  concurrency: number;
  /** Requests a pod holds waiting beyond `concurrency`; a full queue answers `overload`. */
  queueLimit: number;
  serviceTime: DistributionSpec;
  /** From container start until the app accepts connections. */
  startup: DistributionSpec;
  /** null: no readiness probe (Kubernetes' default): Ready as soon as the kubelet sees the container running. */
  readiness: ProbeSpec | null;
  /** null: none. Restarts the container after failureThreshold failures. */
  liveness: ProbeSpec | null;
  /** null: none. Holds readiness and liveness probes off until it succeeds; restarts the container after failureThreshold failures. */
  startupProbe: ProbeSpec | null;
  /** From a container's exit or start until the kubelet's PLEG relist sees it. */
  crashDetection: DistributionSpec;
  /** preStop hook: a sleep of this length while the app keeps serving (seconds, default 0). */
  preStop: number;
  /** What the app does at SIGTERM: drain (stop accepting, finish what it holds), exit at once, or ignore it until SIGKILL. */
  onSigterm: OnSigterm;
  /** With onSigterm drain: the app keeps accepting new connections for this long after SIGTERM, then stops (seconds, default 0). */
  drainDelay: number;
  terminationGracePeriod: number;
}

type ProbeField = "readiness" | "liveness" | "startupProbe";
/** What a rollout changes in the pod template: any fields, each probe field by field too (null removes it). */
export type PodOverride = Partial<Omit<PodSpec, ProbeField>> & { [K in ProbeField]?: Partial<ProbeSpec> | null };

export interface RollingUpdateSpec {
  /** Either a count or a percentage string such as "25%". */
  maxSurge: number | string;
  maxUnavailable: number | string;
}

export interface DeploymentSpec {
  name: string;
  replicas: number;
  labels: Record<string, string>;
  /** The version label the initial pods carry. */
  version: string;
  strategy: { type: "RollingUpdate"; rollingUpdate: RollingUpdateSpec } | { type: "Recreate" };
  minReadySeconds: number;
  pod: PodSpec;
}

/**
 * A DaemonSet (apps/v1): one pod per node. RollingUpdate replaces at most maxUnavailable nodes' pods
 * at a time (deleting the old pod before the new one starts), or with maxSurge starts the new pod
 * beside the old one; OnDelete replaces a pod only once it is deleted.
 */
export interface DaemonSetSpec {
  name: string;
  labels: Record<string, string>;
  /** The version label the initial pods carry. */
  version: string;
  updateStrategy: { type: "RollingUpdate"; rollingUpdate: RollingUpdateSpec } | { type: "OnDelete" };
  minReadySeconds: number;
  pod: PodSpec;
}

export type ArrivalSpec =
  | { type: "poisson"; rate: number }
  | { type: "constant"; rate: number }
  | { type: "bursty"; rateOn: number; rateOff: number; meanOn: number; meanOff: number }
  | { type: "ramp"; from: number; to: number; over: number; start: number };

/**
 * A client's retries: which outcomes it retries (`on`, from svcsim's outcomes or Envoy's retry_on
 * names), how often, after what backoff; Envoy's per-try timeout and retry budget; gRPC's
 * transparent retry of a request that never left the client.
 */
export interface RetrySpec {
  /** Retries per request, transparent ones not counted. */
  count: number;
  backoff: DistributionSpec;
  on: DropReason[];
  /** Envoy's per_try_timeout, seconds: each attempt's timeout, `timeout` then the whole request's; Infinity: none (`timeout` is each attempt's). */
  perTryTimeout: number;
  /** Envoy's retry_budget: a retry starts only while the client's active retries are below max(minConcurrency, floor(percent x its active requests)); null: none. */
  budget: { percent: number; minConcurrency: number } | null;
  /** gRPC's transparent retry: an attempt that never left the client (refused, unreachable, no-endpoints) is retried once at once, not counted against `count` or the budget. */
  transparent: boolean;
}

/** Envoy's (and gRPC's) retry_on conditions, as svcsim's outcomes. */
export const RETRY_ON_CONDITIONS: Readonly<Record<string, readonly DropReason[]>> = {
  // A connection that failed: refused (RST), connect timeout or ICMP error, kube-proxy's REJECT.
  "connect-failure": ["refused", "unreachable", "no-endpoints"],
  // No response at all: a disconnect or reset, or a read (per-try) timeout.
  reset: ["reset", "timeout"],
  // 502, 503 (a pod's overload, and Envoy's own for a connect failure), 504 (a per-try timeout).
  "gateway-error": ["overload", "timeout", "refused", "unreachable", "no-endpoints"],
  // Any 5xx, or no response at all.
  "5xx": ["overload", "timeout", "reset", "refused", "unreachable", "no-endpoints"],
  // gRPC status codes (Envoy's x-envoy-retry-grpc-on): UNAVAILABLE (connection failures, resets, 503), DEADLINE_EXCEEDED.
  unavailable: ["refused", "unreachable", "no-endpoints", "reset", "overload"],
  "deadline-exceeded": ["timeout"],
};

export type ConnectionSpec =
  | { mode: "per-request" }
  /** One multiplexed connection per client (HTTP/2, gRPC). */
  | { mode: "keep-alive"; maxRequests: number; idleTimeout: number }
  /** HTTP/1.1: up to `size` idle connections per client, one request at a time on each. */
  | { mode: "pool"; size: number; maxRequests: number; idleTimeout: number };

/**
 * The client processes of a workload: open-loop ones send what the arrival process brings, whatever
 * became of the requests before; closed-loop ones each send a request, wait for it to end (retries
 * included), think, and send the next (the e2e test's client; most load generators).
 */
export type ClientsSpec =
  | { mode: "open"; count: number }
  | { mode: "closed"; count: number; thinkTime: DistributionSpec };

/** Where a workload's clients run: on the cluster's nodes (they call the ClusterIP), or outside it (node ports, the load balancer). */
export type ClientLocation = "cluster" | "external";
export const CLIENT_LOCATIONS: readonly ClientLocation[] = ["cluster", "external"];

export interface WorkloadSpec {
  service: string;
  /** cluster: pods on the nodes calling the ClusterIP; external: outside the cluster, through the load balancer or a node port. */
  from: ClientLocation;
  /** The open-loop arrival process; null for closed-loop clients, which pace themselves. */
  arrivals: ArrivalSpec | null;
  /** Client-side timeout per attempt, seconds; Infinity for none. */
  timeout: number;
  /** The client gives up connecting when nothing answers its SYNs, seconds (Linux: 127). */
  connectTimeout: number;
  retries: RetrySpec;
  /** Client processes spread over the nodes by clientWeights: open- or closed-loop. */
  clients: ClientsSpec;
  connections: ConnectionSpec;
}

/** A count or a percentage string such as "25%" (intstr.IntOrString). */
export type IntOrPercent = number | string;

/**
 * A PodDisruptionBudget (policy/v1): the pods its selector matches may be evicted only while at
 * least `minAvailable` stay healthy (or at most `maxUnavailable` are not); exactly one is given.
 */
export interface PodDisruptionBudgetSpec {
  name: string;
  selector: Record<string, string>;
  minAvailable?: IntOrPercent;
  maxUnavailable?: IntOrPercent;
  /** Whether a running pod that is not Ready may be evicted when the budget is short (AlwaysAllow) or only when it is not (IfHealthyBudget, the default). */
  unhealthyPodEvictionPolicy: "IfHealthyBudget" | "AlwaysAllow";
}

/** An HPA metric: average CPU utilisation (busy workers / concurrency) or requests per second per pod. */
export type HpaMetricSpec =
  /** A Resource metric on cpu with target.averageUtilization, in percent of the pod's request (its concurrency). */
  | { type: "cpu"; averageUtilization: number }
  /** A Pods metric (a custom metric such as http_requests_per_second) with target.averageValue, per second per pod. */
  | { type: "requests-per-second"; averageValue: number };

/** One HPAScalingPolicy: at most `value` pods, or `value` percent of the pods at the period's start, per `period` seconds. */
export interface HpaScalingPolicy {
  type: "Pods" | "Percent";
  value: number;
  period: number;
}

/** HPAScalingRules for one direction. */
export interface HpaScalingRules {
  /** Seconds of past recommendations to stabilise over (scale-up: the lowest; scale-down: the highest). */
  stabilizationWindow: number;
  /** Max: the policy allowing the biggest change; Min: the smallest; Disabled: no change this way. */
  selectPolicy: "Max" | "Min" | "Disabled";
  policies: HpaScalingPolicy[];
}

/**
 * A HorizontalPodAutoscaler (autoscaling/v2) scaling a Deployment. `behavior` null is an HPA without
 * spec.behavior: the controller's older rules (scale-down stabilised over the controller's window,
 * scale-up at most to max(2 x current, 4) per sync).
 */
export interface HorizontalPodAutoscalerSpec {
  name: string;
  /** The Deployment it scales (scaleTargetRef). */
  deployment: string;
  minReplicas: number;
  maxReplicas: number;
  metrics: HpaMetricSpec[];
  behavior: { scaleUp: HpaScalingRules; scaleDown: HpaScalingRules } | null;
}

export type TimelineEvent =
  | { at: number; action: "crash"; pods: string[] }
  | { at: number; action: "crash"; deployment: string; count: number }
  | { at: number; action: "crashes"; deployment: string; mtbf: number; until: number }
  | { at: number; action: "scale"; deployment: string; replicas: number }
  /** `successive` rollouts in all, each started `pause` after the one before has completed (versions v2, v3, ...: see nextVersion). */
  | { at: number; action: "rollout"; deployment: string; version: string; pod: PodOverride; successive: number; pause: number }
  | { at: number; action: "rollout"; daemonSet: string; version: string; pod: PodOverride; successive: number; pause: number }
  | { at: number; action: "readiness-failure"; pods: string[]; for: number }
  | { at: number; action: "readiness-failure"; deployment: string; count: number; for: number }
  | { at: number; action: "node-down"; node: number }
  | { at: number; action: "node-up" }
  | { at: number; action: "cordon"; node: number }
  | { at: number; action: "uncordon"; node: number }
  /** The cluster autoscaler marks a node it is about to remove (kube-proxy's /healthz then fails: KEP-3836); untaint removes the mark. */
  | { at: number; action: "taint" | "untaint"; node: number; key: NodeTaint }
  /** kubectl drain: cordon, then evict every pod but DaemonSet ones, retrying while a budget blocks; `timeout` Infinity waits for ever. */
  | { at: number; action: "drain"; node: number; timeout: number; disableEviction: boolean };

/** The node taints svcsim models. */
export type NodeTaint = "ToBeDeletedByClusterAutoscaler";
export const NODE_TAINTS: readonly NodeTaint[] = ["ToBeDeletedByClusterAutoscaler"];

/** The summary metrics an experiment aggregates, compares and can stop on (summary.csv column names). */
export const HEADLINE_METRICS = [
  "drop_rate",
  "dropped",
  "dropped_refused",
  "dropped_reset",
  "dropped_overload",
  "dropped_timeout",
  "dropped_no_endpoints",
  "dropped_unreachable",
  "latency_mean_ms",
  "latency_p50_ms",
  "latency_p99_ms",
  "load_cv",
  "load_max_over_mean",
  "jain_index",
] as const;
export type HeadlineMetric = (typeof HEADLINE_METRICS)[number];

/** One swept field: a path in `--set` syntax and the values it takes, one per point of its axis. */
export interface SweepParameter {
  path: string;
  values: unknown[];
}

/** An axis of the sweep grid: one parameter, or several that advance together (`zip`). */
export type SweepAxis = SweepParameter | { zip: SweepParameter[] };

/** Replications until precise: add replications until the interval of `metric` is within `until` of its mean. */
export interface PrecisionSpec {
  /** Target half-width relative to the mean (0.05 for 5 %). */
  until: number;
  metric: HeadlineMetric;
  min: number;
  max: number;
  /** Replications added per round after the first `min`. */
  batch: number;
}

export interface Scenario {
  name: string;
  description: string;
  seed: number;
  /** Measured seconds, after the warm-up. */
  duration: number;
  /** Seconds simulated before measuring starts. */
  warmup: number;
  /** A fixed number of replications per policy (and sweep point), or replications until precise. */
  replications: number | PrecisionSpec;
  policies: PolicyName[];
  powerOfTwo: PowerOfTwoSpec;
  /** Width of a time-series interval, seconds. */
  interval: number;
  cluster: ClusterSpec;
  services: ServiceSpec[];
  deployments: DeploymentSpec[];
  daemonSets: DaemonSetSpec[];
  podDisruptionBudgets: PodDisruptionBudgetSpec[];
  horizontalPodAutoscalers: HorizontalPodAutoscalerSpec[];
  workload: WorkloadSpec[];
  events: TimelineEvent[];
  /** The sweep: its points are the grid (cartesian product) of the axes; empty for a single point. */
  sweep: SweepAxis[];
  /** Paired comparisons: each policy's difference from `baseline` (default: the first policy). */
  compare: { baseline: PolicyName };
}
