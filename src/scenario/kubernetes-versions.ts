/**
 * The defaults that depend on the Kubernetes version, in one place: `cluster.kubernetesVersion`
 * picks a row, and each field it sets can still be given in the scenario. Sources: kube-proxy's
 * runner (pkg/util/async in v1.33, pkg/proxy/runner from v1.34), kube-controller-manager's
 * --node-monitor-grace-period (kubernetes#126287), the kubelet's pod worker (kubernetes#123602,
 * fixed by #133066) and the feature gates' stages.
 */
import type { CrashLoopRecheck, FeatureGates } from "./types.js";

/** The minor versions svcsim models, oldest first. */
export const KUBERNETES_VERSIONS = ["1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35"] as const;
export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number];

/**
 * v1.33: the oldest minor still supported upstream when svcsim was written (1.33-1.35), so the one
 * most production clusters ran (managed providers' default channels trail upstream); it also keeps
 * the kube-proxy burst and the node grace period svcsim had before the version knob existed.
 */
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = "1.33";

/** What a version sets. */
export interface VersionDefaults {
  /** kube-proxy's sync runner burst: 2 (BoundedFrequencyRunner) up to v1.33; v1.34's runner has none. */
  burstSyncs: number;
  /** --node-monitor-grace-period: 40 s before v1.32, 50 s from v1.32. */
  nodeMonitorGracePeriod: number;
  /** The pod worker rechecks a backed-off pod every 10-15 s up to v1.33; from v1.34 when the backoff expires. */
  crashLoopRecheck: CrashLoopRecheck;
  /** KEP-3836's gate: alpha (off) up to v1.29, beta (on) from v1.30, GA in v1.31. */
  KubeProxyDrainingTerminatingNodes: boolean;
}

/** A version's position, for "from v1.x" comparisons. */
function minor(v: KubernetesVersion): number {
  return Number(v.split(".")[1]);
}

export function versionDefaults(v: KubernetesVersion): VersionDefaults {
  const m = minor(v);
  return {
    burstSyncs: m <= 33 ? 2 : 1,
    nodeMonitorGracePeriod: m < 32 ? 40 : 50,
    crashLoopRecheck: m <= 33 ? "periodic" : "at-expiry",
    KubeProxyDrainingTerminatingNodes: m >= 30,
  };
}

/** The first version each known feature gate exists in. */
export const FEATURE_GATE_SINCE: Readonly<Record<keyof FeatureGates, KubernetesVersion>> = {
  ReduceDefaultCrashLoopBackOffDecay: "1.33",
  KubeProxyDrainingTerminatingNodes: "1.29", // alpha from v1.28, the oldest svcsim models being v1.29
};

export function gateExists(gate: keyof FeatureGates, v: KubernetesVersion): boolean {
  return minor(v) >= minor(FEATURE_GATE_SINCE[gate]);
}

/**
 * Reads a version as written: "1.33", "1.33.2" (the patch is ignored) or v1.33; YAML reads an
 * unquoted 1.30 as the number 1.3, which can only mean "1.30". Undefined when it is none of them.
 */
export function parseKubernetesVersion(x: unknown): KubernetesVersion | undefined {
  let s = typeof x === "number" ? (x === 1.3 ? "1.30" : String(x)) : typeof x === "string" ? x.trim() : undefined;
  if (s === undefined) return undefined;
  const m = /^v?(1\.\d+)(\.\d+)?$/.exec(s);
  if (!m) return undefined;
  s = m[1];
  return (KUBERNETES_VERSIONS as readonly string[]).includes(s) ? (s as KubernetesVersion) : undefined;
}
