/**
 * From Kubernetes objects to a scenario skeleton: Deployments and DaemonSets (replicas, labels,
 * strategy, probes, preStop, grace period), Services (selectors), PodDisruptionBudgets and
 * HorizontalPodAutoscalers, each field mapped to svcsim's, with a note (a YAML comment in the
 * output) for whatever has no counterpart or had to be guessed. What the manifests cannot say (the
 * app's speed, the traffic) gets svcsim's defaults and a note saying so.
 */
import { TRAFFIC_DISTRIBUTIONS } from "../scenario/types.js";
import { isObj, type Manifest } from "./manifests.js";

type Obj = Record<string, unknown>;
const obj = (x: unknown): Obj => (isObj(x) ? x : {});
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const num = (x: unknown): number | undefined => (typeof x === "number" && Number.isFinite(x) ? x : undefined);
const str = (x: unknown): string | undefined => (typeof x === "string" ? x : undefined);

/** A note: a comment on the node at `path` in the output (or on the file, for an empty path). */
export interface Note {
  path: (string | number)[];
  text: string;
}

export interface Imported {
  /** The scenario as plain data, in the order its YAML is written. */
  scenario: Obj;
  notes: Note[];
}

/** Seconds as a duration string the scenario reads ("10s"). */
const seconds = (s: number) => `${s}s`;

/** A Kubernetes name (a DNS subdomain: dots, up to 253) as svcsim's DNS label. */
function labelName(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 63).replace(/^-+|-+$/g, "");
  return s === "" ? "unnamed" : s;
}

/** Kubernetes' int-or-string for surge and budgets: a count or "N%". */
function intOrPercent(x: unknown): number | string | undefined {
  if (typeof x === "number" && Number.isInteger(x) && x >= 0) return x;
  if (typeof x === "string" && /^\d+%$/.test(x)) return x;
  if (typeof x === "string" && /^\d+$/.test(x)) return Number(x);
  return undefined;
}

/** A resource.Quantity as a number ("100", "500m", "1.5k"). */
export function quantity(x: unknown): number | undefined {
  if (typeof x === "number") return x;
  if (typeof x !== "string") return undefined;
  const m = /^([0-9.]+)(m|k|M|G|Ki|Mi|Gi)?$/.exec(x.trim());
  if (!m) return undefined;
  const scale: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };
  const v = Number(m[1]);
  return Number.isFinite(v) ? v * (m[2] ? scale[m[2]] : 1) : undefined;
}

