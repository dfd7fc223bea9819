// Preloaded (node --import) into a process the benchmarks measure: when it exits, writes its CPU
// time (user + system, every thread) and peak resident memory to the file SVCSIM_BENCH_PROBE
// names. Plain JavaScript so that it adds no TypeScript loader to the process it measures.
import { writeFileSync } from "node:fs";

const out = process.env.SVCSIM_BENCH_PROBE;
if (out) {
  process.on("exit", () => {
    const r = process.resourceUsage();
    writeFileSync(out, JSON.stringify({ cpuMs: (r.userCPUTime + r.systemCPUTime) / 1000, maxRssKb: r.maxRSS }));
  });
}
