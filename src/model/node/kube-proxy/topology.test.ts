/**
 * CategorizeEndpoints: Cluster traffic goes to the Ready endpoints (else serving-terminating ones);
 * Local traffic to the node's own Ready endpoints, else its own serving-terminating ones; the
 * service health check counts the local Ready ones only.
 */
import { describe, expect, it } from "vitest";
import { EndpointSlice, type EndpointConditions } from "../../api/endpoint-slice.js";
import { Service } from "../../api/service.js";
import type { Pod } from "../kubelet/pod.js";
import { categorizeEndpoints } from "./topology.js";

const service = new Service(0, { name: "web", selector: { app: "web" }, allowEmpty: false, type: "LoadBalancer", externalTrafficPolicy: "Local", loadBalancer: null });
const ep = (id: number, node: number, state: "ready" | "terminating" | "gone-unready"): EndpointConditions => ({
  pod: { id, node } as Pod,
  ready: state === "ready",
  serving: state !== "gone-unready",
  terminating: state !== "ready",
});
const ids = (pods: readonly Pod[] | null) => pods?.map((p) => p.id);

describe("categorizeEndpoints", () => {
  const slice = new EndpointSlice(service, 1, [ep(0, 0, "ready"), ep(1, 0, "ready"), ep(2, 1, "terminating"), ep(3, 2, "gone-unready")]);

  it("gives Cluster traffic every Ready endpoint and computes no local set without a Local policy", () => {
    expect(categorizeEndpoints(slice, 1, false)).toEqual({ cluster: slice.usable, local: null, localReady: 0 });
    expect(ids(slice.usable)).toEqual([1, 0]);
  });

  it("gives Local traffic the node's own Ready endpoints, else its serving-terminating ones, else none", () => {
    expect(categorizeEndpoints(slice, 0, true)).toMatchObject({ localReady: 2 });
    expect(ids(categorizeEndpoints(slice, 0, true).local)).toEqual([1, 0]);
    // Node 1's only pod is terminating but serving: traffic still goes there, the health check fails.
    expect(ids(categorizeEndpoints(slice, 1, true).local)).toEqual([2]);
    expect(categorizeEndpoints(slice, 1, true).localReady).toBe(0);
    // Node 2's pod no longer serves; node 3 has none.
    expect(ids(categorizeEndpoints(slice, 2, true).local)).toEqual([]);
    expect(ids(categorizeEndpoints(slice, 3, true).local)).toEqual([]);
  });
});
