/**
 * The Kubernetes model's throughput: simulated requests per second of wall time for each policy,
 * on the baseline scenario scaled to 10 pods and 1,000 requests/s (300 simulated seconds per
 * iteration, plus a 10 s warm-up), plus the heap after the runs, to show memory does not grow
 * with request count. Every simulated request counts, the warm-up's too, as the timing includes it.
 *
 *   npm run bench:model            # full
 *   npm run bench:model -- --quick # shorter timing budget
 */
import { Bench } from "tinybench";
import { Cluster } from "../src/model/cluster.js";
import { loadScenario } from "../src/scenario/load.js";
import { POLICY_ALIASES, POLICY_NAMES } from "../src/scenario/types.js";
import { saveBenchmark } from "./save.js";

const TARGET_REQUESTS_PER_S = 1_000_000;
const quick = process.argv.includes("--quick");
const scenario = loadScenario("scenarios/baseline.yaml", {
  set: ["duration=300s", "warmup=10s", "workload.0.arrivals.rate=1000", "deployments.0.replicas=10"],
});
// Each balancer once (ipvs-rr is round-robin under another name).
const policies = POLICY_NAMES.filter((p) => p !== "static-upstream" && POLICY_ALIASES[p] === undefined);
const requests = new Map<string, number>();
const bench = new Bench({ time: quick ? 1000 : 5000, warmupTime: quick ? 200 : 1000, iterations: 3 });
for (const policy of policies) {
  bench.add(policy, () => {
    const c = new Cluster(scenario, policy, 1);
    c.run();
    requests.set(policy, c.workloads[0].arrived);
  });
}
await bench.run();

const rows = bench.tasks.map((task) => {
  const r = task.result;
  if (r.state !== "completed") throw new Error(`${task.name}: ${r.state}`);
  const n = requests.get(task.name)!;
  return {
    benchmark: "model-baseline-10-pods",
    policy: task.name,
    simulated_requests: n,
    iterations: r.latency.samplesCount,
    ms_per_run_mean: Number(r.latency.mean.toFixed(1)),
    ms_per_run_rme_pct: Number(r.latency.rme.toFixed(2)),
    requests_per_s: Math.round((n / r.latency.mean) * 1000),
  };
});
console.table(rows.map((r) => ({ policy: r.policy, "requests/s": r.requests_per_s.toLocaleString("en"), "ms/run": r.ms_per_run_mean, "±%": r.ms_per_run_rme_pct })));
const slowest = Math.min(...rows.map((r) => r.requests_per_s));
console.log(`slowest policy: ${slowest.toLocaleString("en")} simulated requests/s (target ${TARGET_REQUESTS_PER_S.toLocaleString("en")}: ${slowest >= TARGET_REQUESTS_PER_S ? "met" : "NOT met"})`);
console.log(`heap after the runs: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
saveBenchmark("model", rows);
