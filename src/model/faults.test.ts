/**
 * Faults and churn: a crash drops requests only while some node's view still holds the dead pod;
 * rolling updates with and without a preStop long enough to cover kube-proxy's lag; maxUnavailable
 * 0; SIGKILL at the grace period; Recreate; static upstreams; keep-alive skew; node failure.
 */
import { describe, expect, it } from "vitest";
import type { Outcome } from "../scenario/types.js";
import type { Attempt } from "./clients/attempt.js";
import { OUTCOMES } from "./metrics.js";
import { Cluster } from "./cluster.js";
import { every, runCluster, scenarioFrom, total } from "./test-support.js";

const REFUSED = OUTCOMES.indexOf("refused");
const RESET = OUTCOMES.indexOf("reset");
const TIMEOUT = OUTCOMES.indexOf("timeout");
const UNREACHABLE = OUTCOMES.indexOf("unreachable");

/** Calls `see` with every attempt's outcome as the workloads end it. */
function onOutcome(c: Cluster, see: (a: Attempt, outcome: Outcome) => void): void {
  for (const wl of c.workloads) {
    const ended = wl.attemptEnded.bind(wl);
    wl.attemptEnded = (a, outcome) => {
      see(a, outcome);
      ended(a, outcome);
    };
  }
}

/** Counts the connections the nodes' balancers see opened (established or not). */
function countOpened(c: Cluster): { count: number } {
  const opened = { count: 0 };
  for (const node of c.nodes) {
    const b = node.proxy.views[0].picker;
    const open = b.opened.bind(b);
    b.opened = (pod, established) => {
      opened.count++;
      open(pod, established);
    };
  }
  return opened;
}

const web = (pod: string, extra = "") => {
  const startup = pod.includes("startup:") ? "" : ", startup: 1s";
  return `
services: [{ name: web, selector: { app: web } }]
deployments:
  - name: web
    replicas: 4
    labels: { app: web }
    pod: { concurrency: 8, queueLimit: 50, serviceTime: { type: exponential, mean: 10ms }, readiness: { period: 1s }${startup}${pod} }
${extra}`;
};

describe("random crashes (a crashes event)", () => {
  it("mark each crash that happens in the time series, with the pod", () => {
    const s = scenarioFrom(`
duration: 300s
warmup: 0s
${web(", crashDetection: 1s")}
workload: [{ service: web, arrivals: { type: poisson, rate: 20 } }]
events: [{ at: 0s, action: crashes, deployment: web, mtbf: 60s }]
`);
    const c = runCluster(s, "random");
    const marks = c.metrics[0].series.marks.flatMap((m) => m.filter((t) => t.startsWith("crash ")));
    // Each crash restarts its container once; a pick of a pod already down is no crash and no mark.
    const restarts = c.pods.reduce((n, p) => n + p.restarts, 0);
    expect(marks.length).toBeGreaterThan(5);
    expect(marks.length - restarts).toBeGreaterThanOrEqual(0);
    expect(marks.length - restarts).toBeLessThanOrEqual(c.pods.length); // a pod's last crash may restart after the end
    for (const m of marks) expect(m).toMatch(/^crash web-\d+$/);
  });
});

