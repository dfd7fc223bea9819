/**
 * Writes one scenario's reports as a folder: summary.csv, pods.csv, timeseries.csv and run.json
 * (the resolved scenario with every default, the seeds, svcsim's version and the wall time:
 * enough to rerun it). All files appear together or not at all.
 */
import type { ScenarioOutput } from "../experiment/run.js";
import { toPlainJSON } from "../scenario/json.js";
import type { Scenario } from "../scenario/types.js";
import { POD_COLUMNS, SUMMARY_COLUMNS, TIMESERIES_COLUMNS } from "./columns.js";
import { toCsv } from "./csv.js";
import { DEFAULT_REPORT_FILES, reportMarker } from "./target.js";
import { SVCSIM_VERSION } from "../version.js";

export interface RunMeta {
  file: string;
  wallMs: number;
  argv: string[];
  /** The scenario's warnings (LoadedScenario.warnings), recorded as they were printed. */
  warnings?: readonly string[];
}

export function reportFiles(scenario: Scenario, output: ScenarioOutput, meta: RunMeta): Map<string, string> {
  const runJson = {
    ...reportMarker(DEFAULT_REPORT_FILES), // lets --force recognise the folder as svcsim's
    svcsim: SVCSIM_VERSION,
    node: process.version,
    scenarioFile: meta.file,
    command: meta.argv.join(" "),
    wallMs: Math.round(meta.wallMs),
    finishedAt: new Date().toISOString(),
    warnings: meta.warnings ?? [],
    runs: output.runs.map((r) => ({ ...r, wallMs: Math.round(r.wallMs) })),
    scenario: toPlainJSON(scenario),
  };
  return new Map([
    ["summary.csv", toCsv(SUMMARY_COLUMNS, output.summary)],
    ["pods.csv", toCsv(POD_COLUMNS, output.pods)],
    ["timeseries.csv", toCsv(TIMESERIES_COLUMNS, output.timeseries)],
    ["run.json", JSON.stringify(runJson, null, 2) + "\n"],
  ]);
}
