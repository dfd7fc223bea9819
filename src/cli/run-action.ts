/**
 * `svcsim run`: resolves a scenario into an experiment (sweep points x replications x policies),
 * runs its tasks in the worker pool, and writes the reports folder atomically. Ctrl-C keeps the
 * finished runs in a folder marked incomplete, which `--resume` finishes with the same bytes.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { plural } from "../util/plural.js";
import { basename, join, relative } from "node:path";
import { aggregateRows } from "../experiment/aggregate.js";
import { execute, type ExecuteOutcome } from "../experiment/execute.js";
import { initialReplications, loadExperiment, type Experiment } from "../experiment/experiment.js";
import { readFinishedTasks, readFolderInfo, removeUnfinished } from "../experiment/folder.js";
import type { TaskResult } from "../experiment/run.js";
import type { Shard } from "../experiment/tasks.js";
import { StagedFolder, writeFileAtomic } from "../report/atomic.js";
import { checkTarget, inspectTarget, TargetError } from "../report/target.js";
import { addDerivedReports, assembleReports, dropTaskFiles, reportFiles, runJson, TASKS_DIR, type RunMeta } from "../report/write.js";
import { reportedMetrics } from "../report/columns.js";
import { parseTable } from "../report/folder.js";
import { reportPointer } from "./report-command.js";
import { SVCSIM_VERSION } from "../version.js";
import { ExitStatus, UsageError } from "./errors.js";
import { checkLeftovers, pickUpLeftover, shellWord } from "./leftovers.js";
import { shardFromEnv, type RunOptions } from "./run-command.js";
import { barProgress, lineProgress, type Progress } from "./progress.js";
import { aggregateTable, rolloutsTable, summaryTable } from "./table.js";

export async function runCommand(file: string, opts: RunOptions): Promise<void> {
  const started = Date.now();
  const shard = opts.shardFromEnv ? shardFromEnv() : opts.shard;
  const exp = loadExperiment(file, { set: opts.set, sweep: opts.sweep, zip: opts.zip, seed: opts.seed, limits: opts.limits, shards: shard?.count });
  const { scenario } = exp;
  if (shard && typeof scenario.replications !== "number") {
    throw new UsageError(`${file}: replications: replications until precise decide round by round, so they cannot be split into shards: found ${JSON.stringify({ until: scenario.replications.until })}; allowed: a fixed number of replications with --shard, or no --shard`);
  }
  const out = opts.out ?? (shard ? join("results", `${scenario.name}-shard-${shard.index}-of-${shard.count}`) : join("results", scenario.name));
  const log = opts.quiet ? () => {} : (s: string) => process.stderr.write(s);
  for (const w of exp.warnings) log(`svcsim: warning: ${w}\n`);
  const reps = typeof scenario.replications === "number" ? plural(scenario.replications, "replication") : `${scenario.replications.min} to ${scenario.replications.max} replications (until ${scenario.replications.metric} is within ${scenario.replications.until * 100}%)`;
  const head = `svcsim ${SVCSIM_VERSION}: ${scenario.name} (${basename(file)}), seed ${scenario.seed}, ${exp.points.length > 1 ? `${plural(exp.points.length, "point")} x ` : ""}${plural(scenario.policies.length, "policy", "policies")} x ${reps}${shard ? `, shard ${shard.index}/${shard.count}` : ""}`;

  if (opts.dryRun) {
    dryRun(exp, shard, out, head);
    return;
  }

  // Where the reports go: refuse or adopt the existing folder before spending any time.
  let done = new Map<string, TaskResult>();
  let adopt = false;
  const where = opts.out === undefined ? out : `--out ${opts.out}`;
  if (!opts.resume) checkTarget(out, { force: opts.force === true, where });
  const leftovers = checkLeftovers(out, where, { hash: exp.hash, resume: opts.resume === true, rerun: resumeCommand() });
  for (const line of leftovers.lines) log(`svcsim: warning: ${line}\n`);
  if (opts.resume) {
    let target = inspectTarget(out);
    if (target.kind === "new" && leftovers.resumable) {
      pickUpLeftover(leftovers.resumable, out);
      target = inspectTarget(out);
    }
    if (target.kind === "refused") throw new TargetError(where, target);
    const info = target.kind === "reports" ? readFolderInfo(out) : undefined;
    if (target.kind === "reports" && !info) throw new UsageError(`--resume: ${out} was written by an older svcsim, which could not resume runs: nothing to resume; allowed: a folder of an interrupted svcsim run, or --force without --resume to start over`);
    if (info) {
      // A folder whose process was killed while writing the reports says complete but still has its runs.
      if (info.complete && !info.shard && !existsSync(join(out, TASKS_DIR))) {
        log(`${out} is complete: nothing to resume\n`);
        return;
      }
      if (info.hash !== exp.hash) {
        throw new UsageError(`--resume: ${out} was written for a different experiment (another scenario, --set, --sweep, seed or svcsim version): found hash ${info.hash.slice(0, 12)}, this run has ${exp.hash.slice(0, 12)}; allowed: the same command as the interrupted run, or --force without --resume to start over`);
      }
      if ((info.shard?.index ?? 0) !== (shard?.index ?? 0) || (info.shard?.count ?? 0) !== (shard?.count ?? 0)) {
        throw new UsageError(`--resume: ${out} holds ${info.shard ? `shard ${info.shard.index}/${info.shard.count}` : "an unsharded run"}: found ${shard ? `--shard ${shard.index}/${shard.count}` : "no --shard"}; allowed: the same shard as the interrupted run`);
      }
      adopt = true;
    }
  }
  // From here on the run owns folders on disk: a signal stops it cleanly (see interrupted below).
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const s of signals) process.on(s, onSignal);
  try {
    await runStaged();
  } finally {
    for (const s of signals) process.off(s, onSignal);
  }

  async function runStaged(): Promise<void> {
    const stage = StagedFolder.stage(out, { adopt });
    if (adopt) done = readFinishedTasks(stage.dir);
    const resumed = done.size;
    const tasksDir = join(stage.dir, TASKS_DIR);
    mkdirSync(tasksDir, { recursive: true });

    const meta = (complete: boolean, planned: number, results: TaskResult[], stopReasons: RunMeta["stopReasons"]): RunMeta => ({
      file,
      argv: ["svcsim", ...process.argv.slice(2)],
      wallMs: Date.now() - started,
      confidence: opts.confidence,
      complete,
      shard,
      tasks: planned,
      stopReasons,
      warnings: exp.warnings,
    });
    // run.json from the start, so even a stage left behind by a killed process says what it is.
    writeFileAtomic(join(stage.dir, "run.json"), runJson(exp, [], meta(false, 0, [], [])));

    log(`${head}${resumed ? `; resuming with ${plural(resumed, "run")} done` : ""}\n`);
    const progress: Progress = opts.quiet ? lineProgress(() => {}) : process.stderr.isTTY ? await barProgress(process.stderr) : lineProgress(log);
    let outcome: ExecuteOutcome | undefined;
    try {
      outcome = await execute(exp, { jobs: opts.jobs, dir: tasksDir, done, shard, confidence: opts.confidence, signal: abort.signal, onEvent: (e) => progress.event(e) });
    } catch (err) {
      progress.stop();
      if (done.size > 0) keepIncomplete();
      else stage.discard();
      throw err;
    }
    progress.stop();
    const finished = outcome.tasks.filter((t) => done.has(t.id)).map((t) => done.get(t.id)!);

    /** Leaves the finished runs (and nothing else: no half-built report) in the target, marked incomplete. */
    function keepIncomplete(): void {
      for (const name of readdirSync(stage.dir)) if (name !== TASKS_DIR && name !== "run.json") rmSync(join(stage.dir, name), { recursive: true, force: true });
      removeUnfinished(tasksDir);
      const planned = outcome?.tasks.length ?? done.size;
      const results = [...done.values()];
      writeFileAtomic(join(stage.dir, "run.json"), runJson(exp, results, meta(false, planned, results, outcome?.stopReasons ?? [])));
      stage.commit();
    }

    /** Ends an interrupted run: its finished runs kept for --resume, or nothing written at all. */
    function interrupted(): never {
      if (finished.length === 0) {
        stage.discard();
        process.stderr.write("\ninterrupted: nothing written\n");
      } else {
        keepIncomplete();
        const all = finished.length === outcome!.tasks.length;
        const kept = all ? `interrupted while writing the reports: kept ${finished.length === 1 ? "the run" : `all ${plural(finished.length, "run")}`}` : `interrupted: kept ${finished.length} of ${plural(outcome!.tasks.length, "run")}`;
        process.stderr.write(`\n${kept} in ${out}/ (marked incomplete); finish${all ? " the reports" : ""} with: ${resumeCommand()}\n`);
      }
      throw new ExitStatus(130);
    }
    if (outcome.interrupted || finished.length < outcome.tasks.length) interrupted();
    /**
     * Whether a signal came while the reports were being built (each step is synchronous). Two turns
     * of the event loop: the first may end the current one, the second passes the poll phase, where
     * signals are delivered.
     */
    const signalled = async () => {
      for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
      return abort.signal.aborted;
    };

    if (shard) {
      writeFileAtomic(join(stage.dir, "run.json"), runJson(exp, finished, meta(true, outcome.tasks.length, finished, outcome.stopReasons)));
      stage.commit();
      log(`wrote ${out}/ (shard ${shard.index}/${shard.count}: ${plural(finished.length, "run")}, kept as task files); combine all ${shard.count} shards with: svcsim merge <shard folders...> --out <dir>\n`);
      return;
    }

    let derived;
    try {
      const series = assembleReports(stage.dir, exp, finished, outcome.stopReasons, opts.confidence, { keepTasks: true });
      writeFileAtomic(join(stage.dir, "run.json"), runJson(exp, finished, { ...meta(true, outcome.tasks.length, finished, outcome.stopReasons), keepsTasks: true }));
      if (await signalled()) interrupted();
      derived = await addDerivedReports(stage.dir, { xlsx: opts.xlsx, csvLocale: opts.csvLocale, series });
      if (await signalled()) interrupted();
    } catch (err) {
      if (err instanceof ExitStatus) throw err;
      keepIncomplete(); // the runs are done: keep them for --resume rather than lose them
      throw err;
    }
    for (const w of derived.warnings) process.stderr.write(`svcsim: ${w}\n`);
    dropTaskFiles(stage.dir);
    if (!opts.resume) {
      try {
        checkTarget(out, { force: opts.force === true, where }); // again: the folder may have changed during a long run
      } catch (err) {
        if (!(err instanceof TargetError)) throw err;
        throw new TargetError(where, { ...err.refusal, allowed: `${err.refusal.allowed}; this run's reports are kept in ${relative(process.cwd(), stage.dir) || stage.dir}` });
      }
    }
    const replaced = existsSync(out) && !adopt;
    stage.commit();

    const summary = finished.flatMap((r) => r.summary);
    const aggregate = aggregateRows(summary, exp.settingColumns, outcome.stopReasons, opts.confidence, reportedMetrics(scenario));
    if (opts.json) {
      process.stdout.write(JSON.stringify(aggregate, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2) + "\n");
    } else if (!opts.quiet) {
      const single = exp.points.length === 1 && initialReplications(scenario) === 1 && typeof scenario.replications === "number";
      console.log(single ? summaryTable(summary) : aggregateTable(aggregate, exp.settingColumns, exp.points.length > 1));
      if (!single) console.log(`\nmean ± half-width of the ${opts.confidence * 100}% confidence interval over the replications`);
      // A single run's rollouts are few (one row per rollout and Service): show how each went.
      const rollouts = single ? parseTable("rollouts.csv", readFileSync(join(out, "rollouts.csv"), "utf8")).rows : [];
      if (rollouts.length > 0 && rollouts.length <= MAX_ROLLOUT_ROWS) console.log(`\nrollouts (rollouts.csv): requests sent during each, and their success rate\n${rolloutsTable(rollouts)}`);
      const wallMs = Date.now() - started;
      const csv = reportFiles(scenario);
      const files = [...csv, "run.json", ...derived.written.filter((f) => !csv.includes(f))];
      console.log(`\n${replaced ? "replaced" : "wrote"} ${out}/ (${files.join(", ")}) in ${(wallMs / 1000).toFixed(2)} s`);
      console.log(reportPointer(out));
    }
  }
}

