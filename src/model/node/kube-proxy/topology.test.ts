/** kube-proxy's endpoint categories, case by case as pkg/proxy/topology_test.go states them. */
import { describe, expect, it } from "vitest";
import { EndpointSlice, type EndpointConditions, type EndpointHints } from "../../api/endpoint-slice.js";
import { PLAIN_SERVICE, Service } from "../../api/service.js";
import type { ServiceSpec } from "../../../scenario/types.js";
import type { Pod } from "../kubelet/pod.js";
import { categorizeEndpoints } from "./topology.js";

const service = (spec: Partial<ServiceSpec> = {}) => new Service(0, { name: "web", selector: { app: "web" }, allowEmpty: false, ...PLAIN_SERVICE, ...spec });
const LOCAL = service({ internalTrafficPolicy: "Local" });
const CLUSTER = service();

/** An endpoint of pod `id` on node `node`; `state` r(eady), s(erving-terminating), t(erminating, not serving), n(ot ready). */
function ep(id: number, node: number, state: "r" | "s" | "t" | "n", hints?: EndpointHints): EndpointConditions {
  const pod = { id, node } as Pod;
  const c = { pod, ready: state === "r", serving: state === "r" || state === "s", terminating: state === "s" || state === "t" };
  return hints === undefined ? c : { ...c, hints };
}
const zone = (z: number) => ({ forZone: z, forNode: -1 });
const ids = (pods: readonly Pod[] | null) => (pods === null ? null : pods.map((p) => p.id));
const slice = (svc: Service, endpoints: EndpointConditions[]) => new EndpointSlice(svc, 1, endpoints);

describe("categorizeEndpoints: Cluster policy", () => {
  it("without hints uses every Ready endpoint, in the slice's usable order (the same list)", () => {
    const s = slice(CLUSTER, [ep(0, 0, "r"), ep(1, 1, "r"), ep(2, 2, "n")]);
    const c = categorizeEndpoints(s, CLUSTER, { node: 0, zone: 0 });
    expect(c.cluster).toBe(s.usable);
    expect(ids(c.cluster)).toEqual([1, 0]);
    expect(c.local).toBeNull();
    expect(c.hasAnyEndpoints).toBe(true);
  });

  it("with zone hints keeps the endpoints hinted for this node's zone", () => {
    const s = slice(CLUSTER, [ep(0, 0, "r", zone(0)), ep(1, 1, "r", zone(1)), ep(2, 2, "r", zone(0))]);
    expect(ids(categorizeEndpoints(s, CLUSTER, { node: 1, zone: 1 }).cluster)).toEqual([1]);
    expect(ids(categorizeEndpoints(s, CLUSTER, { node: 0, zone: 0 }).cluster)).toEqual([2, 0]);
  });

  it("falls back to every endpoint when no endpoint is hinted for this zone", () => {
    const s = slice(CLUSTER, [ep(0, 0, "r", zone(0)), ep(1, 1, "r", zone(1))]);
    expect(ids(categorizeEndpoints(s, CLUSTER, { node: 2, zone: 2 }).cluster)).toEqual([1, 0]);
  });

  it("ignores zone hints unless every Ready endpoint has one (non-Ready ones do not count)", () => {
    const some = slice(CLUSTER, [ep(0, 0, "r", zone(0)), ep(1, 1, "r")]);
    expect(ids(categorizeEndpoints(some, CLUSTER, { node: 0, zone: 0 }).cluster)).toEqual([1, 0]);
    const notReady = slice(CLUSTER, [ep(0, 0, "r", zone(0)), ep(1, 1, "n"), ep(2, 1, "r", zone(1))]);
    expect(ids(categorizeEndpoints(notReady, CLUSTER, { node: 0, zone: 0 }).cluster)).toEqual([0]);
  });

  it("prefers the node's own endpoints with node hints, else its zone's, else all", () => {
    const h = (z: number, n: number) => ({ forZone: z, forNode: n });
    const s = slice(CLUSTER, [ep(0, 0, "r", h(0, 0)), ep(1, 1, "r", h(0, 1)), ep(2, 2, "r", h(1, 2))]);
    expect(ids(categorizeEndpoints(s, CLUSTER, { node: 1, zone: 0 }).cluster)).toEqual([1]);
    expect(ids(categorizeEndpoints(s, CLUSTER, { node: 3, zone: 0 }).cluster)).toEqual([1, 0]);
    expect(ids(categorizeEndpoints(s, CLUSTER, { node: 4, zone: 2 }).cluster)).toEqual([2, 1, 0]);
  });

  it("falls back to serving-terminating endpoints, whatever their zone, when none is Ready", () => {
    const s = slice(CLUSTER, [ep(0, 0, "s"), ep(1, 1, "t"), ep(2, 2, "s")]);
    const c = categorizeEndpoints(s, CLUSTER, { node: 0, zone: 0 });
    expect(ids(c.cluster)).toEqual([2, 0]);
    expect(c.hasAnyEndpoints).toBe(true);
  });

  it("has no endpoints when none is Ready or serving", () => {
    const c = categorizeEndpoints(slice(CLUSTER, [ep(0, 0, "t"), ep(1, 1, "n")]), CLUSTER, { node: 0, zone: 0 });
    expect(ids(c.cluster)).toEqual([]);
    expect(c.hasAnyEndpoints).toBe(false);
  });
});

