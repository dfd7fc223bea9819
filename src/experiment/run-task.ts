/**
 * Running one task: builds the cluster of the task's scenario, runs it, and writes the task's files
 * (run.ts names them). Apart from run.ts because it loads the whole model: only the threads that
 * run tasks import it, not the main thread of a pooled run.
 */
import { closeSync, openSync, renameSync, rmSync } from "node:fs";
import { Cluster } from "../model/cluster.js";
import { POD_COLUMNS, ROLLOUT_COLUMNS, TIMESERIES_COLUMNS, withSettings } from "../report/columns.js";
import { appendFileTo, CsvFileWriter } from "../report/csv.js";
import { keyCells, podRows, rolloutRows, summaryRows, TIMESERIES_CELLS, timeseriesCells, zoneRows, type RunKey } from "../report/rows.js";
import { writeFileAtomic } from "../report/atomic.js";
import { encodeResult, replicationSeed, TASK_PARTS, taskPart, type SeriesPart, type TaskInput, type TaskResult } from "./run.js";

/** Where a time series row's interval start and marks are among its cells (TIMESERIES_CELLS). */
const T_START = TIMESERIES_CELLS.indexOf("t_start_s");
const MARKS = TIMESERIES_CELLS.indexOf("marks");

/**
 * Runs one task: builds the cluster, runs it, streams its time series and pod rows to their files,
 * and writes `<id>.json` last, atomically, so a task counts as done only once all its files are whole.
 */
export function runTask(input: TaskInput, onProgress?: (fraction: number) => void): TaskResult {
  const { scenario, policy, replication, point, id, dir } = input;
  const seed = replicationSeed(scenario, replication);
  const started = Date.now();
  const key: RunKey = { scenario: scenario.name, point, settings: input.settings, policy, replication, seed };
  const cluster = new Cluster(scenario, policy, seed);

  // Time series rows are written as intervals become final, one file per Service, so that the
  // task's file can list them Service by Service (the report's order) without holding any.
  const series = taskPart(dir, id, "timeseries");
  const base = keyCells(key);
  const total = cluster.metrics.length * (cluster.metrics[0]?.intervals ?? 0);
  let emitted = 0;
  const every = Math.max(1, Math.floor(total / 50)); // about 50 progress messages per run, whatever its length
  const columns = withSettings(TIMESERIES_COLUMNS, input.settingColumns);
  // A row is the run's key cells, encoded once, then the interval's cells.
  const keyColumns = columns.slice(0, columns.length - TIMESERIES_CELLS.length);
  const parts: SeriesPart[] = cluster.metrics.map((_, s) => ({ service: cluster.services[s].name, rows: 0, bytes: 0, marked: [] }));
  const writers = cluster.metrics.map((m, s) => {
    const w = new CsvFileWriter(`${series}.${s}.part`, columns, { header: false });
    const head = w.encoder.head(keyColumns.map((c) => base[c.name]));
    const cells: (string | number)[] = [];
    const marked = parts[s].marked;
    m.sink = (r) => {
      w.writeCells(head, timeseriesCells(cluster, s, r, cells));
      if (cells[MARKS] !== "") marked.push({ t_start_s: cells[T_START] as number, marks: cells[MARKS] as string });
      if (onProgress && ++emitted % every === 0) onProgress(emitted / total);
    };
    return w;
  });
  try {
    cluster.run();
  } finally {
    for (const w of writers) w.close();
  }
  writers.forEach((w, s) => Object.assign(parts[s], { rows: w.rows, bytes: w.bytes }));
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
    wallMs: Date.now() - started,
    summary: summaryRows(cluster, key),
    zones: zoneRows(cluster, key),
    series: parts,
  };
  writeFileAtomic(taskPart(dir, id, "json"), encodeResult(result));
  return result;
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
