/**
 * External traffic: the load balancer's health-check thresholds and timeout decide when a node
 * leaves and rejoins rotation (kube-proxy's /healthz for Cluster, failing on a ToBeDeleted taint:
 * KEP-3836; the healthCheckNodePort for Local); a node without a local endpoint DROPs Local
 * traffic; a drain costs a Local Service what reaches the node until the check notices.
 */
import { describe, expect, it } from "vitest";
import { Cluster } from "../cluster.js";
import { scenarioFrom } from "../test-support.js";
import type { LoadBalancer } from "./load-balancer.js";

const scenario = (service: string, events: string, extra = "") =>
  scenarioFrom(`
duration: 150s
warmup: 10s
cluster: { nodes: 4, proxy: { watchLatency: 0s } }
services: [{ name: web, selector: { app: web }, ${service} }]
deployments:
  - name: web
    replicas: 4
    labels: { app: web }
    pod: { serviceTime: 5ms, startup: 2s, readiness: { period: 1s } }
workload: [{ service: web, from: external, arrivals: { type: poisson, rate: 100 }, timeout: 5s }]
events: [${events}]
${extra}
`);

/** Runs the scenario, logging each health change of the first Service's load balancer as [time, node, healthy]. */
function run(s: ReturnType<typeof scenarioFrom>): { c: Cluster; lb: LoadBalancer; log: [number, number, boolean][] } {
  const c = new Cluster(s, "random", s.seed);
  const lb = c.loadBalancers[0]!;
  const log: [number, number, boolean][] = [];
  const setHealth = lb.setHealth.bind(lb);
  lb.setHealth = (t, healthy) => {
    setHealth(t, healthy);
    log.push([c.sim.now, t.node, healthy]);
  };
  c.run();
  return { c, lb, log };
}

describe("the load balancer's health check", () => {
  it("takes a tainted node out after unhealthyThreshold failed probes of /healthz, and back after healthyThreshold passes", () => {
    const events = "{ at: 40s, action: taint, node: 1 }, { at: 100s, action: untaint, node: 1 }";
    // GCE's defaults: every 8 s, 3 failures out, 1 pass in.
    const gce = run(scenario("type: LoadBalancer", events));
    expect(gce.log.map(([, n, h]) => [n, h])).toEqual([
      [1, false],
      [1, true],
    ]);
    const [[out], [back]] = gce.log;
    expect(out).toBeGreaterThan(40 + 2 * 8);
    expect(out).toBeLessThanOrEqual(40 + 3 * 8);
    expect(back).toBeGreaterThan(100);
    expect(back).toBeLessThanOrEqual(100 + 8);

    const fast = run(scenario("type: LoadBalancer, loadBalancer: { healthCheck: { interval: 2s, unhealthyThreshold: 5, healthyThreshold: 2 } }", events));
    const [[out2], [back2]] = fast.log;
    expect(out2).toBeGreaterThan(40 + 4 * 2);
    expect(out2).toBeLessThanOrEqual(40 + 5 * 2);
    expect(back2).toBeGreaterThan(100 + 2);
    expect(back2).toBeLessThanOrEqual(100 + 2 * 2);
    // Nothing is lost: the tainted node still forwards what reaches it until it is out.
    expect(fast.c.metrics[0].arrivals - fast.c.metrics[0].outcomes[0]).toBe(0);
  });

  it("ignores the taint on v1.29, where KEP-3836's gate KubeProxyDrainingTerminatingNodes is alpha and off", () => {
    const events = "{ at: 40s, action: taint, node: 1 }";
    expect(run(scenario("type: LoadBalancer", events, "")).log).toHaveLength(1);
    const old = scenario("type: LoadBalancer", events);
    old.cluster.kubernetesVersion = "1.29";
    old.cluster.featureGates.KubeProxyDrainingTerminatingNodes = false;
    expect(run(old).log).toEqual([]);
    expect(scenarioFrom(`
cluster: { kubernetesVersion: '1.29' }
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, labels: { app: web } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 1 } }]
`).cluster.featureGates.KubeProxyDrainingTerminatingNodes).toBe(false);
  });

  it("sends no new connection to a node while it is out of rotation", () => {
    const s = scenario("type: LoadBalancer", "{ at: 40s, action: taint, node: 1 }, { at: 100s, action: untaint, node: 1 }");
    const c = new Cluster(s, "random", s.seed);
    const lb = c.loadBalancers[0]!;
    const sentAt: number[] = [];
    const setHealth = lb.setHealth.bind(lb);
    lb.setHealth = (t, healthy) => {
      setHealth(t, healthy);
      sentAt.push(lb.sent[1]);
    };
    c.run();
    expect(sentAt).toHaveLength(2);
    expect(sentAt[1]).toBe(sentAt[0]);
    expect(lb.sent[1]).toBeGreaterThan(sentAt[1]);
  });

  it("times out on a node that is down: out after unhealthyThreshold probes, the last one's timeout included", () => {
    const s = scenario("type: LoadBalancer, loadBalancer: { healthCheck: { timeout: 3s } }", "{ at: 40s, action: node-down, node: 2 }");
    const c = new Cluster(s, "random", s.seed);
    const lb = c.loadBalancers[0]!;
    const log: [number, number][] = [];
    const setHealth = lb.setHealth.bind(lb);
    lb.setHealth = (t, healthy) => {
      setHealth(t, healthy);
      log.push([c.sim.now, t.node]);
    };
    let sentAtDown = 0;
    c.sim.at(40, { onEvent: () => (sentAtDown = lb.sent[2]) });
    c.run();
    expect(log).toHaveLength(1);
    const [[out, node]] = log;
    expect(node).toBe(2);
    expect(out).toBeGreaterThan(40 + 2 * 8 + 3);
    expect(out).toBeLessThanOrEqual(40 + 3 * 8 + 3);
    // Until then the load balancer sends the dead node its quarter, into SYNs nothing answers; none after.
    const toDead = lb.sent[2] - sentAtDown;
    expect(toDead).toBeGreaterThan(0.7 * 25 * (out - 40));
    expect(toDead).toBeLessThan(1.3 * 25 * (out - 40));
    const m = c.metrics[0];
    expect(m.outcomes[4] + m.outcomes[6]).toBeGreaterThanOrEqual(toDead);
  });

  it("with Local, fails a node whose only pod is terminating, while kube-proxy still sends it what arrives (KEP-1669)", () => {
    // The pod keeps serving 30 s after SIGTERM: the check fails within 24 s, before the pod stops accepting.
    const s = scenario("type: LoadBalancer, externalTrafficPolicy: Local", "{ at: 40s, action: drain, node: 3 }");
    s.deployments[0].pod.drainDelay = 30;
    s.deployments[0].pod.terminationGracePeriod = 40;
    const { log, c } = run(s);
    const out = log.find(([, n, h]) => n === 3 && !h)?.[0];
    expect(out).toBeGreaterThan(40 + 16);
    expect(out).toBeLessThanOrEqual(40 + 24);
    expect(c.metrics[0].arrivals - c.metrics[0].outcomes[0]).toBe(0);
  });
});

