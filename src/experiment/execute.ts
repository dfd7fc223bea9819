/**
 * Runs the tasks of an experiment in the worker pool: the whole grid, a shard of it, or round by
 * round for replications until precise, skipping tasks already done (resume); a small experiment
 * runs in this thread instead (cost.ts). Tasks are handed out longest first and come back in any
 * order; everything that depends on them is decided from stored rows in grid order, so the outcome
 * is the same whatever the number of jobs and wherever the tasks ran.
 */
import type { Row } from "../report/columns.js";
import type { Experiment } from "./experiment.js";
import { initialReplications } from "./experiment.js";
import { runsInline, taskRequests } from "./cost.js";
import { withoutLoopPeeling } from "./short-run-compiler.js";
import type { TaskInput, TaskResult } from "./run.js";
import { settingCell } from "./sweep.js";
import { gridOrder, pointTasks, precisionStep, shardSlice, taskGrid, type PlannedTask, type Shard, type StopReason } from "./tasks.js";

export interface ExecuteOptions {
  jobs: number;
  /** The folder task files go to. */
  dir: string;
  /** Tasks already finished (from an interrupted run), by id; new results are added to it. */
  done: Map<string, TaskResult>;
  shard?: Shard;
  confidence: number;
  /** Aborting stops handing out tasks and ends the workers; tasks in flight are lost. */
  signal?: AbortSignal;
  /** Called as tasks start and finish; `total` may grow with replications until precise. */
  onEvent?: (e: ExecuteEvent) => void;
}

export type ExecuteEvent =
  | { kind: "start"; task: PlannedTask; label: string }
  | { kind: "done"; task: PlannedTask; result: TaskResult; label: string; finished: number; total: number }
  | { kind: "planned"; total: number; finished: number }
  | { kind: "progress"; task: PlannedTask; fraction: number };

export interface ExecuteOutcome {
  /** The tasks of this run (or shard), in grid order, with their results if finished. */
  tasks: PlannedTask[];
  /** Per point: why its replications stopped ("fixed" without a precision target). */
  stopReasons: StopReason[];
  interrupted: boolean;
}

/** The cells of a point's setting columns: its swept values, then the `--set` overrides. */
export function pointSettings(exp: Experiment, point: number): Row {
  const row: Row = {};
  for (const s of exp.points[point].settings) row[s.column] = settingCell(s.value);
  for (const o of exp.overrides) row[o.column] = settingCell(o.value);
  return row;
}

export function taskInput(exp: Experiment, task: PlannedTask, dir: string): TaskInput {
  const p = exp.points[task.point];
  return { ...task, scenario: p.scenario, settingColumns: exp.settingColumns, settings: pointSettings(exp, task.point), dir };
}