describe("a crash", () => {
  it("drops requests only while some node's view still holds the dead pod", () => {
    const s = scenarioFrom(`
duration: 60s
warmup: 5s
interval: 100ms
cluster: { nodes: 4, proxy: { watchLatency: 500ms, minSyncPeriod: 0 } }
${web(", crashDetection: 1s")}
workload: [{ service: web, arrivals: { type: poisson, rate: 400 } }]
events: [{ at: 20s, action: crash, pods: [web-0] }]
`);
    const c = runCluster(s, "random");
    const series = c.metrics[0].series;
    // Crash at 20 s, NotReady at 21 s, every view updated 0.5 s later.
    const lastStaleEnd = 21.5;
    let dropsInWindow = 0;
    for (let i = 0; i < series.length; i++) {
      const start = 5 + i * 0.1;
      const drops = series.outcomes[REFUSED][i] + series.outcomes[RESET][i];
      if (start + 0.1 <= 20 - 1e-9 || start >= lastStaleEnd + 1e-9) expect(drops, `interval at ${start.toFixed(1)} s`).toBe(0);
      else dropsInWindow += drops;
    }
    expect(dropsInWindow).toBeGreaterThan(50);
    // The pod restarted after its CrashLoopBackOff and came back.
    const pod = c.podByName("web-0")!;
    expect(pod.restarts).toBe(1);
    expect(pod.endpointReady).toBe(true);
  });

  it("with a slower proxy drops more: the dead pod's share for the whole lag", () => {
    const run = (latency: string) =>
      runCluster(
        scenarioFrom(`
duration: 60s
warmup: 5s
cluster: { nodes: 4, proxy: { watchLatency: ${latency}, minSyncPeriod: 0 } }
${web(", crashDetection: 1s, startup: 10s")}
workload: [{ service: web, arrivals: { type: poisson, rate: 400 } }]
events: [{ at: 20s, action: crash, pods: [web-0] }]
`),
      ).metrics[0].outcomes[REFUSED];
    const fast = run("100ms");
    const slow = run("3s");
    // Refused ~ rate x share x (detection + latency): 400 x 1/4 x 1.1 = 110 and 400 x 1/4 x 4 = 400.
    expect(fast).toBeGreaterThan(70);
    expect(fast).toBeLessThan(150);
    expect(slow).toBeGreaterThan(330);
    expect(slow).toBeLessThan(470);
  });

  it("on a busy cluster drops more: other Services' changes spend kube-proxy's tokens and its rewrites take time", () => {
    const run = (proxy: string) =>
      runCluster(
        scenarioFrom(`
duration: 300s
warmup: 5s
cluster: { nodes: 4, proxy: { watchLatency: { type: uniform, min: 0s, max: 200ms }, minSyncPeriod: 1s, ${proxy} } }
services: [{ name: web, selector: { app: web } }]
deployments:
  - name: web
    replicas: 8
    labels: { app: web }
    pod: { concurrency: 8, queueLimit: 50, serviceTime: { type: exponential, mean: 10ms }, readiness: { period: 1s }, startup: 10s, crashDetection: 1s }
workload: [{ service: web, arrivals: { type: poisson, rate: 400 } }]
events: [{ at: 10s, action: crashes, deployment: web, mtbf: 200s }]
`),
      ).metrics[0].outcomes[REFUSED];
    // Each crash is refused for detection (1 s) + watch (0.1 s on average) on an idle cluster.
    const idle = run("");
    // 20 changes a second keep each runner at one rewrite per second: a crash waits 0.5 s more on
    // average for the next one, about 1.45 times the idle lag. (Crash times are random: a runner
    // busy with steady churn keeps one phase.)
    const churn = run("background: { changes: 20/s }");
    expect(churn).toBeGreaterThan(idle * 1.2);
    // Rewrites of 0.3 s (10,000 endpoints at 30 us each) come on top.
    const slowWrites = run("background: { changes: 20/s, endpoints: 10000 }, syncDuration: { perEndpoint: 30us }");
    expect(slowWrites).toBeGreaterThan(churn * 1.1);
  });

  it("restarts with CrashLoopBackOff: at once, then no sooner than 10 s, then 20 s after each crash", () => {

    const s = scenarioFrom(`
duration: 200s
warmup: 0s
cluster: { kubernetesVersion: "1.34" }
${web(", crashDetection: 1s")}
workload: [{ service: web, arrivals: { type: poisson, rate: 10 } }]
events:
  - { at: 10s, action: crash, pods: [web-1] }
  - { at: 30s, action: crash, pods: [web-1] }
  - { at: 60s, action: crash, pods: [web-1] }
`);
    const c = new Cluster(s, "random", 1);
    const upAt: number[] = [];
    let wasUp = true;
    every(c, 0.01, 0.005, (now) => {
      const up = c.podByName("web-1")!.appUp;
      if (up && !wasUp) upAt.push(now);
      wasUp = up;
    });
    c.run();
    // Crash at 10 s: restarted when the kubelet sees it (11 s). Crash at 30 s: restarted once the
    // 10 s backoff from the crash ran out, at 40 s, the pod worker's recheck up to half the 9 s left
    // (and a 1 s sync tick) late; at 60 s: 20 s after. Each start takes 1 s.
    expect(upAt).toHaveLength(3);
    expect(upAt[0]).toBeCloseTo(12, 1);
    expect(upAt[1]).toBeGreaterThanOrEqual(41);
    expect(upAt[1]).toBeLessThanOrEqual(41 + 4.5 + 1 + 0.01);
    expect(upAt[2]).toBeGreaterThanOrEqual(81);
    expect(upAt[2]).toBeLessThanOrEqual(81 + 9.5 + 1 + 0.01);
  });
});

