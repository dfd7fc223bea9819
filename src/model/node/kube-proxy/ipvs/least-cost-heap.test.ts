/**
 * The heap-based lc, wlc, sed and nq pick exactly what the kernel's linear scans pick (written out
 * here as the reference), on random traces of connections opening, closing and expiring, with the
 * list of real servers changing and weights other than kube-proxy's.
 */
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../../../random/index.js";
import type { Pod } from "../../kubelet/pod.js";
import { CLOSE_NORMAL, CLOSE_REFUSED, CLOSE_RESET, CLOSE_UNANSWERED, NO_POD, type CloseKind } from "../balancer.js";
import { ConnectionScheduler } from "./connection-table.js";
import { LeastConnectionsBalancer } from "./lc.js";
import { LeastCostHeap } from "./least-cost-heap.js";
import { NeverQueueBalancer } from "./nq.js";
import { ShortestExpectedDelayBalancer } from "./sed.js";
import { WeightedLeastConnectionsBalancer } from "./wlc.js";
import type { Weight } from "./destinations.js";

const pods = (n: number) => Array.from({ length: n }, (_, id) => ({ id }) as Pod);

/** The kernel's scans (ip_vs_lc.c, ip_vs_wlc.c, ip_vs_sed.c, ip_vs_nq.c) over the scheduler's own table. */
class Scan {
  constructor(
    private readonly s: ConnectionScheduler,
    private readonly weight: Weight,
  ) {}
  private get list(): readonly Pod[] {
    return (this.s as unknown as { endpoints: readonly Pod[] }).endpoints;
  }
  private active(pod: Pod): number {
    return (this.s as unknown as { conns: { active: { of(id: number): number } } }).conns.active.of(pod.id);
  }
  private inactive(pod: Pod): number {
    return (this.s as unknown as { conns: { inactive: { of(id: number): number } } }).conns.inactive.of(pod.id);
  }
  lc(): Pod | null {
    let best: Pod | null = null;
    let least = Infinity;
    for (const pod of this.list) {
      if (this.weight(pod) === 0) continue;
      const overhead = this.active(pod) * 256 + this.inactive(pod);
      if (overhead < least) {
        best = pod;
        least = overhead;
      }
    }
    return best;
  }
  weighted(cost: (pod: Pod) => number): Pod | null {
    const list = this.list;
    let i = 0;
    while (i < list.length && this.weight(list[i]) <= 0) i++;
    if (i === list.length) return null;
    let least = list[i];
    let loh = cost(least);
    for (i++; i < list.length; i++) {
      const doh = cost(list[i]);
      if (loh * this.weight(list[i]) > doh * this.weight(least)) {
        least = list[i];
        loh = doh;
      }
    }
    return least;
  }
  wlc(): Pod | null {
    return this.weighted((p) => this.active(p) * 256 + this.inactive(p));
  }
  sed(): Pod | null {
    return this.weighted((p) => this.active(p) + 1);
  }
  nq(): Pod | null {
    for (const pod of this.list) if (this.weight(pod) > 0 && this.active(pod) === 0) return pod;
    return this.sed();
  }
}

describe("LeastCostHeap", () => {
  it("keeps the least cost per weight on top, ties to the lower position, through sets and removals", () => {
    const r = new RandomStreams(5).stream("heap");
    const h = new LeastCostHeap();
    const n = 50;
    h.reset(n);
    const cost = new Map<number, [number, number]>();
    for (let step = 0; step < 5000; step++) {
      const p = Math.floor(r.random() * n);
      if (r.random() < 0.2) {
        h.remove(p);
        cost.delete(p);
      } else {
        const c = Math.floor(r.random() * 6);
        const w = 1 + Math.floor(r.random() * 3);
        h.set(p, c, w);
        cost.set(p, [c, w]);
      }
      expect(h.size).toBe(cost.size);
      if (cost.size === 0) continue;
      let best = -1;
      for (const [q, [c, w]] of cost) {
        if (best < 0) best = q;
        const [bc, bw] = cost.get(best)!;
        if (c * bw < bc * w || (c * bw === bc * w && q < best)) best = q;
      }
      expect(h.top()).toBe(best);
    }
  });
});

describe("lc, wlc, sed and nq on the heap", () => {
  const cases: [string, (clock: { now: number }, w: Weight) => ConnectionScheduler, (s: Scan) => Pod | null][] = [
    ["lc", (c, w) => new LeastConnectionsBalancer(c, w), (s) => s.lc()],
    ["wlc", (c, w) => new WeightedLeastConnectionsBalancer(c, w), (s) => s.wlc()],
    ["sed", (c, w) => new ShortestExpectedDelayBalancer(c, w), (s) => s.sed()],
    ["nq", (c, w) => new NeverQueueBalancer(c, w), (s) => s.nq()],
  ];
  const weightings: [string, Weight][] = [
    ["kube-proxy's weights", () => 1],
    ["weights 0 to 3", (p) => (p.id * 7) % 4],
  ];
  for (const [name, make, scan] of cases) {
    for (const [wname, weight] of weightings) {
      it(`${name} picks what the kernel's scan picks (${wname})`, () => {
        const r = new RandomStreams(11).stream(`trace:${name}`);
        const clock = { now: 0 };
        const b = make(clock, weight);
        const ref = new Scan(b, weight);
        const all = pods(40);
        const open: Pod[] = [];
        let picks = 0;
        for (let step = 0; step < 6000; step++) {
          clock.now += r.exponential(0.5);
          const u = r.random();
          if (u < 0.01) {
            // The endpoints change: some leave, some come, the order is shuffled.
            const list = all.filter(() => r.random() < 0.7);
            for (let i = list.length - 1; i > 0; i--) {
              const j = Math.floor(r.random() * (i + 1));
              [list[i], list[j]] = [list[j], list[i]];
            }
            b.update(list);
          } else if (u < 0.5 && open.length > 0) {
            const pod = open.splice(Math.floor(r.random() * open.length), 1)[0];
            const how: CloseKind = r.random() < 0.8 ? CLOSE_NORMAL : CLOSE_RESET;
            b.closed(pod.id, how);
          } else {
            const podId = b.pick();
            // The scan reads the table pick() has just brought up to date.
            expect(podId).toBe(scan(ref)?.id ?? NO_POD);
            if (podId === NO_POD) continue;
            picks++;
            if (r.random() < 0.9) {
              b.opened(podId, true);
              open.push(all[podId]);
            } else {
              b.opened(podId, false);
              b.closed(podId, r.random() < 0.5 ? CLOSE_REFUSED : CLOSE_UNANSWERED);
            }
          }
        }
        expect(picks).toBeGreaterThan(2000);
      });
    }
  }
});
