/**
 * The watch's deferred draws: each node sees every change at the same time, and writes the same
 * rules at the same times, as when every node draws every change as it is published.
 */
import { describe, expect, it } from "vitest";
import { Simulation, type EventHandler } from "../../../engine/index.js";
import { makeDistribution, type Distribution } from "../../../random/distributions.js";
import { RandomStreams } from "../../../random/index.js";
import { EndpointSlice } from "../../api/endpoint-slice.js";
import { PLAIN_SERVICE, Service } from "../../api/service.js";
import type { Pod } from "../kubelet/pod.js";
import { NO_POD, type Balancer } from "./balancer.js";
import { EndpointSliceWatch, latencyCanTie } from "./endpoint-slice-watch.js";
import { KubeProxy } from "./kube-proxy.js";

class RecordingBalancer implements Balancer {
  constructor(
    private readonly sim: Simulation,
    private readonly log: string[],
    private readonly name: string,
  ) {}
  update(endpoints: readonly Pod[]): void {
    this.log.push(`${this.sim.now} ${this.name} ${endpoints.length}`);
  }
  pick(): number {
    return NO_POD;
  }
  opened(): void {}
  closed(): void {}
  readonly nextUpstreamTries = 0;
}

const services = [0, 1].map((i) => new Service(i, { name: `s${i}`, selector: { app: `s${i}` }, allowEmpty: false, ...PLAIN_SERVICE }));
const slice = (service: Service, generation: number) =>
  new EndpointSlice(service, generation, Array.from({ length: generation % 7 }, (_, i) => ({ pod: { id: i } as Pod, ready: true, serving: true, terminating: false })));

/**
 * Every rule write of `nodes` proxies over a run of bursts of changes to two Services, one node
 * failing midway. `plain`: the latency distribution is hidden behind one without `quantile`, so
 * every draw is transformed and filed one by one (no WatchMergeBounds, no runs drawn in a row).
 */
function run(deferred: boolean, burstSyncs: number, syncBase: number, plain = false): string[] {
  const sim = new Simulation();
  const streams = new RandomStreams(7);
  const log: string[] = [];
  const watch = new EndpointSliceWatch(sim, services.length, deferred);
  const lognormal = makeDistribution({ type: "lognormal", mu: Math.log(0.3), sigma: 0.9 });
  const watchLatency: Distribution = plain ? { sample: (u) => lognormal.sample(u), mean: lognormal.mean, variance: lognormal.variance, spec: lognormal.spec } : lognormal;
  const config = { watchLatency, minSyncPeriod: 1, burstSyncs, syncBase, syncPerEndpoint: 0, backgroundEndpoints: 0 };
  const proxies: KubeProxy[] = [];
  for (let n = 0; n < 20; n++) {
    const balancers = services.map((s) => new RecordingBalancer(sim, log, `node-${n}:${s.name}`));
    const proxy = new KubeProxy(sim, n, config, streams.stream(`watch:node-${n}`), balancers, streams.stream(`bg:${n}`));
    proxy.start(services.map((s) => slice(s, 0)));
    watch.subscribe(proxy);
    proxies.push(proxy);
  }
  const rng = streams.stream("changes");
  const generations = [0, 0];
  const publisher: EventHandler = {
    onEvent: (_sim, kind) => {
      if (kind === 1) return proxies[3].stop();
      const s = rng.random() < 0.7 ? 0 : 1;
      watch.publish(slice(services[s], ++generations[s]));
    },
  };
  // Bursts (a rollout's many changes a second) and quiet spells, 300 changes: the log starts again several times.
  let t = 0;
  for (let i = 0; i < 300; i++) {
    t += i % 50 < 40 ? rng.random() * 0.02 : rng.random() * 3;
    sim.at(t, publisher);
  }
  sim.at(t / 2, publisher, 1);
  sim.run(t + 100);
  return log;
}

describe("EndpointSliceWatch", () => {
  it.each([
    [2, 0],
    [1, 0],
    [2, 0.3],
  ])("deferring the draws changes no rule write (burstSyncs %d, syncBase %d)", (burst, base) => {
    const eager = run(false, burst, base, true);
    expect(eager.length).toBeGreaterThan(1000);
    expect(run(true, burst, base, true)).toEqual(eager);
    // Draws told from their uniform, in runs of one Service's changes: the same writes again.
    expect(run(false, burst, base)).toEqual(eager);
    expect(run(true, burst, base)).toEqual(eager);
  });

  it("hands changes over as they are published when latencies can tie", () => {
    expect(latencyCanTie({ type: "constant", value: 0.1 })).toBe(true);
    expect(latencyCanTie({ type: "empirical", values: [0.1, 0.2] })).toBe(true);
    expect(latencyCanTie({ type: "uniform", min: 0.1, max: 0.1 })).toBe(true);
    expect(latencyCanTie({ type: "lognormal", mu: 0, sigma: 1 })).toBe(false);
  });
});
