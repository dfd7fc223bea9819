/**
 * The cluster: builds the Kubernetes model of a resolved scenario for one policy and seed and wires
 * its components together: nodes with their kube-proxies and pods, the control plane's controllers,
 * the clients, the timeline. It holds no behaviour of its own beyond passing events between them.
 * Data flows one way: scenario -> this -> metrics.
 */
import { Simulation, type EventHandler } from "../engine/index.js";
import { makeDistribution } from "../random/distributions.js";
import { RandomStreams, type RandomStream } from "../random/streams.js";
import type { PodOverride, PolicyName, Scenario } from "../scenario/types.js";
import { PodDisruptionBudget } from "./api/pod-disruption-budget.js";
import { overridePodSpec, PodTemplates, type PodTemplate } from "./api/pod-template.js";
import { Service } from "./api/service.js";
import type { EndpointSlice } from "./api/endpoint-slice.js";
import { createArrivals, type ArrivalProcess } from "./clients/arrivals.js";
import type { Attempt } from "./clients/attempt.js";
import { EXTERNAL_NODE, externalClientIp, spreadClients, type Client } from "./clients/client.js";
import { LoadBalancer } from "./cloud-provider/load-balancer.js";
import { RetryPolicy } from "./clients/retry-policy.js";
import { Workload, type Router, type WorkloadRandom, type WorkloadTopology } from "./clients/workload.js";
import { DaemonSet, type DaemonSetHost, type Revision } from "./control-plane/daemonset-controller.js";
import { Deployment, type DeploymentHost } from "./control-plane/deployment-controller.js";
import { HorizontalPodAutoscaler, type AutoscalerHost } from "./control-plane/podautoscaler/horizontal.js";
import { MetricsServer } from "./addons/metrics-server.js";
import { BackgroundChurn } from "./control-plane/background-churn.js";
import { EndpointSliceController } from "./control-plane/endpointslice-controller.js";
import { NodeLifecycleController } from "./control-plane/node-lifecycle-controller.js";
import type { ReplicaSet } from "./control-plane/replicaset-controller.js";
import { PodsPerNode, schedule } from "./control-plane/scheduler.js";
import { closeInterval } from "./interval-gauges.js";
import type { AppServer } from "./app/server.js";
import { ServerRows } from "./app/server-rows.js";
import { WorkQueues } from "./app/work-queues.js";
import { cordon, Drain, type DrainHost } from "./kubectl/drain.js";
import { ServiceMetrics } from "./metrics.js";
import { Pod, type PodHost } from "./node/kubelet/pod.js";
import type { Balancer } from "./node/kube-proxy/balancer.js";
import { EndpointSliceWatch, latencyCanTie } from "./node/kube-proxy/endpoint-slice-watch.js";
import { KubeProxy, UNREAD_RULES, type ProxyConfig } from "./node/kube-proxy/kube-proxy.js";
import { Ipam } from "./node/ipam.js";
import { Node } from "./node/node.js";
import { PodNetwork } from "./node/pod-network.js";
import { createBalancer, followsEndpoints, withSessionAffinity, type BalancerContext } from "./policies.js";
import { RolloutRecord, RolloutWindow } from "./rollout-log.js";
import { Timeline, type TimelineTarget } from "./timeline.js";
import type { Outcome } from "../scenario/types.js";

export { spreadClients };

const TICK = 0;
/** The next rollout of a series of successive ones is due: payload the series. */
const NEXT_ROLLOUT = 1;

/** A rollout event's series of successive rollouts (timeline `successive`, `pause`). */
interface RolloutSeries {
  owner: string;
  version: string;
  pod: PodOverride;
  daemonSet: boolean;
  successive: number;
  pause: number;
  /** Rollouts of the series started so far. */
  done: number;
}

/**
 * The version label of rollout k (0 first) of a series: a trailing number counts up ("1", "2", ...;
 * "v2", "v3", ...), as the e2e test's VERSION does; other labels get a suffix ("blue", "blue-2", ...).
 */
export function nextVersion(version: string, k: number): string {
  if (k === 0) return version;
  const m = /^(.*?)(\d+)$/.exec(version);
  return m !== null && m[2].length < 15 ? `${m[1]}${Number(m[2]) + k}` : `${version}-${k + 1}`;
}

