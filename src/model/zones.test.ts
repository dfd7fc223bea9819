/**
 * Zones and topology through the whole model: nodes placed in zones, trafficDistribution's hints
 * keeping traffic in its zone (and the fallback of a zone without endpoints), internalTrafficPolicy
 * Local's drops, and the latency of crossing zones.
 */
import { describe, expect, it } from "vitest";
import { runCluster, scenarioFrom } from "./test-support.js";

/** 6 nodes in 3 zones, `replicas` pods, 600 requests/s from clients on every node. */
function zoned(opts: { service?: string; replicas?: number; zones?: string; version?: string } = {}) {
  return scenarioFrom(`
duration: 60s
warmup: 5s
cluster: { nodes: 6, zones: ${opts.zones ?? "[a, b, c]"}, kubernetesVersion: "${opts.version ?? "1.33"}" }
services: [{ name: web, selector: { app: web }${opts.service ? `, ${opts.service}` : ""} }]
deployments:
  - name: web
    replicas: ${opts.replicas ?? 6}
    labels: { app: web }
    pod: { concurrency: 8, queueLimit: 1000, serviceTime: 10ms }
workload: [{ service: web, arrivals: { type: poisson, rate: 600 }, timeout: 2s, clients: 12 }]
`);
}

describe("zones", () => {
  it("spreads nodes over the zones round-robin, or places each node by its own entry", () => {
    expect(runCluster(zoned()).nodes.map((n) => n.zone)).toEqual([0, 1, 2, 0, 1, 2]);
    const listed = runCluster(zoned({ zones: "[b, b, a, a, c, c]" }));
    expect(listed.nodes.map((n) => n.zone)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(listed.zoneNames).toEqual(["b", "a", "c"]);
  });

  it("schedules a deployment's pods over the zones before the nodes", () => {
    const c = runCluster(zoned({ zones: "[a, a, b, b, c, c]", replicas: 3 }));
    expect(c.pods.map((p) => p.zone).sort()).toEqual([0, 1, 2]);
  });

  it("without a trafficDistribution, sends each zone's traffic everywhere (2/3 leaves with 3 even zones)", () => {
    const m = runCluster(zoned()).metrics[0];
    const share = m.crossZoneAttempts / m.routedAttempts;
    expect(share).toBeGreaterThan(0.64);
    expect(share).toBeLessThan(0.69);
  });

  it("PreferClose keeps all the traffic in its zone when every zone has endpoints", () => {
    const m = runCluster(zoned({ service: "trafficDistribution: PreferClose" })).metrics[0];
    expect(m.routedAttempts).toBeGreaterThan(30000);
    expect(m.crossZoneAttempts).toBe(0);
    for (let z = 0; z < 3; z++) expect(m.zoneReceived[z]).toBe(m.zoneSent[z]);
  });

  it("PreferClose falls back to every endpoint in a zone without one, and only there", () => {
    // 2 pods on nodes 0 and 1 (zones a and b); zone c's nodes 2 and 5 have none.
    const c = runCluster(zoned({ service: "trafficDistribution: PreferClose", replicas: 2 }));
    const m = c.metrics[0];
    expect(m.zoneSentAway[0]).toBe(0);
    expect(m.zoneSentAway[1]).toBe(0);
    expect(m.zoneSentAway[2]).toBe(m.zoneSent[2]);
    // Zone c's clients (a third of them) spread evenly over a and b.
    const share = m.crossZoneAttempts / m.routedAttempts;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.37);
    const extra = (m.zoneReceived[0] - m.zoneSent[0]) / m.zoneSent[2];
    expect(extra).toBeGreaterThan(0.45);
    expect(extra).toBeLessThan(0.55);
  });

  it("PreferSameNode keeps traffic on the node, then in the zone, then anywhere", () => {
    // Pods on nodes 0, 1, 2 (one per zone): nodes 3-5 have none and use their zone's.
    const c = runCluster(zoned({ service: "trafficDistribution: PreferSameNode", replicas: 3, version: "1.34" }));
    const m = c.metrics[0];
    expect(m.crossZoneAttempts).toBe(0);
    for (const pod of c.pods) {
      const own = c.workloads[0].clients.filter((cl) => cl.node === pod.node).length;
      expect(own).toBe(2);
    }
    // Every pod gets its own node's clients and those of the node without pods in its zone: all alike.
    const received = c.pods.map((p) => p.received);
    const mean = received.reduce((a, b) => a + b, 0) / received.length;
    for (const r of received) expect(Math.abs(r - mean) / mean).toBeLessThan(0.05);
  });

  it("topology-mode Auto hints in proportion to the zones' nodes: even load where PreferClose piles it up", () => {
    // 4 nodes in zone a, 1 each in b and c; 2 pods per zone; clients alike on every node (2/3 in zone a).
    const zones = "[a, a, b, c, a, a]";
    const auto = runCluster(zoned({ service: "topologyMode: Auto", zones })).metrics[0];
    // Zone a is due 4 endpoints: b and c each hint one of theirs for it, so half of zone a's requests cross.
    const share = auto.crossZoneAttempts / auto.routedAttempts;
    expect(share).toBeGreaterThan(0.31);
    expect(share).toBeLessThan(0.36);
    const c = runCluster(zoned({ service: "topologyMode: Auto", zones }));
    const received = c.pods.map((p) => p.received);
    const mean = received.reduce((a, b) => a + b, 0) / received.length;
    for (const r of received) expect(Math.abs(r - mean) / mean).toBeLessThan(0.06);
    // PreferClose keeps zone a's two thirds on its own two pods: twice the mean each.
    const close = runCluster(zoned({ service: "trafficDistribution: PreferClose", zones }));
    const busiest = Math.max(...close.pods.map((p) => p.received));
    expect(busiest / mean).toBeGreaterThan(1.9);
  });

  it("topology-mode Auto gives no hints when a zone's share would overload its endpoints", () => {
    // 4 pods over 3 even zones: each zone needs at least 2 (4/3 / 1.2, rounded up), 6 > 4.
    const m = runCluster(zoned({ service: "topologyMode: Auto", replicas: 4 })).metrics[0];
    const share = m.crossZoneAttempts / m.routedAttempts;
    expect(share).toBeGreaterThan(0.6);
    const even = runCluster(zoned({ service: "topologyMode: Auto" })).metrics[0];
    expect(even.crossZoneAttempts).toBe(0);
  });

  it("adds the round trips between zones to the latency: two on a new connection", () => {
    const s = zoned();
    s.cluster.network.crossZoneLatency = 0.005;
    const c = runCluster(s);
    const m = c.metrics[0];
    const crossShare = m.crossZoneAttempts / m.routedAttempts;
    // Service time 10 ms; a crossing adds 2 round trips of 10 ms.
    expect(m.latency.mean).toBeCloseTo(0.01 + crossShare * 0.02, 3);
  });
});

