/** ClientIP affinity as iptables' `recent` lists keep it: per source, refreshed by each new connection, gone with its endpoint. */
import { describe, expect, it } from "vitest";
import type { Pod } from "../kubelet/pod.js";
import { NO_POD, type Balancer } from "./balancer.js";
import { ClientIpAffinity } from "./session-affinity.js";

const pods = [0, 1, 2].map((id) => ({ id }) as Pod);

/** A mode whose picks go round its list, so a fresh pick is visible. */
class Cycle implements Balancer {
  readonly nextUpstreamTries = 0;
  private endpoints: readonly Pod[] = [];
  private next = 0;
  picks = 0;
  update(endpoints: readonly Pod[]): void {
    this.endpoints = endpoints;
  }
  pick(): number {
    this.picks++;
    return this.endpoints.length === 0 ? NO_POD : this.endpoints[this.next++ % this.endpoints.length].id;
  }
  opened(): void {}
  closed(): void {}
}

function setup(timeout = 10) {
  const clock = { now: 0 };
  const inner = new Cycle();
  const b = new ClientIpAffinity(inner, timeout, clock);
  b.update(pods);
  return { clock, inner, b, at: (t: number, source = 7) => ((clock.now = t), b.pick(source)) };
}

describe("ClientIpAffinity", () => {
  it("sends a source back to its endpoint while each new connection comes within the timeout", () => {
    const { at, inner } = setup();
    expect(at(0)).toBe(0);
    expect(at(9)).toBe(0);
    expect(at(18)).toBe(0); // refreshed at 9
    expect(inner.picks).toBe(1);
    expect(at(28)).toBe(1); // 10 s after the last connection: a fresh pick
  });

  it("keeps one entry per source address", () => {
    const { at } = setup();
    expect(at(0, 1)).toBe(0);
    expect(at(0, 2)).toBe(1);
    expect(at(1, 1)).toBe(0);
    expect(at(1, 2)).toBe(1);
  });

  it("forgets an endpoint that leaves the rules, even if it comes back", () => {
    const { at, b, clock } = setup(100);
    expect(at(0)).toBe(0);
    clock.now = 5;
    b.update([pods[1], pods[2]]);
    expect(at(6)).toBe(2); // a fresh pick
    clock.now = 7;
    b.update(pods);
    expect(at(8)).toBe(2); // its entry is now for pod 2; pod 0's list was freed and starts empty
  });

  it("keeps the entry of an endpoint that stays in the rules across rewrites", () => {
    const { at, b, clock } = setup(100);
    expect(at(0)).toBe(0);
    clock.now = 5;
    b.update([pods[0], pods[2]]);
    expect(at(6)).toBe(0);
  });
});
