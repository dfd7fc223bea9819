/**
 * The cluster: builds the Kubernetes model of a resolved scenario for one policy and seed (nodes
 * with their kube-proxies, deployments, Services with their endpoints controllers, workloads, the
 * timeline) and wires the events between them. Data flows one way: scenario -> this -> metrics.
 */
import { Simulation, type EventHandler } from "../engine/index.js";
import { makeDistribution } from "../random/distributions.js";
import { RandomStreams } from "../random/index.js";
import type { Outcome, PodOverride, PodSpec, PolicyName, Scenario } from "../scenario/types.js";
import { coefficientOfVariation, jainIndex, maxOverMean } from "../stats/skew.js";
import { createArrivals } from "./arrivals.js";
import { createBalancer, followsEndpoints, type Balancer } from "./balancer/index.js";
import { Deployment, type DeploymentHost, type ReplicaSet } from "./deployment.js";
import { EndpointsController, type EndpointSlice } from "./endpoints.js";
import { KubeProxy, type ProxyConfig } from "./kube-proxy.js";
import { ServiceMetrics } from "./metrics.js";
import { Node } from "./node.js";
import { Pod, type PodHost, type PodTemplate } from "./pod.js";
import type { Attempt } from "./request.js";
import { Service } from "./service.js";
import { Timeline, type TimelineTarget } from "./timeline.js";
import { Workload, type Client } from "./workload.js";

/** Spreads `count` clients over nodes in proportion to `weights` (largest remainder), interleaved. */
export function spreadClients(count: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (count * w) / total);
  const quota = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0, left = count - quota.reduce((a, b) => a + b, 0); k < left; k++) quota[order[k][1]]++;
  const nodes: number[] = [];
  for (let round = 0; nodes.length < count; round++) {
    for (let n = 0; n < quota.length; n++) if (quota[n] > round) nodes.push(n);
  }
  return nodes;
}

const TICK = 0;

export class Cluster implements PodHost, DeploymentHost, TimelineTarget, EventHandler {
  readonly sim = new Simulation();
  readonly streams: RandomStreams;
  readonly nodes: Node[] = [];
  readonly services: Service[];
  readonly controllers: EndpointsController[];
  readonly deployments = new Map<string, Deployment>();
  readonly workloads: Workload[] = [];
  readonly metrics: ServiceMetrics[];
  /** Every pod ever created, by id. */
  readonly pods: Pod[] = [];
  private readonly podsByName = new Map<string, Pod>();
  private readonly podCounter = new Map<string, number>();
  private readonly replicaSetCounter = new Map<string, number>();
  private readonly proxyConfig: ProxyConfig;
  /** The shared nginx of `static-upstream`, one per Service. */
  private readonly staticUpstreams: Balancer[] = [];
  private readonly timeline: Timeline;
  readonly measureFrom: number;
  readonly end: number;
  private rolloutsInProgress = 0;
  private tickIndex = 0;
  /** Per-pod busy and Ready seconds over the measured window (counts keep growing while the drain finishes requests). */
  readonly podWindow = new Map<Pod, { busy: number; ready: number; received: number }>();

  constructor(
    readonly scenario: Scenario,
    readonly policy: PolicyName,
    readonly seed: number,
  ) {
    const s = scenario;
    this.streams = new RandomStreams(seed);
    this.measureFrom = s.warmup;
    this.end = s.warmup + s.duration;
    this.proxyConfig = {
      watchLatency: makeDistribution(s.cluster.proxy.watchLatency),
      minSyncPeriod: s.cluster.proxy.minSyncPeriod,
      burstSyncs: s.cluster.proxy.burstSyncs,
    };
    this.services = s.services.map((spec, i) => new Service(i, spec));
    this.controllers = this.services.map(
      (svc) => new EndpointsController(this.sim, svc, s.cluster.endpointsBatchPeriod, (slice) => this.publish(slice)),
    );
    this.metrics = this.services.map((svc) => new ServiceMetrics(svc.name, s.warmup, s.duration, s.interval));
    for (let i = 0; i < s.cluster.nodes; i++) this.addNode();
    if (!followsEndpoints(policy)) {
      for (const svc of this.services) this.staticUpstreams.push(createBalancer(policy, this.streams.stream(`pick:static:${svc.name}`), this.sim));
    }
    for (const spec of s.deployments) {
      const dep = new Deployment(this.sim, this, spec, this.template(spec.name, spec.pod));
      this.deployments.set(spec.name, dep);
    }
    this.buildWorkloads();
    this.timeline = new Timeline(
      this.sim,
      this,
      s.events,
      this.streams.stream("timeline"),
      (dep, i) => this.streams.stream(`crashes:${dep}#${i}`),
    );
  }