/*
 * What a workload reads on every request is held in class instances, not object literals: V8 builds
 * a literal's boilerplate the second time the literal runs, i.e. when the next policy of a
 * comparison builds its Cluster, and that throws away all code compiled against the literal's
 * shape in the run before ("code dependencies" deopts of the workload's and app servers' handlers).
 */

/** A workload's random streams (WorkloadRandom). */
class WorkloadStreams implements WorkloadRandom {
  constructor(
    readonly arrivals: ArrivalProcess | null,
    readonly clients: RandomStream,
    readonly think: RandomStream,
    readonly retries: RetryPolicy,
    readonly network: RandomStream,
  ) {}
}

/** What the cluster's topology does to the traffic of one Service's workload (WorkloadTopology). */
class ServiceTopology implements WorkloadTopology {
  constructor(
    private readonly cluster: Cluster,
    private readonly serviceIndex: number,
    readonly zoned: boolean,
    readonly crossZoneRoundTrip: number,
  ) {}

  drops(client: Client): boolean {
    return this.cluster.clientDrops(client, this.serviceIndex);
  }
}

export class Cluster implements PodHost, DeploymentHost, DaemonSetHost, TimelineTarget, DrainHost, AutoscalerHost, EventHandler, Router {
  readonly sim = new Simulation();
  readonly streams: RandomStreams;
  readonly nodes: Node[] = [];
  readonly services: Service[];
  readonly controllers: EndpointSliceController[];
  readonly deployments = new Map<string, Deployment>();
  readonly daemonSets = new Map<string, DaemonSet>();
  readonly budgets: PodDisruptionBudget[];
  readonly autoscalers: HorizontalPodAutoscaler[];
  /** Scrapes the pods the HPAs read; null without HPAs. */
  private readonly metricsServer: MetricsServer | null;
  /** Every kubectl drain run so far. */
  readonly drains: Drain[] = [];
  readonly workloads: Workload[] = [];
  readonly serverRows = new ServerRows();
  readonly workQueues = new WorkQueues();
  readonly metrics: ServiceMetrics[];
  /** Every pod ever created, by id. */
  readonly pods: Pod[] = [];
  /** pods[id]'s app server, by pod id: where the workloads' picks lead (see Balancer.pick). */
  private readonly servers: AppServer[] = [];
  private readonly podsByName = new Map<string, Pod>();
  private readonly podCounter = new Map<string, number>();
  private readonly templates: PodTemplates;
  private readonly proxyConfig: ProxyConfig;
  /** Every node's kube-proxy watch on the EndpointSlices. */
  private readonly sliceWatch: EndpointSliceWatch;
  private readonly backgroundChurn: BackgroundChurn;
  private readonly balancerContext: BalancerContext;
  private readonly network: PodNetwork;
  private readonly nodeLifecycle: NodeLifecycleController;
  /** The shared nginx of `static-upstream`, one per Service. */
  private readonly staticUpstreams: Balancer[] = [];
  /** Each Service's cloud load balancer (null unless it is of type LoadBalancer). */
  readonly loadBalancers: (LoadBalancer | null)[];
  /** External clients' picks of a node port, per Service (NodePort Services have no load balancer). */
  private readonly nodePortRngs: RandomStream[];
  /** Nodes' watches of their own node object (taints), one stream per node. */
  private readonly nodeWatchRngs: RandomStream[] = [];
  /** External client processes so far (their addresses are numbered). */
  private externalClients = 0;
  /** Whether the last external connection routed was DROPped by its node for want of a local endpoint. */
  private externalDrop = false;
  private readonly timeline: Timeline;
  /** Pod and client addresses, per node. */
  private readonly ipam = new Ipam();
  /** Each pod's IP, by pod id. */
  private readonly podIps: number[] = [];
  private readonly podAddress = (pod: Pod): number => this.podIps[pod.id];
  /** The zones' names, in order of first mention in cluster.zones; empty without zones. */
  readonly zoneNames: string[];
  /** Each zone-list entry's zone index. */
  private readonly zoneCycle: number[];
  readonly measureFrom: number;
  readonly end: number;
  rolloutsInProgress = 0;
  /** Every rollout so far, in start order. */
  readonly rollouts: RolloutRecord[] = [];
  /** The series each owner's rollout under way belongs to. */
  private readonly series = new Map<string, RolloutSeries>();
  private tickIndex = 0;
  /**
   * When the pending interval tick was scheduled: a proxy on a clock of its own needs it to order a
   * sync that ends at the tick's very instant as the event list would (KubeProxy.isStale). With the
   * continuous watch latencies own clocks run under, such a tie has probability zero in a run, so
   * no Cluster test meets one; own-clock.test.ts pins the rule with readers placed on syncs' ends.
   */
  private tickScheduledAt = -Infinity;
  /**
   * Per node, whether connections go through its rules (a client of a workload on it); null: every
   * node's may. The others' kube-proxies run on clocks of their own (KubeProxy.carriesTraffic).
   */
  private readonly trafficNodes: boolean[] | null;
  /**
   * Per workload, the node of each of its clients (EXTERNAL_NODE for external ones), worked out once:
   * the nodes are built knowing which of them carry traffic, and the workloads after them.
   */
  private readonly clientNodes: readonly number[][];
  /** Each owner's pods per node, for the scheduler. */
  private readonly placed = new PodsPerNode();
  /** Per-pod busy and Ready seconds over the measured window (counts keep growing while the drain finishes requests). */
  readonly podWindow = new Map<Pod, { busy: number; ready: number; received: number }>();

