/**
 * For the report tests: a small reports folder written the way `svcsim run` writes one (scenario,
 * run, CSVs and run.json, then the derived reports), without spawning the command line.
 */
import { readFileSync } from "node:fs";
import { runScenario } from "../experiment/run.js";
import { parseScenario } from "../scenario/load.js";
import { writeFolderAtomic } from "./atomic.js";
import { POD_COLUMNS, SUMMARY_COLUMNS, TIMESERIES_COLUMNS, type Column, type Row } from "./columns.js";
import { toCsv } from "./csv.js";
import { parseTable } from "./folder.js";
import { estimate } from "./html/replications.js";
import { deriveReports, type DeriveOptions } from "./generate.js";
import { reportFiles } from "./write.js";

/** Two Services, two policies, two replications; a crash, a rollout and a scale-up. */
export const FIXTURE_YAML = `
name: fixture
description: two Services; a crash, a rollout and a scale-up
duration: 40s
warmup: 5s
interval: 1s
replications: 2
policies: [random, round-robin]
cluster: { nodes: 2 }
services: [{ name: web, selector: { app: web } }, { name: api, selector: { app: api } }]
deployments:
  - { name: web, replicas: 3, labels: { app: web }, pod: { startup: 5s } }
  - { name: api, replicas: 2, labels: { app: api } }
workload:
  - { service: web, arrivals: { type: poisson, rate: 200 } }
  - { service: api, arrivals: { type: poisson, rate: 50 } }
events:
  - { at: 15s, action: crash, pods: [web-0] }
  - { at: 25s, action: rollout, deployment: web, version: v2 }
  - { at: 30s, action: scale, deployment: api, replicas: 3 }
`;

export async function writeFixtureFolder(dir: string, yaml = FIXTURE_YAML, options: DeriveOptions = {}): Promise<void> {
  const scenario = parseScenario(yaml, "fixture.yaml", {});
  const output = runScenario(scenario);
  const files = reportFiles(scenario, output, { file: "fixture.yaml", wallMs: 0, argv: ["svcsim", "run", "fixture.yaml"] });
  await writeFolderAtomic(dir, files, true, (tmp) => deriveReports(tmp, options));
}

/** A sweep as issue 8 lays it out: `point` and one column per swept path after `scenario` in every table. */
export const SWEEP = [
  { column: "cluster.proxy.minSyncPeriod", values: [0.5, 1, 2, 4], yaml: (v: number) => `${v}s` },
  { column: "deployments[0].pod.preStop", values: [0, 3], yaml: (v: number) => `${v}s` },
];

/**
 * Writes a sweep folder over FIXTURE_YAML (SWEEP's full grid) with the current pipeline, adding
 * the point and setting columns and run.json's `settingColumns`, `overrides` and `points`: the
 * layout of the experiments pipeline's folders, for the report's sweep charts.
 */
export async function writeSweepFolder(dir: string, yaml = FIXTURE_YAML): Promise<void> {
  const grid = SWEEP[0].values.flatMap((a) => SWEEP[1].values.map((b) => [a, b]));
  const tables: Record<"summary" | "pods" | "timeseries", Row[]> = { summary: [], pods: [], timeseries: [] };
  let first: { files: Map<string, string> } | null = null;
  grid.forEach((values, point) => {
    const set = SWEEP.map((p, i) => `${p.column}=${p.yaml(values[i])}`);
    const scenario = parseScenario(yaml, "fixture.yaml", { set });
    const output = runScenario(scenario);
    const settings: Row = { point };
    SWEEP.forEach((p, i) => (settings[p.column] = values[i]));
    for (const name of ["summary", "pods", "timeseries"] as const) {
      for (const row of output[name]) {
        const { scenario: s, ...rest } = row;
        tables[name].push({ scenario: s, ...settings, ...rest });
      }
    }
    if (!first) first = { files: reportFiles(scenario, output, { file: "fixture.yaml", wallMs: 0, argv: ["svcsim", "run", "fixture.yaml"] }) };
  });
  const withSweep = (columns: readonly Column[]): Column[] => [columns[0], { name: "point", doc: "" }, ...SWEEP.map((p) => ({ name: p.column, doc: "" })), ...columns.slice(1)];
  const files = new Map<string, string>([
    ["summary.csv", toCsv(withSweep(SUMMARY_COLUMNS), tables.summary)],
    ["pods.csv", toCsv(withSweep(POD_COLUMNS), tables.pods)],
    ["timeseries.csv", toCsv(withSweep(TIMESERIES_COLUMNS), tables.timeseries)],
  ]);
  const run = JSON.parse((first as unknown as { files: Map<string, string> }).files.get("run.json") as string) as Record<string, unknown>;
  run.settingColumns = SWEEP.map((p) => p.column);
  run.overrides = {};
  run.points = grid.map((values, point) => ({ point, settings: Object.fromEntries(SWEEP.map((p, i) => [p.column, values[i]])) }));
  files.set("run.json", JSON.stringify(run, null, 2) + "\n");
  await writeFolderAtomic(dir, files, true, (tmp) => deriveReports(tmp));
}