export async function execute(exp: Experiment, opts: ExecuteOptions): Promise<ExecuteOutcome> {
  const { scenario } = exp;
  const policies = scenario.policies;
  const precision = typeof scenario.replications === "number" ? null : scenario.replications;
  const planned: PlannedTask[] = [];
  const stopReasons: StopReason[] = exp.points.map(() => "fixed");
  // The tasks still to run, longest first (by expected requests; grid order among equals), so the
  // pool does not end with one worker running a long task while the others sit idle.
  const queue: PlannedTask[] = [];
  const cost = exp.points.map((p) => taskRequests(p.scenario));
  const plan = (tasks: PlannedTask[]) => {
    planned.push(...tasks);
    for (const t of tasks) if (!opts.done.has(t.id)) queue.push(t);
    queue.sort((a, b) => cost[b.point] - cost[a.point]); // stable: grid order among equal costs
  };

  // Replications until precise: per point, how many replications are asked for so far.
  const target = exp.points.map(() => initialReplications(scenario));
  const open = new Set<number>(); // points still deciding
  if (precision) {
    exp.points.forEach((_, p) => {
      plan(pointTasks(p, policies, 0, target[p]));
      open.add(p);
    });
  } else {
    const grid = taskGrid(exp.points.length, policies, initialReplications(scenario));
    plan(opts.shard ? shardSlice(grid, opts.shard) : grid);
  }

  /** Decides every open point whose asked-for replications are all done; may plan more tasks. */
  const decide = () => {
    if (!precision) return;
    for (const p of [...open]) {
      for (;;) {
        const mine = pointTasks(p, policies, 0, target[p]);
        if (!mine.every((t) => opts.done.has(t.id))) break;
        const rows = mine.flatMap((t) => opts.done.get(t.id)!.summary);
        const step = precisionStep(precision, target[p], rows, opts.confidence);
        if ("stop" in step) {
          stopReasons[p] = step.stop;
          open.delete(p);
          break;
        }
        plan(pointTasks(p, policies, target[p], step.next));
        target[p] = step.next;
      }
    }
  };
  decide();
  const finishedCount = () => planned.filter((t) => opts.done.has(t.id)).length;
  opts.onEvent?.({ kind: "planned", total: planned.length, finished: finishedCount() });

  let interrupted = opts.signal?.aborted ?? false;
  const started = (task: PlannedTask) => {
    const label = exp.points[task.point].label;
    opts.onEvent?.({ kind: "start", task, label });
    return opts.onEvent && ((fraction: number) => opts.onEvent!({ kind: "progress", task, fraction }));
  };
  const finished = (task: PlannedTask, result: TaskResult) => {
    opts.done.set(task.id, result);
    const before = planned.length;
    decide();
    if (planned.length !== before) opts.onEvent?.({ kind: "planned", total: planned.length, finished: finishedCount() });
    opts.onEvent?.({ kind: "done", task, result, label: exp.points[task.point].label, finished: finishedCount(), total: planned.length });
  };

  if (queue.length > 0 && !interrupted) {
    if (!precision && runsInline(queue.map((t) => exp.points[t.point].scenario))) {
      // Small tasks: this thread runs them (loading the model here), with no worker to start. It
      // returns to the event loop between tasks, so an interrupt stops before the next one.
      const { runTask } = await import("./run-task.js");
      await withoutLoopPeeling(async () => {
        while (queue.length > 0) {
          const task = queue.shift()!;
          const onProgress = started(task);
          finished(task, runTask(taskInput(exp, task, opts.dir), onProgress));
          if (queue.length === 0) break;
          await new Promise((resolve) => setImmediate(resolve));
          if (opts.signal?.aborted) {
            interrupted = true;
            break;
          }
        }
      });
    } else {
      interrupted = await runPooled(exp, opts, queue, precision !== null, started, finished);
    }
  }
  planned.sort(gridOrder(policies));
  return { tasks: planned, stopReasons, interrupted };
}

/**
 * Runs the queue in the worker pool, at most `jobs` tasks at a time, taking tasks from the front of
 * the queue (which `finished` may extend); resolves with whether the run was interrupted.
 */
async function runPooled(
  exp: Experiment,
  opts: ExecuteOptions,
  queue: PlannedTask[],
  mayGrow: boolean,
  started: (task: PlannedTask) => ((fraction: number) => void) | undefined,
  finished: (task: PlannedTask, result: TaskResult) => void,
): Promise<boolean> {
  let interrupted = false;
  const { RunPool } = await import("./pool.js"); // piscina, loaded only when a pool runs (~20 ms of CPU)
  // No more workers than tasks (each loads the whole model, ~0.1 s of CPU, before its first task),
  // unless replications-until-precise may plan more tasks as results come in.
  const pool = new RunPool(mayGrow ? opts.jobs : Math.min(opts.jobs, queue.length));
  const stop = new AbortController();
  const onAbort = () => {
    interrupted = true;
    stop.abort();
  };
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener("abort", onAbort);
  try {
    await new Promise<void>((resolve, reject) => {
      let inFlight = 0;
      const pump = () => {
        while (!interrupted && inFlight < opts.jobs && queue.length > 0) {
          const task = queue.shift()!;
          inFlight++;
          const onProgress = started(task);
          pool.run(taskInput(exp, task, opts.dir), stop.signal, onProgress).then(
            (result) => {
              inFlight--;
              finished(task, result);
              pump();
            },
            (err: unknown) => {
              inFlight--;
              if (interrupted) {
                if (inFlight === 0) resolve();
                return;
              }
              reject(err);
            },
          );
        }
        if (inFlight === 0 && (queue.length === 0 || interrupted)) resolve();
      };
      pump();
      if (interrupted && inFlight === 0) resolve();
      stop.signal.addEventListener("abort", () => {
        if (inFlight === 0) resolve();
      });
    });
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    await pool.destroy();
  }
  return interrupted;
}
