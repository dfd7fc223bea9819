/**
 * kube-proxy's rule rewrites: a token bucket at 1/minSyncPeriod with burst 2 (BoundedFrequencyRunner),
 * changes merged while waiting, watch deliveries kept in order whatever the latency draws; rewrites
 * that take time, with `lastRun` at their end; other Services' changes spending the tokens.
 */
import { describe, expect, it } from "vitest";
import { Simulation, type EventHandler } from "../../../engine/index.js";
import { makeDistribution, type Distribution } from "../../../random/distributions.js";
import { RandomStreams } from "../../../random/index.js";
import { NO_POD, type Balancer } from "./balancer.js";
import { EndpointSlice } from "../../api/endpoint-slice.js";
import { KubeProxy } from "./kube-proxy.js";
import type { Pod } from "../kubelet/pod.js";
import { PLAIN_SERVICE, Service } from "../../api/service.js";

class RecordingBalancer implements Balancer {
  updates: Array<[number, number]> = [];
  constructor(private readonly sim: Simulation) {}
  update(endpoints: readonly Pod[]): void {
    this.updates.push([this.sim.now, endpoints.length]);
  }
  pick(): number {
    return NO_POD;
  }
  opened(): void {}
  closed(): void {}
  readonly nextUpstreamTries = 0;
}

const service = new Service(0, { name: "web", selector: { app: "web" }, allowEmpty: false, ...PLAIN_SERVICE });
const slice = (generation: number, ready: number) =>
  new EndpointSlice(
    service,
    generation,
    Array.from({ length: ready }, (_, i) => ({ pod: { id: i } as Pod, ready: true, serving: true, terminating: false })),
  );

interface Busy {
  syncBase?: number;
  syncPerEndpoint?: number;
  backgroundEndpoints?: number;
}

/** Watch latencies drawn in the order given (then the last one again). */
function scripted(latencies: number[]): Distribution {
  let i = 0;
  return { sample: () => latencies[Math.min(i++, latencies.length - 1)], mean: NaN, variance: NaN, spec: { type: "constant", value: 0 } as never };
}

function setup(latency: unknown, minSyncPeriod: number, burstSyncs = 2, busy: Busy = {}) {
  const sim = new Simulation();
  const balancer = new RecordingBalancer(sim);
  const streams = new RandomStreams(1);
  const proxy = new KubeProxy(
    sim,
    0,
    { watchLatency: typeof (latency as Distribution).sample === "function" ? (latency as Distribution) : makeDistribution(latency as never), minSyncPeriod, burstSyncs, syncBase: 0, syncPerEndpoint: 0, backgroundEndpoints: 0, ...busy },
    streams.stream("watch"),
    [balancer],
    streams.stream("watch-background"),
  );
  proxy.start([slice(0, 0)]);
  return { sim, balancer, proxy };
}

/** Publishes slice g (with g endpoints) at each of `times`. */
function publishAt(sim: Simulation, proxy: KubeProxy, times: number[]): void {
  const h: EventHandler = { onEvent: (_s, _k, p) => proxy.notify(slice(p as number, p as number)) };
  times.forEach((t, i) => sim.at(t, h, 0, i + 1));
}

