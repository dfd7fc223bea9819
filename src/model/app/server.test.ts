/**
 * What the app does at SIGTERM (onSigterm): drain, exit at once, or ignore it until SIGKILL.
 */
import { describe, expect, it } from "vitest";
import { Cluster } from "../cluster.js";
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
