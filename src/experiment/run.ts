/**
 * One task of an experiment: one policy at one sweep point in one replication. A task is a pure
 * function of its scenario, policy and seed, so it can run in any worker, on any machine, in any
 * order; its rows go to files of its own, which the report assembles in grid order. This module is
 * what a task is and leaves behind; running one (which loads the model) is run-task.ts.
 */
import { join } from "node:path";
import { POD_COLUMNS, ROLLOUT_COLUMNS, TIMESERIES_COLUMNS, type Column, type Row } from "../report/columns.js";
import type { MarkedRow } from "../report/series.js";
import type { PolicyName, Scenario } from "../scenario/types.js";

/** A task's place in the grid. */
export interface TaskKey {
  point: number;
  replication: number;
  policy: PolicyName;
}

/** Everything a worker needs to run a task and write its files. */
export interface TaskInput extends TaskKey {
  id: string;
  /** The point's resolved scenario. */
  scenario: Scenario;
  /** The setting columns, in order, and this point's cells for them. */
  settingColumns: string[];
  settings: Row;
  /** The folder the task's files go to. */
  dir: string;
}

/** What a finished task reports; also stored as `<id>.json`, the file whose presence marks the task done. */
export interface TaskResult extends TaskKey {
  id: string;
  seed: number;
  events: number;
  wallMs: number;
  /** The task's summary.csv rows, numbers at full precision (aggregates are computed from these). */
  summary: Row[];
  /** The task's zones.csv rows (none unless the nodes are in zones): a few per run, so they travel here too. */
  zones: Row[];
  /**
   * Where the task's time series rows are in its file, Service by Service, and what timeseries.csv's
   * reader would find in them: the report then knows where each run is without reading the file
   * (assembleReports). Absent from task files of older versions; the reader scans those.
   */
  series?: SeriesPart[];
}

/** One Service's rows in a task's time series file, in the order written (see SeriesRun, which it becomes). */
export interface SeriesPart {
  service: string;
  rows: number;
  bytes: number;
  /** Its rows with marks: their interval's start and the marks, as the run wrote them. */
  marked: MarkedRow[];
}

/** The task's file name stem: `p<point>-r<replication>-<policy>`. */
export function taskId(k: TaskKey): string {
  return `p${k.point}-r${k.replication}-${k.policy}`;
}

/** The seed of replication r: the scenario's seed plus r (kept small so spreadsheets show it exactly). */
export function replicationSeed(scenario: Scenario, replication: number): number {
  return scenario.seed + replication;
}

/** The files a task leaves in its folder (besides `<id>.json`): pods, time series and rollout rows, without header. */
export const TASK_PARTS = ["pods", "timeseries", "rollouts"] as const;
/** Each task part's columns (before the setting columns are inserted). */
export const TASK_PART_COLUMNS: Readonly<Record<(typeof TASK_PARTS)[number], readonly Column[]>> = {
  pods: POD_COLUMNS,
  timeseries: TIMESERIES_COLUMNS,
  rollouts: ROLLOUT_COLUMNS,
};
export const taskPart = (dir: string, id: string, part: (typeof TASK_PARTS)[number] | "json") => join(dir, `${id}.${part === "json" ? "json" : `${part}.csv`}`);

/** JSON keeps doubles exactly; a value that does not exist (NaN) is written as null. */
export function encodeResult(r: TaskResult): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v)) + "\n";
}

export function decodeResult(text: string): TaskResult {
  const r = JSON.parse(text) as TaskResult;
  r.zones ??= []; // a task file from before zones.csv
  for (const row of [...r.summary, ...r.zones]) for (const k in row) if (row[k] === null) row[k] = NaN;
  return r;
}