  constructor(
    readonly scenario: Scenario,
    readonly policy: PolicyName,
    readonly seed: number,
    /**
     * false: every kube-proxy runs on the simulation's clock, including those no connection goes
     * through (the reference the own clocks are tested against; the reports are the same).
     */
    proxyClocks = true,
  ) {
    const s = scenario;
    this.streams = new RandomStreams(seed);
    this.templates = new PodTemplates(this.streams);
    this.measureFrom = s.warmup;
    this.end = s.warmup + s.duration;
    this.proxyConfig = {
      watchLatency: makeDistribution(s.cluster.proxy.watchLatency),
      minSyncPeriod: s.cluster.proxy.minSyncPeriod,
      burstSyncs: s.cluster.proxy.burstSyncs,
      syncBase: s.cluster.proxy.syncDuration.base,
      syncPerEndpoint: s.cluster.proxy.syncDuration.perEndpoint,
      backgroundEndpoints: s.cluster.proxy.background.endpoints,
    };
    this.backgroundChurn = new BackgroundChurn(this.sim, s.cluster.proxy.background.changes, this.streams.stream("background-churn"), () => {
      for (const node of this.nodes) node.proxy.notifyBackground();
    });
    this.network = new PodNetwork(s.cluster.network);
    this.balancerContext = { streams: this.streams, clock: this.sim, powerOfTwo: s.powerOfTwo, podAddress: this.podAddress };
    this.nodeLifecycle = new NodeLifecycleController(this.sim, s.cluster.nodeMonitorGracePeriod);
    this.zoneNames = [...new Set(s.cluster.zones)];
    this.zoneCycle = s.cluster.zones.map((z) => this.zoneNames.indexOf(z));
    this.services = s.services.map((spec, i) => new Service(i, spec));
    this.sliceWatch = new EndpointSliceWatch(this.sim, this.services.length, !latencyCanTie(s.cluster.proxy.watchLatency));
    this.budgets = s.podDisruptionBudgets.map((spec) => new PodDisruptionBudget(spec));
    const zoneOf = (node: number) => this.nodes[node].zone;
    this.controllers = this.services.map(
      (svc) => new EndpointSliceController(this.sim, svc, s.cluster.endpointsBatchPeriod, (slice) => this.publish(slice), zoneOf, () => this.zoneRatios()),
    );
    this.metrics = this.services.map((svc) => new ServiceMetrics(svc.name, s.warmup, s.duration, s.interval));
    this.loadBalancers = this.services.map((svc) => this.makeLoadBalancer(svc));
    this.nodePortRngs = this.services.map((svc) => this.streams.stream(`node-port:${svc.name}`));
    if (this.zoned) for (const m of this.metrics) m.zones(this.zoneNames.length);
    this.clientNodes = s.workload.map((spec) =>
      spec.from === "external" ? new Array<number>(spec.clients.count).fill(EXTERNAL_NODE) : spreadClients(spec.clients.count, s.cluster.clientWeights),
    );
    this.trafficNodes = proxyClocks ? this.nodesCarryingTraffic() : null;
    for (let i = 0; i < s.cluster.nodes; i++) this.addNode();
    if (!followsEndpoints(policy)) {
      for (const svc of this.services) this.staticUpstreams.push(createBalancer(policy, `static:${svc.name}`, this.balancerContext));
    }
    for (const spec of s.deployments) {
      const dep = new Deployment(this.sim, this, spec, this.templates.create(spec.name, spec.pod));
      this.deployments.set(spec.name, dep);
    }
    for (const spec of s.daemonSets) {
      const template = this.templates.create(spec.name, spec.pod, "DaemonSet");
      this.daemonSets.set(spec.name, new DaemonSet(this.sim, this, spec, template, this.streams.stream(`daemonset-sync:${spec.name}`)));
    }
    const scaled = s.horizontalPodAutoscalers.map((h) => this.deployments.get(h.deployment)!);
    this.metricsServer = scaled.length === 0 ? null : new MetricsServer(this.sim, s.cluster.metricsServer.resolution, () => scaled.flatMap((d) => d.pods));
    this.autoscalers = s.horizontalPodAutoscalers.map(
      (h, i) => new HorizontalPodAutoscaler(this.sim, h, s.cluster.horizontalPodAutoscaler, scaled[i], this.metricsServer!, this),
    );
    this.buildWorkloads();
    this.timeline = new Timeline(
      this.sim,
      this,
      s.events,
      this.streams.stream("timeline"),
      (dep, i) => this.streams.stream(`crashes:${dep}#${i}`),
    );
  }