/** More rollouts than this in one run are left to rollouts.csv. */
const MAX_ROLLOUT_ROWS = 40;

/** This command with --resume (and without --force): what finishes an interrupted run. */
function resumeCommand(): string {
  return ["svcsim", ...process.argv.slice(2).filter((a) => a !== "--resume" && a !== "--force" && a !== "-f").map(shellWord), "--resume"].join(" ");
}

function dryRun(exp: Experiment, shard: Shard | undefined, out: string, head: string): void {
  const { scenario } = exp;
  const perPoint = scenario.policies.length * initialReplications(scenario);
  const total = exp.points.length * perPoint;
  const mine = shard ? Math.floor(total / shard.count) + (shard.index - 1 < total % shard.count ? 1 : 0) : total;
  console.log(head);
  console.log(`${plural(total, "run")}${typeof scenario.replications === "number" ? "" : " to start with (more until precise)"}${shard ? `, of which shard ${shard.index}/${shard.count} runs ${mine}` : ""}; reports to ${out}/; experiment hash ${exp.hash.slice(0, 12)}`);
  for (const p of exp.points.slice(0, 20)) console.log(`  point ${p.index}${p.label ? `: ${p.label}` : ""}`);
  if (exp.points.length > 20) console.log(`  ... ${exp.points.length - 20} more points`);
  console.log("dry run: nothing run, nothing written");
}
