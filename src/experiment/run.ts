/**
 * One task of an experiment: one policy at one sweep point in one replication. A task is a pure
 * function of its scenario, policy and seed, so it can run in any worker, on any machine, in any
 * order; its rows go to files of its own, which the report assembles in grid order.
 */
import { closeSync, openSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Cluster } from "../model/cluster.js";
import { POD_COLUMNS, ROLLOUT_COLUMNS, TIMESERIES_COLUMNS, withSettings, type Column, type Row } from "../report/columns.js";
import { appendFileTo, CsvFileWriter } from "../report/csv.js";
import { keyCells, podRows, rolloutRows, summaryRows, timeseriesRow, zoneRows, type RunKey } from "../report/rows.js";
import { writeFileAtomic } from "../report/atomic.js";
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

/**
 * Runs one task: builds the cluster, runs it, streams its time series and pod rows to their files,
 * and writes `<id>.json` last, atomically, so a task counts as done only once all its files are whole.
 */
export function runTask(input: TaskInput, onProgress?: (fraction: number) => void): TaskResult {
  const { scenario, policy, replication, point, id, dir } = input;
  const seed = replicationSeed(scenario, replication);
  const started = performance.now();
  const key: RunKey = { scenario: scenario.name, point, settings: input.settings, policy, replication, seed };
  const cluster = new Cluster(scenario, policy, seed);

  // Time series rows are written as intervals become final, one file per Service, so that the
  // task's file can list them Service by Service (the report's order) without holding any.
  const series = taskPart(dir, id, "timeseries");
  const base = keyCells(key);
  const total = cluster.metrics.length * (cluster.metrics[0]?.intervals ?? 0);
  let emitted = 0;
  const every = Math.max(1, Math.floor(total / 50)); // about 50 progress messages per run, whatever its length
  const writers = cluster.metrics.map((m, s) => {
    const w = new CsvFileWriter(`${series}.${s}.part`, withSettings(TIMESERIES_COLUMNS, input.settingColumns), { header: false });
    m.sink = (r) => {
      w.write(timeseriesRow(cluster, base, s, r));
      if (onProgress && ++emitted % every === 0) onProgress(emitted / total);
    };
    return w;
  });
  try {
    cluster.run();
  } finally {
    for (const w of writers) w.close();
  }
  concatenate(writers.map((_, s) => `${series}.${s}.part`), `${series}.part`);

  const pods = new CsvFileWriter(`${taskPart(dir, id, "pods")}.part`, withSettings(POD_COLUMNS, input.settingColumns), { header: false });
  for (const row of podRows(cluster, key)) pods.write(row);
  pods.close();
  const rollouts = new CsvFileWriter(`${taskPart(dir, id, "rollouts")}.part`, withSettings(ROLLOUT_COLUMNS, input.settingColumns), { header: false });
  for (const row of rolloutRows(cluster, key)) rollouts.write(row);
  rollouts.close();
  for (const part of TASK_PARTS) renameSync(`${taskPart(dir, id, part)}.part`, taskPart(dir, id, part));

  const result: TaskResult = {
    id,
    point,
    replication,
    policy,
    seed,
    events: cluster.sim.eventCount,
    wallMs: performance.now() - started,
    summary: summaryRows(cluster, key),
    zones: zoneRows(cluster, key),
  };
  writeFileAtomic(taskPart(dir, id, "json"), encodeResult(result));
  return result;
}

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

/** Writes the files `parts` one after the other into `to`, removing them. */
export function concatenate(parts: readonly string[], to: string): void {
  const fd = openSync(to, "w");
  const buf = Buffer.allocUnsafe(1 << 20);
  try {
    for (const part of parts) {
      appendFileTo(fd, part, buf);
      rmSync(part);
    }
  } finally {
    closeSync(fd);
  }
}
