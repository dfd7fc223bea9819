/**
 * The policies on their own: iptables' random pick is balls-into-bins (chi-square and the expected
 * maximum), round-robin counts differ by at most one, least-connections follows IPVS's overhead,
 * power-of-two never picks the busier of its two, static-upstream keeps its first list; IPVS's
 * other schedulers follow their kernel sources (weights, tie-breaks, what a list change does).
 */
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../random/index.js";
import { POLICY_NAMES } from "../scenario/types.js";
import { ballsIntoBinsExpectedMax, chiSquareQuantile, chiSquareUniform } from "../stats/theory.js";
import type { Pod } from "./node/kubelet/pod.js";
import { createBalancer } from "./policies.js";
import { CLOSE_NORMAL, CLOSE_REFUSED, CLOSE_RESET, NO_POD } from "./node/kube-proxy/balancer.js";
import { IPVS_CLOSE_TIMEOUT, IPVS_INACTIVE_TIMEOUT, LeastConnectionsBalancer } from "./node/kube-proxy/ipvs/lc.js";
import { MaglevHashingBalancer, MH_TABLE_SIZE } from "./node/kube-proxy/ipvs/mh.js";
import { NeverQueueBalancer } from "./node/kube-proxy/ipvs/nq.js";
import { RoundRobinBalancer } from "./node/kube-proxy/ipvs/rr.js";
import { ShortestExpectedDelayBalancer } from "./node/kube-proxy/ipvs/sed.js";
import { hash32, SH_TABLE_BITS, SourceHashingBalancer } from "./node/kube-proxy/ipvs/sh.js";
import { WeightedLeastConnectionsBalancer } from "./node/kube-proxy/ipvs/wlc.js";
import { WeightedRoundRobinBalancer } from "./node/kube-proxy/ipvs/wrr.js";
import type { Balancer } from "./node/kube-proxy/balancer.js";

const pods = (n: number) => Array.from({ length: n }, (_, id) => ({ id, name: `p-${id}` }) as unknown as Pod);
const clock = { now: 0 };
const streams = new RandomStreams(11);
const envoy = { choiceCount: 2, sampling: "with-replacement" } as const;
const ctx = { streams, clock, powerOfTwo: envoy, podAddress: (p: Pod) => 0x0af40000 + p.id };
/** A client address for the policies that ignore it. */
const SRC = 0x0af40102;

function counts(picks: number[], n: number): number[] {
  const c = new Array(n).fill(0);
  for (const p of picks) c[p]++;
  return c;
}

describe("every policy", () => {
  it("answers the picked pod's id, not its position in the list (ids here differ from positions)", () => {
    // Ids far from 0..n-1 and out of order: a pick that answered its list position would give 0..4.
    const view = [409, 102, 777, 250, 131].map((id) => ({ id, name: `p-${id}` }) as unknown as Pod);
    const want = new Set(view.map((p) => p.id));
    const balancers: [string, Balancer][] = POLICY_NAMES.map((policy) => [policy, createBalancer(policy, `id-${policy}`, ctx)]);
    balancers.push(["power-of-two distinct", createBalancer("power-of-two", "id-p2d", { ...ctx, powerOfTwo: { choiceCount: 2, sampling: "distinct" } })]);
    for (const [name, b] of balancers) {
      b.update(view);
      b.opened(777, true); // load on one pod, so the load-aware policies compare
      for (let k = 0; k < 500; k++) {
        const id = b.pick(SRC + k);
        expect(want.has(id), `${name} answered ${id}`).toBe(true);
        b.opened(id, true);
        if (k % 3 === 0) b.closed(id, CLOSE_NORMAL);
      }
    }
  });
});

describe("random (iptables / nftables)", () => {
  it("is a uniform pick: chi-square within its 99.9% quantile and the expected max of balls into bins", () => {
    const n = 50;
    const m = 50_000;
    const b = createBalancer("random", "r", ctx);
    b.update(pods(n));
    const c = counts(Array.from({ length: m }, () => b.pick(SRC)), n);
    expect(chiSquareUniform(c)).toBeLessThan(chiSquareQuantile(n - 1, 0.999));
    // The maximum of many such experiments averages E[max]; one draw is within a few of it.
    const eMax = ballsIntoBinsExpectedMax(m, n);
    expect(Math.abs(Math.max(...c) - eMax)).toBeLessThan(4 * Math.sqrt(m / n));
  });

  it("answers NO_POD on an empty view (kube-proxy's REJECT rule)", () => {
    const b = createBalancer("random", "e", ctx);
    expect(b.pick(SRC)).toBe(NO_POD);
  });
});