describe("categorizeEndpoints: Local policy", () => {
  it("uses only this node's Ready endpoints", () => {
    const s = slice(LOCAL, [ep(0, 0, "r"), ep(1, 1, "r"), ep(2, 0, "r")]);
    const c = categorizeEndpoints(s, LOCAL, { node: 0, zone: -1 });
    expect(ids(c.local)).toEqual([2, 0]);
    expect(c.cluster).toBeNull();
  });

  it("falls back to this node's serving-terminating endpoints, on its own", () => {
    const s = slice(LOCAL, [ep(0, 0, "s"), ep(1, 1, "r")]);
    const c = categorizeEndpoints(s, LOCAL, { node: 0, zone: -1 });
    expect(ids(c.local)).toEqual([0]);
  });

  it("has none on a node without a local endpoint, while the Service has endpoints elsewhere (DROP, not REJECT)", () => {
    const s = slice(LOCAL, [ep(0, 0, "r"), ep(1, 1, "s")]);
    const c = categorizeEndpoints(s, LOCAL, { node: 2, zone: -1 });
    expect(ids(c.local)).toEqual([]);
    expect(c.hasAnyEndpoints).toBe(true);
    const none = categorizeEndpoints(slice(LOCAL, [ep(0, 0, "t")]), LOCAL, { node: 0, zone: -1 });
    expect(none.hasAnyEndpoints).toBe(false);
  });

  it("ignores topology hints", () => {
    const s = slice(LOCAL, [ep(0, 0, "r", zone(1)), ep(1, 1, "r", zone(0))]);
    expect(ids(categorizeEndpoints(s, LOCAL, { node: 0, zone: 0 }).local)).toEqual([0]);
  });
});

describe("categorizeEndpoints: externalTrafficPolicy", () => {
  const EXTERNAL_LOCAL = service({ type: "LoadBalancer", externalTrafficPolicy: "Local" });

  it("a Local external policy adds the node's own endpoints beside the Cluster ones of in-cluster traffic", () => {
    expect([EXTERNAL_LOCAL.usesClusterEndpoints, EXTERNAL_LOCAL.usesLocalEndpoints, EXTERNAL_LOCAL.externalRulesDiffer]).toEqual([true, true, true]);
    // externalTrafficPolicy means nothing on a ClusterIP Service.
    const clusterIp = service({ externalTrafficPolicy: "Local" });
    expect([clusterIp.usesLocalEndpoints, clusterIp.externalRulesDiffer]).toEqual([false, false]);
    const s = slice(EXTERNAL_LOCAL, [ep(0, 0, "r"), ep(1, 0, "r"), ep(2, 1, "s"), ep(3, 2, "t")]);
    const at = (node: number) => categorizeEndpoints(s, EXTERNAL_LOCAL, { node, zone: -1 });
    expect(ids(at(0).cluster)).toEqual([1, 0]);
    expect(ids(at(0).local)).toEqual([1, 0]);
    // Node 1's only pod is terminating but serving: Local traffic still goes there; its health check fails.
    expect(ids(at(1).local)).toEqual([2]);
    expect(at(1).localReady).toBe(0);
    // Node 2's pod no longer serves, node 3 has none: both DROP (the Service has endpoints elsewhere).
    expect(ids(at(2).local)).toEqual([]);
    expect(ids(at(3).local)).toEqual([]);
    expect(at(3).hasAnyEndpoints).toBe(true);
  });

  it("counts the node's Ready endpoints for the service health check", () => {
    const s = slice(EXTERNAL_LOCAL, [ep(0, 0, "r"), ep(1, 0, "r"), ep(2, 0, "s"), ep(3, 1, "r")]);
    expect(categorizeEndpoints(s, EXTERNAL_LOCAL, { node: 0, zone: -1 }).localReady).toBe(2);
    expect(categorizeEndpoints(s, CLUSTER, { node: 0, zone: -1 }).localReady).toBe(0);
  });
});