  /** A ReplicaSet's template; its streams are named after the deployment and the ReplicaSet's number. */
  private template(deployment: string, pod: PodSpec): PodTemplate {
    const n = this.replicaSetCounter.get(deployment) ?? 0;
    this.replicaSetCounter.set(deployment, n + 1);
    const key = `${deployment}:rs${n}`;
    return {
      spec: pod,
      serviceTime: makeDistribution(pod.serviceTime),
      serviceRng: this.streams.stream(`service-time:${key}`),
      startup: makeDistribution(pod.startup),
      startupRng: this.streams.stream(`startup:${key}`),
      probeRng: this.streams.stream(`probe-phase:${key}`),
      uidRng: this.streams.stream(`pod-uid:${key}`),
    };
  }

  private buildWorkloads(): void {
    const s = this.scenario;
    const seen = new Map<string, number>();
    for (const spec of s.workload) {
      const k = seen.get(spec.service) ?? 0;
      seen.set(spec.service, k + 1);
      const tag = k === 0 ? spec.service : `${spec.service}#${k}`;
      const service = this.services.find((svc) => svc.name === spec.service)!;
      const wl = new Workload(
        this.sim,
        spec,
        service,
        spreadClients(spec.clients, s.cluster.clientWeights),
        {
          arrivals: createArrivals(spec.arrivals, this.streams.stream(`arrivals:${tag}`)),
          clients: this.streams.stream(`clients:${tag}`),
          retries: this.streams.stream(`retries:${tag}`),
          backoff: makeDistribution(spec.retries.backoff),
        },
        (client) => this.route(client, service.index),
        this.metrics[service.index],
        this.measureFrom,
        this.end,
      );
      this.workloads.push(wl);
    }
  }

  private route(client: Client, serviceIndex: number): Balancer {
    if (!followsEndpoints(this.policy)) return this.staticUpstreams[serviceIndex];
    return this.nodes[client.node].proxy.views[serviceIndex].balancer;
  }

  // --- building and running ------------------------------------------------------------------

  /** Runs the scenario: warm-up, measured window, then a drain until every measured request has ended. */
  run(): void {
    const s = this.scenario;
    for (const dep of this.deployments.values()) dep.startWarm();
    // The run starts in steady state: every controller and proxy already agrees on the endpoints.
    const slices = this.controllers.map((c) => c.syncNow());
    for (const node of this.nodes) node.proxy.start(slices);
    this.staticUpstreams.forEach((nginx, i) => nginx.update(slices[i].usable));
    for (const wl of this.workloads) wl.start();
    this.timeline.start();

    this.sim.run(this.measureFrom);
    for (const pod of this.pods) pod.startMeasuring();
    const intervals = this.metrics[0]?.series.length ?? 0;
    for (let k = 1; k < intervals; k++) this.sim.at(this.measureFrom + k * s.interval, this, TICK);
    this.sim.run(this.end);
    this.closeInterval();
    for (const pod of this.pods) pod.settle();
    this.snapshotPods();
    this.drain();
  }

  private snapshotPods(): void {
    for (const pod of this.pods) this.podWindow.set(pod, { busy: pod.busyTime, ready: pod.readyTime, received: pod.received });
  }

  /**
   * Lets the requests still in the system finish: every attempt has a finite deadline (its client
   * timeout, or the kernel's TCP limits), so this ends; a day of simulated time says a model bug.
   */
  private drain(): void {
    const limit = this.end + 86_400;
    while (this.openRequests() > 0 && this.sim.now < limit && this.sim.pending > 0) {
      this.sim.run(Math.min(limit, this.sim.now + 60));
    }
    if (this.openRequests() > 0) throw new Error(`${this.openRequests()} requests still open a day after the end: a model bug`);
  }

  private openRequests(): number {
    let open = 0;
    for (const wl of this.workloads) open += wl.open;
    return open;
  }

  onEvent(): void {
    this.closeInterval();
  }

  private closeInterval(): void {
    const i = this.tickIndex++;
    const now = this.sim.now;
    this.services.forEach((svc, s) => {
      const controller = this.controllers[s];
      const slice = controller.current;
      const loads: number[] = [];
      for (const e of slice.endpoints) if (e.ready) loads.push(e.pod.intervalReceived);
      let stale = 0;
      for (const node of this.nodes) if (node.alive && node.proxy.isStale(s, slice.generation)) stale++;
      let inFlight = 0;
      for (const wl of this.workloads) if (wl.service === svc) inFlight += wl.open;
      this.metrics[s].closeInterval(i, now, {
        readyEndpoints: slice.readyCount,
        staleNodes: stale,
        inFlight,
        maxOverMean: maxOverMean(loads),
        cv: coefficientOfVariation(loads),
        jain: jainIndex(loads),
        rolloutsInProgress: this.rolloutsInProgress,
      });
    });
    for (const pod of this.pods) pod.intervalReceived = 0;
  }

