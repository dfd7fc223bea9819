/**
 * Whole runs of the command line, as a user starts them (`node bin/svcsim.js run <file> --quiet`):
 * start-up, module loading, the model, GC and writing the reports all count. A figure is requests
 * per CPU-second of the whole process, the requests being those in the reports (summary.csv's
 * `requests`, the measured window: the warm-up's requests are simulated too but not counted), and
 * the process's peak resident memory.
 */
import { parse } from "csv-parse/sync";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { figure, type Figure } from "../lib/figures.js";
import { measureProcess, type ProcessSample } from "../lib/process.js";

const BIN = "bin/svcsim.js";

export interface ScenarioCase {
  /** Figure ids start scenario.<name>. */
  name: string;
  file: string;
  set?: string[];
  title: string;
  /** Requests per CPU-second the issue asks for, if any. */
  target?: number;
  /** Peak RSS the issue allows, MB, if any. */
  rssTarget?: number;
  /** Runs in --quick mode too. */
  quick: boolean;
}

/** The scenarios measured whole; peer-model and large-cluster live in bench/scenarios/. */
export const SCENARIOS: readonly ScenarioCase[] = [
  { name: "peer-model", file: "bench/scenarios/peer-model.yaml", title: "peer model: 4 single-worker pods, Poisson, exponential service, random pick, 2 M requests", target: 2_400_000, quick: true },
  { name: "baseline", file: "scenarios/baseline.yaml", title: "scenarios/baseline.yaml (4 policies)", target: 1_000_000, quick: true },
  { name: "rolling-update", file: "scenarios/rolling-update.yaml", title: "scenarios/rolling-update.yaml (4 policies)", target: 1_000_000, quick: true },
  { name: "random-crashes", file: "scenarios/random-crashes.yaml", title: "scenarios/random-crashes.yaml", target: 1_000_000, quick: true },
  { name: "keepalive-skew", file: "scenarios/keepalive-skew.yaml", title: "scenarios/keepalive-skew.yaml", target: 1_000_000, quick: true },
  { name: "large-cluster", file: "bench/scenarios/large-cluster.yaml", title: "1,000 nodes, 4,000 pods, a rolling update at 100 k requests/s", quick: false },
  {
    name: "peer-model-20m",
    file: "bench/scenarios/peer-model.yaml",
    set: ["duration=50000s"],
    title: "peer model for 20 M requests (memory must not grow with requests)",
    rssTarget: 150,
    quick: false,
  },
];

function requestsIn(summaryCsv: string): number {
  const rows = parse(readFileSync(summaryCsv, "utf8"), { columns: true }) as Record<string, string>[];
  return rows.reduce((sum, r) => sum + Number(r.requests), 0);
}

