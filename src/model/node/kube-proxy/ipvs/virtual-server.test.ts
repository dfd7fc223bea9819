/**
 * A node's IPVS table: each node lists the real servers in its own random order (the Go set's
 * iteration order), new ones at the head, the others in place; rr and lc pick in that order. Its
 * lists and picks match a plain rewrite written out here, for every scheduler.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RandomStreams, type RandomStream } from "../../../../random/index.js";
import { chiSquareQuantile, chiSquareUniform } from "../../../../stats/theory.js";
import type { Pod } from "../../kubelet/pod.js";
import { CLOSE_NORMAL, NO_POD, StatelessBalancer, type Balancer } from "../balancer.js";
import type { DeferrableScheduler } from "./destinations.js";
import { LeastConnectionsBalancer } from "./lc.js";
import { MaglevHashingBalancer } from "./mh.js";
import { NeverQueueBalancer } from "./nq.js";
import { RoundRobinBalancer } from "./rr.js";
import { ShortestExpectedDelayBalancer } from "./sed.js";
import { SourceHashingBalancer } from "./sh.js";
import { IpvsVirtualServer } from "./virtual-server.js";
import { WeightedLeastConnectionsBalancer } from "./wlc.js";
import { WeightedRoundRobinBalancer } from "./wrr.js";

const pods = (n: number) => Array.from({ length: n }, (_, id) => ({ id }) as Pod);
const streams = new RandomStreams(3);
const table = (node: number) => new IpvsVirtualServer(new RoundRobinBalancer(), streams.stream(`ipvs-order:node-${node}:web`));
const ids = (xs: readonly Pod[]) => xs.map((p) => p.id);

describe("IpvsVirtualServer", () => {
  it("lists the same endpoints in a different order on each node", () => {
    const ps = pods(8);
    const orders = [0, 1, 2, 3, 4].map((n) => {
      const t = table(n);
      t.update(ps);
      expect([...ids(t.realServers)].sort((a, b) => a - b)).toEqual(ids(ps));
      return ids(t.realServers).join(",");
    });
    expect(new Set(orders).size).toBe(5);
  });

  it("puts each server first equally often across nodes (chi-square within its 99.9% quantile)", () => {
    const n = 5;
    const firsts = new Array(n).fill(0);
    for (let node = 0; node < 5000; node++) {
      const t = table(node);
      t.update(pods(n));
      firsts[t.realServers[0].id]++;
    }
    expect(chiSquareUniform(firsts)).toBeLessThan(chiSquareQuantile(n - 1, 0.999));
  });

  it("adds new servers at the head, drops removed ones and keeps the others in place", () => {
    const ps = pods(8);
    const t = table(0);
    t.update(ps.slice(0, 5));
    const before = ids(t.realServers);
    t.update([ps[5], ps[0], ps[1], ps[3], ps[4], ps[6], ps[7]]); // 2 leaves, 5, 6 and 7 come
    const after = ids(t.realServers);
    expect([...after.slice(0, 3)].sort()).toEqual([5, 6, 7]);
    expect(after.slice(3)).toEqual(before.filter((id) => id !== 2));
  });

  it("round-robins in its own order", () => {
    const t = table(7);
    t.update(pods(4));
    const cycle = ids(t.realServers);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(() => t.pick(0))).toEqual([...cycle, ...cycle]);
  });
});

/** The list kept by a rewrite from scratch: the added servers, shuffled, then the kept ones in place (null: the same servers). */
function rebuilt(old: readonly Pod[], endpoints: readonly Pod[], rng: RandomStream): Pod[] | null {
  const inOld = new Set(old);
  const inNew = new Set(endpoints);
  const kept = old.filter((p) => inNew.has(p));
  if (kept.length === old.length && kept.length === endpoints.length) return null;
  const added = endpoints.filter((p) => !inOld.has(p));
  for (let i = added.length - 1; i > 0; i--) {
    const j = Math.floor(rng.random() * (i + 1));
    [added[i], added[j]] = [added[j], added[i]];
  }
  return [...added, ...kept];
}

/** A node's table as a plain rewrite keeps it: the scheduler is handed the whole new list at every change. */
class Rebuilt {
  list: readonly Pod[] = [];
  constructor(
    readonly scheduler: Balancer,
    private readonly rng: RandomStream,
  ) {}
  update(endpoints: readonly Pod[]): void {
    const list = rebuilt(this.list, endpoints, this.rng);
    if (list === null) {
      if (this.scheduler instanceof StatelessBalancer) this.scheduler.update(this.list);
      return;
    }
    this.list = list;
    this.scheduler.update(list);
  }
}