  // --- nodes -----------------------------------------------------------------------------------

  private addNode(): Node {
    const index = this.nodes.length;
    const balancers = this.services.map((svc) => createBalancer(this.policy, this.streams.stream(`pick:node-${index}:${svc.name}`), this.sim));
    const proxy = new KubeProxy(this.sim, index, this.proxyConfig, this.streams.stream(`watch:node-${index}`), balancers);
    const node = new Node(this.sim, index, proxy, this.scenario.cluster.nodeMonitorGracePeriod, this.streams.stream(`node-lifecycle:node-${index}`));
    this.nodes.push(node);
    return node;
  }

  nodeDown(index: number): void {
    const node = this.nodes[index];
    if (!node?.alive) return;
    node.fail();
    for (const wl of this.workloads) wl.nodeDown(index);
  }

  nodeUp(): void {
    const node = this.addNode();
    node.proxy.start(this.controllers.map((c) => c.current));
    // Pods that found no live node are Pending: the new node can take them.
    for (const dep of this.deployments.values()) dep.poke();
  }

  // --- pods ------------------------------------------------------------------------------------

  createPod(dep: Deployment, rs: ReplicaSet, warm: boolean): Pod | null {
    const node = this.placePod(dep.name);
    if (node === null) return null;
    const n = this.podCounter.get(dep.name) ?? 0;
    this.podCounter.set(dep.name, n + 1);
    const labels = { ...dep.spec.labels, version: rs.version };
    const pod = new Pod(this.sim, this, this.pods.length, `${dep.name}-${n}`, node.index, dep.name, rs.version, labels, rs.template);
    this.pods.push(pod);
    this.podsByName.set(pod.name, pod);
    node.pods.add(pod);
    if (warm) pod.startWarm();
    else pod.startCold();
    for (const c of this.controllers) c.podCreated(pod);
    return pod;
  }

  /** The default scheduler spreads a deployment's pods: the live node with the fewest of them, then the fewest pods; null when no node is up. */
  private placePod(deployment: string): Node | null {
    let best: Node | null = null;
    let bestMine = Infinity;
    let bestAll = Infinity;
    for (const node of this.nodes) {
      if (!node.alive) continue;
      let mine = 0;
      for (const p of node.pods) if (p.deployment === deployment) mine++;
      if (mine < bestMine || (mine === bestMine && node.pods.size < bestAll)) {
        best = node;
        bestMine = mine;
        bestAll = node.pods.size;
      }
    }
    return best;
  }

  podConditionsChanged(pod: Pod): void {
    for (const c of this.controllers) c.podChanged(pod);
    this.deployments.get(pod.deployment)!.podChanged(pod);
  }

  podGone(pod: Pod): void {
    this.nodes[pod.node].pods.delete(pod);
    this.podConditionsChanged(pod);
  }

  attemptEnded(a: Attempt, outcome: Outcome): void {
    a.client.workload.attemptEnded(a, outcome);
  }

  armTimeout(a: Attempt, finishAt: number): void {
    a.client.workload.armTimeout(a, finishAt);
  }

  /** Every watching kube-proxy learns of a new slice after its own latency. */
  private publish(slice: EndpointSlice): void {
    for (const node of this.nodes) node.proxy.notify(slice);
  }

  // --- timeline target -------------------------------------------------------------------------

  podByName(name: string): Pod | undefined {
    return this.podsByName.get(name);
  }

  podsOf(deployment: string): Pod[] {
    return this.deployments.get(deployment)?.pods ?? [];
  }

  scale(deployment: string, replicas: number): void {
    this.deployments.get(deployment)!.scale(replicas);
  }

  /** The override applies over the template current at the rollout, readiness field by field. */
  rollout(deployment: string, version: string, pod: PodOverride): void {
    const dep = this.deployments.get(deployment)!;
    const current = dep.current.template.spec;
    const spec: PodSpec = { ...current, ...pod, readiness: { ...current.readiness, ...pod.readiness } };
    dep.rollout(version, this.template(dep.name, spec));
  }

  /** Marks the series of the Services that select the deployment's pods. */
  rolloutMark(dep: Deployment, text: string, delta: number): void {
    this.rolloutsInProgress += delta;
    const labels = { ...dep.spec.labels, version: dep.current.version };
    this.services.forEach((svc, i) => {
      if (svc.selectsLabels(labels)) this.metrics[i].mark(this.sim.now, text);
    });
  }
}
