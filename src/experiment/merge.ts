/**
 * Merging shard folders: the task files of every shard of one experiment, checked to be the same
 * experiment (hash), the same split, and complete, are put together and assembled exactly as the
 * unsharded run would have assembled them, so the reports are byte-identical to it.
 */
import { existsSync, linkSync, copyFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { TASKS_DIR } from "../report/write.js";
import { readFinishedTasks, readFolderInfo, type FolderInfo } from "./folder.js";
import type { TaskResult } from "./run.js";

/** A reason the shards cannot be merged, phrased for the user. */
export class MergeError extends Error {}

export interface ShardSet {
  /** The shards' common run.json facts (of the first). */
  info: FolderInfo;
  /** Every task of every shard, by id. */
  tasks: Map<string, TaskResult>;
  /** Where each task's files are. */
  dirOf: Map<string, string>;
}

/** Reads and checks shard folders: one experiment, one split, every shard once, each complete. */
export function readShards(dirs: readonly string[]): ShardSet {
  if (dirs.length === 0) throw new MergeError("no shard folders given");
  const infos = dirs.map((dir) => {
    if (!existsSync(dir)) throw new MergeError(`${dir}: no such folder`);
    const info = readFolderInfo(dir);
    if (!info) throw new MergeError(`${dir}: not a folder svcsim wrote (no run.json with "generator": "svcsim")`);
    if (!info.shard) throw new MergeError(`${dir}: not a shard (it was run without --shard), so there is nothing to merge`);
    if (!info.complete) throw new MergeError(`${dir}: shard ${info.shard.index}/${info.shard.count} is incomplete: finish it with svcsim run ... --shard ${info.shard.index}/${info.shard.count} --resume --out ${dir}`);
    return info;
  });
  const first = infos[0];
  infos.forEach((info, i) => {
    if (info.hash !== first.hash) {
      throw new MergeError(`${dirs[i]}: a shard of a different experiment than ${dirs[0]} (another scenario, --set, --sweep, seed or svcsim version): hash ${info.hash.slice(0, 12)} against ${first.hash.slice(0, 12)}`);
    }
    if (info.shard!.count !== first.shard!.count) throw new MergeError(`${dirs[i]}: split into ${info.shard!.count} shards, ${dirs[0]} into ${first.shard!.count}`);
  });
  const byIndex = new Map<number, string>();
  infos.forEach((info, i) => {
    const other = byIndex.get(info.shard!.index);
    if (other !== undefined) throw new MergeError(`${dirs[i]}: shard ${info.shard!.index}/${info.shard!.count} is also given as ${other}`);
    byIndex.set(info.shard!.index, dirs[i]);
  });
  const missing = Array.from({ length: first.shard!.count }, (_, k) => k + 1).filter((k) => !byIndex.has(k));
  if (missing.length > 0) throw new MergeError(`missing shard${missing.length === 1 ? "" : "s"} ${missing.map((k) => `${k}/${first.shard!.count}`).join(", ")}: all ${first.shard!.count} are needed`);
  if (infos.some((info) => info.confidence !== first.confidence)) throw new MergeError("the shards were run with different --confidence levels");

  const tasks = new Map<string, TaskResult>();
  const dirOf = new Map<string, string>();
  for (const dir of dirs) {
    for (const [id, r] of readFinishedTasks(dir)) {
      tasks.set(id, r);
      dirOf.set(id, join(dir, TASKS_DIR));
    }
  }
  return { info: first, tasks, dirOf };
}

/** Puts every task's files into `to` (hard links where the file system allows, copies otherwise). */
export function gatherTaskFiles(set: ShardSet, to: string): void {
  for (const dir of new Set(set.dirOf.values())) {
    for (const name of readdirSync(dir)) {
      try {
        linkSync(join(dir, name), join(to, name));
      } catch {
        copyFileSync(join(dir, name), join(to, name));
      }
    }
  }
}
