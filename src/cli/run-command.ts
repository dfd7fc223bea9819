/**
 * `svcsim run`: its options and their parsing. The action (run-action.ts) is loaded only when a
 * run starts, so `svcsim --help` does not load the model.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { availableParallelism } from "node:os";
import type { Shard } from "../experiment/tasks.js";
import { UsageError } from "./errors.js";
import { addExportOptions, type ExportOptions } from "./report-command.js";

export interface RunOptions extends ExportOptions {
  out?: string;
  seed?: number;
  set: string[];
  sweep: string[];
  zip?: boolean;
  jobs: number;
  confidence: number;
  shard?: Shard;
  shardFromEnv?: boolean;
  resume?: boolean;
  force?: boolean;
  json?: boolean;
  dryRun?: boolean;
  quiet?: boolean;
  /** False with --no-limits. */
  limits: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`expected a whole number >= 0, found "${value}"`);
  return n;
}

function parseJobs(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number >= 1, found "${value}"`);
  return n;
}

/** `95%`, `0.95` or `95`: a level strictly between 0 and 1. */
export function parseConfidence(value: string): number {
  const t = value.trim();
  let n = t.endsWith("%") ? Number(t.slice(0, -1)) / 100 : Number(t);
  if (n >= 1 && n < 100 && !t.endsWith("%")) n /= 100;
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError(`expected a level between 0 and 1 such as 0.95 or 95%, found "${value}"`);
  return n;
}

/** `K/N` with 1 <= K <= N. */
export function parseShard(value: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(count >= 1 && index >= 1 && index <= count)) {
    throw new InvalidArgumentError(`expected K/N with shards numbered 1 to N, such as 1/4, found "${value}"`);
  }
  return { index, count };
}

/** The shard of a Kubernetes Indexed Job's pod: JOB_COMPLETION_INDEX (from 0) and SVCSIM_SHARD_COUNT. */
export function shardFromEnv(env: NodeJS.ProcessEnv = process.env): Shard {
  const index = env.JOB_COMPLETION_INDEX;
  const count = env.SVCSIM_SHARD_COUNT;
  const bad = (name: string, v: string | undefined, allowed: string) =>
    new UsageError(`--shard-from-env: ${name}: ${v === undefined ? "not set" : "not a valid number"}: found ${v === undefined ? "nothing" : JSON.stringify(v)}; allowed: ${allowed}`);
  if (count === undefined || !/^\d+$/.test(count) || Number(count) < 1) throw bad("SVCSIM_SHARD_COUNT", count, "the number of shards, a whole number >= 1 (the Job's completions)");
  if (index === undefined || !/^\d+$/.test(index) || Number(index) >= Number(count)) {
    throw bad("JOB_COMPLETION_INDEX", index, `a whole number from 0 to ${Number(count) - 1} (set by a Kubernetes Indexed Job)`);
  }
  return { index: Number(index) + 1, count: Number(count) };
}

export function registerRun(program: Command): void {
  const run = program
    .command("run")
    .description("run a scenario file (every sweep point, replication and policy) and write its reports")
    .argument("<scenario>", "scenario file (YAML)")
    .option("-o, --out <dir>", "reports folder (default: results/<scenario name>)")
    .option("--seed <n>", "override the scenario's seed", parseSeed)
    .option("--set <path=value>", "override a scenario field, e.g. --set cluster.proxy.minSyncPeriod=2s (repeatable)", collect, [])
    .option("--sweep <path=values>", "sweep a field: path=v1,v2,... or path=from..to:steps[:log] (repeatable; crossed with each other and the scenario's sweep)", collect, [])
    .option("--zip", "pair the --sweep options value by value instead of crossing them")
    .option("-j, --jobs <n>", "runs at once, in worker threads (default: the available cores)", parseJobs, availableParallelism())
    .option("--confidence <level>", "confidence level of the intervals in aggregate.csv and paired.csv", parseConfidence, 0.95)
    .option("--shard <K/N>", "run only shard K of N of the task grid (merge the shards with svcsim merge)", parseShard)
    .addOption(new Option("--shard-from-env", "take the shard from JOB_COMPLETION_INDEX (from 0) and SVCSIM_SHARD_COUNT, as in a Kubernetes Indexed Job").conflicts("shard"))
    .option("--resume", "finish an interrupted run in the reports folder, running only the missing tasks")
    .option("-f, --force", "replace the reports folder if it exists")
    .option("--json", "print the aggregate rows as JSON on stdout instead of the table")
    .option("--dry-run", "check everything and print the plan, without running or writing anything")
    .option("-q, --quiet", "print nothing but errors (and --json output)")
    .option("--no-limits", "lift svcsim's size limits (nodes, pods, clients, intervals, requests; see the README)");
  addExportOptions(run).action(async (file: string, opts: RunOptions) => {
      // The experiment machinery loads only when a run starts (svcsim --help stays fast).
      const { runCommand } = await import("./run-action.js");
      await runCommand(file, opts);
    });
}

