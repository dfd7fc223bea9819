/**
 * The kubelet's side of a pod: Ready without a readiness probe, the PLEG's delay in seeing a
 * crash, and when CrashLoopBackOff restarts come, by Kubernetes version and feature gate.
 */
import { describe, expect, it } from "vitest";
import { Cluster } from "../../cluster.js";
import { OUTCOMES } from "../../metrics.js";
import { every, runCluster, scenarioFrom, watchConditions } from "../../test-support.js";

const REFUSED = OUTCOMES.indexOf("refused");

describe("a pod without a readiness probe (the Kubernetes default)", () => {
  const scaleUp = (readiness: string) =>
    scenarioFrom(`
duration: 40s
warmup: 5s
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 2, labels: { app: web }, pod: { startup: 5s${readiness} } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 200 } }]
events: [{ at: 10s, action: scale, deployment: web, replicas: 3 }]
`);

  it("is Ready as soon as the kubelet sees its container running, before the app listens, and refuses meanwhile", () => {
    const c = runCluster(scaleUp(""));
    const pod = c.podByName("web-2")!;
    expect(pod.readySince - pod.createdAt).toBeGreaterThanOrEqual(0);
    expect(pod.readySince - pod.createdAt).toBeLessThan(1);
    expect(pod.dropped).toBeGreaterThan(50);
    expect(c.metrics[0].outcomes[REFUSED]).toBe(pod.dropped);
  });

  it("with a readiness probe, waits for the app: nothing is refused", () => {
    const c = runCluster(scaleUp(", readiness: { period: 1s }"));
    const pod = c.podByName("web-2")!;
    expect(pod.readySince - pod.createdAt).toBeGreaterThanOrEqual(5);
    expect(c.metrics[0].outcomes[REFUSED]).toBe(0);
  });
});

describe("crash detection", () => {
  it("comes when the PLEG next relists: uniformly 0-1 s after the crash", () => {
    const n = 60;
    const s = scenarioFrom(`
duration: 20s
warmup: 0s
cluster: { nodes: 6 }
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: ${n}, labels: { app: web }, pod: { startup: 30s } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 10 } }]
events: [{ at: 10s, action: crash, deployment: web, count: ${n} }]
`);
    const c = new Cluster(s, "random", 1);
    const seen: number[] = [];
    watchConditions(c, (pod, now) => {
      if (!pod.ready && now >= 10) seen.push(now - 10);
    });
    c.run();
    expect(seen).toHaveLength(n);
    const mean = seen.reduce((a, x) => a + x, 0) / n;
    // Uniform on [0, 1): mean 1/2, standard error sqrt(1/12/n).
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...seen)).toBeLessThan(1);
    expect(Math.max(...seen) - Math.min(...seen)).toBeGreaterThan(0.8);
  });
});

describe("CrashLoopBackOff restarts", () => {
  /** Restart times of web-0, which crashes at 10 s (restarted at once), 30 s (10 s backoff) and 60 s (20 s backoff). */
  function restarts(cluster: string, seed: number): number[] {
    const s = scenarioFrom(`
duration: 150s
warmup: 0s
cluster: ${cluster}
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 2, labels: { app: web }, pod: { startup: 1s, crashDetection: 500ms } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 10 } }]
events:
  - { at: 10s, action: crash, pods: [web-0] }
  - { at: 30s, action: crash, pods: [web-0] }
  - { at: 60s, action: crash, pods: [web-0] }
`);
    const c = new Cluster(s, "random", seed);
    const starts: number[] = [];
    every(c, 0.01, 0.005, () => {
      const t = c.podByName("web-0")!.containerStartedAt;
      if (t > 0 && !starts.includes(t)) starts.push(t);
    });
    c.run();
    return starts;
  }
  const seeds = Array.from({ length: 10 }, (_, i) => i + 1);

  it("up to v1.33 come up to 16 s after the backoff ran out: the pod worker rechecks every 10-15 s", () => {
    const late = seeds.map((seed) => {
      const [first, second, third] = restarts("{ kubernetesVersion: '1.33' }", seed);
      expect(first).toBeCloseTo(10.5, 9);
      expect(second).toBeGreaterThanOrEqual(40);
      expect(third).toBeGreaterThanOrEqual(80);
      return [second - 40, third - 80];
    });
    for (const [a, b] of late) {
      expect(a).toBeLessThanOrEqual(16);
      expect(b).toBeLessThanOrEqual(16);
    }
    // The 20 s backoff is seen 0.5 s after the crash: the first recheck (10.5-16.5 s) is too early,
    // the second (21-32 s) is late by 1-12 s.
    const mean = late.reduce((acc, [, b]) => acc + b, 0) / late.length;
    expect(mean).toBeGreaterThan(3);
  });

  it("from v1.34 come when the backoff runs out, up to half the wait late", () => {
    for (const seed of seeds) {
      const [first, second, third] = restarts("{ kubernetesVersion: '1.34' }", seed);
      expect(first).toBeCloseTo(10.5, 9);
      expect(second - 40).toBeGreaterThanOrEqual(0);
      expect(second - 40).toBeLessThanOrEqual(0.5 * 9.5 + 1);
      expect(third - 80).toBeGreaterThanOrEqual(0);
      expect(third - 80).toBeLessThanOrEqual(0.5 * 19.5 + 1);
    }
  });

  it("with ReduceDefaultCrashLoopBackOffDecay back off 1 s, then 2 s", () => {
    for (const seed of seeds) {
      const [first, second, third] = restarts("{ kubernetesVersion: '1.34', featureGates: { ReduceDefaultCrashLoopBackOffDecay: true } }", seed);
      expect(first).toBeCloseTo(10.5, 9);
      // 1 s after the 30 s crash: seen at 30.5 s, requeued for 0.5-0.75 s, picked up at the next 1 s tick.
      expect(second).toBeGreaterThanOrEqual(31);
      expect(second).toBeLessThanOrEqual(32.25);
      expect(third).toBeGreaterThanOrEqual(62);
      expect(third).toBeLessThanOrEqual(64);
    }
  });
});