const schedulers: [string, (clock: { now: number }) => DeferrableScheduler][] = [
  ["rr", () => new RoundRobinBalancer()],
  ["wrr", () => new WeightedRoundRobinBalancer()],
  ["sh", () => new SourceHashingBalancer()],
  ["mh", () => new MaglevHashingBalancer((p) => 0x0af40000 + p.id)],
  ["lc", (c) => new LeastConnectionsBalancer(c)],
  ["wlc", (c) => new WeightedLeastConnectionsBalancer(c)],
  ["sed", (c) => new ShortestExpectedDelayBalancer(c)],
  ["nq", (c) => new NeverQueueBalancer(c)],
];

describe("IpvsVirtualServer's rewrites", () => {
  for (const [name, make] of schedulers) {
    it(`${name}: list and picks as a plain rewrite gives, on nodes that share lists, nodes that skip some and nodes read only when they pick`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(9), fc.nat(), fc.nat()), { minLength: 1, maxLength: 120 }),
          fc.integer({ min: 1, max: 1000 }),
          (steps, seed) => {
            const all = pods(30);
            const clock = { now: 0 };
            const a = new RandomStreams(seed);
            const b = new RandomStreams(seed);
            // Nodes 0 and 1 get every list, node 2 every other one; node 1's list is read only by its picks.
            const nodes = [0, 1, 2].map((n) => ({
              table: new IpvsVirtualServer(make(clock), a.stream(`ipvs-order:node-${n}:web`)),
              ref: new Rebuilt(make(clock), b.stream(`ipvs-order:node-${n}:web`)),
              open: [] as Pod[],
            }));
            let lists = 0;
            let current: readonly Pod[] = [];
            for (const [op, x, y] of steps) {
              clock.now += 0.5;
              if (op < 3) {
                // A new list (every node handed the same array), or the current one again.
                if (op > 0) {
                  const r = new RandomStreams(x).stream("list");
                  current = all.filter(() => r.random() < 0.3 + 0.6 * (y % 7) / 7);
                  if (op === 2) current = [...current].reverse();
                }
                lists++;
                for (const [n, node] of nodes.entries()) {
                  if (n === 2 && lists % 2 === 1) continue;
                  node.table.update(current);
                  node.ref.update(current);
                  if (n !== 1) expect(ids(node.table.realServers)).toEqual(ids(node.ref.list));
                }
              } else {
                const node = nodes[x % 3];
                if (op < 5 && node.open.length > 0) {
                  const pod = node.open.splice(y % node.open.length, 1)[0];
                  node.table.scheduling.closed(pod.id, CLOSE_NORMAL);
                  node.ref.scheduler.closed(pod.id, CLOSE_NORMAL);
                } else {
                  const source = 0x0a000000 + (y % 64);
                  const podId = node.table.scheduling.pick(source);
                  expect(podId).toBe(node.ref.scheduler.pick(source));
                  expect(ids(node.table.realServers)).toEqual(ids(node.ref.list));
                  if (podId !== NO_POD) {
                    node.table.scheduling.opened(podId, true);
                    node.ref.scheduler.opened(podId, true);
                    node.open.push(all[podId]);
                  }
                }
              }
            }
          },
        ),
        { numRuns: 60 },
      );
    });
  }
});

/**
 * The kernel's answer written out from scratch: sh's and mh's tables by a scheduler that sees only
 * the current list (a fresh one, filled at once), the connection schedulers' scan over the current
 * list with the counts the test kept (weights 1; no inactive entry expires within the test's 60 s).
 */
function scanned(name: string, list: readonly Pod[], active: Map<Pod, number>, inactive: Map<Pod, number>, source: number): Pod | null {
  if (name === "sh" || name === "mh") {
    const fresh = name === "sh" ? new SourceHashingBalancer() : new MaglevHashingBalancer((p) => 0x0af40000 + p.id);
    fresh.update(list);
    const podId = fresh.pick(source);
    return podId === NO_POD ? null : list.find((p) => p.id === podId)!;
  }
  const a = (p: Pod) => active.get(p) ?? 0;
  const cost = (p: Pod) => (name === "sed" || name === "nq" ? a(p) + 1 : a(p) * 256 + (inactive.get(p) ?? 0));
  if (name === "nq") {
    const idle = list.find((p) => a(p) === 0);
    if (idle !== undefined) return idle;
  }
  let best: Pod | null = null;
  for (const p of list) if (best === null || cost(p) < cost(best)) best = p;
  return best;
}

