/**
 * Probes through the app: an HTTP probe waits for a worker like a request and fails on a 503 or
 * after timeoutSeconds, so overloaded pods leave the endpoints; liveness probes restart the
 * container; startup probes hold the others off and restart a container that never starts.
 */
import { describe, expect, it } from "vitest";
import { Cluster } from "../../../cluster.js";
import { OUTCOMES } from "../../../metrics.js";
import { runCluster, scenarioFrom, watchConditions } from "../../../test-support.js";

const NO_ENDPOINTS = OUTCOMES.indexOf("no-endpoints");

/** When each pod's Ready condition went from true to false. */
function notReadyTimes(c: Cluster): number[] {
  const wasReady = new Map<number, boolean>();
  const times: number[] = [];
  watchConditions(c, (pod, now) => {
    if (wasReady.get(pod.id) !== false && !pod.ready && !pod.gone) times.push(now);
    wasReady.set(pod.id, pod.ready);
  });
  return times;
}

/** One worker, 1.5 s of work per request, one request a second: the queue grows without bound. */
const swamped = (pod: string) =>
  scenarioFrom(`
duration: 60s
warmup: 5s
services: [{ name: web, selector: { app: web } }]
deployments:
  - { name: web, replicas: 1, labels: { app: web }, pod: { concurrency: 1, queueLimit: 1000, serviceTime: 1.5s, ${pod} } }
workload: [{ service: web, arrivals: { type: constant, rate: 1 }, timeout: 10s }]
`);

describe("an HTTP readiness probe", () => {
  it("waits for a worker like a request and fails when no answer comes within timeoutSeconds", () => {
    const c = new Cluster(swamped("readiness: { period: 2s }"), "random", 1);
    const down = notReadyTimes(c);
    c.run();
    expect(down.length).toBeGreaterThan(0);
    // Out of the endpoints, the pod drains its queue, passes again and comes back: it flaps.
    expect(down.length).toBeGreaterThan(2);
    expect(c.metrics[0].outcomes[NO_ENDPOINTS]).toBeGreaterThan(0);
  });

  it("answered by the kernel (tcp) passes whatever the app's queue", () => {
    const c = new Cluster(swamped("readiness: { period: 2s, handler: tcp }"), "random", 1);
    const down = notReadyTimes(c);
    c.run();
    expect(down).toEqual([]);
  });

  it("gets a 503 at once when the app's workers and queue are full", () => {
    const c = new Cluster(
      scenarioFrom(`
duration: 30s
warmup: 0s
services: [{ name: web, selector: { app: web } }]
deployments:
  - { name: web, replicas: 1, labels: { app: web }, pod: { concurrency: 1, queueLimit: 0, serviceTime: 5s, readiness: { period: 1s, timeout: 20s } } }
workload: [{ service: web, arrivals: { type: constant, rate: 10 } }]
`),
      "random",
      1,
    );
    const down = notReadyTimes(c);
    c.run();
    // Three failed probes a second apart, each answered at once: well before one 20 s timeout.
    expect(down.length).toBeGreaterThan(0);
    expect(down[0]).toBeLessThan(4);
  });

  it("under overload takes pods out of the endpoints, which pushes their load onto the rest: the cascade", () => {
    // 4 pods of 4 workers at 20 ms: 800/s at most; 1,000/s arrive. A full queue of 500 is 2.5 s of
    // work, longer than the probe's 1 s timeout.
    const cascade = (handler: string) =>
      runCluster(
        scenarioFrom(`
duration: 60s
warmup: 5s
services: [{ name: web, selector: { app: web } }]
deployments:
  - { name: web, replicas: 4, labels: { app: web }, pod: { concurrency: 4, queueLimit: 500, serviceTime: 20ms, readiness: { period: 5s, handler: ${handler} } } }
workload: [{ service: web, arrivals: { type: poisson, rate: 1000 }, timeout: 2s }]
`),
      ).metrics[0];
    const http = cascade("http");
    const tcp = cascade("tcp");
    expect(tcp.outcomes[NO_ENDPOINTS]).toBe(0);
    // Every pod out at once at times: kube-proxy rejects everything then.
    expect(http.outcomes[NO_ENDPOINTS]).toBeGreaterThan(1000);
    const ready = http.series.gauges.map((g) => g.readyEndpoints);
    expect(Math.min(...ready)).toBe(0);
    expect(ready.some((n) => n > 0 && n < 4)).toBe(true);
  });

  it("is not a client request: the pod's received count leaves it out", () => {
    const c = runCluster(
      scenarioFrom(`
duration: 30s
warmup: 0s
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 2, labels: { app: web }, pod: { readiness: { period: 1s } } }]
workload: [{ service: web, arrivals: { type: constant, rate: 10 } }]
`),
    );
    expect(c.pods.reduce((n, p) => n + p.received, 0)).toBe(c.metrics[0].arrivals);
  });
});

describe("a liveness probe", () => {
  it("restarts the container after failureThreshold failures in a row", () => {
    const c = runCluster(swamped("startup: 1s, terminationGracePeriod: 5s, liveness: { period: 2s, failureThreshold: 3 }"));
    const pod = c.podByName("web-0")!;
    // Killed each time its queue outgrows the probe's timeout, drained and restarted.
    expect(pod.restarts).toBeGreaterThan(2);
    expect(pod.gone).toBe(false);
  });

  it("without a startup probe, kills an app that starts slower than its failures allow", () => {
    const slow = (startupProbe: string) =>
      runCluster(
        scenarioFrom(`
duration: 60s
warmup: 0s
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 1, labels: { app: web } }]
workload: [{ service: web, arrivals: { type: constant, rate: 5 } }]
events: [{ at: 1s, action: rollout, deployment: web, pod: { startup: 12s, liveness: { period: 2s, failureThreshold: 2 }${startupProbe} } }]
`),
      );
    const without = slow("").pods.find((p) => p.version === "v2")!;
    expect(without.restarts).toBeGreaterThan(0);
    expect(without.appUp).toBe(false);
    const withProbe = slow(", startupProbe: { period: 1s, failureThreshold: 30 }").pods.find((p) => p.version === "v2")!;
    expect(withProbe.restarts).toBe(0);
    expect(withProbe.endpointReady).toBe(true);
  });
});

describe("a startup probe", () => {
  const rollout = (pod: string) =>
    new Cluster(
      scenarioFrom(`
duration: 80s
warmup: 0s
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 1, labels: { app: web } }]
workload: [{ service: web, arrivals: { type: constant, rate: 5 } }]
events: [{ at: 1s, action: rollout, deployment: web, pod: { ${pod} } }]
`),
      "random",
      1,
    );

  it("holds the readiness probe off until it passes, then readiness is probed at once", () => {
    const c = rollout("startup: 6s, startupProbe: { period: 1s, failureThreshold: 30 }, readiness: { period: 30s }");
    c.run();
    const pod = c.pods.find((p) => p.version === "v2")!;
    // The app listens at 7 s; the startup probe passes within a period; readiness follows at once,
    // not at its next 30 s tick.
    expect(pod.readySince).toBeGreaterThanOrEqual(7);
    expect(pod.readySince).toBeLessThanOrEqual(8 + 1e-9);
  });

  it("restarts a container that does not start within failureThreshold probes", () => {
    const c = rollout("startup: 100s, startupProbe: { period: 1s, failureThreshold: 5 }");
    c.run();
    const pod = c.pods.find((p) => p.version === "v2")!;
    expect(pod.restarts).toBeGreaterThanOrEqual(2);
    expect(pod.readySince).toBe(-1);
  });
});