describe("rolling updates", () => {
  const rollout = (preStop: string, minSync: string, network = "") =>
    scenarioFrom(`
duration: 80s
warmup: 5s
cluster: { nodes: 5, proxy: { watchLatency: { type: uniform, min: 100ms, max: 2s }, minSyncPeriod: ${minSync} }, ${network} }
${web(`, preStop: ${preStop}`)}
workload: [{ service: web, arrivals: { type: poisson, rate: 500 } }]
events: [{ at: 10s, action: rollout, deployment: web, version: v2 }]
`);

  /** Runs the rollout, noting for each drop whether its pod was shutting down or gone when the attempt was sent. */
  function classify(s: ReturnType<typeof rollout>) {
    const c = new Cluster(s, "random", 1);
    const at = { refusedShuttingDown: 0, refusedOther: 0, unreachableGone: 0, unreachableOther: 0, latency: [] as number[] };
    onOutcome(c, (a, outcome) => {
      const pod = a.pod;
      if (outcome === "refused") {
        if (pod !== null && pod.terminating && !pod.gone) at.refusedShuttingDown++;
        else at.refusedOther++;
      } else if (outcome === "unreachable") {
        if (pod !== null && pod.gone && pod.goneAt <= a.sentAt) at.unreachableGone++;
        else at.unreachableOther++;
        at.latency.push(c.sim.now - a.sentAt);
      }
    });
    c.run();
    return { c, ...at };
  }

  it("without preStop, refuses new connections only while an old pod shuts down; once it has exited they go unanswered", () => {
    const r = classify(rollout("0s", "0s"));
    expect(r.c.metrics[0].outcomes[UNREACHABLE]).toBeGreaterThan(50);
    expect(r.unreachableGone).toBe(r.c.metrics[0].outcomes[UNREACHABLE]);
    expect(r.unreachableOther).toBe(0);
    expect(r.refusedOther).toBe(0);
    // Nothing answers a released IP by default: the client's connect gives up after its SYN retries.
    expect(r.latency.every((t) => Math.abs(t - 127) < 1e-9)).toBe(true);
    expect(r.c.pods.filter((p) => p.version === "v2" && p.endpointReady).length).toBe(4);
    expect(r.c.pods.filter((p) => p.version === "v1").every((p) => p.gone)).toBe(true);
  });

  it("refuses where an old pod is still draining: a long request keeps its sandbox, and so its reset, alive", () => {
    const s = rollout("0s", "0s");
    const slow = { ...s.deployments[0].pod, serviceTime: { type: "constant" as const, value: 2 }, concurrency: 400, queueLimit: 0 };
    const r = classify({ ...s, deployments: [{ ...s.deployments[0], pod: slow }] });
    expect(r.refusedShuttingDown).toBeGreaterThan(20);
    expect(r.refusedOther).toBe(0);
    expect(r.unreachableOther).toBe(0);
  });

  it("with an ICMP host-unreachable from the pod network, the connect fails after its delay; a shorter client timeout wins", () => {
    const icmp = rollout("0s", "0s", "network: { releasedPodIP: host-unreachable, hostUnreachableAfter: 3s }");
    const r = classify(icmp);
    expect(r.latency.length).toBeGreaterThan(50);
    expect(r.latency.every((t) => Math.abs(t - 3) < 1e-9)).toBe(true);
    const timedOut = runCluster({ ...icmp, workload: icmp.workload.map((w) => ({ ...w, timeout: 2 })) }).metrics[0];
    expect(timedOut.outcomes[UNREACHABLE]).toBe(0);
    expect(timedOut.outcomes[TIMEOUT]).toBeGreaterThan(50);
  });

  it("retries on refused no longer rescue requests sent to a gone pod; retries on unreachable do, after the connect fails", () => {
    const s = rollout("0s", "0s", "network: { releasedPodIP: host-unreachable, hostUnreachableAfter: 3s }");
    const withRetries = (on: string[]) => runCluster({ ...s, workload: s.workload.map((w) => ({ ...w, retries: { ...w.retries, count: 2, backoff: { type: "constant" as const, value: 0 }, on: on as never } })) }).metrics[0];
    const onRefused = withRetries(["refused"]);
    expect(onRefused.outcomes[UNREACHABLE]).toBeGreaterThan(50);
    const onUnreachable = withRetries(["refused", "unreachable"]);
    expect(onUnreachable.outcomes[UNREACHABLE]).toBeLessThan(onRefused.outcomes[UNREACHABLE] / 5);
    // Rescued, but not for free: each rescued request waited 3 s for the ICMP error first.
    expect(onUnreachable.latency.max).toBeGreaterThan(3);
  });

  it("with preStop longer than the largest watch latency, refuses none", () => {
    const c = runCluster(rollout("2.5s", "0s"));
    expect(c.metrics[0].outcomes[REFUSED]).toBe(0);
    expect(total(c.metrics[0].outcomes) - c.metrics[0].outcomes[0]).toBe(0);
  });

  it("needs preStop to cover minSyncPeriod as well when rewrites are rate-limited", () => {
    // A node that has spent its tokens writes a change up to minSyncPeriod after it came: 2 s of
    // watch latency plus 2 s. (Changes that come together are written together, so with 1 s the
    // tokens rarely run out in this rollout.)
    const drops = (preStop: string) => {
      const m = runCluster(rollout(preStop, "2s")).metrics[0];
      return total(m.outcomes) - m.outcomes[0];
    };
    expect(drops("2.5s")).toBeGreaterThan(0);
    expect(drops("4.5s")).toBe(0);
  });

  /** Rolls 8 pods with the given RollingUpdate parameters, watching Ready and total pods every 50 ms. */
  function rollEight(maxSurge: string, maxUnavailable: string) {
    const s = scenarioFrom(`
duration: 100s
warmup: 5s
services: [{ name: web, selector: { app: web } }]
deployments:
  - name: web
    replicas: 8
    labels: { app: web }
    strategy: { type: RollingUpdate, rollingUpdate: { maxSurge: ${maxSurge}, maxUnavailable: ${maxUnavailable} } }
    pod: { startup: 2s, readiness: { period: 1s } }
workload: [{ service: web, arrivals: { type: poisson, rate: 100 } }]
events: [{ at: 10s, action: rollout, deployment: web, version: v2 }]
`);
    const c = new Cluster(s, "random", 1);
    let minReady = Infinity;
    let maxPods = 0;
    every(c, 0.05, 0.001, () => {
      const dep = c.deployments.get("web")!;
      minReady = Math.min(minReady, dep.pods.filter((p) => p.endpointReady).length);
      maxPods = Math.max(maxPods, dep.pods.length);
    });
    c.run();
    const newPods = c.pods.filter((p) => p.version === "v2" && !p.gone).length;
    return { minReady, maxPods, newPods };
  }

  it("with maxUnavailable 0, never has fewer Ready pods than replicas, and surges by maxSurge", () => {
    // 8 + ceil(25% of 8) pods at most.
    expect(rollEight("25%", "0")).toEqual({ minReady: 8, maxPods: 10, newPods: 8 });
  });

  it("with maxSurge 0 and maxUnavailable 25%, goes down to 6 of 8 and never above 8", () => {
    expect(rollEight("0", "25%")).toEqual({ minReady: 6, maxPods: 8, newPods: 8 });
  });

  it("Recreate deletes every old pod before creating new ones, and drops while none is left", () => {
    const s = scenarioFrom(`
duration: 60s
warmup: 5s
services: [{ name: web, selector: { app: web } }]
deployments:
  - name: web
    replicas: 3
    labels: { app: web }
    strategy: { type: Recreate }
    pod: { startup: 2s, readiness: { period: 1s } }
workload: [{ service: web, arrivals: { type: poisson, rate: 100 } }]
events: [{ at: 10s, action: rollout, deployment: web, version: v2 }]
`);
    const c = runCluster(s);
    const v1Gone = Math.max(...c.pods.filter((p) => p.version === "v1").map((p) => p.goneAt));
    const v2Created = Math.min(...c.pods.filter((p) => p.version === "v2").map((p) => p.createdAt));
    expect(v2Created).toBeGreaterThanOrEqual(v1Gone);
    expect(c.metrics[0].outcomes[OUTCOMES.indexOf("no-endpoints")]).toBeGreaterThan(0);
  });

  it("marks the rollout's start and end in the time series", () => {
    const c = runCluster(rollout("0s", "0s"));
    const marks = c.metrics[0].series.marks.flat();
    expect(marks[0]).toBe("rollout-start web v2");
    expect(marks[1]).toBe("rollout-end web v2");
  });
});