describe("schedulers whose state is a function of the list and the counts", () => {
  // sh and mh deal their tables, lc, wlc, sed and nq rebuild their heaps, at the first pick after a
  // change; the picks must be those of a table rebuilt at every change, whatever came in between.
  for (const name of ["sh", "mh", "lc", "wlc", "sed", "nq"]) {
    it(`${name}: picks as if rebuilt at every change, through runs of changes, opens and closes without a pick`, () => {
      const make = schedulers.find(([n]) => n === name)![1];
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.nat(9), fc.nat(), fc.nat()), { minLength: 1, maxLength: 120 }), (steps) => {
          const all = pods(30);
          const clock = { now: 0 };
          const s = make(clock);
          const active = new Map<Pod, number>();
          const inactive = new Map<Pod, number>();
          const open: Pod[] = [];
          let list: readonly Pod[] = [];
          for (const [op, x, y] of steps) {
            clock.now += 0.5;
            if (op < 4) {
              const r = new RandomStreams(x).stream("list");
              list = all.filter(() => r.random() < 0.2 + (0.7 * (y % 7)) / 7);
              if (op === 1) list = [...list].reverse();
              s.update(list);
            } else if (op < 6 && open.length > 0) {
              const pod = open.splice(y % open.length, 1)[0];
              s.closed(pod.id, CLOSE_NORMAL);
              active.set(pod, active.get(pod)! - 1);
              inactive.set(pod, (inactive.get(pod) ?? 0) + 1);
            } else {
              const source = 0x0a000000 + (y % 64);
              const podId = s.pick(source);
              expect(podId).toBe(scanned(name, list, active, inactive, source)?.id ?? NO_POD);
              if (podId !== NO_POD) {
                const pod = all[podId];
                s.opened(podId, true);
                active.set(pod, (active.get(pod) ?? 0) + 1);
                open.push(pod);
              }
            }
          }
        }),
        { numRuns: 80 },
      );
    });
  }

  it("mh: two nodes with the same servers in different orders keep different tables, each its own list's", () => {
    const address = (p: Pod) => 0x0af40000 + p.id;
    const ps = pods(40);
    const nodes = [0, 1].map((n) => new IpvsVirtualServer(new MaglevHashingBalancer(address), streams.stream(`ipvs-order:node-${n}:mh`)));
    for (const t of nodes) t.update(ps);
    // Node 1 sees a change node 0 never sees, and both then come back to the same servers.
    nodes[1].update(ps.slice(5));
    nodes[1].update(ps);
    const tables = nodes.map((t) => (t.scheduling as MaglevHashingBalancer).table.map((p) => p?.id ?? -1));
    expect(tables[0]).not.toEqual(tables[1]);
    for (const [n, t] of nodes.entries()) {
      const fresh = new MaglevHashingBalancer(address);
      fresh.update(t.realServers);
      expect(tables[n]).toEqual(fresh.table.map((p) => p?.id ?? -1));
    }
  });
});

describe("IpvsVirtualServer holding rewrites back", () => {
  for (const [name, make] of schedulers) {
    it(`${name}: a node that never picks keeps at most a bounded number of rewrites, and then lists and picks as if it wrote each`, () => {
      const all = pods(40);
      const clock = { now: 0 };
      const seeds = [new RandomStreams(11), new RandomStreams(11)];
      const table = new IpvsVirtualServer(make(clock), seeds[0].stream("ipvs-order:node-0:web"));
      const ref = new Rebuilt(make(clock), seeds[1].stream("ipvs-order:node-0:web"));
      const r = new RandomStreams(5).stream("lists");
      for (let i = 0; i < 100; i++) {
        const list = all.filter(() => r.random() < 0.6);
        table.update(list);
        ref.update(list);
        const held = (table as unknown as { held: unknown[] }).held.length;
        expect(held).toBeLessThanOrEqual(16);
      }
      // A large Service's lists: at most 4,096 servers are held in all (or the newest list alone).
      const many = Array.from({ length: 3000 }, (_, i) => ({ id: 100 + i }) as Pod);
      for (let i = 0; i < 5; i++) {
        const list = many.filter(() => r.random() < 0.7);
        table.update(list);
        ref.update(list);
        const held = (table as unknown as { held: (readonly Pod[])[] }).held;
        expect(held.length === 1 || held.reduce((n, l) => n + l.length, 0) <= 4096).toBe(true);
      }
      for (let source = 0x0a000000; source < 0x0a000010; source++) expect(table.scheduling.pick(source)).toBe(ref.scheduler.pick(source));
      expect(ids(table.realServers)).toEqual(ids(ref.list));
    });
  }
});
