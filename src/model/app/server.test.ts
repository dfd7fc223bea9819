/**
 * What the app does at SIGTERM (onSigterm): drain, exit at once, or ignore it until SIGKILL; what
 * a new connection to its pod is answered.
 */
import { describe, expect, it } from "vitest";
import { Cluster } from "../cluster.js";
import { ACCEPTED, REFUSED as REFUSED_SYN, RELEASED, UNREACHABLE } from "../clients/offer.js";
import { OUTCOMES } from "../metrics.js";
import { every, scenarioFrom } from "../test-support.js";

const REFUSED = OUTCOMES.indexOf("refused");
const RESET = OUTCOMES.indexOf("reset");

/** Scales 2 pods of 20 s requests to 1 at 30 s (no preStop, 5 s grace); `heldAt(t)` is what the deleted pod held just before t. */
function scaleDown(onSigterm: string) {
  const s = scenarioFrom(`
duration: 60s
warmup: 0s
cluster: { proxy: { watchLatency: { type: uniform, min: 500ms, max: 1s } } }
services: [{ name: web, selector: { app: web } }]
deployments:
  - name: web
    replicas: 2
    labels: { app: web }
    pod: { concurrency: 1000, queueLimit: 0, serviceTime: 20s, terminationGracePeriod: 5s, onSigterm: ${onSigterm} }
workload: [{ service: web, arrivals: { type: poisson, rate: 20 } }]
events: [{ at: 30s, action: scale, deployment: web, replicas: 1 }]
`);
  const c = new Cluster(s, "random", 3);
  const held = new Map<number, number[]>();
  for (const t of [30, 35]) every(c, 1000, t - 1e-6, () => held.set(t, c.pods.map((p) => p.inFlight)));
  c.run();
  const victim = c.pods.find((p) => p.terminating)!;
  return { victim, m: c.metrics[0], heldAt: (t: number) => held.get(t)![victim.id] };
}

describe("the app at SIGTERM", () => {
  it("drain (the default): stops accepting, so connections from stale views are refused, and finishes what it holds until SIGKILL", () => {
    const { victim, m } = scaleDown("drain");
    expect(m.outcomes[REFUSED]).toBeGreaterThan(0);
    expect(victim.goneAt).toBeCloseTo(35, 9);
  });

  it("exit: dies at once, and every request it held is reset", () => {
    const { victim, m, heldAt } = scaleDown("exit");
    expect(victim.goneAt).toBeCloseTo(30, 9);
    expect(heldAt(30)).toBeGreaterThan(100);
    expect(m.outcomes[RESET]).toBe(heldAt(30));
  });

  it("ignore: keeps accepting and serving until SIGKILL, which resets what it holds then", () => {
    const { victim, m, heldAt } = scaleDown("ignore");
    expect(victim.goneAt).toBeCloseTo(35, 9);
    // Nothing is refused: stale views' connections reach an app that still accepts.
    expect(m.outcomes[REFUSED]).toBe(0);
    expect(heldAt(35)).toBeGreaterThan(100);
    expect(m.outcomes[RESET]).toBe(heldAt(35));
  });
});

describe("a new connection's answer, kept on the app server", () => {
  // The server answers a SYN without a read of its Pod (see AppServer.offer): its kept answer must
  // be what the pod's state says at every moment, through crashes, a rollout's drains and
  // terminations, pods gone for good, and a node that dies under its pods.
  for (const onSigterm of ["drain", "exit", "ignore"]) {
    it(`is the pod's answer at every moment (onSigterm: ${onSigterm})`, () => {
      const s = scenarioFrom(`
duration: 400s
warmup: 0s
cluster: { nodes: 3 }
services: [{ name: web, selector: { app: web } }]
deployments:
  - name: web
    replicas: 6
    labels: { app: web }
    pod: { concurrency: 2, serviceTime: 50ms, terminationGracePeriod: 5s, onSigterm: ${onSigterm}, readiness: {} }
workload: [{ service: web, arrivals: { type: poisson, rate: 50 } }]
events:
  - { at: 10s, action: crash, pods: [web-1] }
  - { at: 30s, action: rollout, deployment: web, version: v2 }
  - { at: 90s, action: node-down, node: 1 }
  - { at: 120s, action: scale, deployment: web, replicas: 3 }
`);
      const c = new Cluster(s, "random", 5);
      const kinds = new Set<number>();
      let checks = 0;
      every(c, 0.1, 0, () => {
        for (const pod of c.pods) {
          const kept = (pod.server as unknown as { answer: number }).answer;
          const answer = pod.unreachable ? UNREACHABLE : pod.gone ? RELEASED : pod.server.accepting ? ACCEPTED : REFUSED_SYN;
          expect(kept).toBe(answer);
          kinds.add(answer);
          checks++;
        }
      });
      c.run();
      expect(checks).toBeGreaterThan(5_000);
      // Every answer came up: the test saw each kind of change.
      expect([...kinds].sort()).toEqual([ACCEPTED, REFUSED_SYN, UNREACHABLE, RELEASED].sort());
    });
  }
});
