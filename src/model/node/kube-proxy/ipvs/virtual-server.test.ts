/**
 * A node's IPVS table: each node lists the real servers in its own random order (the Go set's
 * iteration order), new ones at the head, the others in place; rr and lc pick in that order.
 */
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../../../random/index.js";
import { chiSquareQuantile, chiSquareUniform } from "../../../../stats/theory.js";
import type { Pod } from "../../kubelet/pod.js";
import { RoundRobinBalancer } from "./rr.js";
import { IpvsVirtualServer } from "./virtual-server.js";

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
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(() => t.pick(0)!.id)).toEqual([...cycle, ...cycle]);
  });
});