describe("graceful termination", () => {
  it("SIGKILL at the grace period resets exactly the requests still in flight", () => {
    const s = scenarioFrom(`
duration: 60s
warmup: 0s
services: [{ name: web, selector: { app: web } }]
deployments:
  - name: web
    replicas: 2
    labels: { app: web }
    pod: { concurrency: 1000, queueLimit: 0, serviceTime: 20s, terminationGracePeriod: 5s, preStop: 0s }
workload: [{ service: web, arrivals: { type: poisson, rate: 20 } }]
events: [{ at: 30s, action: scale, deployment: web, replicas: 1 }]
`);
    const c = new Cluster(s, "random", 3);
    let heldAtKill = -1;
    every(c, 35 - 1e-6, 35 - 1e-6, () => {
      if (heldAtKill < 0) heldAtKill = c.pods.filter((p) => p.terminating && !p.gone).reduce((n, p) => n + p.inFlight, 0);
    });
    c.run();
    expect(heldAtKill).toBeGreaterThan(50);
    expect(c.metrics[0].outcomes[RESET]).toBe(heldAtKill);
    const victim = c.pods.find((p) => p.terminating)!;
    expect(victim.goneAt).toBeCloseTo(35, 9);
  });

  it("a pod that finishes its work before the grace period exits early and resets nothing", () => {
    const s = scenarioFrom(`
duration: 60s
warmup: 0s
services: [{ name: web, selector: { app: web } }]
deployments:
  - name: web
    replicas: 2
    labels: { app: web }
    pod: { concurrency: 100, serviceTime: 1s, preStop: 3s, terminationGracePeriod: 30s }
workload: [{ service: web, arrivals: { type: poisson, rate: 20 } }]
events: [{ at: 30s, action: scale, deployment: web, replicas: 1 }]
`);
    const c = runCluster(s);
    const victim = c.pods.find((p) => p.terminating)!;
    // preStop 3 s, then SIGTERM: it stops accepting and the last 1 s requests finish.
    expect(victim.goneAt).toBeGreaterThanOrEqual(33);
    expect(victim.goneAt).toBeLessThanOrEqual(34 + 1e-9);
    expect(c.metrics[0].outcomes[RESET]).toBe(0);
  });
});