/** Runs one scenario `samples` times; returns its two figures. */
export function measureScenario(c: ScenarioCase, samples: number, log: (s: string) => void): Figure[] {
  const out = mkdtempSync(join(tmpdir(), "svcsim-bench-out-"));
  try {
    const runs: (ProcessSample & { requests: number })[] = [];
    for (let i = 0; i < samples; i++) {
      const args = [BIN, "run", c.file, "--out", join(out, "r"), "--force", "--quiet", ...(c.set ?? []).flatMap((s) => ["--set", s])];
      const s = measureProcess(args);
      runs.push({ ...s, requests: requestsIn(join(out, "r", "summary.csv")) });
      log(".");
    }
    return [
      figure(
        { id: `scenario.${c.name}.requests_per_cpu_s`, title: `${c.title}: requests per CPU-second, whole process`, unit: "requests/cpu-s", better: "higher", target: c.target },
        runs.map((r) => r.requests / (r.cpuMs / 1000)),
      ),
      figure(
        { id: `scenario.${c.name}.peak_rss_mb`, title: `${c.title}: peak resident memory`, unit: "MB", better: "lower", target: c.rssTarget },
        runs.map((r) => r.maxRssMb),
      ),
    ];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** `svcsim --help` and `--version`: wall time from spawn to exit (what a user waits), and CPU time. */
export function measureStartup(samples: number): Figure[] {
  return (["--help", "--version"] as const).flatMap((flag) => {
    const runs: ProcessSample[] = [];
    for (let i = 0; i < samples; i++) runs.push(measureProcess([BIN, flag]));
    const name = flag.slice(2);
    return [
      figure(
        { id: `startup.${name}.wall_ms`, title: `svcsim ${flag}: wall time from spawn to exit`, unit: "ms", better: "lower", target: flag === "--help" ? 150 : undefined, wall: true },
        runs.map((r) => r.wallMs),
      ),
      figure({ id: `startup.${name}.cpu_ms`, title: `svcsim ${flag}: CPU time of the process`, unit: "ms", better: "lower" }, runs.map((r) => r.cpuMs)),
    ];
  });
}

/**
 * Parallel runs (issue 8): the wall time of a 16-run sweep (baseline at 4 pod counts x 2 policies x
 * 2 replications, each run an hour of simulated time: ~0.8 s of CPU) with --jobs 1 and --jobs 2,
 * measured alternately (1, 2, 1, 2, ...) so that other load on the machine falls on both alike, and
 * the speed-up: the ratio of their medians. Target on a 2-core machine: 1.8. The whole command is
 * timed, start-up and writing the reports included; runs much shorter than this measure the
 * start-up rather than the pool (two-minute runs gave 1.05x). Also the time outside the runs: the
 * wall time minus the runs' own (run.json's per-run wallMs) divided by the jobs, i.e. start-up,
 * the reports and any idle tail of the pool, which is what keeps the speed-up below 2.
 */
export const SWEEP_ARGS = ["run", "scenarios/baseline.yaml", "--sweep", "deployments[0].replicas=2,4,6,8", "--set", "policies=[random, round-robin]", "--set", "replications=2", "--set", "duration=3600s", "--set", "interval=10s", "--force", "--quiet"];

export function measureSweep(samples: number, log: (s: string) => void = () => {}): Figure[] {
  const spec = (jobs: number) => ({ id: `sweep.jobs${jobs}.wall_s`, title: `16-run sweep with --jobs ${jobs}: wall time`, unit: "s", better: "lower" as const, wall: true });
  const outside = (jobs: number) => ({ id: `sweep.jobs${jobs}.outside_runs_s`, title: `16-run sweep with --jobs ${jobs}: wall time outside the runs (start-up, reports, idle tail)`, unit: "s", better: "lower" as const, wall: true });
  const ratio = { id: "sweep.speedup", title: "16-run sweep: wall time with --jobs 1 over --jobs 2 (ratio of medians)", unit: "x", better: "higher" as const, target: 1.8, wall: true };
  const out = mkdtempSync(join(tmpdir(), "svcsim-bench-out-"));
  try {
    const wall: number[][] = [[], []];
    const rest: number[][] = [[], []];
    for (let i = 0; i < samples; i++) {
      for (const jobs of [1, 2]) {
        const s = measureProcess([BIN, ...SWEEP_ARGS, "--jobs", String(jobs), "--out", join(out, "r")]);
        const runs = (JSON.parse(readFileSync(join(out, "r", "run.json"), "utf8")) as { runs: { wallMs: number }[] }).runs;
        wall[jobs - 1].push(s.wallMs / 1000);
        rest[jobs - 1].push((s.wallMs - runs.reduce((a, r) => a + r.wallMs, 0) / jobs) / 1000);
        log(".");
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const pairs = wall[0].map((one, i) => one / wall[1][i]);
    const speedup = figure(ratio, pairs);
    return [figure(spec(1), wall[0]), figure(spec(2), wall[1]), figure(outside(1), rest[0]), figure(outside(2), rest[1]), { ...speedup, median: Number((median(wall[0]) / median(wall[1])).toPrecision(4)) }];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