describe("round-robin (IPVS rr, on a list in kernel order)", () => {
  it("gives every endpoint floor(m/n) or ceil(m/n) picks", () => {
    for (const [n, m] of [[4, 1001], [7, 50], [3, 3]]) {
      const b = new RoundRobinBalancer();
      b.update(pods(n));
      const c = counts(Array.from({ length: m }, () => b.pick()), n);
      expect(Math.max(...c) - Math.min(...c)).toBeLessThanOrEqual(1);
      expect(c.reduce((a, x) => a + x, 0)).toBe(m);
    }
  });

  it("does not skip a server when one before the pointer is removed", () => {
    const b = new RoundRobinBalancer();
    const ps = pods(4);
    b.update(ps);
    expect([b.pick(), b.pick()]).toEqual([0, 1]);
    b.update(ps.slice(1));
    expect([b.pick(), b.pick(), b.pick()]).toEqual([2, 3, 1]);
  });

  it("resumes after the nearest server before the pointer that stayed; servers added at the head wait for the next round", () => {
    const b = new RoundRobinBalancer();
    const ps = pods(5);
    const [a, bb, c, d, added] = ps;
    b.update([a, bb, c, d]);
    expect([b.pick(), b.pick()]).toEqual([0, 1]);
    // b leaves and a new server comes in at the head: the pointer steps back to a.
    b.update([added, a, c, d]);
    expect([b.pick(), b.pick(), b.pick(), b.pick()]).toEqual([2, 3, 4, 0]);
  });

  it("keeps cycling when the list shrinks", () => {
    const b = new RoundRobinBalancer();
    const ps = pods(4);
    b.update(ps);
    b.pick();
    b.pick();
    b.pick();
    b.update(ps.slice(0, 2));
    expect([b.pick(), b.pick(), b.pick()]).toEqual([0, 1, 0]);
  });
});

describe("least-connections (IPVS lc, on a list in kernel order)", () => {
  it("picks the fewest active connections, inactive ones weighing 1/256, ties to the first", () => {
    const now = { now: 0 };
    const b = new LeastConnectionsBalancer(now);
    const ps = pods(3);
    b.update(ps);
    expect(b.pick()).toBe(0);
    b.opened(ps[0].id, true);
    expect(b.pick()).toBe(1);
    b.opened(ps[1].id, true);
    b.opened(ps[2].id, true);
    b.opened(ps[2].id, true);
    expect(b.pick()).toBe(0);
    // Closing moves a connection to inactive: it still counts, a little, until IPVS forgets it.
    b.closed(ps[2].id, CLOSE_NORMAL);
    b.closed(ps[2].id, CLOSE_NORMAL);
    expect(b.pick()).toBe(2); // 0*256 + 2 beats 1*256
    b.closed(ps[0].id, CLOSE_NORMAL);
    b.closed(ps[1].id, CLOSE_RESET);
    expect(b.pick()).toBe(0); // 0 + 1 each for 0 and 1, 0 + 2 for 2
    now.now = IPVS_CLOSE_TIMEOUT + 1;
    expect(b.pick()).toBe(1); // the reset connection left IPVS's table after 10 s
    now.now = IPVS_INACTIVE_TIMEOUT + 1;
    b.opened(ps[0].id, true);
    expect(b.pick()).toBe(1); // all inactive expired; 0 has one active
    // A refused attempt counts as one inactive entry for 10 s, never as active.
    b.opened(ps[1].id, false);
    b.closed(ps[1].id, CLOSE_REFUSED);
    expect(b.pick()).toBe(2);
  });
});

