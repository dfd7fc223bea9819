/**
 * The HPA in a running cluster: after a step in load it settles on the replica count its formula
 * predicts, ceil(load x service time / (concurrency x target)) for CPU and ceil(rate / target) for
 * requests per second; it holds inside the tolerance; it scales down only once the stabilisation
 * window has passed; its decisions are marked in the time series.
 */
import { describe, expect, it } from "vitest";
import { Cluster } from "../../cluster.js";
import { every, scenarioFrom } from "../../test-support.js";

/** A deployment of `replicas` one-worker pods serving a constant 100 ms, under constant load plus an optional Poisson step. */
const stepScenario = (opts: { replicas: number; base: number; step?: string; hpa: string; duration?: number }) =>
  scenarioFrom(`
duration: ${opts.duration ?? 600}s
warmup: 10s
interval: 5s
services: [{ name: web, selector: { app: web } }]
deployments:
  - name: web
    replicas: ${opts.replicas}
    labels: { app: web }
    pod: { concurrency: 1, queueLimit: 1000, serviceTime: 100ms, startup: 2s, readiness: { period: 1s } }
horizontalPodAutoscalers:
  - ${opts.hpa}
workload:
  - { service: web, arrivals: { type: constant, rate: ${opts.base} } }
${opts.step ? `  - { service: web, arrivals: ${opts.step} }` : ""}
`);

/** Runs the scenario, sampling the deployment's replicas every second. */
function replicasOver(c: Cluster): Map<number, number> {
  const seen = new Map<number, number>();
  every(c, 1, 0, (now) => seen.set(Math.round(now), c.deployments.get("web")!.replicas));
  c.run();
  return seen;
}

