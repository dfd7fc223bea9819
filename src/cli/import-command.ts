/**
 * `svcsim import <manifests.yaml...>`: Kubernetes manifests (as `kubectl get -o yaml` prints them)
 * to a scenario skeleton, on stdout or in a file. The skeleton is validated as `svcsim validate`
 * would before it is written, so what svcsim writes always runs.
 */
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { UsageError } from "./errors.js";

export function registerImport(cmd: Command): void {
  cmd
    .command("import")
    .description("write a scenario skeleton from Kubernetes manifests (Deployments, DaemonSets, Services, PodDisruptionBudgets, HPAs)")
    .argument("<manifests...>", "YAML files as kubectl get -o yaml prints them (several documents, or a kind: List)")
    .option("-o, --output <file>", "write the scenario to this file instead of stdout")
    .option("--force", "replace the output file if it exists")
    .action(async (files: string[], opts: { output?: string; force?: boolean }) => {
      const [{ readManifests }, { importManifests, ImportError }, { renderScenario }, { parseScenarioChecked }, { writeFileAtomic }] = await Promise.all([
        import("../import/manifests.js"),
        import("../import/to-scenario.js"),
        import("../import/render.js"),
        import("../scenario/load.js"),
        import("../report/atomic.js"),
      ]);
      if (opts.output !== undefined && existsSync(opts.output) && !opts.force) {
        throw new UsageError(`${opts.output} exists: pass --force to replace it`);
      }
      let text: string;
      try {
        text = renderScenario(importManifests(readManifests(files)));
      } catch (e) {
        if (e instanceof ImportError) throw new UsageError(`${files.join(", ")}: ${e.message}`);
        throw e;
      }
      // What svcsim writes must run: a skeleton that does not validate is svcsim's bug, not the user's.
      const { warnings } = parseScenarioChecked(text, opts.output ?? "imported.yaml");
      for (const w of warnings) process.stderr.write(`svcsim: warning: ${w}\n`);
      if (opts.output === undefined) process.stdout.write(text);
      else {
        writeFileAtomic(opts.output, text);
        process.stderr.write(`wrote ${opts.output}: check its notes, then svcsim run ${opts.output}\n`);
      }
    });
}
