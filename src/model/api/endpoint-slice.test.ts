/** EndpointSlice conditions and kube-proxy's choice of endpoints from them (KEP-1669, topology.go). */
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

describe("Service.selects", () => {
  it("needs every selector label, with the same value", () => {
    const pod = (labels: Record<string, string>) => ({ labels }) as unknown as Pod;
    const svc = new Service(0, { name: "s", selector: { app: "web", tier: "front" }, allowEmpty: false, ...PLAIN_SERVICE });
    expect(svc.selects(pod({ app: "web", tier: "front", version: "v2" }))).toBe(true);
    expect(svc.selects(pod({ app: "web" }))).toBe(false);
    expect(svc.selects(pod({ app: "web", tier: "back" }))).toBe(false);
  });
});
