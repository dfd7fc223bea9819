/**
 * DaemonSets: a pod per node, new nodes included and cordoned ones kept; RollingUpdate within
 * maxUnavailable (the old pod gone before the new one starts) or maxSurge (the new one beside the
 * old); a node that is down stalls a rollout and keeps its pod; OnDelete waits for deletions.
 */
import { describe, expect, it } from "vitest";
import type { EventHandler } from "../../engine/index.js";
import { Cluster } from "../cluster.js";
import { scenarioFrom } from "../test-support.js";

const agent = (strategy: string, events: string, nodes = 4) =>
  scenarioFrom(`
duration: 200s
warmup: 10s
cluster: { nodes: ${nodes} }
services: [{ name: agent, selector: { app: agent } }]
deployments: [{ name: web, replicas: 2, labels: { app: web } }]
daemonSets:
  - name: agent
    labels: { app: agent }
    ${strategy}
    pod: { startup: 4s, readiness: { period: 1s }, preStop: 2s }
workload: [{ service: agent, arrivals: { type: poisson, rate: 50 } }]
events:
${events}
`);

interface Watch {
  /** Most nodes at once without an available (Ready, not terminating) agent pod. */
  maxNodesDown: number;
  /** Most agent pods on one node at once (terminating ones included). */
  maxPodsOnNode: number;
}

/** Runs the scenario, watching the agent pods every 100 ms from `from` on. */
function run(s: ReturnType<typeof agent>, from = 30): { c: Cluster; w: Watch } {
  const c = new Cluster(s, "random", s.seed);
  const w: Watch = { maxNodesDown: 0, maxPodsOnNode: 0 };
  const h: EventHandler = {
    onEvent(sim) {
      let down = 0;
      for (const node of c.nodes) {
        const pods = [...node.pods].filter((p) => p.deployment === "agent");
        w.maxPodsOnNode = Math.max(w.maxPodsOnNode, pods.length);
        if (!pods.some((p) => p.ready && !p.terminating)) down++;
      }
      w.maxNodesDown = Math.max(w.maxNodesDown, down);
      sim.after(0.1, h);
    },
  };
  c.sim.at(from, h);
  c.run();
  return { c, w };
}

const agentPods = (c: Cluster) => c.pods.filter((p) => p.deployment === "agent");
const marks = (c: Cluster) => c.metrics[0].series.marks.flat();

describe("DaemonSet", () => {
  it("runs one pod per node, on a new node too, keeps it through cordon and a drain", () => {
    const { c, w } = run(
      agent("", `  - { at: 20s, action: node-up }\n  - { at: 30s, action: drain, node: 0 }`),
      40,
    );
    expect(agentPods(c).map((p) => [p.name, p.node])).toEqual([
      ["agent-0", 0],
      ["agent-1", 1],
      ["agent-2", 2],
      ["agent-3", 3],
      ["agent-4", 4],
    ]);
    expect(w.maxNodesDown).toBe(0);
    expect(c.drains[0].history.every((h) => !h.pod.startsWith("agent"))).toBe(true);
  });

  it("rolls at most maxUnavailable nodes at a time (default 1), the old pod gone before the new one starts", () => {
    const { c, w } = run(agent("", `  - { at: 30s, action: rollout, daemonSet: agent, version: v2 }`));
    expect(w.maxNodesDown).toBe(1);
    expect(w.maxPodsOnNode).toBe(1);
    const live = agentPods(c).filter((p) => !p.gone);
    expect(live.map((p) => p.version)).toEqual(["v2", "v2", "v2", "v2"]);
    expect(marks(c)).toEqual(expect.arrayContaining(["rollout-start agent v2", "rollout-end agent v2"]));
  });

  it("rounds a percentage of maxUnavailable up: 50% of 3 nodes is 2", () => {
    const { w } = run(agent(`updateStrategy: { rollingUpdate: { maxUnavailable: "50%" } }`, `  - { at: 30s, action: rollout, daemonSet: agent }`, 3));
    expect(w.maxNodesDown).toBe(2);
  });

  it("with maxSurge starts the new pod beside the old one and never leaves a node without an available pod", () => {
    const { c, w } = run(agent(`updateStrategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }`, `  - { at: 30s, action: rollout, daemonSet: agent, version: v2 }`));
    expect(w.maxNodesDown).toBe(0);
    expect(w.maxPodsOnNode).toBe(2);
    expect(agentPods(c).filter((p) => !p.gone).map((p) => p.version)).toEqual(["v2", "v2", "v2", "v2"]);
  });

  it("stalls a rollout on a node that is down, whose pod stays for ever", () => {
    const { c } = run(agent("", `  - { at: 20s, action: node-down, node: 3 }\n  - { at: 100s, action: rollout, daemonSet: agent, version: v2 }`));
    // Node 3's pod is NotReady (unavailable): it takes the one unavailable slot, so nothing rolls.
    expect(agentPods(c).filter((p) => p.version === "v2")).toEqual([]);
    expect(c.podByName("agent-3")!.gone).toBe(false);
    expect(marks(c)).toContain("rollout-start agent v2");
    expect(marks(c)).not.toContain("rollout-end agent v2");
  });

  it("with OnDelete leaves the old pods; only a new node gets the new template", () => {
    const { c } = run(agent(`updateStrategy: { type: OnDelete }`, `  - { at: 30s, action: rollout, daemonSet: agent, version: v2 }\n  - { at: 40s, action: node-up }`));
    expect(agentPods(c).map((p) => p.version)).toEqual(["v1", "v1", "v1", "v1", "v2"]);
  });
});