describe("KubeProxy", () => {
  it("rewrites at once while tokens last (burst 2), then at most once per minSyncPeriod, merging changes", () => {
    const { sim, balancer, proxy } = setup({ type: "constant", value: 0 }, 1);
    publishAt(sim, proxy, [10, 10.1, 10.2, 10.3, 10.4, 12.5]);
    sim.run(20);
    const [, ...updates] = balancer.updates; // the first is the start
    expect(updates).toEqual([
      [10, 1],
      [10.1, 2],
      // no token until 11.1 (each refills at 1/s); 10.2, 10.3 and 10.4 merge into one run
      [expect.closeTo(11.1, 9), 5],
      [12.5, 6],
    ]);
    expect(proxy.isStale(0, 6)).toBe(false);
  });

  it("with burstSyncs 1 (kube-proxy v1.34+), waits minSyncPeriod after every rewrite", () => {
    const { sim, balancer, proxy } = setup({ type: "constant", value: 0 }, 1, 1);
    publishAt(sim, proxy, [10, 10.1, 10.2, 12.5]);
    sim.run(20);
    const [, ...updates] = balancer.updates;
    expect(updates).toEqual([
      [10, 1],
      [11, 3],
      [12.5, 4],
    ]);
  });

  it("applies changes in the order they were made whatever each delivery's latency", () => {
    const { sim, balancer, proxy } = setup({ type: "uniform", min: 0, max: 3 }, 0);
    publishAt(sim, proxy, [1, 1.01, 1.02, 1.03, 1.04, 1.05]);
    sim.run(10);
    const sizes = balancer.updates.map((u) => u[1]);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(sizes[sizes.length - 1]).toBe(6);
  });

  it("writes the rules at the end of a rewrite that takes time; lastRun is then, and changes that come meanwhile wait for it", () => {
    const { sim, balancer, proxy } = setup({ type: "constant", value: 0 }, 1, 2, { syncBase: 0.5 });
    publishAt(sim, proxy, [10, 10.1, 10.2, 11.05]);
    sim.run(20);
    const [, ...updates] = balancer.updates;
    expect(updates).toEqual([
      [10.5, 1],
      // 10.1 and 10.2 came during the first write: one more run once it is done (a token is left).
      [11, 3],
      [expect.closeTo(11.55, 9), 4],
    ]);
  });

  it("without a token, rewrites minSyncPeriod after the end of the last write, not its start", () => {
    const { sim, balancer, proxy } = setup({ type: "constant", value: 0 }, 1, 1, { syncBase: 0.5 });
    publishAt(sim, proxy, [10, 10.6]);
    sim.run(20);
    const [, ...updates] = balancer.updates;
    expect(updates).toEqual([
      [10.5, 1],
      [12, 2], // started at 11.5 = 10.5 + minSyncPeriod
    ]);
  });

  it("takes longer to rewrite more rules: base + perEndpoint x (background + own endpoints)", () => {
    const { sim, balancer, proxy } = setup({ type: "constant", value: 0 }, 0, 2, { syncBase: 0.1, syncPerEndpoint: 0.001, backgroundEndpoints: 400 });
    publishAt(sim, proxy, [10]);
    sim.run(20);
    // Slice 1 holds 1 endpoint: 0.1 + 0.001 x 401.
    expect(balancer.updates[1][0]).toBeCloseTo(10 + 0.1 + 0.401, 9);
  });

  it("spends its tokens on other Services' changes too, so the scenario's change waits for the next one", () => {
    const { sim, balancer, proxy } = setup({ type: "constant", value: 0 }, 1, 2);
    const churn: EventHandler = { onEvent: () => proxy.notifyBackground() };
    sim.at(9.8, churn);
    sim.at(9.9, churn);
    publishAt(sim, proxy, [10]);
    sim.run(20);
    // Two background syncs took both tokens at 9.8 and 9.9; the next run is 1 s after the last.
    expect(balancer.updates[1][0]).toBeCloseTo(10.9, 9);
  });

  it("delivers the changes a lagging watch held back at one instant in one event, holding only the newest, written in one rewrite", () => {
    // The first change takes 5 s to reach the node; the next five, made meanwhile, queue behind it.
    const { sim, balancer, proxy } = setup(scripted([5, 0.1]), 1, 2);
    publishAt(sim, proxy, [1, 1.1, 1.2, 1.3, 1.4, 1.5]);
    sim.run(2);
    const due = proxy.views[0].due!;
    // Memory: the sync reads the tracker when it starts, after all six: only the newest can matter.
    expect(due.at).toBe(6);
    expect(due.slice.generation).toBe(6);
    expect(sim.pending).toBe(1);
    sim.run(20);
    const [, ...updates] = balancer.updates;
    // kube-proxy: six OnEndpointSliceUpdate calls, six Run()s into a one-slot channel, one
    // syncProxyRules with the newest state (was: two rewrites with the burst, the newest 1 s later).
    expect(updates).toEqual([[6, 6]]);
  });

  it("with a constant watch latency every node gets a burst of changes at one instant and writes it in one rewrite", () => {
    // Ties across nodes: each node's runner serves its own request after every delivery of the instant.
    const sim = new Simulation();
    const streams = new RandomStreams(1);
    const config = { watchLatency: makeDistribution({ type: "constant", value: 0.5 }), minSyncPeriod: 1, burstSyncs: 2, syncBase: 0, syncPerEndpoint: 0, backgroundEndpoints: 0 };
    const nodes = [0, 1, 2].map((n) => {
      const balancer = new RecordingBalancer(sim);
      const proxy = new KubeProxy(sim, n, config, streams.stream(`watch:${n}`), [balancer], streams.stream(`bg:${n}`));
      proxy.start([slice(0, 0)]);
      return { balancer, proxy };
    });
    // Three changes published at 10 (a rollout step's slices), one at 10.2.
    const publish: EventHandler = { onEvent: (_s, _k, g) => nodes.forEach((n) => n.proxy.notify(slice(g as number, g as number))) };
    [1, 2, 3].forEach((g) => sim.at(10, publish, 0, g));
    sim.at(10.2, publish, 0, 4);
    sim.run(20);
    for (const { balancer } of nodes) {
      // One rewrite with all three at 10.5, the second token at once for the next change.
      expect(balancer.updates.slice(1)).toEqual([
        [10.5, 3],
        [10.7, 4],
      ]);
    }
  });

  it("is stale between a publication and its rewrite", () => {
    const { sim, proxy } = setup({ type: "constant", value: 2 }, 0);
    publishAt(sim, proxy, [5]);
    sim.run(6);
    expect(proxy.isStale(0, 1)).toBe(true);
    sim.run(8);
    expect(proxy.isStale(0, 1)).toBe(false);
  });
});