describe("HorizontalPodAutoscaler", () => {
  it("after a step in load reaches ceil(load x service time / (concurrency x CPU target)), and stays", () => {
    // 7.5/s, then 27.5/s from 60 s: 2.75 busy workers at a 50 % target wants ceil(5.5) = 6 pods.
    const s = stepScenario({
      replicas: 2,
      base: 7.5,
      step: "{ type: ramp, from: 0, to: 20, over: 0s, start: 60s }",
      hpa: "{ name: web, deployment: web, minReplicas: 1, maxReplicas: 20, metrics: [{ type: cpu, averageUtilization: 50% }] }",
    });
    const c = new Cluster(s, "random", 1);
    const replicas = replicasOver(c);
    // Before the step: 0.75 busy workers over 2 pods is 37.5 %, ratio 0.75: the HPA wants ceil(1.5) = 2, no change.
    expect(replicas.get(59)).toBe(2);
    // Saturated pods read 100 %: the first step is to ceil(2 x 100/50) = 4, then ceil(4 x 68.75/50) = 6.
    // ceil(2 x 97/50) = 4 first (saturated pods read about 100 %), then ceil(4 x 68.75/50) = 6, never more.
    const changes = c.autoscalers[0].decisions.filter((d) => d.desired !== d.current);
    expect([changes[0].current, changes[0].desired]).toEqual([2, 4]);
    expect(Math.max(...c.autoscalers[0].decisions.map((d) => d.desired))).toBe(6);
    expect(replicas.get(600)).toBe(6);
    // Each change is marked in the time series.
    const marks = c.metrics[0].series.marks.flat().filter((m) => m.startsWith("hpa web"));
    expect(marks[0]).toMatch(/^hpa web 2->4 cpu (9\d|100)%\/50%$/);
    expect(marks).toHaveLength(changes.length);
  });

  it("holds while the metric is within the 10 % tolerance of its target, and acts just outside it", () => {
    // 10/s of 100 ms over 2 pods: 50 % each.
    const at = (target: number) =>
      new Cluster(
        stepScenario({ replicas: 2, base: 10, hpa: `{ name: web, deployment: web, maxReplicas: 10, metrics: [{ type: cpu, averageUtilization: ${target} }] }`, duration: 120 }),
        "random",
        1,
      );
    const inside = at(47); // 50/47 = 1.064
    inside.run();
    expect(inside.deployments.get("web")!.replicas).toBe(2);
    expect(inside.autoscalers[0].decisions.every((d) => d.desired === 2)).toBe(true);
    const outside = at(44); // 50/44 = 1.136: ceil(2 x 1.136) = 3
    outside.run();
    expect(outside.deployments.get("web")!.replicas).toBe(3);
  });

  it("on requests per second: ceil(rate / target); a scale-down waits out the 300 s stabilisation window", () => {
    // 30/s over 6 pods at a target of 10/s per pod: 5/s each, ratio 0.5: wants 3, but only once 300 s
    // of recommendations agree (the run starts with none, so the first syncs already agree).
    // Then 30/s -> 60/s at 400 s wants 6 at once (no scale-up window), and stays: 10/s per pod.
    const s = stepScenario({
      replicas: 6,
      base: 30,
      step: "{ type: ramp, from: 0, to: 30, over: 0s, start: 400s }",
      hpa: "{ name: web, deployment: web, minReplicas: 1, maxReplicas: 20, metrics: [{ type: requests-per-second, averageValue: 10/s }] }",
      duration: 800,
    });
    const c = new Cluster(s, "random", 1);
    const replicas = replicasOver(c);
    const changes = c.autoscalers[0].decisions.filter((d) => d.desired !== d.current);
    expect([changes[0].current, changes[0].desired]).toEqual([6, 3]);
    expect(replicas.get(399)).toBe(3);
    // The first sample after the step straddles it (a partial rise, 3 -> 5); the new pods' first samples
    // include their start-up (a Pods metric, unlike CPU, keeps unready pods' samples) and pull the mean
    // down into the tolerance for a few syncs: 6 comes within 90 s.
    expect(changes[1].at).toBeGreaterThan(400);
    const six = c.autoscalers[0].decisions.find((d) => d.desired === 6 && d.at > 400)!;
    expect(six.at).toBeLessThan(400 + 90);
    expect(Math.max(...changes.map((d) => d.desired))).toBe(6);
    // Back at 6 pods with the load halved again nothing would happen for 300 s: here the load stays.
    expect(replicas.get(810)).toBe(6);
  });

  it("scale-down is held by the highest recommendation of the last 300 s (no behavior), and by a shorter window when given", () => {
    // 60/s for 100 s on 6 pods (ratio 1 at 10/s per pod), then 15/s: it wants 2 from ~115 s on.
    const hpa = (behavior: string) =>
      `{ name: web, deployment: web, minReplicas: 1, maxReplicas: 20, metrics: [{ type: requests-per-second, averageValue: 10/s }]${behavior} }`;
    const scenario = (behavior: string) =>
      scenarioFrom(`
duration: 600s
warmup: 10s
services: [{ name: web, selector: { app: web } }]
deployments:
  - { name: web, replicas: 6, labels: { app: web }, pod: { concurrency: 1, queueLimit: 1000, serviceTime: 10ms } }
horizontalPodAutoscalers: [${hpa(behavior)}]
workload:
  - { service: web, arrivals: { type: ramp, from: 60, to: 15, over: 0s, start: 100s } }
`);
    const decisions = (behavior: string) => {
      const c = new Cluster(scenario(behavior), "random", 1);
      c.run();
      return c.autoscalers[0].decisions;
    };
    /** When the HPA last recommended 6 (or more) before `t`. */
    const lastSix = (t: number, behavior: string) => Math.max(...decisions(behavior).filter((d) => d.at < t && d.proposed >= 6).map((d) => d.at));
    const downs = (behavior: string) => {
      const c = new Cluster(scenario(behavior), "random", 1);
      c.run();
      return c.autoscalers[0].decisions.filter((d) => d.desired < d.current);
    };
    // The first scale-down comes once the window has passed the last recommendation of 6 (legacy: a
    // recommendation exactly at the cutoff still counts; with behavior only those strictly inside it).
    const legacy = downs("");
    expect(legacy[0].at - lastSix(legacy[0].at, "")).toBeCloseTo(300 + 15, 6);
    expect(legacy[legacy.length - 1].desired).toBe(2);
    const short = downs(", behavior: { scaleDown: { stabilizationWindow: 60s } }");
    expect(short[0].at - lastSix(short[0].at, ", behavior: { scaleDown: { stabilizationWindow: 60s } }")).toBeCloseTo(60, 6);
    expect(short[short.length - 1].desired).toBe(2);
    expect(short[0].at).toBeLessThan(legacy[0].at - 200);
    // A Pods policy of 1 per 30 s takes it down one pod at a time.
    const slow = new Cluster(scenario(", behavior: { scaleDown: { stabilizationWindow: 0s, policies: [{ type: Pods, value: 1, period: 30s }] } }"), "random", 1);
    slow.run();
    const steps = slow.autoscalers[0].decisions.filter((d) => d.desired < d.current);
    expect(steps.map((d) => d.current - d.desired)).toEqual([1, 1, 1, 1]);
    for (let i = 1; i < steps.length; i++) expect(steps[i].at - steps[i - 1].at).toBeGreaterThanOrEqual(30);
  });
});
