/** `svcsim compare` and `svcsim merge`: their options. The actions load only when the command runs. */
import type { Command } from "commander";
import { parseConfidence } from "./run-command.js";

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerCompare(program: Command): void {
  program
    .command("compare")
    .description("compare two results folders metric by metric: difference, interval, verdict; writes compare.csv")
    .argument("<a>", "the first results folder (before)")
    .argument("<b>", "the second results folder (after)")
    .option("-o, --out <dir>", "folder for compare.csv (default: results/compare-<a>-vs-<b>)")
    .option("--fail-on <rule>", "exit 1 when a metric clearly changes past a limit, e.g. 'drop_rate>+0.5%' (repeatable)", collect, [])
    .option("--confidence <level>", "confidence level of the intervals", parseConfidence, 0.95)
    .option("-f, --force", "replace the output folder if it exists")
    .option("-q, --quiet", "print nothing but errors")
    .action(async (a: string, b: string, opts) => {
      const { compareCommand } = await import("./compare-action.js");
      await compareCommand(a, b, opts);
    });
}

export function registerMerge(program: Command): void {
  program
    .command("merge")
    .description("combine the shard folders of one experiment into the folder the unsharded run would write")
    .argument("<shards...>", "the shard folders (all of them)")
    .requiredOption("-o, --out <dir>", "the merged results folder")
    .option("-f, --force", "replace the output folder if it exists")
    .option("-q, --quiet", "print nothing but errors")
    .action(async (dirs: string[], opts) => {
      const { mergeCommand } = await import("./merge-action.js");
      await mergeCommand(dirs, opts);
    });
}
