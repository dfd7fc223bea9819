/**
 * A kube-proxy whose rules no connection goes through runs on a clock of its own (KubeProxy's
 * `carriesTraffic` false): read by the interval gauges at any instant, including one at which a
 * sync writes its rules, it answers exactly as the same proxy on the simulation's clock, whatever
 * the other nodes do and however often it is read.
 */
import { describe, expect, it } from "vitest";
import { Simulation, type EventHandler } from "../../../engine/index.js";
import { makeDistribution } from "../../../random/distributions.js";
import { RandomStreams } from "../../../random/index.js";
import { EndpointSlice } from "../../api/endpoint-slice.js";
import { PLAIN_SERVICE, Service } from "../../api/service.js";
import type { Pod } from "../kubelet/pod.js";
import { NO_POD, type Balancer } from "./balancer.js";
import { EndpointSliceWatch } from "./endpoint-slice-watch.js";
import { KubeProxy } from "./kube-proxy.js";

const noRules: Balancer = { update: () => {}, pick: () => NO_POD, opened: () => {}, closed: () => {}, nextUpstreamTries: 0 };
const services = [0, 1].map((i) => new Service(i, { name: `s${i}`, selector: { app: `s${i}` }, allowEmpty: false, ...PLAIN_SERVICE }));
const pods = Array.from({ length: 40 }, (_, id) => ({ id }) as Pod);
const slice = (service: Service, generation: number, size: number) =>
  new EndpointSlice(service, generation, pods.slice(0, size).map((pod) => ({ pod, ready: true, serving: true, terminating: false })));

interface Setup {
  seed: number;
  burstSyncs: number;
  minSyncPeriod: number;
  syncBase: number;
  syncPerEndpoint: number;
}

/** A reader of the gauges: an event at `at`, scheduled at `instant` by an event due then (as the interval ticks are). */
interface Gauge {
  at: number;
  instant: number;
}

interface Sync {
  node: number;
  start: number;
  end: number;
}

const NODES = 8;

/**
 * A run of NODES proxies watching two Services through 400 changes in bursts and quiet spells
 * (the watch's log starts again several times), with other Services' changes, a node-object change
 * and a node failing midway. `ownClock(n)`: whether node n's proxy is on a clock of its own. Returns
 * every gauge's reading of every node and Service, and the syncs of the proxies on the simulation's clock.
 */
function run(setup: Setup, ownClock: (node: number) => boolean, gauges: readonly Gauge[], changes = 400): { reads: string[]; syncs: Sync[]; end: string[] } {
  const sim = new Simulation();
  const streams = new RandomStreams(setup.seed);
  const watch = new EndpointSliceWatch(sim, services.length, true);
  const config = { watchLatency: makeDistribution({ type: "lognormal", mu: Math.log(0.3), sigma: 0.9 }), backgroundEndpoints: 3, ...setup };
  const syncs: Sync[] = [];
  const proxies = Array.from({ length: NODES }, (_, n) => {
    const proxy = new KubeProxy(sim, n, config, streams.stream(`watch:${n}`), [noRules, noRules], streams.stream(`bg:${n}`), -1, [], !ownClock(n));
    if (!ownClock(n)) {
      const sync = proxy.syncProxyRules.bind(proxy);
      proxy.syncProxyRules = () => {
        const writeTime = sync();
        syncs.push({ node: n, start: sim.now, end: sim.now + writeTime });
        return writeTime;
      };
    }
    proxy.start(services.map((s) => slice(s, 0, 4)));
    watch.subscribe(proxy);
    return proxy;
  });
  const latest = [0, 0];
  const rng = streams.stream("changes");
  const reads: string[] = [];
  const read = () => proxies.map((p, n) => services.map((s) => `${n}${s.name}:${p.isStale(s.index, latest[s.index], sim.now)}`).join(" ")).join(" ");
  const PUBLISH = 0;
  const BACKGROUND = 1;
  const NODE_OBJECT = 2;
  const FAIL = 3;
  const SCHEDULE_READ = 4;
  const READ = 5;
  const driver: EventHandler = {
    onEvent: (_sim, kind, payload) => {
      if (kind === PUBLISH) {
        const s = rng.random() < 0.7 ? 0 : 1;
        watch.publish(slice(services[s], ++latest[s], 1 + Math.floor(rng.random() * 39)));
      } else if (kind === BACKGROUND) for (const p of proxies) p.notifyBackground();
      else if (kind === NODE_OBJECT) proxies[5].nodeChanged(false, 0.7);
      else if (kind === FAIL) proxies[3].stop();
      else if (kind === SCHEDULE_READ) sim.schedule((payload as Gauge).at, driver, READ, payload);
      else {
        const g = payload as Gauge;
        // The reader's own instant: isStale takes it from the caller, here the gauge's.
        reads.push(`${g.at}/${g.instant} ` + proxies.map((p, n) => services.map((s) => `${n}${s.name}:${p.isStale(s.index, latest[s.index], g.instant)}`).join(" ")).join(" "));
      }
    },
  };
  // The readers' schedulers first: each fires before anything else due at its instant.
  for (const g of gauges) sim.schedule(g.instant, driver, SCHEDULE_READ, g);
  let t = 0;
  for (let i = 0; i < changes; i++) {
    t += i % 50 < 40 ? rng.random() * 0.03 : rng.random() * 2;
    sim.schedule(t, driver, PUBLISH);
    if (i % 37 === 5) sim.schedule(t + rng.random() * 0.5, driver, BACKGROUND);
  }
  sim.schedule(t / 3, driver, NODE_OBJECT);
  sim.schedule(t / 2, driver, FAIL);
  sim.run(t + 30);
  return { reads, syncs, end: [read()] };
}

