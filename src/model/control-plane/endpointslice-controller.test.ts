/**
 * The EndpointSlice controller: changes made at one instant publish one slice, and slice
 * generations share the endpoint objects of the pods whose conditions did not change, so a
 * generation costs its two arrays rather than a copy of every endpoint.
 */
import { describe, expect, it } from "vitest";
import { Simulation } from "../../engine/index.js";
import type { EndpointSlice } from "../api/endpoint-slice.js";
import { PLAIN_SERVICE, Service } from "../api/service.js";
import type { Pod } from "../node/kubelet/pod.js";
import { EndpointSliceController } from "./endpointslice-controller.js";

const service = new Service(0, { name: "web", selector: { app: "web" }, allowEmpty: false, ...PLAIN_SERVICE });

interface FakePod {
  id: number;
  node: number;
  labels: Record<string, string>;
  ready: boolean;
  terminating: boolean;
  gone: boolean;
}
const pod = (id: number): FakePod => ({ id, node: 0, labels: { app: "web" }, ready: true, terminating: false, gone: false });

function setup(n: number) {
  const sim = new Simulation();
  const published: EndpointSlice[] = [];
  const controller = new EndpointSliceController(sim, service, 0, (s) => published.push(s));
  const pods = Array.from({ length: n }, (_, i) => pod(i));
  for (const p of pods) controller.podCreated(p as unknown as Pod);
  controller.syncNow();
  return { sim, controller, pods, published };
}

describe("EndpointSliceController", () => {
  it("publishes one slice for the changes of one instant", () => {
    const { sim, controller, pods, published } = setup(4);
    pods[0].ready = false;
    pods[1].ready = false;
    controller.podChanged(pods[0] as unknown as Pod);
    controller.podChanged(pods[1] as unknown as Pod);
    sim.run(1);
    expect(published.map((s) => s.readyCount)).toEqual([2]);
  });

  it("shares each unchanged endpoint between slice generations: one object per pod and set of conditions", () => {
    const { sim, controller, pods, published } = setup(1000);
    const first = controller.current;
    for (let k = 0; k < 5; k++) {
      pods[k].ready = false;
      controller.podChanged(pods[k] as unknown as Pod);
      sim.run(k + 1);
    }
    expect(published).toHaveLength(5);
    const objects = new Set([first, ...published].flatMap((s) => s.endpoints));
    // 1,000 endpoints, then one new object per change: not 6 x 1,000.
    expect(objects.size).toBe(1005);
    const last = published[4];
    expect(last.endpoints[999]).toBe(first.endpoints[999]);
    expect(last.endpoints[0]).not.toBe(first.endpoints[0]);
    expect(last.endpoints[0]).toMatchObject({ ready: false, serving: false, terminating: false });
    expect(last.readyCount).toBe(995);
  });

  it("drops a pod that is gone, and a pod that comes back to its old conditions gets a fresh object equal to the old", () => {
    const { sim, controller, pods } = setup(3);
    const before = controller.current.endpoints[1];
    pods[1].ready = false;
    controller.podChanged(pods[1] as unknown as Pod);
    sim.run(1);
    pods[1].ready = true;
    controller.podChanged(pods[1] as unknown as Pod);
    sim.run(2);
    expect(controller.current.endpoints[1]).toEqual(before);
    pods[2].gone = true;
    controller.podChanged(pods[2] as unknown as Pod);
    sim.run(3);
    expect(controller.current.endpoints.map((e) => e.pod.id)).toEqual([0, 1]);
  });
});
