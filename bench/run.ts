/**
 * svcsim's benchmark suite: the kernel (hold model), every policy's pick, the model alone in process
 * (the peer model, and 4 against 4,000 pods for every policy), whole scenarios as a user
 * runs them (peer model, shipped scenarios, a large cluster), memory over 20 M requests, start-up,
 * and sweep throughput with --jobs. Writes results/bench/<timestamp>.json and .csv.
 * Its options: `npm run bench -- --help` (the usage text at the end of this file).
 */
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { build, buildIsFresh } from "../scripts/build.js";
import type { Figure } from "./lib/figures.js";
import { measureRates } from "./lib/in-process.js";
import { describeMachine, saveReport, type BenchReport } from "./lib/report.js";
import { kernelTasks } from "./groups/kernel.js";
import { modelGroup } from "./groups/model.js";
import { ENDPOINT_COUNTS, policyTasks } from "./groups/policies.js";
import { SCENARIOS, measureScenario, measureStartup, measureSweep } from "./groups/scenarios.js";
import { measureNodes, nodesOptions } from "./groups/nodes.js";

export const GROUPS = ["kernel", "policy", "model", "scenario", "nodes", "startup", "sweep"] as const;

export interface RunOptions {
  quick: boolean;
  only?: readonly string[];
  log?: (s: string) => void;
}

/** Runs the suite (or the groups in `only`) and returns its report, unsaved. */
export async function runBench(opts: RunOptions): Promise<BenchReport> {
  const log = opts.log ?? ((s: string) => process.stderr.write(s));
  const wanted = (g: string) => opts.only === undefined || opts.only.includes(g);
  const started = new Date();
  const machine = describeMachine();
  // Whole-process figures must measure the current sources compiled, not a stale dist/.
  if (!buildIsFresh()) {
    log("building dist/ ...\n");
    const { status, output } = build();
    if (status !== 0) throw new Error(`the build failed:\n${output}`);
  }
  const q = opts.quick;
  const figures: Figure[] = [];
  const section = async (name: string, f: () => Figure[] | Promise<Figure[]>) => {
    if (!wanted(name)) return;
    log(`${name} `);
    const t = performance.now();
    const got = await f();
    figures.push(...got);
    log(` ${got.length} figures in ${((performance.now() - t) / 1000).toFixed(0)} s\n`);
  };
  await section("kernel", () => measureRates(kernelTasks(), q ? { timeMs: 800, warmupMs: 200 } : { timeMs: 3000, warmupMs: 500 }));
  await section("policy", () => measureRates(policyTasks(q ? [4, 4000] : ENDPOINT_COUNTS), q ? { timeMs: 150, warmupMs: 50 } : { timeMs: 1000, warmupMs: 200 }));
  await section("model", () => modelGroup(q, log));
  await section("scenario", () =>
    SCENARIOS.filter((c) => c.quick || !q).flatMap((c) => measureScenario(c, q ? 3 : c.name === "peer-model" ? 9 : c.name.startsWith("peer-model-") || c.name === "large-cluster" ? 3 : 5, log)),
  );
  await section("nodes", () => measureNodes(nodesOptions(q), log));
  await section("startup", () => measureStartup(q ? 7 : 15));
  await section("sweep", () => measureSweep(q ? 1 : 5, log));
  machine.load_end = Number((await import("node:os")).loadavg()[0].toFixed(2));
  return { started: started.toISOString(), quick: q, seconds: Math.round((Date.now() - started.getTime()) / 1000), machine, figures };
}

/** The figures as a table for the terminal. */
export function printFigures(figures: readonly Figure[]): void {
  const fmt = (x: number) => (Number.isNaN(x) ? "-" : x >= 100 ? Math.round(x).toLocaleString("en") : x.toPrecision(3));
  const rows = figures.map((f) => [
    f.id,
    f.skipped ? "skipped" : fmt(f.median),
    f.skipped ? "" : `±${f.spread_pct.toFixed(1)}%`,
    f.unit,
    f.target === undefined ? "" : `${f.better === "higher" ? ">=" : "<="} ${fmt(f.target)}${f.skipped ? "" : (f.better === "higher" ? f.median >= f.target : f.median <= f.target) ? " met" : " NOT met"}`,
    f.skipped ?? "",
  ]);
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i].length))) ?? [];
  for (const r of rows) console.log(r.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd());
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const usage = [
    "usage: npm run bench -- [--quick] [--only <groups>] [--out <dir>]   (--quick: about one minute on an idle machine)",
    "  --quick          a one-minute check: fewer samples, no large runs",
    `  --only <groups>  comma-separated: ${GROUPS.join(", ")}`,
    "  --out <dir>      where the report goes (default results/bench)",
  ].join("\n");
  let values: { quick: boolean; only?: string; out: string; help: boolean };
  try {
    ({ values } = parseArgs({ options: { quick: { type: "boolean", default: false }, only: { type: "string" }, out: { type: "string", default: "results/bench" }, help: { type: "boolean", short: "h", default: false } } }));
  } catch (e) {
    // A mistyped option is the user's mistake: say which and how to call it, no stack trace.
    console.error(`bench: ${(e as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const only = values.only?.split(",").map((s) => s.trim());
  const unknown = only?.filter((g) => !(GROUPS as readonly string[]).includes(g)) ?? [];
  if (unknown.length > 0) {
    console.error(`bench: unknown group ${unknown.join(", ")}; groups: ${GROUPS.join(", ")}`);
    process.exit(2);
  }
  const report = await runBench({ quick: values.quick, only });
  printFigures(report.figures);
  const path = saveReport(report, values.out);
  console.log(`\nload ${report.machine.load_start} -> ${report.machine.load_end} on ${report.machine.cores} cores; saved ${path} and .csv`);
}