  /**
   * The nodes whose rules connections go through: those with clients of a workload (none under
   * static-upstream, whose clients send to one nginx). Clients stay on their nodes and nodes added
   * later have none. null, every node, when external traffic may enter at any node or a load
   * balancer probes every node's health servers, and when watch latencies can tie: a change then
   * reaches nodes at instants other events share, and a proxy's own clock, which orders its events
   * among themselves, would not place them among the others as the simulation does.
   */
  private nodesCarryingTraffic(): boolean[] | null {
    const s = this.scenario;
    if (latencyCanTie(s.cluster.proxy.watchLatency)) return null;
    if (this.loadBalancers.some((lb) => lb !== null) || s.workload.some((w) => w.from === "external")) return null;
    const carries = new Array<boolean>(s.cluster.nodes).fill(false);
    if (!followsEndpoints(this.policy)) return carries;
    for (const nodes of this.clientNodes) for (const node of nodes) carries[node] = true;
    return carries;
  }

  private buildWorkloads(): void {
    const s = this.scenario;
    const seen = new Map<string, number>();
    for (const [w, spec] of s.workload.entries()) {
      const k = seen.get(spec.service) ?? 0;
      seen.set(spec.service, k + 1);
      const tag = k === 0 ? spec.service : `${spec.service}#${k}`;
      const service = this.services.find((svc) => svc.name === spec.service)!;
      const external = spec.from === "external";
      const wl = new Workload(
        this.sim,
        spec,
        service,
        this.clientNodes[w],
        new WorkloadStreams(
          spec.arrivals === null ? null : createArrivals(spec.arrivals, this.streams.stream(`arrivals:${tag}`)),
          this.streams.stream(`clients:${tag}`),
          this.streams.stream(`think:${tag}`),
          new RetryPolicy(spec.retries, this.streams.stream(`retries:${tag}`)),
          this.streams.stream(`host-unreachable:${tag}`),
        ),
        this,
        new ServiceTopology(this, service.index, this.zoned, 2 * s.cluster.network.crossZoneLatency),
        this.network,
        this.servers,
        this.metrics[service.index],
        this.measureFrom,
        this.end,
      );
      // Client processes are pods of their node, started before the scenario's workloads.
      for (const client of wl.clients) {
        if (external) {
          client.ip = externalClientIp(this.externalClients++);
          continue;
        }
        client.ip = this.ipam.allocate(client.node);
        client.zone = this.nodes[client.node].zone;
      }
      this.workloads.push(wl);
    }
  }