/** compare.csv's columns, as the experiments pipeline writes them. */
const COMPARE = ["point", "policy", "service", "metric", "a_replications", "b_replications", "a_mean", "b_mean", "diff", "diff_relative", "diff_ci_low", "diff_ci_high", "verdict"];
const COMPARED = ["drop_rate", "dropped", "latency_p50_ms", "latency_p99_ms", "load_cv", "load_max_over_mean", "jain_index"];

/**
 * A `svcsim compare` folder: compare.csv and run.json over two fixture folders written beside it
 * (`a`: FIXTURE_YAML; `b`: kube-proxy's minSyncPeriod 4 s and a third policy, so some rows are on
 * one side only). The fixture's interval is a conservative stand-in (the sum of the two
 * half-widths), not Welch's: the report only reads the columns.
 */
export async function writeCompareFolder(root: string, shownAs = root): Promise<void> {
  const a = `${root}/a`;
  const b = `${root}/b`;
  // run.json names the folders as the command line did (`shownAs`: a path relative to the current folder).
  const [namedA, namedB] = [`${shownAs}/a`, `${shownAs}/b`];
  await writeFixtureFolder(a);
  await writeFixtureFolder(b, FIXTURE_YAML.replace("policies: [random, round-robin]", "policies: [random, round-robin, power-of-two]").replace("cluster: { nodes: 2 }", "cluster: { nodes: 2, proxy: { minSyncPeriod: 4s } }"));
  const [sa, sb] = [a, b].map((d) => parseTable("summary.csv", readFileSync(`${d}/summary.csv`, "utf8")).rows);
  const keys = [...new Set([...sa, ...sb].map((r) => `${r.policy}\u0000${r.service}`))];
  const rows: Row[] = [];
  for (const key of keys) {
    const [policy, service] = key.split("\u0000");
    const of = (side: typeof sa) => side.filter((r) => r.policy === policy && r.service === service);
    const [ra, rb] = [of(sa), of(sb)];
    if (ra.length === 0 || rb.length === 0) {
      rows.push({ point: 0, policy, service, metric: "", a_replications: ra.length, b_replications: rb.length, verdict: ra.length ? "only in a" : "only in b" });
      continue;
    }
    for (const metric of COMPARED) {
      const ea = estimate(ra.map((r) => r[metric] as number));
      const eb = estimate(rb.map((r) => r[metric] as number));
      const diff = eb.mean - ea.mean;
      const hw = ea.halfWidth + eb.halfWidth;
      const clear = diff - hw > 0 || diff + hw < 0;
      const worse = metric === "jain_index" ? diff < 0 : diff > 0;
      rows.push({
        point: 0, policy, service, metric, a_replications: ra.length, b_replications: rb.length, a_mean: ea.mean, b_mean: eb.mean, diff,
        diff_relative: ea.mean !== 0 ? diff / ea.mean : NaN, diff_ci_low: diff - hw, diff_ci_high: diff + hw,
        verdict: clear ? (worse ? "worse" : "better") : "no clear change",
      });
    }
  }
  const files = new Map([
    ["compare.csv", toCsv(COMPARE.map((name) => ({ name, doc: "" })), rows)],
    ["run.json", JSON.stringify({ generator: "svcsim", svcsim: "test", complete: true, command: `svcsim compare ${namedA} ${namedB}`, a: namedA, b: namedB, confidence: 0.95, failOn: [] }, null, 2) + "\n"],
  ]);
  await writeFolderAtomic(`${root}/compare`, files, true, (tmp) => deriveReports(tmp));
}