describe("static-upstream", () => {
  it("loses all traffic once every original pod has been replaced; kube-proxy loses none", () => {
    const s = scenarioFrom(`
duration: 60s
warmup: 5s
policies: [static-upstream, random]
${web(", preStop: 3s")}
workload: [{ service: web, arrivals: { type: poisson, rate: 200 } }]
events: [{ at: 10s, action: rollout, deployment: web, version: v2 }]
`);
    const nginx = runCluster(s, "static-upstream");
    const lastOriginalGone = Math.max(...nginx.pods.filter((p) => p.version === "v1").map((p) => p.goneAt));
    expect(lastOriginalGone).toBeLessThan(45);
    const series = nginx.metrics[0].series;
    const first = Math.ceil(lastOriginalGone - 5) + 1;
    for (let i = first; i < series.length; i++) {
      expect(series.arrivals[i]).toBeGreaterThan(0);
      expect(series.outcomes[0][i]).toBe(0);
    }
    const proxy = runCluster(s, "random").metrics[0];
    expect(proxy.outcomes[0]).toBe(proxy.arrivals);
  });
});

describe("connections", () => {
  it("keep-alive skews load more than per-request connections at the same load", () => {
    const base = `
duration: 120s
warmup: 10s
policies: [random]
services: [{ name: web, selector: { app: web } }]
deployments:
  - name: web
    replicas: 6
    labels: { app: web }
    pod: { concurrency: 16, queueLimit: 100 }
`;
    const cv = (connections: string) =>
      runCluster(scenarioFrom(`${base}
workload: [{ service: web, arrivals: { type: poisson, rate: 300 }, clients: 8, connections: ${connections} }]`));
    const perRequest = cv("{ mode: per-request }");
    const keepAlive = cv("{ mode: keep-alive, maxRequests: 0, idleTimeout: 60s }");
    const loads = (c: Cluster) => c.pods.map((p) => p.received);
    const cvOf = (xs: number[]) => {
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length) / m;
    };
    expect(cvOf(loads(keepAlive))).toBeGreaterThan(3 * cvOf(loads(perRequest)));
    expect(cvOf(loads(keepAlive))).toBeGreaterThan(0.2);
  });

  it("round-robin spreads long-lived connections: each node's IPVS list starts in its own order", () => {
    const s = scenarioFrom(`
duration: 60s
warmup: 5s
policies: [round-robin, least-connections]
cluster: { nodes: 5 }
services: [{ name: api, selector: { app: api } }]
deployments: [{ name: api, replicas: 8, labels: { app: api }, pod: { concurrency: 8, queueLimit: 200 } }]
workload: [{ service: api, arrivals: { type: poisson, rate: 400 }, clients: 10, connections: { mode: keep-alive, maxRequests: 0, idleTimeout: 60s } }]
`);
    for (const policy of s.policies) {
      // With one shared newest-first list, the two clients of every node took the same 2 pods.
      const used = runCluster(s, policy).pods.filter((p) => p.received > 0).length;
      expect(used, policy).toBeGreaterThanOrEqual(4);
    }
  });

  /** A rollout whose preStop outlasts every node's lag, with long-lived connections: only the connections' own close can drop a request. */
  const drainingRollout = (connections: string, latency = "0.25ms") =>
    scenarioFrom(`
duration: 60s
warmup: 5s
cluster: { nodes: 5, proxy: { watchLatency: { type: uniform, min: 100ms, max: 2s }, minSyncPeriod: 0 }, network: { latency: ${latency} } }
${web(", preStop: 3s")}
workload: [{ service: web, arrivals: { type: poisson, rate: 500 }, clients: 20, connections: ${connections} }]
events: [{ at: 10s, action: rollout, deployment: web, version: v2 }]
`);

  it("a draining server closes its keep-alive connections with GOAWAY: clients reconnect and nothing is dropped", () => {
    const c = runCluster(drainingRollout("{ mode: keep-alive, maxRequests: 0, idleTimeout: none }"));
    const m = c.metrics[0];
    expect(m.arrivals).toBeGreaterThan(20_000);
    expect(m.outcomes[0]).toBe(m.arrivals);
    // The connections moved to the new pods.
    expect(c.pods.filter((p) => p.version === "v2").every((p) => p.received > 0)).toBe(true);
  });

  it("a draining server closes its HTTP/1.1 connections with a FIN: only a request crossing the FIN is reset", () => {
    const pool = "{ mode: pool, size: 4, maxRequests: 0, idleTimeout: none }";
    const quiet = runCluster(drainingRollout(pool, "0s")).metrics[0];
    expect(quiet.outcomes[0]).toBe(quiet.arrivals);
    const c = new Cluster(drainingRollout(pool, "20ms"), "random", 1);
    let crossing = 0;
    let other = 0;
    onOutcome(c, (a, outcome) => {
      if (outcome === "ok") return;
      const conn = a.connection;
      if (outcome === "reset" && conn !== null && conn.serverClosedAt >= 0 && a.sentAt >= conn.serverClosedAt && a.sentAt < conn.serverClosedAt + 0.02) crossing++;
      else other++;
    });
    c.run();
    expect(crossing).toBeGreaterThan(0);
    expect(other).toBe(0);
  });

  it("a pool keeps at most size idle connections, reusing them; a burst opens more and closes the surplus", () => {
    const pooled = (size: number) => {
      const c = new Cluster(
        scenarioFrom(`
duration: 60s
warmup: 5s
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 2, labels: { app: web }, pod: { concurrency: 1000 } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 200 }, clients: 1, connections: { mode: pool, size: ${size} } }]
`),
        "random",
        1,
      );
      const opened = countOpened(c);
      let mostIdle = 0;
      every(c, 0.01, 0.005, () => (mostIdle = Math.max(mostIdle, c.workloads[0].clients[0].idle.length)));
      c.run();
      return { opened: opened.count, mostIdle, arrivals: c.workloads[0].arrived };
    };
    const small = pooled(2);
    expect(small.mostIdle).toBe(2);
    expect(small.opened).toBeGreaterThan(small.arrivals / 50);
    expect(small.opened).toBeLessThan(small.arrivals / 2);
    const large = pooled(16);
    expect(large.mostIdle).toBeLessThanOrEqual(16);
    // maxRequests 100 (the default) closes each connection after 100 requests; little else does.
    expect(large.opened).toBeLessThan(large.arrivals / 50);
  });

  it("a keep-alive connection to a crashed pod fails its next request, then reconnects", () => {
    const s = scenarioFrom(`
duration: 60s
warmup: 5s
${web("")}
workload: [{ service: web, arrivals: { type: poisson, rate: 200 }, clients: 4, connections: { mode: keep-alive } }]
events: [{ at: 20s, action: crash, deployment: web, count: 2 }]
`);
    const c = runCluster(s);
    const m = c.metrics[0];
    expect(m.outcomes[RESET]).toBeGreaterThan(0);
    expect(total(m.outcomes)).toBe(m.arrivals);
    // After the views caught up, traffic flows again.
    const series = m.series;
    for (let i = 30; i < series.length; i++) expect(series.outcomes[0][i]).toBe(series.arrivals[i]);
  });
});

