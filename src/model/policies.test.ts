/**
 * The policies on their own: iptables' random pick is balls-into-bins (chi-square and the expected
 * maximum), round-robin counts differ by at most one, least-connections follows IPVS's overhead,
 * power-of-two never picks the busier of its two, static-upstream keeps its first list.
 */
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../random/index.js";
import { ballsIntoBinsExpectedMax, chiSquareQuantile, chiSquareUniform } from "../stats/theory.js";
import type { Pod } from "./node/kubelet/pod.js";
import { createBalancer } from "./policies.js";
import { CLOSE_NORMAL, CLOSE_REFUSED, CLOSE_RESET } from "./node/kube-proxy/balancer.js";
import { IPVS_CLOSE_TIMEOUT, IPVS_INACTIVE_TIMEOUT, LeastConnectionsBalancer } from "./node/kube-proxy/ipvs/lc.js";
import { RoundRobinBalancer } from "./node/kube-proxy/ipvs/rr.js";

const pods = (n: number) => Array.from({ length: n }, (_, id) => ({ id, name: `p-${id}` }) as unknown as Pod);
const clock = { now: 0 };
const streams = new RandomStreams(11);
const envoy = { choiceCount: 2, sampling: "with-replacement" } as const;
const ctx = { streams, clock, powerOfTwo: envoy };

function counts(picks: (Pod | null)[], n: number): number[] {
  const c = new Array(n).fill(0);
  for (const p of picks) c[p!.id]++;
  return c;
}

describe("random (iptables / nftables)", () => {
  it("is a uniform pick: chi-square within its 99.9% quantile and the expected max of balls into bins", () => {
    const n = 50;
    const m = 50_000;
    const b = createBalancer("random", "r", ctx);
    b.update(pods(n));
    const c = counts(Array.from({ length: m }, () => b.pick()), n);
    expect(chiSquareUniform(c)).toBeLessThan(chiSquareQuantile(n - 1, 0.999));
    // The maximum of many such experiments averages E[max]; one draw is within a few of it.
    const eMax = ballsIntoBinsExpectedMax(m, n);
    expect(Math.abs(Math.max(...c) - eMax)).toBeLessThan(4 * Math.sqrt(m / n));
  });

  it("returns null on an empty view (kube-proxy's REJECT rule)", () => {
    const b = createBalancer("random", "e", ctx);
    expect(b.pick()).toBeNull();
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
    expect([b.pick(), b.pick()].map((p) => p!.id)).toEqual([0, 1]);
    b.update(ps.slice(1));
    expect([b.pick(), b.pick(), b.pick()].map((p) => p!.id)).toEqual([2, 3, 1]);
  });

  it("resumes after the nearest server before the pointer that stayed; servers added at the head wait for the next round", () => {
    const b = new RoundRobinBalancer();
    const ps = pods(5);
    const [a, bb, c, d, added] = ps;
    b.update([a, bb, c, d]);
    expect([b.pick(), b.pick()].map((p) => p!.id)).toEqual([0, 1]);
    // b leaves and a new server comes in at the head: the pointer steps back to a.
    b.update([added, a, c, d]);
    expect([b.pick(), b.pick(), b.pick(), b.pick()].map((p) => p!.id)).toEqual([2, 3, 4, 0]);
  });

  it("keeps cycling when the list shrinks", () => {
    const b = new RoundRobinBalancer();
    const ps = pods(4);
    b.update(ps);
    b.pick();
    b.pick();
    b.pick();
    b.update(ps.slice(0, 2));
    expect([b.pick(), b.pick(), b.pick()].map((p) => p!.id)).toEqual([0, 1, 0]);
  });
});

describe("least-connections (IPVS lc, on a list in kernel order)", () => {
  it("picks the fewest active connections, inactive ones weighing 1/256, ties to the first", () => {
    const now = { now: 0 };
    const b = new LeastConnectionsBalancer(now);
    const ps = pods(3);
    b.update(ps);
    expect(b.pick()!.id).toBe(0);
    b.opened(ps[0], true);
    expect(b.pick()!.id).toBe(1);
    b.opened(ps[1], true);
    b.opened(ps[2], true);
    b.opened(ps[2], true);
    expect(b.pick()!.id).toBe(0);
    // Closing moves a connection to inactive: it still counts, a little, until IPVS forgets it.
    b.closed(ps[2], CLOSE_NORMAL);
    b.closed(ps[2], CLOSE_NORMAL);
    expect(b.pick()!.id).toBe(2); // 0*256 + 2 beats 1*256
    b.closed(ps[0], CLOSE_NORMAL);
    b.closed(ps[1], CLOSE_RESET);
    expect(b.pick()!.id).toBe(0); // 0 + 1 each for 0 and 1, 0 + 2 for 2
    now.now = IPVS_CLOSE_TIMEOUT + 1;
    expect(b.pick()!.id).toBe(1); // the reset connection left IPVS's table after 10 s
    now.now = IPVS_INACTIVE_TIMEOUT + 1;
    b.opened(ps[0], true);
    expect(b.pick()!.id).toBe(1); // all inactive expired; 0 has one active
    // A refused attempt counts as one inactive entry for 10 s, never as active.
    b.opened(ps[1], false);
    b.closed(ps[1], CLOSE_REFUSED);
    expect(b.pick()!.id).toBe(2);
  });
});

describe("power-of-two", () => {
  const p2 = (choiceCount: number, sampling: "with-replacement" | "distinct", scope = "p2") =>
    createBalancer("power-of-two", scope, { ...ctx, powerOfTwo: { choiceCount, sampling } });
  /** How often, in m picks, the one busy pod of n is chosen. */
  function busyPicks(b: ReturnType<typeof p2>, n: number, m: number): number {
    const ps = pods(n);
    b.update(ps);
    b.opened(ps[0], true);
    let busy = 0;
    for (let i = 0; i < m; i++) if (b.pick()!.id === 0) busy++;
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
    const c = counts(Array.from({ length: 30_000 }, () => b.pick()), n);
    expect(chiSquareUniform(c)).toBeLessThan(chiSquareQuantile(n - 1, 0.999));
  });

  it("returns null on an empty view", () => {
    expect(p2(2, "with-replacement").pick()).toBeNull();
  });
});

describe("static-upstream", () => {
  it("keeps the first list it is given and offers the others after a refusal", () => {
    const b = createBalancer("static-upstream", "s", ctx);
    const ps = pods(4);
    b.update(ps.slice(0, 3));
    b.update([ps[3]]);
    expect([b.pick(), b.pick(), b.pick(), b.pick()].map((p) => p!.id)).toEqual([0, 1, 2, 0]);
    expect(b.nextUpstreamTries).toBe(2);
  });
});