describe("internalTrafficPolicy: Local", () => {
  const local = (replicas: number) =>
    scenarioFrom(`
duration: 60s
warmup: 5s
cluster: { nodes: 3 }
services: [{ name: web, selector: { app: web }, internalTrafficPolicy: Local }]
deployments:
  - name: web
    replicas: ${replicas}
    labels: { app: web }
    pod: { concurrency: 8, queueLimit: 1000, serviceTime: 10ms }
workload: [{ service: web, arrivals: { type: poisson, rate: 300 }, timeout: 2s, clients: 3 }]
`);

  it("sends each client to its own node's pods only", () => {
    const c = runCluster(local(3));
    const m = c.metrics[0];
    expect(m.outcomes[0]).toBe(m.arrivals);
    // One client per node, one pod per node: each pod serves exactly its node's client.
    for (const pod of c.pods) expect(pod.node).toBe(c.pods.indexOf(pod));
    expect(m.noLocalEndpointDrops).toBe(0);
  });

  it("drops the requests of a node without a local endpoint: no answer, so the client times out", () => {
    const c = runCluster(local(2));
    const m = c.metrics[0];
    const dropped = m.arrivals - m.outcomes[0];
    // Node 2's client sends about a third of the requests; every one is DROPped.
    expect(dropped / m.arrivals).toBeGreaterThan(0.3);
    expect(dropped / m.arrivals).toBeLessThan(0.37);
    expect(m.noLocalEndpointDrops).toBe(dropped);
    expect(m.outcomes[4]).toBe(dropped); // timeout: the 2 s client timeout comes before the 127 s connect timeout
    expect(m.outcomes[5]).toBe(0); // not no-endpoints: the rules DROP, they do not REJECT
  });
});