/** Readers at every tenth of a second, and at the end of syncs with readers scheduled before, at and after their start. */
function gaugesFor(setup: Setup): Gauge[] {
  const { syncs } = run(setup, () => false, []);
  const gauges: Gauge[] = [];
  for (let k = 1; k < 600; k++) gauges.push({ at: k / 10, instant: (k - 1) / 10 });
  for (const [i, s] of syncs.entries()) {
    if (i % 3 !== 0) continue;
    if (s.end > s.start) {
      gauges.push({ at: s.end, instant: s.start - 0.05 }, { at: s.end, instant: s.start }, { at: s.end, instant: (s.start + s.end) / 2 });
    }
    // A sync starting at a reader's time comes after it (a request is served after what is due).
    gauges.push({ at: s.start, instant: s.start - 0.2 });
  }
  return gauges.filter((g) => g.instant > 0);
}

describe("a kube-proxy on a clock of its own", () => {
  it.each<Setup>([
    { seed: 1, burstSyncs: 2, minSyncPeriod: 1, syncBase: 0.05, syncPerEndpoint: 0.004 },
    { seed: 2, burstSyncs: 1, minSyncPeriod: 1, syncBase: 0.3, syncPerEndpoint: 0 },
    { seed: 3, burstSyncs: 2, minSyncPeriod: 0.5, syncBase: 0, syncPerEndpoint: 0 },
    { seed: 4, burstSyncs: 3, minSyncPeriod: 2, syncBase: 0.02, syncPerEndpoint: 0.01 },
  ])("reads as on the simulation's clock at every instant, ties with its syncs' ends included (%o)", (setup) => {
    const gauges = gaugesFor(setup);
    const eager = run(setup, () => false, gauges);
    // The test reaches what it is for: readers at syncs' ends, stale nodes and fresh ones.
    expect(eager.syncs.filter((s) => s.end > s.start || setup.syncBase === 0).length).toBeGreaterThan(100);
    expect(eager.reads.length).toBe(gauges.length);
    const all = eager.reads.join(" ");
    expect(all).toContain(":true");
    expect(all).toContain(":false");
    expect(run(setup, () => true, gauges).reads).toEqual(eager.reads);
    const mixed = run(setup, (n) => n % 2 === 1, gauges);
    expect(mixed.reads).toEqual(eager.reads);
    // The proxies on the simulation's clock are not moved by the others being on their own.
    expect(mixed.syncs).toEqual(eager.syncs.filter((s) => s.node % 2 === 0));
    expect(mixed.end).toEqual(eager.end);
  });

  it("reads as on the simulation's clock however seldom it is read", () => {
    const setup = { seed: 5, burstSyncs: 2, minSyncPeriod: 1, syncBase: 0.1, syncPerEndpoint: 0.002 };
    const gauges = gaugesFor(setup);
    const eager = run(setup, () => false, gauges);
    const sparse = gauges.filter((_, i) => i % 23 === 0);
    const key = (g: Gauge) => `${g.at}/${g.instant} `;
    const wanted = eager.reads.filter((r) => sparse.some((g) => r.startsWith(key(g))));
    expect(wanted.length).toBe(sparse.length);
    expect(run(setup, () => true, sparse).reads).toEqual(wanted);
    expect(run(setup, () => true, []).end).toEqual(eager.end);
  });

  it("reads as on the simulation's clock when the log of versions fills up between reads", () => {
    // 2,500 changes and a reader every 60 s or so: the 1,024-change log is full twice between reads.
    const setup = { seed: 6, burstSyncs: 2, minSyncPeriod: 1, syncBase: 0.05, syncPerEndpoint: 0.003 };
    const gauges = Array.from({ length: 12 }, (_, k) => ({ at: 60 * k + 7.3, instant: 60 * k + 6.3 }));
    const eager = run(setup, () => false, gauges, 2500);
    expect(eager.reads.join(" ")).toContain(":true");
    expect(run(setup, () => true, gauges, 2500).reads).toEqual(eager.reads);
    expect(run(setup, (n) => n % 3 === 0, gauges, 2500).end).toEqual(eager.end);
  });
});
