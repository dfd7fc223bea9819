/**
 * Whole-process measurements, for what only a fresh process shows: start-up, module loading, GC
 * over a long run, peak memory. The process runs under bench/probe.js, which reports its CPU time
 * and peak RSS as it exits; wall time is taken around the spawn.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ProcessSample {
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
}

const probe = new URL("../probe.js", import.meta.url).href;

/** Runs `node <args>` to completion; throws with its stderr if it fails. */
export function measureProcess(args: readonly string[]): ProcessSample {
  const dir = mkdtempSync(join(tmpdir(), "svcsim-bench-"));
  try {
    const probeFile = join(dir, "probe.json");
    const started = performance.now();
    const r = spawnSync(process.execPath, ["--import", probe, ...args], {
      env: { ...process.env, SVCSIM_BENCH_PROBE: probeFile },
      encoding: "utf8",
      maxBuffer: 64 * 2 ** 20,
    });
    const wallMs = performance.now() - started;
    if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status ?? r.signal}:\n${r.stderr}`);
    const { cpuMs, maxRssKb } = JSON.parse(readFileSync(probeFile, "utf8")) as { cpuMs: number; maxRssKb: number };
    return { wallMs, cpuMs, maxRssMb: maxRssKb / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
