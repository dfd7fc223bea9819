/**
 * The regression guard: runs the quick benchmark and fails (exit status 1) when a figure is more
 * than 25 % worse than in the committed baseline (bench/baseline.json): a rate below 75 % of its
 * baseline, a time or memory above baseline / 0.75. Figures timed in wall time (start-up, sweeps)
 * move with the machine's load and are shown but not guarded. The baseline is machine-specific:
 * regenerate it on the machine that runs the check, when it is otherwise idle.
 *
 *   npm run bench:check                               # quick bench, then the check
 *   npm run bench:check -- --report <run.json>        # check a saved report instead of running
 *   npm run bench:check -- --write-baseline           # quick bench, saved as the new baseline
 */
import { parseArgs } from "node:util";
import { writeFileAtomic } from "../src/report/atomic.js";
import { worsening } from "./lib/figures.js";
import { loadReport, saveReport, type BenchReport } from "./lib/report.js";
import { printFigures, runBench } from "./run.js";

export const BASELINE = "bench/baseline.json";
/** A figure fails when it is worse than the baseline by more than this factor (25 % below, for a rate). */
export const TOLERANCE = 1 / 0.75;

export interface CheckFailure {
  id: string;
  reason: string;
}

/** The figures of `run` that regressed against `baseline`, or went missing. */
export function checkAgainst(baseline: BenchReport, run: BenchReport): CheckFailure[] {
  const now = new Map(run.figures.map((f) => [f.id, f]));
  const failures: CheckFailure[] = [];
  for (const base of baseline.figures) {
    if (base.skipped || base.wall) continue;
    const f = now.get(base.id);
    if (f === undefined || f.skipped) {
      failures.push({ id: base.id, reason: f === undefined ? "not measured" : `skipped: ${f.skipped}` });
      continue;
    }
    const w = worsening(base.better, base.median, f.median);
    if (w > TOLERANCE) {
      failures.push({ id: base.id, reason: `${f.median} ${f.unit} vs baseline ${base.median}: ${((1 - 1 / w) * 100).toFixed(0)} % worse (limit 25 %)` });
    }
  }
  return failures;
}

if (process.argv[1]?.endsWith("check.ts")) {
  const { values } = parseArgs({ options: { report: { type: "string" }, baseline: { type: "string", default: BASELINE }, "write-baseline": { type: "boolean", default: false } } });
  const run = values.report !== undefined ? loadReport(values.report) : await runBench({ quick: true });
  if (values.report === undefined) {
    printFigures(run.figures);
    console.log(`saved ${saveReport(run, "results/bench")}`);
  }
  if (values["write-baseline"]) {
    writeFileAtomic(values.baseline, JSON.stringify(run, null, 2) + "\n");
    console.log(`wrote ${values.baseline} (load ${run.machine.load_start} -> ${run.machine.load_end})`);
  } else {
    let baseline: BenchReport;
    try {
      baseline = loadReport(values.baseline);
    } catch (err) {
      console.error(`bench:check: cannot read the baseline ${values.baseline} (${(err as Error).message}); write one with npm run bench:check -- --write-baseline`);
      process.exit(2);
    }
    const failures = checkAgainst(baseline, run);
    const guarded = baseline.figures.filter((f) => !f.skipped && !f.wall).length;
    console.log(`\nbench:check against ${values.baseline} (${baseline.machine.commit}, ${baseline.started}): ${guarded} figures guarded`);
    for (const f of failures) console.log(`  FAIL ${f.id}: ${f.reason}`);
    if (failures.length > 0) process.exitCode = 1;
    else console.log("  every figure within 25 % of the baseline");
  }
}