describe("external traffic policy", () => {
  it("Local: a node without a local endpoint DROPs what reaches its node port; Cluster forwards it to another node's pod", () => {
    const nodePort = (policy: string) => {
      const s = scenario(`type: NodePort, externalTrafficPolicy: ${policy}`, "");
      s.deployments[0].replicas = 1;
      const c = new Cluster(s, "random", s.seed);
      c.run();
      return c.metrics[0];
    };
    const local = nodePort("Local");
    // Clients spread over the 4 node ports; 3 nodes have no endpoint: their SYNs go unanswered until the 5 s timeout.
    const share = (local.arrivals - local.outcomes[0]) / local.arrivals;
    expect(share).toBeGreaterThan(0.7);
    expect(share).toBeLessThan(0.8);
    expect(local.outcomes[4]).toBe(local.arrivals - local.outcomes[0]);
    const cluster = nodePort("Cluster");
    expect(cluster.outcomes[0]).toBe(cluster.arrivals);
  });

  it("a drain costs Local about the rate sent to the drained node from its pod's exit until the check takes the node out; Cluster almost nothing", () => {
    const drain = (policy: string) => run(scenario(`type: LoadBalancer, externalTrafficPolicy: ${policy}`, "{ at: 40s, action: drain, node: 1 }"));
    const local = drain("Local");
    const cluster = drain("Cluster");
    const dropped = (c: Cluster) => c.metrics[0].arrivals - c.metrics[0].outcomes[0];
    const out = local.log.find(([, n, h]) => n === 1 && !h)![0];
    const gone = local.c.pods.find((p) => p.name === "web-1")!.goneAt;
    // 4 healthy nodes share 100 requests/s until node 1 is out.
    const expected = (100 / 4) * (out - gone);
    expect(dropped(local.c)).toBeGreaterThan(0.7 * expected);
    expect(dropped(local.c)).toBeLessThan(1.3 * expected);
    expect(dropped(cluster.c)).toBeLessThan(dropped(local.c) / 10);
    // A drain does not touch kube-proxy's /healthz: the Cluster load balancer keeps node 1.
    expect(cluster.log).toEqual([]);
  });
});