  /**
   * Whether the rules of the client's node DROP its new connections to Service `serviceIndex`
   * (internalTrafficPolicy Local with no local endpoint); for an external client, whether the node
   * it entered at did, as `route` just found.
   */
  clientDrops(client: Client, serviceIndex: number): boolean {
    if (client.node === EXTERNAL_NODE) return this.externalDrop;
    return followsEndpoints(this.policy) && this.nodes[client.node].proxy.views[serviceIndex].drops;
  }

  /** Whether the nodes are in zones (cluster.zones). */
  get zoned(): boolean {
    return this.zoneCycle.length > 0;
  }

  /** Each zone's share of the live nodes (nodes are alike, so of their allocatable CPU); empty without zones. */
  private zoneRatios(): number[] {
    const counts = this.zoneNames.map(() => 0);
    let live = 0;
    for (const node of this.nodes) {
      if (!node.alive || node.zone < 0) continue;
      counts[node.zone]++;
      live++;
    }
    return live === 0 ? [] : counts.map((n) => n / live);
  }

  /** Where a client's new connection to Service `serviceIndex` is balanced (Router): by its node, or for an external client, by the node it enters at. */
  route(client: Client, serviceIndex: number): Balancer | null {
    return client.node === EXTERNAL_NODE ? this.routeExternal(client, serviceIndex) : this.routeInternal(client, serviceIndex);
  }

  /** A client on a node: its node's kube-proxy view, or the static nginx. */
  private routeInternal(client: Client, serviceIndex: number): Balancer {
    if (!followsEndpoints(this.policy)) return this.staticUpstreams[serviceIndex];
    return this.nodes[client.node].proxy.views[serviceIndex].picker;
  }

  /**
   * An external client's new connection: the load balancer (or, for a NodePort Service, the
   * client's own uniform pick) chooses a node, whose kube-proxy forwards it: to any endpoint under
   * externalTrafficPolicy Cluster, to its own under Local. null: nothing answers (the node is down,
   * or has no local endpoint and DROPs it while the Service has endpoints elsewhere).
   */
  private routeExternal(client: Client, serviceIndex: number): Balancer | null {
    this.externalDrop = false;
    if (!followsEndpoints(this.policy)) return this.staticUpstreams[serviceIndex];
    const lb = this.loadBalancers[serviceIndex];
    const index = lb !== null ? lb.pickNode() : this.nodePortRngs[serviceIndex].int(this.nodes.length);
    const node = this.nodes[index];
    // The connection enters the cluster at this node: its hop to the pod is what may cross zones.
    client.zone = node.zone;
    if (!node.alive) return null;
    const view = node.proxy.views[serviceIndex];
    const drops = view.external === null ? view.drops : view.externalDrops;
    if (drops) {
      this.externalDrop = true;
      return null;
    }
    return view.externalPicker ?? view.picker;
  }

  /** A LoadBalancer Service's load balancer, probing each node's kube-proxy as its traffic policy says. */
  private makeLoadBalancer(svc: Service): LoadBalancer | null {
    const spec = svc.spec.loadBalancer;
    if (spec === null) return null;
    const local = svc.spec.externalTrafficPolicy === "Local";
    const s = svc.index;
    return new LoadBalancer(
      this.sim,
      spec.healthCheck,
      (node) => (local ? this.nodes[node].proxy.serviceHealthz(s) : this.nodes[node].proxy.healthz()),
      this.streams.stream(`load-balancer:${svc.name}`),
      this.streams.stream(`load-balancer-probes:${svc.name}`),
      (node, healthy) => this.metrics[s].mark(this.sim.now, `${healthy ? "lb-healthy" : "lb-unhealthy"} node-${node}`),
    );
  }

  // --- running ---------------------------------------------------------------------------------

