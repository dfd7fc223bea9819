/**
 * Writes an experiment's reports into its (staged) folder: summary.csv, pods.csv, timeseries.csv
 * and rollouts.csv assembled from the task files in grid order (and zones.csv for zoned nodes),
 * aggregate.csv and paired.csv
 * computed from the summary rows, run.json (the resolved scenario with every default, the seeds,
 * svcsim's version and the wall time: enough to rerun it), then any derived files.
 */
import { closeSync, fstatSync, openSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { aggregateRows, pairedRows } from "../experiment/aggregate.js";
import type { Experiment, Point } from "../experiment/experiment.js";
import { TASK_PART_COLUMNS, TASK_PARTS, taskPart, type TaskResult } from "../experiment/run.js";
import type { Shard, StopReason } from "../experiment/tasks.js";
import { toPlainJSON } from "../scenario/json.js";
import type { Scenario } from "../scenario/types.js";
import { SVCSIM_VERSION } from "../version.js";
import type { Derived, DeriveOptions } from "./generate.js";
import { reportMarker } from "./target.js";
import { writeFileAtomic } from "./atomic.js";
import { aggregateColumns, isZoned, PAIRED_COLUMNS, reportedMetrics, summaryColumns, withSettings, ZONE_COLUMNS, type Column } from "./columns.js";
import { appendFileTo, formatCell, writeCsvFile } from "./csv.js";
import { parseCell } from "./folder.js";
import { isRegular, type SeriesFile, type SeriesRun } from "./series.js";

/** What the reports need to know of an experiment (a merge rebuilds it from a shard's run.json). */
export type ReportContext = Pick<Experiment, "scenario" | "settingColumns" | "hash" | "overrides"> & { points: Pick<Point, "index" | "settings">[] };

/** The folder of task files inside a results folder that is incomplete, or a shard. */
export const TASKS_DIR = "tasks";

/** The CSV files of a complete results folder, in the order the README lists them. */
export const REPORT_FILES = ["summary.csv", "aggregate.csv", "paired.csv", "pods.csv", "timeseries.csv", "rollouts.csv"] as const;

/** The CSV file a results folder holds besides REPORT_FILES when its nodes are in zones. */
export const ZONES_FILE = "zones.csv";

/** The CSV files a scenario's results folder holds: REPORT_FILES, and zones.csv when its nodes are in zones. */
export function reportFiles(s: Scenario): string[] {
  return [...REPORT_FILES, ...(isZoned(s) ? [ZONES_FILE] : [])];
}

/**
 * Assembles the CSV reports in `dir` from the finished tasks (`results`, in grid order) whose
 * files are in `dir/tasks`, then removes the task files (unless `keepTasks`: a run keeps them
 * until its folder is in place, so that an interruption meanwhile loses no run). Every file
 * depends on the stored results alone, so a run gives the same bytes whatever the number of jobs,
 * shards or interruptions.
 */
export function assembleReports(dir: string, exp: ReportContext, results: readonly TaskResult[], stopReasons: readonly StopReason[], confidence: number, opts: { keepTasks?: boolean } = {}): SeriesFile | null {
  const tasks = join(dir, TASKS_DIR);
  const cols = (c: readonly Column[]) => withSettings(c, exp.settingColumns);
  const summary = results.flatMap((r) => r.summary);
  const metrics = reportedMetrics(exp.scenario);
  writeCsvFile(join(dir, "summary.csv"), cols(summaryColumns(exp.scenario)), summary);
  writeCsvFile(join(dir, "aggregate.csv"), cols(aggregateColumns(metrics)), aggregateRows(summary, exp.settingColumns, stopReasons, confidence, metrics));
  const { policies, compare } = exp.scenario;
  writeCsvFile(join(dir, "paired.csv"), cols(PAIRED_COLUMNS), pairedRows(summary, exp.settingColumns, policies, compare.baseline, confidence, metrics));
  if (isZoned(exp.scenario)) writeCsvFile(join(dir, ZONES_FILE), cols(ZONE_COLUMNS), results.flatMap((r) => r.zones));
  const buf = Buffer.allocUnsafe(1 << 20);
  let series: SeriesFile | null = null;
  for (const part of TASK_PARTS) {
    const path = join(dir, `${part}.csv`);
    const columns = cols(TASK_PART_COLUMNS[part]);
    writeCsvFile(path, columns, []);
    const fd = openSync(path, "a");
    try {
      const header = fstatSync(fd).size;
      for (const r of results) appendFileTo(fd, taskPart(tasks, r.id, part), buf);
      if (part === "timeseries") series = seriesLayout(path, columns, header, results, fstatSync(fd).size);
    } finally {
      closeSync(fd);
    }
  }
  if (!opts.keepTasks) rmSync(tasks, { recursive: true, force: true });
  return series;
}

/**
 * What scanSeries would find in the timeseries.csv just assembled from `results` (its header
 * `header` bytes long, the whole `size`), from what each task noted of its rows as it wrote them:
 * where each run is, its rows, its marked rows, its key cells as the reader parses them. The
 * derived reports then need not read the file once more to find the runs (~15 ms for the peer
 * model's 5,000 rows). Null, and the file is scanned, when a task file from an older svcsim lacks
 * the notes or the byte counts do not add up to the file.
 */
function seriesLayout(path: string, columns: readonly Column[], header: number, results: readonly TaskResult[], size: number): SeriesFile | null {
  const runs: SeriesRun[] = [];
  const policies: string[] = [];
  const read = (v: string | number, column: string) => parseCell(formatCell(v), column, "en");
  let at = header;
  for (const r of results) {
    if (!r.series) return null;
    const point = read(r.point, "point");
    const policy = String(read(r.policy, "policy"));
    const replication = Number(read(r.replication, "replication"));
    for (const s of r.series) {
      if (s.rows === 0) continue; // no rows, no run to find
      const marked = s.marked.map((m) => ({ t_start_s: Number(read(m.t_start_s, "t_start_s")), marks: String(read(m.marks, "marks")) }));
      runs.push({ point: typeof point === "number" ? point : null, service: String(read(s.service, "service")), policy, replication, start: at, end: at + s.bytes, rows: s.rows, marked });
      if (!policies.includes(policy)) policies.push(policy);
      at += s.bytes;
    }
  }
  if (at !== size) return null;
  return { path, columns: columns.map((c) => c.name), locale: "en", runs, policies, regular: isRegular(runs) };
}

/** Removes a finished folder's tasks folder, and its name from run.json's list of the files svcsim wrote. */
export function dropTaskFiles(dir: string): void {
  rmSync(join(dir, TASKS_DIR), { recursive: true, force: true });
  const path = join(dir, "run.json");
  const run = JSON.parse(readFileSync(path, "utf8")) as { files?: string[] };
  run.files = run.files?.filter((f) => f !== TASKS_DIR);
  writeFileAtomic(path, JSON.stringify(run, null, 2) + "\n");
}

/**
 * The one place where files derived from a finished folder's reports are added (report.html,
 * timeseries_wide.csv, report.xlsx: see generate.ts): on the staged folder, which holds the CSVs
 * and run.json, before it is renamed into place, so they appear with the CSVs or not at all.
 * run.json's list of files is extended with them. Loaded on demand: the writers are large.
 */
export async function addDerivedReports(dir: string, options: DeriveOptions): Promise<Derived> {
  const { deriveReports } = await import("./generate.js");
  return deriveReports(dir, options);
}

export interface RunMeta {
  file: string;
  argv: string[];
  wallMs: number;
  confidence: number;
  /** False while tasks are missing (an interrupted run, to be finished with --resume). */
  complete: boolean;
  shard?: Shard;
  tasks: number;
  stopReasons: readonly StopReason[];
  /** The scenario's warnings (Experiment.warnings), recorded as they were printed. */
  warnings?: readonly string[];
  /** A complete folder that still holds its tasks folder (until it is in place: see dropTaskFiles). */
  keepsTasks?: boolean;
}

/**
 * run.json: how the folder was made, the resolved scenario, and the marker that svcsim wrote it
 * (with the files it wrote there, so that --force and --resume recognise the folder).
 */
export function runJson(exp: ReportContext, results: readonly TaskResult[], meta: RunMeta): string {
  const files = meta.complete && !meta.shard ? [...reportFiles(exp.scenario), "run.json", ...(meta.keepsTasks ? [TASKS_DIR] : [])] : ["run.json", TASKS_DIR];
  const doc = {
    ...reportMarker(files),
    svcsim: SVCSIM_VERSION,
    node: process.version,
    complete: meta.complete,
    scenarioFile: meta.file,
    command: meta.argv.join(" "),
    hash: exp.hash,
    settingColumns: exp.settingColumns,
    shard: meta.shard ?? null,
    confidence: meta.confidence,
    tasks: { planned: meta.tasks, finished: results.length },
    wallMs: Math.round(meta.wallMs),
    finishedAt: new Date().toISOString(),
    warnings: meta.warnings ?? [],
    points: exp.points.map((p) => ({ point: p.index, settings: Object.fromEntries(p.settings.map((s) => [s.column, s.value])), stopReason: meta.stopReasons[p.index] })),
    overrides: Object.fromEntries(exp.overrides.map((o) => [o.column, o.value])),
    runs: results.map((r) => ({ point: r.point, policy: r.policy, replication: r.replication, seed: r.seed, events: r.events, wallMs: Math.round(r.wallMs) })),
    scenario: toPlainJSON(exp.scenario),
  };
  return JSON.stringify(doc, null, 2) + "\n";
}
