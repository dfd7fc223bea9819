/**
 * The scheduler's spreading: the live, uncordoned node with the fewest pods of the deployment (in
 * the zone with the fewest first), then the fewest pods, then the first in node order; and the
 * per-node counts it reads, kept by the nodes as pods come and go.
 */
import { describe, expect, it } from "vitest";
import type { RandomStream } from "../../random/index.js";
import type { Pod } from "../node/kubelet/pod.js";
import type { KubeProxy } from "../node/kube-proxy/kube-proxy.js";
import { Node } from "../node/node.js";
import { PodsPerNode, schedule } from "./scheduler.js";

let serial = 0;
const pod = (deployment: string) => ({ deployment, name: `${deployment}-${serial++}` }) as unknown as Pod;

function cluster(zones: number[]): { nodes: Node[]; placed: PodsPerNode } {
  const placed = new PodsPerNode();
  const nodes = zones.map((zone, i) => new Node(i, {} as KubeProxy, {} as RandomStream, zone, placed));
  return { nodes, placed };
}

/** Places `n` pods of `deployment` one by one, as the ReplicaSet controller asks; returns their nodes' indices. */
function place(nodes: Node[], placed: PodsPerNode, deployment: string, n: number): number[] {
  const at: number[] = [];
  for (let k = 0; k < n; k++) {
    const node = schedule(nodes, deployment, placed)!;
    node.addPod(pod(deployment));
    at.push(node.index);
  }
  return at;
}

describe("schedule", () => {
  it("spreads a deployment over the nodes, ties to the first in node order", () => {
    const { nodes, placed } = cluster([-1, -1, -1, -1]);
    expect(place(nodes, placed, "web", 6)).toEqual([0, 1, 2, 3, 0, 1]);
  });

  it("counts each deployment's pods apart, and all pods second", () => {
    const { nodes, placed } = cluster([-1, -1, -1]);
    place(nodes, placed, "db", 2); // nodes 0 and 1
    // Each node has no web pod: the one with fewest pods in all (node 2) goes first.
    expect(place(nodes, placed, "web", 4)).toEqual([2, 0, 1, 2]);
    expect(nodes.map((n) => n.podsOf("web"))).toEqual([1, 1, 2]);
    expect(nodes.map((n) => n.podsOf("db"))).toEqual([1, 1, 0]);
  });

  it("prefers the fewest of the deployment's pods over the fewest pods in all", () => {
    const { nodes, placed } = cluster([-1, -1]);
    for (let k = 0; k < 2; k++) nodes[0].addPod(pod("web"));
    for (let k = 0; k < 3; k++) nodes[1].addPod(pod("db"));
    expect(schedule(nodes, "web", placed)!.index).toBe(1);
    expect(schedule(nodes, "db", placed)!.index).toBe(0);
  });

  it("skips dead and cordoned nodes, and answers null when none is left", () => {
    const { nodes, placed } = cluster([-1, -1, -1]);
    nodes[0].alive = false;
    nodes[2].unschedulable = true;
    expect(place(nodes, placed, "web", 2)).toEqual([1, 1]);
    nodes[1].unschedulable = true;
    expect(schedule(nodes, "web", placed)).toBeNull();
  });

  it("forgets a pod that is gone, on its node only", () => {
    const { nodes, placed } = cluster([-1, -1, -1]);
    place(nodes, placed, "web", 3);
    const gone = [...nodes[1].pods][0];
    nodes[1].removePod(gone);
    nodes[1].removePod(gone); // a second removal changes nothing
    expect(nodes.map((n) => n.podsOf("web"))).toEqual([1, 0, 1]);
    expect(schedule(nodes, "web", placed)!.index).toBe(1);
  });

  it("puts the zone with the fewest of the deployment's pods first", () => {
    // Zone 0 has three nodes, zone 1 one: spreading over zones fills node 3 as often as zone 0's three.
    const { nodes, placed } = cluster([0, 0, 0, 1]);
    expect(place(nodes, placed, "web", 4)).toEqual([0, 3, 1, 3]);
    nodes[3].alive = false; // zone 1 has no live node left: zone 0's emptiest node
    expect(schedule(nodes, "web", placed)!.index).toBe(2);
  });

  it("leaves a dead node's pods out of its zone's count", () => {
    const { nodes, placed } = cluster([0, 0, 1, 1]);
    nodes[0].addPod(pod("web"));
    for (let k = 0; k < 2; k++) nodes[3].addPod(pod("web"));
    nodes[3].alive = false;
    // Live: zone 0 holds one web pod, zone 1 none (node 3's two are on a dead node).
    expect(schedule(nodes, "web", placed)!.index).toBe(2);
  });

  it("reads nodes added after the counts began, and owners never placed", () => {
    const { nodes, placed } = cluster([-1, -1]);
    place(nodes, placed, "web", 2);
    nodes.push(new Node(2, {} as KubeProxy, {} as RandomStream, -1, placed));
    expect(nodes[2].podsOf("web")).toBe(0);
    expect(place(nodes, placed, "web", 1)).toEqual([2]);
    expect(nodes.map((n) => n.podsOf("never"))).toEqual([0, 0, 0]);
  });
});