/** Sleep seconds of a preStop exec command (`sleep 5`, `/bin/sh -c "sleep 5 && nginx -s quit"`), and whether it does more. */
function sleepOf(command: unknown[]): { seconds: number; more: boolean } | null {
  const text = command.filter((c) => typeof c === "string").join(" ");
  const m = /(?:^|[\s;&|(])(?:\/bin\/|\/usr\/bin\/)?sleep\s+(\d+(?:\.\d+)?)s?(?=$|[\s;&|)])/.exec(text);
  if (!m) return null;
  const rest = text.replace(m[0], " ").replace(/^\s*(\/bin\/)?(ba)?sh\s+-c\s*/, "").replace(/[\s;&|()"']+/g, "");
  return { seconds: Number(m[1]), more: rest !== "" };
}

class Importer {
  readonly notes: Note[] = [];
  private readonly deployments: Obj[] = [];
  private readonly daemonSets: Obj[] = [];
  private readonly services: Obj[] = [];
  private readonly budgets: Obj[] = [];
  private readonly hpas: Obj[] = [];
  private readonly used = new Map<string, Set<string>>();
  /** A Service field exists only from Kubernetes v1.34. */
  private newestVersionNeeded = false;

  note(path: (string | number)[], text: string): void {
    this.notes.push({ path, text });
  }

  /** A unique svcsim name for an object of `kind` (two namespaces may hold the same name). */
  private name(kind: string, m: Manifest, at: (string | number)[]): string {
    const used = this.used.get(kind) ?? new Set<string>();
    this.used.set(kind, used);
    let name = labelName(m.name);
    if (used.has(name)) {
      let k = 2;
      while (used.has(`${name.slice(0, 60)}-${k}`)) k++;
      name = `${name.slice(0, 60)}-${k}`;
    }
    used.add(name);
    if (name !== m.name) this.note(at, `${m.kind} ${m.namespace ? `${m.namespace}/` : ""}${m.name} is named ${name} here (svcsim names are DNS labels, unique per kind)`);
    return name;
  }

  run(manifests: readonly Manifest[]): Imported {
    const ignored = new Map<string, string[]>();
    for (const m of manifests) {
      switch (m.kind) {
        case "Deployment":
          this.workload(m, "deployments");
          break;
        case "DaemonSet":
          this.workload(m, "daemonSets");
          break;
        case "Service":
          this.service(m);
          break;
        case "PodDisruptionBudget":
          this.budget(m);
          break;
        default:
          if (m.kind !== "HorizontalPodAutoscaler") {
            // Objects a controller owns (the ReplicaSets, Pods, EndpointSlices of `kubectl get all`) come from the imported ones.
            const owned = list(obj(m.object.metadata).ownerReferences).length > 0 || m.kind === "Endpoints" || m.kind === "EndpointSlice";
            if (!owned) ignored.set(m.kind, [...(ignored.get(m.kind) ?? []), m.name]);
          }
      }
    }
    // HPAs last: they name the Deployments by their (renamed) names.
    for (const m of manifests) if (m.kind === "HorizontalPodAutoscaler") this.hpa(m);
    this.allowEmptyServices();
    return { scenario: this.assemble(manifests, ignored), notes: this.notes };
  }

  // --- Deployments and DaemonSets -------------------------------------------------------------

  private readonly renamed = new Map<string, string>();

  private workload(m: Manifest, key: "deployments" | "daemonSets"): void {
    const items = key === "deployments" ? this.deployments : this.daemonSets;
    const at: (string | number)[] = [key, items.length];
    const spec = obj(m.object.spec);
    const name = this.name("workload", m, at);
    this.renamed.set(`${m.kind}/${m.namespace ?? ""}/${m.name}`, name);
    const template = obj(spec.template);
    const selector = obj(spec.selector);
    if (list(selector.matchExpressions).length > 0) this.note(at, `spec.selector.matchExpressions not mapped: svcsim selects a workload's pods by its labels`);
    const podLabels: Obj = { ...obj(obj(template.metadata).labels) };
    const out: Obj = { name };
    if (key === "deployments") {
      const replicas = num(spec.replicas);
      out.replicas = replicas ?? 1;
      if (replicas === undefined) this.note([...at, "replicas"], "spec.replicas not set: Kubernetes' default, 1 (an HPA may set it)");
    }
    let version: string | undefined;
    if (typeof podLabels.version === "string") {
      version = podLabels.version;
      delete podLabels.version;
    }
    if (Object.keys(podLabels).length === 0) {
      podLabels.app = name;
      this.note([...at, "labels"], "the pod template has no labels (besides version): app: <name> stands in");
    }
    out.labels = podLabels;
    if (version !== undefined) out.version = version;
    if (key === "deployments") this.deploymentStrategy(obj(spec.strategy), out, at);
    else this.daemonSetStrategy(obj(spec.updateStrategy), out, at);
    const minReady = num(spec.minReadySeconds);
    if (minReady !== undefined && minReady > 0) out.minReadySeconds = seconds(minReady);
    out.pod = this.pod(obj(template.spec), [...at, "pod"]);
    items.push(out);
  }

  private deploymentStrategy(strategy: Obj, out: Obj, at: (string | number)[]): void {
    if (strategy.type === "Recreate") {
      out.strategy = { type: "Recreate" };
      return;
    }
    const ru = obj(strategy.rollingUpdate);
    const surge = intOrPercent(ru.maxSurge);
    const unavailable = intOrPercent(ru.maxUnavailable);
    if (surge === undefined && unavailable === undefined) return; // apps/v1 defaults, svcsim's too
    out.strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: surge ?? "25%", maxUnavailable: unavailable ?? "25%" } };
    if ((ru.maxSurge !== undefined && surge === undefined) || (ru.maxUnavailable !== undefined && unavailable === undefined)) {
      this.note([...at, "strategy"], "a maxSurge or maxUnavailable that is neither a count nor a percentage: the default 25% stands in");
    }
  }

  private daemonSetStrategy(strategy: Obj, out: Obj, at: (string | number)[]): void {
    if (strategy.type === "OnDelete") {
      out.updateStrategy = { type: "OnDelete" };
      return;
    }
    const ru = obj(strategy.rollingUpdate);
    const surge = intOrPercent(ru.maxSurge);
    const unavailable = intOrPercent(ru.maxUnavailable);
    if (surge === undefined && unavailable === undefined) return;
    // apps/v1: a surge needs maxUnavailable 0 (kubectl prints the defaulted maxUnavailable 1 only when no surge is set).
    const rollingUpdate = surge !== undefined && surge !== 0 && surge !== "0%" ? { maxSurge: surge, maxUnavailable: 0 } : { maxSurge: 0, maxUnavailable: unavailable ?? 1 };
    out.updateStrategy = { type: "RollingUpdate", rollingUpdate };
    if (surge !== undefined && surge !== 0 && surge !== "0%" && unavailable !== undefined && unavailable !== 0 && unavailable !== "0%") {
      this.note([...at, "updateStrategy"], `maxUnavailable ${unavailable} dropped: a DaemonSet with maxSurge must have maxUnavailable 0`);
    }
  }

  /** The app container's pod spec: svcsim models one container per pod. */
  private pod(spec: Obj, at: (string | number)[]): Obj {
    const containers = list(spec.containers).filter(isObj);
    const out: Obj = {};
    this.note(at, "concurrency, queueLimit, serviceTime and startup are not in the manifests: svcsim's defaults (4 workers, queue 100, exponential 20 ms, 2 s); set them from your app's measurements");
    if (containers.length === 0) {
      this.note(at, "no containers in the pod template");
      return out;
    }
    // The app: the container with a readiness probe, else one with ports, else the first.
    const app = containers.find((c) => isObj(c.readinessProbe)) ?? containers.find((c) => list(c.ports).length > 0) ?? containers[0];
    if (containers.length > 1) {
      const others = containers.filter((c) => c !== app).map((c) => str(c.name) ?? "?");
      this.note(at, `svcsim models one container per pod: ${str(app.name) ?? "?"}; not modelled: ${others.join(", ")} (their probes and preStop hooks too)`);
    }
    const cpu = str(obj(obj(app.resources).requests).cpu);
    if (cpu !== undefined) this.note(at, `CPU request ${cpu}: svcsim's CPU (for an HPA) is busy workers / concurrency`);
    for (const [k8s, key] of [["readinessProbe", "readiness"], ["livenessProbe", "liveness"], ["startupProbe", "startupProbe"]] as const) {
      if (isObj(app[k8s])) out[key] = this.probe(app[k8s], [...at, key], k8s);
    }
    const preStop = obj(obj(app.lifecycle).preStop);
    if (Object.keys(preStop).length > 0) this.preStop(preStop, out, at);
    const grace = num(spec.terminationGracePeriodSeconds);
    if (grace !== undefined && grace !== 30) out.terminationGracePeriod = seconds(grace);
    return out;
  }

  private probe(p: Obj, at: (string | number)[], k8s: string): Obj {
    const out: Obj = {};
    if (isObj(p.tcpSocket)) out.handler = "tcp";
    else if (isObj(p.httpGet)) out.handler = "http";
    else if (isObj(p.grpc)) {
      out.handler = "http";
      this.note(at, `${k8s}: a gRPC health check, modelled as an HTTP probe (the app answers it, queued with requests)`);
    } else if (isObj(p.exec)) {
      out.handler = "tcp";
      this.note(at, `${k8s}: an exec probe (${list(obj(p.exec).command).join(" ")}), modelled as a TCP probe: it does not wait for the app's workers`);
    }
    const fields: [string, string, boolean][] = [
      ["initialDelaySeconds", "initialDelay", true],
      ["periodSeconds", "period", true],
      ["timeoutSeconds", "timeout", true],
      ["failureThreshold", "failureThreshold", false],
      ["successThreshold", "successThreshold", false],
    ];
    for (const [from, to, isTime] of fields) {
      const v = num(p[from]);
      if (v !== undefined && v > 0) out[to] = isTime ? seconds(v) : v;
    }
    if (num(p.terminationGracePeriodSeconds) !== undefined) this.note(at, `${k8s}.terminationGracePeriodSeconds not mapped: svcsim uses the pod's`);
    return out;
  }

  private preStop(h: Obj, out: Obj, at: (string | number)[]): void {
    if (isObj(h.sleep)) {
      const s = num(obj(h.sleep).seconds);
      if (s !== undefined) out.preStop = seconds(s);
      return;
    }
    if (isObj(h.exec)) {
      const command = list(obj(h.exec).command);
      const sleep = sleepOf(command);
      if (sleep !== null) {
        out.preStop = seconds(sleep.seconds);
        if (sleep.more) this.note([...at, "preStop"], `preStop exec ${JSON.stringify(command.join(" "))}: only its sleep is modelled`);
      } else this.note(at, `preStop exec ${JSON.stringify(command.join(" "))} not mapped: svcsim's preStop is a sleep while the app serves on`);
      return;
    }
    if (isObj(h.httpGet)) {
      this.note(at, `preStop httpGet ${str(obj(h.httpGet).path) ?? ""} not mapped: what the app does on it is unknown (set preStop to the time it keeps serving, onSigterm and drainDelay to what it does at SIGTERM)`);
      return;
    }
    this.note(at, "a preStop handler svcsim does not know: not mapped");
  }

  // --- Services, budgets, autoscalers ------------------------------------------------------------

  private service(m: Manifest): void {
    const at: (string | number)[] = ["services", this.services.length];
    const spec = obj(m.object.spec);
    const selector = obj(spec.selector);
    if (Object.keys(selector).length === 0) {
      this.note([], `Service ${m.name} skipped: it has no selector (its endpoints are managed by hand or by another controller)`);
      return;
    }
    const out: Obj = { name: this.name("Service", m, at), selector };
    const type = str(spec.type);
    if (type === "NodePort" || type === "LoadBalancer") {
      out.type = type;
      this.note(at, `type ${type}: the placeholder workload is of in-cluster clients; external clients reach it through the nodes${type === "LoadBalancer" ? " and the cloud load balancer (loadBalancer: its health checks)" : ""}`);
    } else if (type !== undefined && type !== "ClusterIP") this.note(at, `type ${type} not modelled: read as a ClusterIP Service`);
    if (spec.clusterIP === "None") this.note(at, "a headless Service: its clients resolve the pods by DNS and pick one themselves; modelled as a ClusterIP balanced by kube-proxy");
    if (spec.sessionAffinity === "ClientIP") {
      out.sessionAffinity = "ClientIP";
      const timeout = num(obj(obj(spec.sessionAffinityConfig).clientIP).timeoutSeconds);
      if (timeout !== undefined) out.sessionAffinityConfig = { clientIP: { timeoutSeconds: timeout } };
    }
    if (spec.internalTrafficPolicy === "Local") out.internalTrafficPolicy = "Local";
    const distribution = str(spec.trafficDistribution);
    if (distribution !== undefined && (TRAFFIC_DISTRIBUTIONS as readonly string[]).includes(distribution)) {
      out.trafficDistribution = distribution;
      // PreferSameZone and PreferSameNode exist from v1.34; svcsim's default version is older.
      if (distribution !== "PreferClose") this.newestVersionNeeded = true;
      this.note(at, `trafficDistribution ${distribution} acts only on nodes in zones: set cluster.zones`);
    } else if (distribution !== undefined) this.note(at, `trafficDistribution ${distribution} not mapped`);
    const external = str(spec.externalTrafficPolicy);
    if (external === "Local" && out.type !== undefined) out.externalTrafficPolicy = "Local";
    this.services.push(out);
  }

  /** A Service that selects no imported pod would be an error: it is kept, marked as meant to be empty. */
  private allowEmptyServices(): void {
    const pods: Obj[] = [...this.deployments, ...this.daemonSets].map((d) => ({ ...(d.labels as Obj), version: str(d.version) ?? "v1" }));
    this.services.forEach((svc, i) => {
      const sel = svc.selector as Obj;
      if (pods.some((labels) => Object.entries(sel).every(([k, v]) => labels[k] === v))) return;
      svc.allowEmpty = true;
      this.note(["services", i], "its selector matches no imported Deployment's or DaemonSet's pods: its clients get no endpoints");
    });
  }

  private budget(m: Manifest): void {
    const at: (string | number)[] = ["podDisruptionBudgets", this.budgets.length];
    const spec = obj(m.object.spec);
    const selector = obj(spec.selector);
    const labels = obj(selector.matchLabels);
    if (Object.keys(labels).length === 0) {
      this.note([], `PodDisruptionBudget ${m.name} skipped: svcsim needs a matchLabels selector${list(selector.matchExpressions).length > 0 ? " (matchExpressions not mapped)" : ""}`);
      return;
    }
    const out: Obj = { name: this.name("PodDisruptionBudget", m, at), selector: labels };
    if (list(selector.matchExpressions).length > 0) this.note(at, "selector.matchExpressions not mapped: only matchLabels");
    const min = intOrPercent(spec.minAvailable);
    const max = intOrPercent(spec.maxUnavailable);
    if (min !== undefined) out.minAvailable = min;
    else if (max !== undefined) out.maxUnavailable = max;
    else {
      out.maxUnavailable = 1;
      this.note(at, "neither minAvailable nor maxUnavailable could be read: maxUnavailable 1 stands in");
    }
    if (spec.unhealthyPodEvictionPolicy === "AlwaysAllow") out.unhealthyPodEvictionPolicy = "AlwaysAllow";
    this.budgets.push(out);
  }

  private hpa(m: Manifest): void {
    const at: (string | number)[] = ["horizontalPodAutoscalers", this.hpas.length];
    const spec = obj(m.object.spec);
    const ref = obj(spec.scaleTargetRef);
    const target = this.renamed.get(`${str(ref.kind)}/${m.namespace ?? ""}/${str(ref.name)}`);
    if (ref.kind !== "Deployment" || target === undefined) {
      this.note([], `HorizontalPodAutoscaler ${m.name} skipped: it scales ${str(ref.kind) ?? "?"} ${str(ref.name) ?? "?"}, ${ref.kind === "Deployment" ? "not among the imported Deployments" : "and svcsim autoscales Deployments only"}`);
      return;
    }
    if (this.hpas.some((h) => h.deployment === target)) {
      this.note([], `HorizontalPodAutoscaler ${m.name} skipped: another HPA already scales ${target} (Kubernetes stops both: AmbiguousSelector)`);
      return;
    }
    const out: Obj = { name: this.name("HorizontalPodAutoscaler", m, at), deployment: target };
    const min = num(spec.minReplicas) ?? 1;
    if (min < 1) this.note(at, "minReplicas 0 (HPAScaleToZero) not modelled: 1");
    out.minReplicas = Math.max(1, min);
    out.maxReplicas = Math.max(out.minReplicas as number, num(spec.maxReplicas) ?? 1);
    const metrics: Obj[] = [];
    // autoscaling/v1
    const v1 = num(spec.targetCPUUtilizationPercentage);
    if (v1 !== undefined) metrics.push({ type: "cpu", averageUtilization: `${v1}%` });
    for (const metric of list(spec.metrics).filter(isObj)) {
      const mapped = this.metric(metric, at);
      if (mapped !== null) metrics.push(mapped);
    }
    // The HPA owns the replica count (manifests managed with one often leave replicas out): start inside its range.
    const dep = this.deployments.find((d) => d.name === target)!;
    const clamped = Math.min(out.maxReplicas as number, Math.max(out.minReplicas as number, dep.replicas as number));
    if (clamped !== dep.replicas) {
      const i = this.deployments.indexOf(dep);
      this.note(["deployments", i, "replicas"], `${dep.replicas} is outside HPA ${out.name as string}'s range: its first sync sets ${clamped}`);
      dep.replicas = clamped;
    }
    if (metrics.length > 0) out.metrics = metrics;
    else if (list(spec.metrics).length > 0) this.note(at, "none of its metrics can be modelled: the autoscaling/v2 default, CPU at 80 %, stands in");
    const behavior = obj(spec.behavior);
    if (Object.keys(behavior).length > 0) {
      const b: Obj = {};
      for (const dir of ["scaleUp", "scaleDown"] as const) {
        const rules = obj(behavior[dir]);
        if (Object.keys(rules).length === 0) continue;
        const r: Obj = {};
        const window = num(rules.stabilizationWindowSeconds);
        if (window !== undefined) r.stabilizationWindow = seconds(window);
        if (typeof rules.selectPolicy === "string") r.selectPolicy = rules.selectPolicy;
        const policies = list(rules.policies)
          .filter(isObj)
          .map((p) => ({ type: p.type, value: p.value, period: seconds(num(p.periodSeconds) ?? 15) }));
        if (policies.length > 0) r.policies = policies;
        b[dir] = r;
      }
      out.behavior = b;
    }
    this.hpas.push(out);
  }

  private metric(metric: Obj, at: (string | number)[]): Obj | null {
    const type = str(metric.type);
    if (type === "Resource" || type === "ContainerResource") {
      const res = obj(type === "Resource" ? metric.resource : metric.containerResource);
      const target = obj(res.target);
      if (res.name === "cpu" && target.type === "Utilization" && num(target.averageUtilization) !== undefined) {
        if (type === "ContainerResource") this.note(at, "a ContainerResource cpu metric, read as the pod's (svcsim's pod has one container)");
        return { type: "cpu", averageUtilization: `${target.averageUtilization}%` };
      }
      this.note(at, `metric ${type} ${str(res.name) ?? "?"} (${str(target.type) ?? "?"}) not modelled: svcsim's HPA reads CPU utilisation and requests per second`);
      return null;
    }
    if (type === "Pods") {
      const pods = obj(metric.pods);
      const name = str(obj(pods.metric).name) ?? "?";
      const value = quantity(obj(pods.target).averageValue);
      if (value === undefined || value <= 0) {
        this.note(at, `Pods metric ${name}: no averageValue target, not modelled`);
        return null;
      }
      this.note(at, `Pods metric ${name} read as requests per second per pod (svcsim's one Pods metric)`);
      return { type: "requests-per-second", averageValue: `${value}/s` };
    }
    this.note(at, `metric ${type ?? "?"} not modelled: svcsim's HPA reads its own pods' CPU and requests per second`);
    return null;
  }

  // --- the scenario ------------------------------------------------------------------------------

  private assemble(manifests: readonly Manifest[], ignored: Map<string, string[]>): Obj {
    const namespaces = [...new Set(manifests.map((m) => m.namespace).filter((n): n is string => n !== undefined))];
    const header = [
      `A scenario skeleton imported by svcsim from ${manifests.length} Kubernetes object${manifests.length === 1 ? "" : "s"}${namespaces.length > 0 ? ` (namespace${namespaces.length > 1 ? "s" : ""} ${namespaces.join(", ")}; svcsim has none)` : ""}.`,
      "Check every note below; the workload is a placeholder.",
    ];
    for (const [kind, names] of ignored) header.push(`Not modelled: ${kind} ${names.join(", ")}`);
    this.notes.unshift({ path: [], text: header.join("\n") });
    const scenario: Obj = {
      description: "Imported from Kubernetes manifests.",
      policies: ["random"],
      cluster: this.newestVersionNeeded ? { kubernetesVersion: "1.34", nodes: 3 } : { nodes: 3 },
    };
    if (this.newestVersionNeeded) this.note(["cluster", "kubernetesVersion"], "trafficDistribution PreferSameZone or PreferSameNode needs v1.34 or later");
    this.note(["cluster", "nodes"], "svcsim's default; set your node count (a DaemonSet runs a pod on each)");
    if (this.deployments.length > 0) scenario.deployments = this.deployments;
    if (this.daemonSets.length > 0) scenario.daemonSets = this.daemonSets;
    if (this.deployments.length === 0 && this.daemonSets.length === 0) {
      throw new ImportError("nothing to simulate: no Deployment or DaemonSet in the manifests");
    }
    if (this.services.length === 0) {
      const first = this.deployments[0] ?? this.daemonSets[0];
      this.services.push({ name: first.name, selector: first.labels });
      this.note(["services", 0], `no Service in the manifests: one selecting ${first.name}'s pods stands in`);
    }
    scenario.services = this.services;
    if (this.budgets.length > 0) scenario.podDisruptionBudgets = this.budgets;
    if (this.hpas.length > 0) scenario.horizontalPodAutoscalers = this.hpas;
    scenario.workload = this.services.map((svc, i) => {
      this.note(["workload", i], "a placeholder: set the traffic (arrivals), clients, timeout, retries and connections");
      return { service: svc.name, arrivals: { type: "poisson", rate: "100/s" } };
    });
    return scenario;
  }
}

/** What cannot be imported at all (the command ends with exit status 2). */
export class ImportError extends Error {}

export function importManifests(manifests: readonly Manifest[]): Imported {
  return new Importer().run(manifests);
}
