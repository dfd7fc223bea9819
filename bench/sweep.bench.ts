/**
 * Parallel runs: the wall time of a 16-run sweep through the command line with `--jobs 1` and with
 * `--jobs 2`, alternated (A, B, A, B, ...) so that other load on the machine falls on both alike,
 * and the speed-up (median of --jobs 1 over median of --jobs 2). Target: at least 1.8 on 2 cores.
 * The whole command is timed (start-up, worker threads, writing the reports), as a user waits for it.
 *
 *   npm run bench:sweep             # 5 rounds
 *   npm run bench:sweep -- --quick  # 2 rounds
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { saveBenchmark } from "./save.js";

const TARGET_SPEEDUP = 1.8;
const rounds = process.argv.includes("--quick") ? 2 : 5;
// 16 runs: 4 sweep points x 2 policies x 2 replications of the pod-crash scenario, ~1 s each.
const args = [
  "run",
  "scenarios/pod-crash.yaml",
  "--sweep",
  "cluster.proxy.minSyncPeriod=0s,1s,2s,4s",
  "--set",
  "policies=[random, round-robin]",
  "--set",
  "replications=2",
  "--set",
  "workload[0].arrivals.rate=800",
  "--quiet",
  "--force",
];
const out = mkdtempSync(join(tmpdir(), "svcsim-bench-"));
const time = (jobs: number): number => {
  const started = performance.now();
  const r = spawnSync(process.execPath, ["bin/svcsim.js", ...args, "--jobs", String(jobs), "--out", join(out, `jobs${jobs}`)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`svcsim failed: ${r.stderr}`);
  return (performance.now() - started) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`16-run sweep (pod-crash x 4 minSyncPeriods x 2 policies x 2 replications), ${rounds} rounds, ${availableParallelism()} cores`);
time(1); // warm the file-system cache and the compiled build
const one: number[] = [];
const two: number[] = [];
for (let r = 0; r < rounds; r++) {
  one.push(time(1));
  two.push(time(2));
  console.log(`  round ${r + 1}: --jobs 1 ${one[r].toFixed(2)} s, --jobs 2 ${two[r].toFixed(2)} s, ratio ${(one[r] / two[r]).toFixed(2)}`);
}
rmSync(out, { recursive: true, force: true });
const speedup = median(one) / median(two);
console.log(`median: --jobs 1 ${median(one).toFixed(2)} s, --jobs 2 ${median(two).toFixed(2)} s: speed-up ${speedup.toFixed(2)} (target ${TARGET_SPEEDUP})`);
saveBenchmark("sweep", [
  { jobs: 1, median_s: median(one), runs: 16, rounds },
  { jobs: 2, median_s: median(two), runs: 16, rounds, speedup },
]);
