/**
 * A benchmark report: the machine and code it ran on, and its figures. Saved as
 * results/bench/<timestamp>.json (everything, samples included) and .csv (one row per figure, for
 * spreadsheets), so two runs can be compared (bench/compare.ts) and a run checked against the
 * committed baseline (bench/check.ts).
 */
import { stringify } from "csv-stringify/sync";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, hostname, loadavg, totalmem } from "node:os";
import { writeFileAtomic } from "../../src/report/atomic.js";
import type { Figure } from "./figures.js";

export interface Machine {
  host: string;
  cpu: string;
  cores: number;
  memory_gb: number;
  node: string;
  platform: string;
  /** git commit of the code measured, with "-dirty" when the work tree had uncommitted changes. */
  commit: string;
  /** 1-minute load average when the run started and ended: others' work on a shared machine. */
  load_start: number;
  load_end: number;
}

export interface BenchReport {
  started: string;
  quick: boolean;
  seconds: number;
  machine: Machine;
  figures: Figure[];
}

function git(...args: string[]): string {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

/** The machine and code, the load as it is now in both load fields (the end is set by `finish`). */
export function describeMachine(): Machine {
  const commit = git("rev-parse", "--short=12", "HEAD") || "unknown";
  const dirty = git("status", "--porcelain", "--untracked-files=no") !== "";
  const load = Number(loadavg()[0].toFixed(2));
  return {
    host: hostname(),
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memory_gb: Number((totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    commit: dirty ? `${commit}-dirty` : commit,
    load_start: load,
    load_end: load,
  };
}

// One table: a row per figure, the run's machine and code repeated in every row so rows from
// several reports can be pasted together.
const CSV_COLUMNS = [
  "started", "quick", "commit", "node", "cpu", "cores", "load_start", "load_end",
  "id", "title", "unit", "better", "median", "spread_pct", "min", "max", "n", "target", "skipped", "samples",
] as const;

const cell = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? "" : x);

/** Writes the report's JSON and CSV under `dir`; returns the JSON's path. */
export function saveReport(report: BenchReport, dir: string): string {
  const stamp = report.started.replace(/:/g, "-").replace(/\.\d+Z$/, "Z");
  const base = `${dir}/${stamp}${report.quick ? "-quick" : ""}`;
  writeFileAtomic(`${base}.json`, JSON.stringify(report, null, 2) + "\n");
  const m = report.machine;
  const rows = report.figures.map((f) => ({
    started: report.started,
    quick: report.quick ? 1 : 0,
    commit: m.commit,
    node: m.node,
    cpu: m.cpu,
    cores: m.cores,
    load_start: m.load_start,
    load_end: m.load_end,
    id: f.id,
    title: f.title,
    unit: f.unit,
    better: f.better,
    median: cell(f.median),
    spread_pct: cell(f.spread_pct),
    min: cell(f.min),
    max: cell(f.max),
    n: f.samples.length,
    target: cell(f.target),
    skipped: f.skipped ?? "",
    samples: f.samples.join(" "),
  }));
  writeFileAtomic(`${base}.csv`, stringify(rows, { header: true, columns: [...CSV_COLUMNS] }));
  return `${base}.json`;
}

/** Reads a saved report (the JSON). NaN medians of skipped figures come back as null: restored here. */
export function loadReport(path: string): BenchReport {
  const report = JSON.parse(readFileSync(path, "utf8")) as BenchReport;
  for (const f of report.figures) {
    for (const k of ["median", "spread_pct", "min", "max"] as const) if (f[k] === null) f[k] = NaN;
  }
  return report;
}
