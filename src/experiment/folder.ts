/**
 * Reading back a results folder svcsim wrote: its run.json (complete or not, which experiment by
 * hash, which shard) and the finished tasks kept in `tasks/`, for --resume and for merge.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { TASKS_DIR } from "../report/write.js";
import { decodeResult, type TaskResult } from "./run.js";
import type { Shard } from "./tasks.js";

/** The fields of run.json that resume and merge rely on. */
export interface FolderInfo {
  generator: string;
  svcsim: string;
  complete: boolean;
  hash: string;
  shard: Shard | null;
  confidence: number;
  scenarioFile: string;
  /** The command line that wrote the folder. */
  command?: string;
  tasks: { planned: number; finished: number };
}

/** run.json of `dir`, or undefined when there is none or it is not svcsim's. */
export function readFolderInfo(dir: string): FolderInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as FolderInfo;
    return info?.generator === "svcsim" ? info : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The finished tasks in `dir/tasks`, by id: a task is finished when its `<id>.json` exists (it is
 * written last). Leftovers of tasks cut off mid-way (`.part` files) are removed.
 */
export function readFinishedTasks(dir: string): Map<string, TaskResult> {
  const tasks = join(dir, TASKS_DIR);
  const done = new Map<string, TaskResult>();
  if (!existsSync(tasks)) return done;
  removeUnfinished(tasks);
  for (const name of readdirSync(tasks).sort()) {
    if (name.endsWith(".json")) {
      const r = decodeResult(readFileSync(join(tasks, name), "utf8"));
      done.set(r.id, r);
    }
  }
  return done;
}

/** Removes the files of tasks cut off mid-way (`.part`, `.tmp`) from a tasks folder. */
export function removeUnfinished(tasksDir: string): void {
  if (!existsSync(tasksDir)) return;
  for (const name of readdirSync(tasksDir)) if (name.endsWith(".part") || name.endsWith(".tmp")) rmSync(join(tasksDir, name), { force: true });
}

/** What a folder left by a run that did not end cleanly holds. */
export interface LeftoverContents {
  /** Its run.json, when svcsim's. */
  info: FolderInfo | undefined;
  /** Whether it has a tasks folder, and how many runs finished in it. */
  tasks: boolean;
  finished: number;
}

export function leftoverContents(dir: string): LeftoverContents {
  let names: string[] | undefined;
  try {
    names = readdirSync(join(dir, TASKS_DIR));
  } catch {
    names = undefined;
  }
  return { info: readFolderInfo(dir), tasks: names !== undefined, finished: names?.filter((n) => n.endsWith(".json")).length ?? 0 };
}