describe("power-of-two", () => {
  const p2 = (choiceCount: number, sampling: "with-replacement" | "distinct", scope = "p2") =>
    createBalancer("power-of-two", scope, { ...ctx, powerOfTwo: { choiceCount, sampling } });
  /** How often, in m picks, the one busy pod of n is chosen. */
  function busyPicks(b: ReturnType<typeof p2>, n: number, m: number): number {
    const ps = pods(n);
    b.update(ps);
    b.opened(ps[0].id, true);
    let busy = 0;
    for (let i = 0; i < m; i++) if (b.pick(SRC) === 0) busy++;
    return busy;
  }
  /** |x - m p| within 4 binomial standard deviations. */
  const near = (x: number, m: number, p: number) => expect(Math.abs(x - m * p)).toBeLessThanOrEqual(4 * Math.sqrt(m * p * (1 - p)));

  it("samples with replacement, as Envoy's least-request does: the busier pod wins when drawn every time", () => {
    const m = 40_000;
    near(busyPicks(p2(2, "with-replacement"), 4, m), m, 1 / 16);
    near(busyPicks(p2(3, "with-replacement", "p3"), 4, m), m, 1 / 64);
    near(busyPicks(p2(2, "with-replacement", "two"), 2, m), m, 1 / 4);
  });

  it("with distinct sampling never sends to the busier of its choices", () => {
    expect(busyPicks(p2(2, "distinct"), 5, 2000)).toBe(0);
    // choiceCount at least n: every endpoint is compared.
    expect(busyPicks(p2(9, "distinct"), 3, 2000)).toBe(0);
  });

  it("distinct samples are uniform: with no load the first sampled wins, each pod equally often", () => {
    const n = 6;
    const b = p2(3, "distinct", "u");
    b.update(pods(n));
    const c = counts(Array.from({ length: 30_000 }, () => b.pick(SRC)), n);
    expect(chiSquareUniform(c)).toBeLessThan(chiSquareQuantile(n - 1, 0.999));
  });

  it("answers NO_POD on an empty view", () => {
    expect(p2(2, "with-replacement").pick(SRC)).toBe(NO_POD);
  });
});

describe("static-upstream", () => {
  it("keeps the first list it is given and offers the others after a refusal", () => {
    const b = createBalancer("static-upstream", "s", ctx);
    const ps = pods(4);
    b.update(ps.slice(0, 3));
    b.update([ps[3]]);
    expect([b.pick(SRC), b.pick(SRC), b.pick(SRC), b.pick(SRC)]).toEqual([0, 1, 2, 0]);
    expect(b.nextUpstreamTries).toBe(2);
  });
});

/** Weights by pod id, for the kernel formulas (kube-proxy itself writes 1 everywhere). */
const weights = (...w: number[]) => (p: Pod) => w[p.id];
const ids = (picks: number[]) => picks.map((p) => (p === NO_POD ? null : p));
const times = (n: number, f: () => number) => Array.from({ length: n }, f);

describe("ipvs-wrr (IPVS wrr)", () => {
  it("picks in proportion to weight, passing with a falling current weight (ip_vs_wrr.c)", () => {
    const b = new WeightedRoundRobinBalancer(weights(4, 3, 2));
    b.update(pods(3));
    expect(ids(times(18, () => b.pick()))).toEqual([0, 0, 1, 0, 1, 2, 0, 1, 2, 0, 0, 1, 0, 1, 2, 0, 1, 2]);
  });

  it("uses the weights' gcd as the step, and skips servers of weight 0", () => {
    const b = new WeightedRoundRobinBalancer(weights(4, 0, 2));
    b.update(pods(3));
    expect(ids(times(6, () => b.pick()))).toEqual([0, 0, 2, 0, 0, 2]);
    const none = new WeightedRoundRobinBalancer(weights(0, 0));
    none.update(pods(2));
    expect(none.pick()).toBe(NO_POD);
  });

  it("with kube-proxy's weights cycles like rr, but restarts from the head whenever a server is added or deleted", () => {
    const ps = pods(4);
    const wrr: Balancer = new WeightedRoundRobinBalancer();
    const rr: Balancer = new RoundRobinBalancer();
    for (const b of [wrr, rr]) {
      b.update(ps);
      expect(ids(times(6, () => b.pick(SRC)))).toEqual([0, 1, 2, 3, 0, 1]);
      b.update([ps[0], ps[1], ps[3]]); // ps[2] deleted
    }
    expect(ids(times(3, () => wrr.pick(SRC)))).toEqual([0, 1, 3]);
    expect(ids(times(3, () => rr.pick(SRC)))).toEqual([3, 0, 1]);
    // The same list again (a rewrite that changed nothing for this Service) keeps the cycle going.
    wrr.update([ps[0], ps[1], ps[3]]);
    expect(ids(times(2, () => wrr.pick(SRC)))).toEqual([0, 1]);
  });
});

