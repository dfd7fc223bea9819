/**
 * sessionAffinity: ClientIP through the whole model: with a long timeout every client stays on the
 * pod its first connection reached, so the pods' loads follow how the clients fell on them: balls
 * into bins, C clients into N pods, whose counts have E[CV^2] = (N - 1) / C.
 */
import { describe, expect, it } from "vitest";
import { podLoads } from "../report/rows.js";
import { coefficientOfVariation } from "../stats/skew.js";
import { meanAndError, runCluster, scenarioFrom } from "./test-support.js";

const affine = (affinity: string, clients: number, policy = "random") =>
  scenarioFrom(`
duration: 30s
warmup: 2s
policies: [${policy}]
cluster: { nodes: 2 }
services: [{ name: web, selector: { app: web }${affinity} }]
deployments:
  - name: web
    replicas: 4
    labels: { app: web }
    pod: { concurrency: 16, queueLimit: 1000, serviceTime: 5ms }
workload: [{ service: web, arrivals: { type: poisson, rate: 400 }, timeout: 2s, clients: ${clients} }]
`);

const cv2 = (s: ReturnType<typeof affine>, seed: number) => {
  const c = runCluster(s, s.policies[0], seed);
  return coefficientOfVariation(podLoads(c, c.services[0])) ** 2;
};

describe("sessionAffinity: ClientIP", () => {
  it("makes the pods' load skew that of C clients thrown into N pods: E[CV^2] = (N - 1) / C", () => {
    const s = affine(", sessionAffinity: ClientIP", 8);
    const runs = Array.from({ length: 60 }, (_, i) => cv2(s, 100 + i));
    const { mean, se } = meanAndError(runs);
    expect(Math.abs(mean - 3 / 8)).toBeLessThanOrEqual(4 * se);
    expect(se).toBeLessThan(0.05);
  });

  it("keeps each client on one pod, for any kube-proxy mode", () => {
    for (const policy of ["random", "round-robin", "ipvs-mh"]) {
      const s = affine(", sessionAffinity: ClientIP", 2, policy);
      const c = runCluster(s);
      // 2 clients on 4 pods: each client's requests all go to one pod, so at most 2 pods receive any.
      const served = c.pods.filter((p) => p.received > 0).length;
      expect(served).toBeLessThanOrEqual(2);
      // Without affinity both clients reach every pod (maglev hashing is sticky by itself).
      if (policy !== "ipvs-mh") expect(runCluster(affine("", 2, policy)).pods.filter((p) => p.received > 0).length).toBe(4);
      const total = c.pods.reduce((a, p) => a + p.received, 0);
      expect(total).toBeGreaterThan(10000);
    }
  });

  it("without affinity the same clients spread evenly (random: CV about 1/sqrt(requests per pod))", () => {
    const s = affine("", 8);
    expect(Math.sqrt(cv2(s, 100))).toBeLessThan(0.03);
  });

  it("a timeout shorter than the gaps between a client's connections gives no affinity", () => {
    const s = scenarioFrom(`
duration: 400s
warmup: 2s
cluster: { nodes: 1 }
services: [{ name: web, selector: { app: web }, sessionAffinity: ClientIP, sessionAffinityConfig: { clientIP: { timeoutSeconds: 1 } } }]
deployments: [{ name: web, replicas: 4, labels: { app: web }, pod: { concurrency: 4, serviceTime: 5ms } }]
workload: [{ service: web, arrivals: { type: constant, rate: 0.5 }, timeout: 2s, clients: 1 }]
`);
    const c = runCluster(s);
    // One client, one request every 2 s: each finds its entry expired and picks afresh, so all 4 pods get some.
    expect(c.pods.filter((p) => p.received > 0).length).toBe(4);
  });
});
