/**
 * kube-proxy's rule rewrites: a token bucket at 1/minSyncPeriod with burst 2 (BoundedFrequencyRunner),
 * changes merged while waiting, watch deliveries kept in order whatever the latency draws.
 */
import { describe, expect, it } from "vitest";
import { Simulation, type EventHandler } from "../../../engine/index.js";
import { makeDistribution } from "../../../random/distributions.js";
import { RandomStreams } from "../../../random/index.js";
import type { Balancer } from "./balancer.js";
import { EndpointSlice } from "../../api/endpoint-slice.js";
import { KubeProxy } from "./kube-proxy.js";
import type { Pod } from "../kubelet/pod.js";
import { Service } from "../../api/service.js";

class RecordingBalancer implements Balancer {
  updates: Array<[number, number]> = [];
  constructor(private readonly sim: Simulation) {}
  update(endpoints: readonly Pod[]): void {
    this.updates.push([this.sim.now, endpoints.length]);
  }
  pick(): Pod | null {
    return null;
  }
  opened(): void {}
  closed(): void {}
  readonly nextUpstreamTries = 0;
}

const service = new Service(0, { name: "web", selector: { app: "web" }, allowEmpty: false });
const slice = (generation: number, ready: number) =>
  new EndpointSlice(
    service,
    generation,
    Array.from({ length: ready }, (_, i) => ({ pod: { id: i } as Pod, ready: true, serving: true, terminating: false })),
  );

function setup(latency: unknown, minSyncPeriod: number, burstSyncs = 2) {
  const sim = new Simulation();
  const balancer = new RecordingBalancer(sim);
  const proxy = new KubeProxy(
    sim,
    0,
    { watchLatency: makeDistribution(latency as never), minSyncPeriod, burstSyncs },
    new RandomStreams(1).stream("watch"),
    [balancer],
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

  it("is stale between a publication and its rewrite", () => {
    const { sim, proxy } = setup({ type: "constant", value: 2 }, 0);
    publishAt(sim, proxy, [5]);
    sim.run(6);
    expect(proxy.isStale(0, 1)).toBe(true);
    sim.run(8);
    expect(proxy.isStale(0, 1)).toBe(false);
  });
});