describe("ipvs-wlc, ipvs-sed, ipvs-nq (IPVS wlc, sed, nq)", () => {
  /** Replays one random trace of connections on several balancers and returns each one's picks. */
  function replay(): (number | null)[][] {
    const now = { now: 0 };
    const ps = pods(5);
    const r = streams.stream("trace");
    const bs: Balancer[] = [
      new LeastConnectionsBalancer(now),
      new WeightedLeastConnectionsBalancer(now),
      new ShortestExpectedDelayBalancer(now),
      new NeverQueueBalancer(now),
    ];
    for (const b of bs) b.update(ps);
    const open: number[][] = bs.map(() => []);
    const picks: (number | null)[][] = bs.map(() => []);
    for (let step = 0; step < 2000; step++) {
      now.now += r.exponential(0.05);
      const closing = r.random() < 0.5;
      const which = r.random();
      const how = r.random() < 0.9 ? CLOSE_NORMAL : CLOSE_RESET;
      bs.forEach((b, k) => {
        // Every balancer has as many open connections, so the same draws close the same slot.
        if (closing && open[k].length > 0) {
          b.closed(open[k].splice(Math.floor(which * open[k].length), 1)[0], how);
          return;
        }
        const podId = b.pick(SRC);
        picks[k].push(podId);
        b.opened(podId, true);
        open[k].push(podId);
      });
    }
    return picks;
  }

  it("with kube-proxy's weights, wlc picks what lc picks and nq what sed picks", () => {
    const [lc, wlc, sed, nq] = replay();
    expect(wlc).toEqual(lc);
    expect(nq).toEqual(sed);
    // sed counts active connections only, so it does not follow lc.
    expect(sed).not.toEqual(lc);
  });

  it("wlc divides the overhead (active * 256 + inactive) by the weight, ties to the first", () => {
    const ps = pods(3);
    const b = new WeightedLeastConnectionsBalancer(clock, weights(2, 1, 1));
    b.update(ps);
    expect(b.pick()).toBe(0);
    b.opened(ps[0].id, true); // 256 / 2 = 128 against 0
    expect(b.pick()).toBe(1);
    b.opened(ps[1].id, true);
    b.opened(ps[2].id, true); // 128, 256, 256
    expect(b.pick()).toBe(0);
    b.opened(ps[0].id, true); // 256, 256, 256: the first wins
    expect(b.pick()).toBe(0);
    b.closed(ps[1].id, CLOSE_NORMAL); // 1 inactive: 256, 1, 256
    expect(b.pick()).toBe(1);
  });

  it("sed takes (active + 1) / weight and ignores inactive connections", () => {
    const ps = pods(2);
    const sed = new ShortestExpectedDelayBalancer(clock, weights(3, 1));
    const lc = new LeastConnectionsBalancer(clock);
    for (const b of [sed, lc]) {
      b.update(ps);
      b.opened(ps[0].id, true);
      b.closed(ps[0].id, CLOSE_NORMAL); // one inactive connection on pod 0
    }
    expect(lc.pick()).toBe(1);
    expect(sed.pick()).toBe(0); // 1/3 against 1/1
    sed.opened(ps[0].id, true);
    sed.opened(ps[0].id, true); // 3/3 against 1/1: a tie, the first wins
    expect(sed.pick()).toBe(0);
    sed.opened(ps[0].id, true); // 4/3 against 1/1
    expect(sed.pick()).toBe(1);
  });

  it("nq sends to the first idle server even when sed would choose a faster busy one", () => {
    const ps = pods(3);
    const w = weights(1, 5, 1);
    const nq = new NeverQueueBalancer(clock, w);
    const sed = new ShortestExpectedDelayBalancer(clock, w);
    for (const b of [nq, sed]) {
      b.update(ps);
      b.opened(ps[0].id, true);
      b.opened(ps[1].id, true);
      b.opened(ps[1].id, true);
    }
    // sed: 2/1, 3/5, 1/1 -> pod 1; nq: pod 2 is idle.
    expect(sed.pick()).toBe(1);
    expect(nq.pick()).toBe(2);
    nq.opened(ps[2].id, true); // nobody idle: as sed, 2/1, 3/5, 2/1 -> pod 1
    expect(nq.pick()).toBe(1);
  });
});

