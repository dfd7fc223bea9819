/** EndpointSlice conditions and kube-proxy's choice of endpoints from them (KEP-1669, topology.go). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EndpointSlice, type EndpointConditions } from "./endpoint-slice.js";
import type { Pod } from "../node/kubelet/pod.js";
import { PLAIN_SERVICE, Service } from "./service.js";

const service = new Service(0, { name: "web", selector: { app: "web" }, allowEmpty: false, ...PLAIN_SERVICE });
const ep = (id: number, ready: boolean, serving: boolean, terminating: boolean): EndpointConditions => ({
  pod: { id } as Pod,
  ready,
  serving,
  terminating,
});

describe("EndpointSlice.usable", () => {
  it("uses Ready endpoints only when there are some", () => {
    const s = new EndpointSlice(service, 1, [ep(0, true, true, false), ep(1, false, true, true), ep(2, false, false, false)]);
    expect(s.usable.map((p) => p.id)).toEqual([0]);
    expect(s.readyCount).toBe(1);
  });

  it("falls back to serving-terminating endpoints, never to terminating-not-serving ones", () => {
    const s = new EndpointSlice(service, 1, [ep(0, false, true, true), ep(1, false, false, true), ep(2, false, false, false)]);
    expect(s.usable.map((p) => p.id)).toEqual([0]);
    expect(new EndpointSlice(service, 2, [ep(1, false, false, true)]).usable).toEqual([]);
  });
});

describe("EndpointSlice after a previous generation", () => {
  const endpoint = fc.record({ id: fc.integer({ min: 0, max: 6 }), ready: fc.boolean(), serving: fc.boolean(), terminating: fc.boolean() });
  const list = fc.array(endpoint, { maxLength: 8 }).map((es) => es.map((e) => ep(e.id, e.ready, e.serving, e.terminating)));
  // One Pod object per id, as the controller's generations share them.
  const pods = Array.from({ length: 7 }, (_, id) => ({ id }) as Pod);
  const withPods = (es: EndpointConditions[]) => es.map((e) => ({ ...e, pod: pods[e.pod.id] }));

  it("lists the same usable pods as a slice made alone, sharing the previous array exactly when it is the same list", () => {
    fc.assert(
      fc.property(list, list, (a, b) => {
        const previous = new EndpointSlice(service, 1, withPods(a));
        const alone = new EndpointSlice(service, 2, withPods(b));
        const after = new EndpointSlice(service, 2, withPods(b), previous);
        expect(after.usable).toEqual(alone.usable);
        expect(after.readyCount).toBe(alone.readyCount);
        const same = alone.usable.length === previous.usable.length && alone.usable.every((p, i) => p === previous.usable[i]);
        expect(after.usable === previous.usable).toBe(same);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("Service.selects", () => {
  it("needs every selector label, with the same value", () => {
    const pod = (labels: Record<string, string>) => ({ labels }) as unknown as Pod;
    const svc = new Service(0, { name: "s", selector: { app: "web", tier: "front" }, allowEmpty: false, ...PLAIN_SERVICE });
    expect(svc.selects(pod({ app: "web", tier: "front", version: "v2" }))).toBe(true);
    expect(svc.selects(pod({ app: "web" }))).toBe(false);
    expect(svc.selects(pod({ app: "web", tier: "back" }))).toBe(false);
  });
});