  /** Runs the scenario: warm-up, measured window, then a drain until every measured request has ended. */
  run(): void {
    const s = this.scenario;
    for (const dep of this.deployments.values()) dep.startWarm();
    for (const ds of this.daemonSets.values()) ds.startWarm();
    // The run starts in steady state: every controller and proxy already agrees on the endpoints.
    const slices = this.controllers.map((c) => c.syncNow());
    for (const node of this.nodes) node.proxy.start(slices);
    for (const lb of this.loadBalancers) if (lb !== null) for (const node of this.nodes) lb.addTarget(node.index, true);
    this.staticUpstreams.forEach((nginx, i) => nginx.update(slices[i].usable));
    for (const wl of this.workloads) wl.start();
    this.backgroundChurn.start();
    this.timeline.start();
    // Neither metrics-server's scrapes nor the HPA controller's syncs are aligned to the run's start;
    // both stop at its end, so the drain that follows changes no pod.
    this.metricsServer?.start(this.streams.stream("metrics-server").random() * s.cluster.metricsServer.resolution, this.end);
    for (const hpa of this.autoscalers) hpa.start(this.streams.stream(`hpa:${hpa.spec.name}`).random() * s.cluster.horizontalPodAutoscaler.syncPeriod, this.end);

    this.sim.run(this.measureFrom);
    for (const pod of this.pods) pod.startMeasuring();
    // One tick pending at a time (not one per interval): the event list stays small however fine the intervals.
    if (this.intervals > 1) this.scheduleTick(this.measureFrom + s.interval);
    this.sim.run(this.end);
    // Read after every event before the end and none at it.
    closeInterval(this, this.tickIndex++, -Infinity);
    for (const pod of this.pods) pod.settle();
    this.snapshotPods();
    this.drain();
    for (const m of this.metrics) if (!m.complete) throw new Error(`${m.serviceName}: intervals left open after the drain: a model bug`);
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

  /** An interval of the measured window ends, and the next one's end is scheduled; or a series' next rollout is due. */
  onEvent(_sim: Simulation, kind: number, payload: unknown): void {
    if (kind === NEXT_ROLLOUT) {
      this.rolloutNext(payload as RolloutSeries);
      return;
    }
    closeInterval(this, this.tickIndex++, this.tickScheduledAt);
    if (this.tickIndex + 1 < this.intervals) this.scheduleTick(this.measureFrom + (this.tickIndex + 1) * this.scenario.interval);
  }

  private scheduleTick(at: number): void {
    this.tickScheduledAt = this.sim.now;
    this.sim.at(at, this, TICK);
  }

  private get intervals(): number {
    return this.metrics[0]?.intervals ?? 0;
  }

  // --- nodes -----------------------------------------------------------------------------------

  /** Node i is in zones[i mod zones.length] (nodes added later too). */
  private addNode(): Node {
    const index = this.nodes.length;
    const zone = this.zoned ? this.zoneCycle[index % this.zoneCycle.length] : -1;
    const carriesTraffic = this.trafficNodes === null || this.trafficNodes[index] === true;
    // Rules no connection reads are not built (their streams would be drawn from by nothing).
    const balancer = (svc: Service, scope: string) =>
      carriesTraffic ? withSessionAffinity(createBalancer(this.policy, scope, this.balancerContext), svc, this.policy, this.sim) : UNREAD_RULES;
    const balancers = this.services.map((svc) => balancer(svc, `node-${index}:${svc.name}`));
    // A Service whose external traffic has another policy than its internal traffic gets a second set of rules.
    const externals = this.services.map((svc) => (svc.externalRulesDiffer ? balancer(svc, `node-${index}:${svc.name}:external`) : null));
    const proxy = new KubeProxy(
      this.sim,
      index,
      this.proxyConfig,
      this.streams.stream(`watch:node-${index}`),
      balancers,
      this.streams.stream(`watch-background:node-${index}`),
      zone,
      externals,
      carriesTraffic,
    );
    this.sliceWatch.subscribe(proxy);
    const node = new Node(index, proxy, this.streams.stream(`node-lifecycle:node-${index}`), zone, this.placed);
    this.nodes.push(node);
    return node;
  }

  nodeDown(index: number): void {
    const node = this.nodes[index];
    if (!node?.alive) return;
    node.fail();
    this.nodeLifecycle.nodeFailed(node);
    for (const wl of this.workloads) wl.nodeDown(index);
  }

  nodeUp(): void {
    const node = this.addNode();
    node.proxy.start(this.controllers.map((c) => c.current));
    for (const lb of this.loadBalancers) lb?.addTarget(node.index, false);
    // Pods that found no live node are Pending: the new node can take them.
    for (const dep of this.deployments.values()) dep.poke();
    for (const ds of this.daemonSets.values()) ds.poke();
  }

  // --- pods ------------------------------------------------------------------------------------

  createPod(dep: Deployment, rs: ReplicaSet, warm: boolean): Pod | null {
    const node = schedule(this.nodes, dep.name, this.placed);
    return node === null ? null : this.startPod(dep.name, dep.spec.labels, node, rs, warm);
  }

  /** DaemonSet pods skip the scheduler: each is made for its node. */
  createDaemonPod(ds: DaemonSet, node: Node, revision: Revision, warm: boolean): Pod {
    return this.startPod(ds.name, ds.spec.labels, node, revision, warm);
  }

  /** Makes a pod `<owner>-<n>` of a template on `node` and starts it. */
  private startPod(owner: string, ownerLabels: Readonly<Record<string, string>>, node: Node, rs: { version: string; template: PodTemplate }, warm: boolean): Pod {
    const n = this.podCounter.get(owner) ?? 0;
    this.podCounter.set(owner, n + 1);
    const labels = { ...ownerLabels, version: rs.version };
    const pod = new Pod(this.sim, this, this.pods.length, `${owner}-${n}`, node.index, owner, rs.version, labels, rs.template, this.scenario.cluster.kubelet);
    this.pods.push(pod);
    this.servers.push(pod.server);
    this.podIps[pod.id] = this.ipam.allocate(node.index);
    pod.zone = node.zone;
    this.podsByName.set(pod.name, pod);
    node.addPod(pod);
    if (warm) pod.startWarm();
    else pod.startCold();
    for (const c of this.controllers) c.podCreated(pod);
    return pod;
  }

  podConditionsChanged(pod: Pod): void {
    for (const c of this.controllers) c.podChanged(pod);
    (this.deployments.get(pod.deployment) ?? this.daemonSets.get(pod.deployment))!.podChanged(pod);
  }

  podGone(pod: Pod): void {
    this.nodes[pod.node].removePod(pod);
    this.ipam.release(pod.node, this.podIps[pod.id]);
    this.podConditionsChanged(pod);
  }

  attemptEnded(a: Attempt, outcome: Outcome): void {
    a.client.workload.deliver(a, outcome);
  }

  armTimeout(a: Attempt, finishAt: number): void {
    a.client.workload.armTimeout(a, finishAt);
  }

  attemptReleased(a: Attempt): void {
    a.client.workload.appReleased(a);
  }

  /** Every watching kube-proxy learns of a new slice after its own latency. */
  private publish(slice: EndpointSlice): void {
    this.sliceWatch.publish(slice);
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

  /**
   * The override applies over the template current at the rollout, each probe field by field.
   * With `successive` > 1, the owner is rolled again `pause` after each rollout completes, with
   * versions <version>-2, <version>-3, ...
   */
  rollout(owner: string, version: string, pod: PodOverride, daemonSet: boolean, successive = 1, pause = 0): void {
    this.rolloutNext({ owner, version, pod, daemonSet, successive, pause, done: 0 });
  }

  private rolloutNext(series: RolloutSeries): void {
    const { owner, daemonSet } = series;
    const target = daemonSet ? this.daemonSets.get(owner)! : this.deployments.get(owner)!;
    const version = nextVersion(series.version, series.done);
    series.done++;
    this.series.set(owner, series);
    this.logRollout(owner, version, target.spec.labels, series.done < series.successive ? series.pause : 0);
    const spec = overridePodSpec(target.current.template.spec, series.pod);
    target.rollout(version, this.templates.create(owner, spec, daemonSet ? "DaemonSet" : "ReplicaSet"));
  }

  /** Opens a rollout's record, with a window on the requests of every Service that selects its pods. */
  private logRollout(owner: string, version: string, labels: Readonly<Record<string, string>>, tail: number): void {
    const number = this.rollouts.filter((r) => r.owner === owner).length + 1;
    const record = new RolloutRecord(owner, version, number, this.sim.now, tail);
    this.rollouts.push(record);
    const podLabels = { ...labels, version };
    this.services.forEach((svc, i) => {
      if (!svc.selectsLabels(podLabels)) return;
      const w = new RolloutWindow(record, i, this.sim.now);
      record.windows.push(w);
      this.metrics[i].rolloutWindows.push(w);
    });
  }

  /** Marks the series of the Services that select the deployment's pods; a completed rollout closes its records and may start the next of its series. */
  rolloutMark(dep: Deployment | DaemonSet, text: string, delta: number): void {
    this.rolloutsInProgress += delta;
    this.markServices(text, { ...dep.spec.labels, version: dep.current.version });
    if (delta >= 0) return;
    for (const r of this.rollouts) if (r.owner === dep.name && r.completedAt < 0) r.complete(this.sim.now);
    const series = this.series.get(dep.name);
    if (series !== undefined && series.done < series.successive) this.sim.at(this.sim.now + series.pause, this, NEXT_ROLLOUT, series);
  }

  autoscalerMark(dep: Deployment, text: string): void {
    this.markServices(text, { ...dep.spec.labels, version: dep.current.version });
  }

  cordon(node: number, unschedulable: boolean): void {
    const n = this.nodes[node];
    cordon(n, this, unschedulable);
    // Pods Pending for want of a schedulable node may go there now.
    if (!unschedulable) for (const dep of this.deployments.values()) dep.poke();
  }

  /**
   * The cluster autoscaler's ToBeDeletedByClusterAutoscaler taint goes on (or off) node `node`; its
   * kube-proxy sees the node change after its watch latency and fails /healthz (KEP-3836, gate
   * KubeProxyDrainingTerminatingNodes; without it kube-proxy ignores the taint).
   */
  taint(node: number, on: boolean): void {
    const n = this.nodes[node];
    n.toBeDeleted = on;
    if (!n.alive || !this.scenario.cluster.featureGates.KubeProxyDrainingTerminatingNodes) return;
    const rng = (this.nodeWatchRngs[node] ??= this.streams.stream(`node-watch:node-${node}`));
    n.proxy.nodeChanged(!on, this.proxyConfig.watchLatency.sample(rng));
  }

  drainNode(node: number, timeout: number, disableEviction: boolean): void {
    const d = new Drain(this.sim, this, this.nodes[node], timeout, disableEviction);
    this.drains.push(d);
    d.start();
  }

  // --- kubectl, the Eviction API and the disruption controller ----------------------------------

  /** kubectl drain --ignore-daemonsets: DaemonSet pods stay. */
  drainablePods(node: Node): Pod[] {
    return [...node.pods].filter((p) => p.template.owner !== "DaemonSet");
  }

  deletePod(pod: Pod): void {
    pod.terminate();
  }

  podsMatching(pdb: PodDisruptionBudget): Pod[] {
    const pods: Pod[] = [];
    for (const dep of this.deployments.values()) for (const pod of dep.pods) if (pdb.selects(pod)) pods.push(pod);
    for (const ds of this.daemonSets.values()) for (const pod of ds.pods) if (pdb.selects(pod)) pods.push(pod);
    return pods;
  }

  /** A DaemonSet has no scale subresource. */
  scaleOf(pod: Pod): { controller: string; replicas: number } | null {
    const dep = this.deployments.get(pod.deployment);
    return dep === undefined ? null : { controller: `deployment/${dep.name}`, replicas: dep.replicas };
  }

  mark(text: string, pod?: Pod): void {
    this.markServices(text, pod?.labels);
  }

  /** Notes `text` in the series of the Services selecting `labels`, or of every Service. */
  private markServices(text: string, labels?: Readonly<Record<string, string>>): void {
    this.services.forEach((svc, i) => {
      if (labels === undefined || svc.selectsLabels(labels)) this.metrics[i].mark(this.sim.now, text);
    });
  }
}
