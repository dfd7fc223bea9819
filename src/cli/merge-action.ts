/**
 * `svcsim merge <shard folders...> --out <dir>`: combines the shards of one experiment into the
 * folder the unsharded run would have written, byte for byte (run.json aside: it records the merge).
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gatherTaskFiles, MergeError, readShards } from "../experiment/merge.js";
import { taskGrid } from "../experiment/tasks.js";
import { StagedFolder, writeFileAtomic } from "../report/atomic.js";
import { checkTarget } from "../report/target.js";
import { addDerivedReports, assembleReports, runJson, TASKS_DIR, type ReportContext } from "../report/write.js";
import { parseSetPath } from "../scenario/load.js";
import { scenarioFromJSON } from "../scenario/json.js";
import { UsageError } from "./errors.js";

export interface MergeOptions {
  out: string;
  force?: boolean;
  quiet?: boolean;
}

/** The experiment as a shard's run.json describes it: enough to assemble its reports. */
function contextFromRunJson(dir: string): ReportContext {
  const doc = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as {
    hash: string;
    settingColumns: string[];
    points: { point: number; settings: Record<string, unknown> }[];
    overrides: Record<string, unknown>;
    scenario: unknown;
  };
  const setting = ([column, value]: [string, unknown]) => ({ column, segs: parseSetPath(column) as (string | number)[], value });
  return {
    hash: doc.hash,
    settingColumns: doc.settingColumns,
    scenario: scenarioFromJSON(doc.scenario, join(dir, "run.json")),
    points: doc.points.map((p) => ({ index: p.point, settings: Object.entries(p.settings).map(setting) })),
    overrides: Object.entries(doc.overrides).map(setting),
  };
}

export async function mergeCommand(dirs: string[], opts: MergeOptions): Promise<void> {
  const started = Date.now();
  let set;
  try {
    set = readShards(dirs);
  } catch (err) {
    if (err instanceof MergeError) throw new UsageError(`merge: ${err.message}`);
    throw err;
  }
  const ctx = contextFromRunJson(dirs[0]);
  const { scenario } = ctx;
  if (typeof scenario.replications !== "number") throw new UsageError("merge: the shards use replications until precise, which cannot be sharded");
  const grid = taskGrid(ctx.points.length, scenario.policies, scenario.replications);
  const missing = grid.filter((t) => !set.tasks.has(t.id));
  if (missing.length > 0) throw new UsageError(`merge: ${missing.length} of ${grid.length} runs are missing from the shards (first: ${missing[0].id}): the shard folders are damaged`);
  checkTarget(opts.out, { force: opts.force === true, where: `--out ${opts.out}` });

  const stage = StagedFolder.stage(opts.out);
  try {
    mkdirSync(join(stage.dir, TASKS_DIR));
    gatherTaskFiles(set, join(stage.dir, TASKS_DIR));
    const results = grid.map((t) => set.tasks.get(t.id)!);
    const stopReasons = ctx.points.map(() => "fixed" as const);
    assembleReports(stage.dir, ctx, results, stopReasons, set.info.confidence);
    const meta = {
      file: set.info.scenarioFile,
      argv: ["svcsim", ...process.argv.slice(2)],
      wallMs: Date.now() - started,
      confidence: set.info.confidence,
      complete: true,
      tasks: grid.length,
      stopReasons,
    };
    writeFileAtomic(join(stage.dir, "run.json"), runJson(ctx, results, meta));
    const derived = await addDerivedReports(stage.dir, {});
    for (const w of derived.warnings) process.stderr.write(`svcsim: ${w}\n`);
    stage.commit();
  } catch (err) {
    stage.discard();
    throw err;
  }
  if (!opts.quiet) {
    process.stderr.write(`merged ${dirs.length} shard${dirs.length === 1 ? "" : "s"} (${grid.length} runs) into ${opts.out}/ (summary.csv, aggregate.csv, paired.csv, pods.csv, timeseries.csv, run.json and the derived reports)\n`);
  }
}