describe("node failure", () => {
  it("times out requests to the dead node's pods until the node controller marks them NotReady, then recovers", () => {
    const s = scenarioFrom(`
duration: 120s
warmup: 5s
cluster: { nodes: 3 }
services: [{ name: web, selector: { app: web } }]
deployments:
  - name: web
    replicas: 6
    labels: { app: web }
    pod: { concurrency: 8, readiness: { period: 1s } }
workload: [{ service: web, arrivals: { type: poisson, rate: 300 }, timeout: 1s }]
events: [{ at: 20s, action: node-down, node: 1 }]
`);
    const c = runCluster(s);
    const m = c.metrics[0];
    const series = m.series;
    // Timeouts start at the failure and stop once every view dropped the pods: the controller
    // notices 50 s after the last lease renewal (0-10 s before the failure) at a 5 s check, then
    // the views catch up.
    let lastTimeoutInterval = -1;
    for (let i = 0; i < series.length; i++) if (series.outcomes[TIMEOUT][i] > 0) lastTimeoutInterval = i;
    expect(m.outcomes[TIMEOUT]).toBeGreaterThan(1000);
    expect(5 + lastTimeoutInterval).toBeGreaterThanOrEqual(59);
    expect(5 + lastTimeoutInterval).toBeLessThan(80);
    // Its clients are gone; the others carry the whole load.
    expect(c.workloads[0].clients.filter((cl) => cl.node === 1).every((cl) => !cl.alive)).toBe(true);
    expect(series.arrivals[100]).toBeGreaterThan(200);
  });

  it("ends a new connection to a dead node's pod unreachable at connectTimeout when the client sets no timeout", () => {
    const s = scenarioFrom(`
duration: 60s
warmup: 5s
cluster: { nodes: 3 }
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 3, labels: { app: web }, pod: { concurrency: 8 } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 30 }, connectTimeout: 5s }]
events: [{ at: 20s, action: node-down, node: 1 }]
`);
    const c = new Cluster(s, "random", 1);
    const latency: number[] = [];
    onOutcome(c, (a, outcome) => {
      if (outcome === "unreachable") latency.push(c.sim.now - a.sentAt);
    });
    c.run();
    expect(latency.length).toBeGreaterThan(20);
    expect(latency.every((t) => Math.abs(t - 5) < 1e-9)).toBe(true);
    expect(c.metrics[0].outcomes[TIMEOUT]).toBe(0);
  });
});

