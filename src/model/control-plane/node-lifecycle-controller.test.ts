import { describe, expect, it } from "vitest";
import { Simulation } from "../../engine/index.js";
import type { RandomStream } from "../../random/index.js";
import type { Pod } from "../node/kubelet/pod.js";
import type { KubeProxy } from "../node/kube-proxy/kube-proxy.js";
import { Node } from "../node/node.js";
import { NodeLifecycleController } from "./node-lifecycle-controller.js";
import { PodsPerNode } from "./scheduler.js";

/** When the controller marks a node failed at 100 s NotReady, its lease renewal and check phase drawn as given. */
function notReadyAt(grace: number, renewalDraw: number, phaseDraw: number): number {
  const sim = new Simulation();
  const draws = [renewalDraw, phaseDraw];
  const node = new Node(0, {} as KubeProxy, { random: () => draws.shift()! } as unknown as RandomStream, -1, new PodsPerNode());
  let at = -1;
  node.pods.add({ markNotReady: () => (at = sim.now), forceRemove: () => {} } as unknown as Pod);
  const controller = new NodeLifecycleController(sim, grace);
  sim.at(100, { onEvent: () => controller.nodeFailed(node) });
  sim.run(200);
  return at;
}

describe("the node lifecycle controller", () => {
  it("counts the grace period from the check that observed the last lease renewal (probeTimestamp)", () => {
    // Renewed at 95 s (draw 0.5 of the 10 s interval before 100 s); checks at 4 s + 5k: the
    // renewal is observed at 99 s, 99 + 42 = 141 s, so the node is marked at the 144 s check, not
    // at 139 s, the first check past 95 + 42.
    expect(notReadyAt(42, 0.5, 0.8)).toBeCloseTo(144, 9);
    // Observed at 96 s with checks at 1 s + 5k: 96 + 42 = 138, marked at 141 s.
    expect(notReadyAt(42, 0.5, 0.2)).toBeCloseTo(141, 9);
  });

  it("with a grace period that is a whole number of periods, marks the node at the check that many periods after the observation", () => {
    // The loop restarts its 5 s period after each pass (wait.Until is sliding), so that check is already past the grace period.
    expect(notReadyAt(50, 0.5, 0.8)).toBeCloseTo(149, 9);
    expect(notReadyAt(40, 0.05, 0.0)).toBeCloseTo(140, 9);
  });
});