describe("ipvs-sh and ipvs-mh (IPVS source and maglev hashing)", () => {
  const addresses = (n: number) => Array.from({ length: n }, (_, i) => (0x0a000000 + i * 7919) >>> 0);

  /** How many of `sources` each pod gets. */
  function spread(b: Balancer, sources: number[], n: number): number[] {
    const c = new Array(n).fill(0);
    for (const s of sources) c[b.pick(s)]++;
    return c;
  }

  it("hash_32 is the top bits of the address times the golden ratio", () => {
    expect(hash32(1, 8)).toBe(0x61);
    expect(hash32(0x0af40102, 8)).toBe(Math.imul(0x0af40102, 0x61c88647) >>> 24);
  });

  for (const policy of ["ipvs-sh", "ipvs-mh"] as const) {
    it(`${policy} always sends a source to the same pod, and spreads many sources evenly`, () => {
      const b = createBalancer(policy, "h", ctx);
      b.update(pods(8));
      const sources = addresses(20_000);
      const first = sources.map((s) => b.pick(s));
      expect(sources.map((s) => b.pick(s))).toEqual(first);
      const c = spread(b, sources, 8);
      expect(chiSquareUniform(c)).toBeLessThan(chiSquareQuantile(7, 0.999));
      b.update([]);
      expect(b.pick(sources[0])).toBe(NO_POD);
    });
  }

  it("sh deals its 256 buckets round the list, weight in a row per server", () => {
    const b = new SourceHashingBalancer(weights(3, 1));
    b.update(pods(2));
    const c = [0, 0];
    // Every bucket once: the sources whose hash is each bucket in turn.
    const sourceOf = new Map<number, number>();
    for (const s of addresses(20_000)) if (!sourceOf.has(hash32(s, SH_TABLE_BITS))) sourceOf.set(hash32(s, SH_TABLE_BITS), s);
    expect(sourceOf.size).toBe(256);
    for (const src of sourceOf.values()) c[b.pick(src)]++;
    expect(c).toEqual([192, 64]);
  });

  it("mh gives every server floor or ceil of 4093 / n slots, in proportion to weight", () => {
    const ps = pods(6);
    const b = new MaglevHashingBalancer(ctx.podAddress);
    b.update(ps);
    const slots = ps.map((p) => b.slots(p));
    expect(slots.reduce((a, x) => a + x, 0)).toBe(MH_TABLE_SIZE);
    expect(Math.max(...slots) - Math.min(...slots)).toBeLessThanOrEqual(1);
    const two = pods(2);
    const w = new MaglevHashingBalancer((p) => 0x0af40000 + p.id, weights(2, 1));
    w.update(two);
    expect(two.map((p) => w.slots(p))).toEqual([2729, 1364]);
  });

  it("when a pod leaves, mh moves few of the other pods' clients and sh moves most of them", () => {
    const ps = pods(5);
    const sources = addresses(10_000);
    const moved = (policy: "ipvs-sh" | "ipvs-mh") => {
      const b = createBalancer(policy, "x", ctx);
      b.update(ps);
      const before = sources.map((s) => b.pick(s));
      b.update(ps.slice(0, 4)); // pod 4 deleted
      const stayed = sources.filter((_, i) => before[i] !== ps[4].id);
      return stayed.filter((s, i) => b.pick(s) !== before[sources.indexOf(s)]).length / stayed.length;
    };
    expect(moved("ipvs-sh")).toBeGreaterThan(0.5);
    expect(moved("ipvs-mh")).toBeLessThan(0.05);
  });
});