describe("review regressions", () => {
  it("a keep-alive connection does not survive its pod's restart: the next request on it is reset", () => {
    const s = scenarioFrom(`
duration: 60s
warmup: 5s
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 2, labels: { app: web }, pod: { startup: 0s, crashDetection: 1s } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 2 }, clients: 4, connections: { mode: keep-alive, idleTimeout: 10m } }]
events: [{ at: 20s, action: crash, pods: [web-0] }]
`);
    const c = runCluster(s);
    const m = c.metrics[0];
    // Restarted at 21 s; idle connections opened to the old process fail their next request once.
    expect(m.outcomes[RESET]).toBeGreaterThanOrEqual(1);
    expect(m.outcomes[RESET] + m.outcomes[REFUSED]).toBeLessThanOrEqual(4);
    expect(total(m.outcomes)).toBe(m.arrivals);
  });

  it("a keep-alive connection carries at most maxRequests requests, even when they overlap", () => {
    const s = scenarioFrom(`
duration: 30s
warmup: 0s
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 2, labels: { app: web }, pod: { concurrency: 1000, serviceTime: 1s } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 100 }, clients: 2, connections: { mode: keep-alive, maxRequests: 5 } }]
`);
    const c = new Cluster(s, "random", 1);
    const opened = countOpened(c);
    c.run();
    expect(opened.count).toBeGreaterThanOrEqual(Math.ceil(c.metrics[0].arrivals / 5));
  });

  it("marks a rollout only in the series of the Services that select the deployment", () => {
    const s = scenarioFrom(`
duration: 60s
warmup: 5s
services: [{ name: web, selector: { app: web } }, { name: api, selector: { app: api } }]
deployments:
  - { name: web, replicas: 2, labels: { app: web }, pod: { readiness: { period: 1s } } }
  - { name: api, replicas: 2, labels: { app: api } }
workload: [{ service: web, arrivals: { type: poisson, rate: 10 } }, { service: api, arrivals: { type: poisson, rate: 10 } }]
events: [{ at: 10s, action: rollout, deployment: web, version: v2 }]
`);
    const c = runCluster(s);
    expect(c.metrics[0].series.marks.flat()).toEqual(["rollout-start web v2", "rollout-end web v2"]);
    expect(c.metrics[1].series.marks.flat()).toEqual([]);
  });

  it("keeps replacement pods Pending while no node is up, and places them when one comes up", () => {
    const s = scenarioFrom(`
duration: 600s
warmup: 0s
cluster: { nodes: 1 }
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 2, labels: { app: web } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 5 }, timeout: 1s }]
events: [{ at: 10s, action: node-down, node: 0 }, { at: 500s, action: node-up }]
`);
    const c = runCluster(s);
    const live = c.pods.filter((p) => !p.gone);
    expect(live).toHaveLength(2);
    expect(live.every((p) => p.node === 1 && p.createdAt === 500)).toBe(true);
  });

  it("gives a rollout's ReplicaSet its own streams even when it reuses a version", () => {
    const s = scenarioFrom(`
duration: 200s
warmup: 5s
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 2, labels: { app: web }, pod: { startup: { type: uniform, min: 1s, max: 9s }, readiness: { period: 1s } } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 10 } }]
events:
  - { at: 10s, action: rollout, deployment: web, version: v2 }
  - { at: 100s, action: rollout, deployment: web, version: v2 }
`);
    const c = runCluster(s);
    const readyAfter = (from: number) => c.pods.filter((p) => p.createdAt >= from && p.createdAt < from + 50).map((p) => p.readySince - p.createdAt);
    expect(readyAfter(10)).toHaveLength(2);
    expect(readyAfter(100)).toHaveLength(2);
    expect(readyAfter(100)).not.toEqual(readyAfter(10));
  });
});

describe("node-up then node-down", () => {
  it("can fail a node that node-up added, and only one that exists by then", () => {
    const s = scenarioFrom(`
duration: 120s
warmup: 0s
cluster: { nodes: 2 }
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 2, labels: { app: web } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 5 }, timeout: 1s }]
events: [{ at: 10s, action: node-up }, { at: 20s, action: scale, deployment: web, replicas: 3 }, { at: 40s, action: node-down, node: 2 }]
`);
    const c = runCluster(s);
    expect(c.nodes[2].alive).toBe(false);
    expect(c.pods.some((p) => p.node === 2)).toBe(true);
    const early = s.events.map((e) => (e.action === "node-down" ? { ...e, at: 5 } : e));
    expect(() => scenarioFrom(`
cluster: { nodes: 2 }
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, labels: { app: web } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 5 } }]
events: ${JSON.stringify(early.map((e) => ({ ...e, at: `${e.at}s` })))}
`)).toThrow(/events\[2\]\.node: the cluster has 2 nodes at 5s/);
  });
});
