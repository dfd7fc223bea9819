/**
 * The svcsim command line: `run` a scenario file (or a sweep) and write its reports, `validate` one,
 * `import` one from Kubernetes manifests, `compare` two report folders, `merge` shards, or run the
 * M/M/c `demo` against theory. A user's mistake ends with a plain message and exit status 2, and
 * writes nothing; only a bug in svcsim shows a stack trace.
 */
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { OutputExistsError, WriteError } from "../report/atomic.js";
import { ReportInputError } from "../report/errors.js";
import { TargetError } from "../report/target.js";
import { ScenarioError } from "../scenario/errors.js";
import { grouped } from "../util/plural.js";
import { SVCSIM_VERSION } from "../version.js";
import { registerCompare, registerMerge } from "./compare-command.js";
import { ExitStatus, UsageError } from "./errors.js";
import { registerImport } from "./import-command.js";
import { registerReportCommand } from "./report-command.js";
import { parseSeed, registerRun } from "./run-command.js";

// The model, the scenario schema (zod, yaml) and the reports are imported by the command that needs
// them, not here: loading them all takes longer than `svcsim --help` may (150 ms, issue 11).

const collect = (value: string, previous: string[]) => [...previous, value];

async function demoCommand(opts: { lambda: number; mu: number; c: number; duration: number; seed: number; limits: boolean }): Promise<void> {
  const { lambda, mu, c, duration, seed } = opts;
  const [{ runMmc }, { mmc }, { demoProblems }] = await Promise.all([import("../queue/mmc-queue.js"), import("../stats/theory.js"), import("../scenario/limits.js")]);
  const problems = demoProblems(opts, opts.limits);
  if (problems.length > 0) throw new UsageError(problems.join("\n"));
  const sim = runMmc({ lambda, mu, c, duration, warmup: duration / 20, seed });
  const theory = mmc(lambda, mu, c);
  console.log(`M/M/${c} queue on svcsim's kernel: lambda ${lambda}/s, mu ${mu}/s per worker, ${duration} s simulated, seed ${seed}`);
  console.log(`${grouped(sim.events)} events\n`);
  const rows: [string, number, number][] = [
    ["mean response W (s)", sim.meanResponse, theory.W],
    ["mean wait Wq (s)", sim.meanWait, theory.Wq],
    ["mean in system L", sim.meanInSystem, theory.L],
  ];
  console.log(`${"".padEnd(22)}${"simulated".padStart(12)}${"theory".padStart(12)}${"error".padStart(9)}`);
  for (const [name, s, t] of rows) {
    console.log(`${name.padEnd(22)}${s.toFixed(4).padStart(12)}${t.toFixed(4).padStart(12)}${`${(((s - t) / t) * 100).toFixed(1)}%`.padStart(9)}`);
  }
  console.log("\nThe Kubernetes model runs with: svcsim run scenarios/baseline.yaml (npm start)");
}

function program(): Command {
  const cmd = new Command()
    .name("svcsim")
    .description("Seeded discrete-event simulator of how a Kubernetes Service spreads requests over its pods")
    .version(SVCSIM_VERSION)
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showHelpAfterError(false);
  registerRun(cmd);
  registerReportCommand(cmd);
  registerCompare(cmd);
  registerMerge(cmd);
  registerImport(cmd);
  cmd
    .command("validate")
    .description("check a scenario file and print it with every default filled in (JSON)")
    .argument("<scenario>", "scenario file (YAML)")
    .option("--set <path=value>", "override a scenario field (repeatable)", collect, [])
    .option("--no-limits", "lift svcsim's size limits")
    .action(async (file: string, opts: { set: string[]; limits: boolean }) => {
      const [{ loadScenarioChecked }, { toPlainJSON }] = await Promise.all([import("../scenario/load.js"), import("../scenario/json.js")]);
      const { scenario, warnings } = loadScenarioChecked(file, { set: opts.set, limits: opts.limits });
      for (const w of warnings) process.stderr.write(`svcsim: warning: ${w}\n`);
      console.log(JSON.stringify(toPlainJSON(scenario), null, 2));
    });
  const number = (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, found "${v}"`);
    return n;
  };
  cmd
    .command("demo")
    .description("run an M/M/c queue on the simulation kernel and compare it with queueing theory")
    .option("--lambda <rate>", "arrival rate per second", number, 9)
    .option("--mu <rate>", "service rate per worker per second", number, 1)
    .option("-c, --workers <c>", "workers", number, 10)
    .option("--duration <s>", "simulated seconds", number, 100000)
    .option("--seed <n>", "seed", parseSeed, 1)
    .option("--no-limits", "lift the demo's size limits")
    .action((o: { lambda: number; mu: number; workers: number; duration: number; seed: number; limits: boolean }) =>
      demoCommand({ lambda: o.lambda, mu: o.mu, c: o.workers, duration: o.duration, seed: o.seed, limits: o.limits }),
    );
  return cmd;
}

/**
 * A reader that went away (`svcsim run ... | head -1`) is not an error: output comes after the
 * reports are written, so the rest of it is dropped and the command ends as it would have.
 */
function dropOutputToClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED") return;
    throw err;
  });
}

export async function main(argv: string[]): Promise<number> {
  dropOutputToClosedPipe(process.stdout);
  dropOutputToClosedPipe(process.stderr);
  try {
    await program().parseAsync(argv, { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0; // --help, --version
      // No command: the usage is already on stderr, and commander's placeholder message says nothing.
      if (err.code === "commander.help") return 2;
      process.stderr.write(`svcsim: ${err.message.replace(/^error: /, "")}\nRun 'svcsim --help' for usage.\n`);
      return 2;
    }
    if (err instanceof ExitStatus) return err.code;
    if (err instanceof ScenarioError || err instanceof OutputExistsError || err instanceof TargetError || err instanceof WriteError || err instanceof UsageError || err instanceof ReportInputError) {
      process.stderr.write(`svcsim: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

// Not a top-level await: the build bundles this entry as CommonJS (scripts/build.js). A bug's error
// still ends the process with its stack trace and status 1, as an unhandled rejection.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
