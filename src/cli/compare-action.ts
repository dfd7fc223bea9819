/**
 * `svcsim compare <a> <b>`: two results folders side by side (see experiment/compare.ts); writes
 * compare.csv (and run.json) into a folder of its own, prints the clear changes, and with
 * `--fail-on` exits 1 when a rule catches a regression.
 */
import { parse } from "csv-parse/sync";
import { existsSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { compareRows, parseFailRule, violations, type FailRule } from "../experiment/compare.js";
import { readFolderInfo } from "../experiment/folder.js";
import { COMPARE_COLUMNS, type Row } from "../report/columns.js";
import { StagedFolder, writeFileAtomic } from "../report/atomic.js";
import { checkTarget, reportMarker } from "../report/target.js";
import { addDerivedReports } from "../report/write.js";
import { CsvFileWriter } from "../report/csv.js";
import { SVCSIM_VERSION } from "../version.js";
import { ExitStatus, UsageError } from "./errors.js";
import { reportPointer } from "./report-command.js";

export interface CompareOptions {
  out?: string;
  failOn: string[];
  confidence: number;
  force?: boolean;
  quiet?: boolean;
}

function readSummary(dir: string): Row[] {
  if (!existsSync(dir)) throw new UsageError(`compare: ${dir}: no such folder`);
  const info = readFolderInfo(dir);
  if (!info) throw new UsageError(`compare: ${dir}: not a folder svcsim wrote (no run.json with "generator": "svcsim")`);
  if (!info.complete || info.shard) throw new UsageError(`compare: ${dir}: ${info.shard ? "a shard: merge the shards first (svcsim merge)" : "incomplete: finish it with --resume first"}`);
  return parse(readFileSync(join(dir, "summary.csv"), "utf8"), { columns: true, skip_empty_lines: true }) as Row[];
}

const fmt = (x: unknown) => {
  const n = Number(x);
  if (x === "" || x === undefined || !Number.isFinite(n)) return "-";
  return Math.abs(n) >= 100 ? n.toFixed(1) : Math.abs(n) >= 1 ? n.toFixed(3) : n.toPrecision(3);
};

export async function compareCommand(a: string, b: string, opts: CompareOptions): Promise<void> {
  const rules: FailRule[] = [];
  for (const text of opts.failOn) {
    const r = parseFailRule(text);
    if (typeof r === "string") throw new UsageError(r);
    rules.push(r);
  }
  if (resolve(a) === resolve(b)) throw new UsageError(`compare: ${a} is compared with itself`);
  const rows = compareRows(readSummary(a), readSummary(b), opts.confidence);
  const out = opts.out ?? join("results", `compare-${basename(resolve(a))}-vs-${basename(resolve(b))}`);
  checkTarget(out, { force: opts.force === true, where: opts.out === undefined ? out : `--out ${opts.out}` });
  const stage = StagedFolder.stage(out);
  try {
    const w = new CsvFileWriter(join(stage.dir, "compare.csv"), COMPARE_COLUMNS, { header: true });
    for (const row of rows) w.write(row);
    w.close();
    const run = { ...reportMarker(["compare.csv", "run.json"]), svcsim: SVCSIM_VERSION, complete: true, command: ["svcsim", ...process.argv.slice(2)].join(" "), a, b, confidence: opts.confidence, failOn: opts.failOn };
    writeFileAtomic(join(stage.dir, "run.json"), JSON.stringify(run, null, 2) + "\n");
    const derived = await addDerivedReports(stage.dir, {}); // report.html of the comparison
    for (const w of derived.warnings) process.stderr.write(`svcsim: ${w}\n`);
    stage.commit();
  } catch (err) {
    stage.discard();
    throw err;
  }

  const failed = rules.map((rule) => ({ rule, rows: violations(rows, rule) }));
  if (!opts.quiet) {
    const changed = rows.filter((r) => r.verdict !== "no clear change");
    const header = ["point", "policy", "service", "metric", "a", "b", "b - a", "interval", "verdict"];
    const body = changed.map((r) => [
      String(r.point),
      String(r.policy),
      String(r.service),
      String(r.metric || "-"),
      fmt(r.a_mean),
      fmt(r.b_mean),
      fmt(r.diff),
      Number.isFinite(Number(r.diff_ci_low)) && r.diff_ci_low !== undefined ? `[${fmt(r.diff_ci_low)}, ${fmt(r.diff_ci_high)}]` : "-",
      String(r.verdict),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i < 4 || i === 8 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
    const count = (v: string) => rows.filter((r) => r.verdict === v).length;
    console.log(`a: ${a}\nb: ${b}\n`);
    if (body.length > 0) console.log([line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n") + "\n");
    console.log(
      `${rows.length} comparisons: ${count("worse")} worse, ${count("better")} better, ${count("no clear change")} no clear change` +
        `${count("only in a") ? `, ${count("only in a")} only in a` : ""}${count("only in b") ? `, ${count("only in b")} only in b` : ""}${count("no value") ? `, ${count("no value")} without a value` : ""}` +
        ` (${opts.confidence * 100}% Welch intervals of b - a)`,
    );
    console.log(`wrote ${out}/ (compare.csv, run.json, report.html)`);
    console.log(reportPointer(out));
  }
  const broken = failed.filter((f) => f.rows.length > 0);
  if (broken.length > 0) {
    for (const f of broken) {
      for (const r of f.rows) process.stderr.write(`svcsim: --fail-on ${f.rule.text}: point ${r.point} ${r.policy} ${r.service}: ${r.metric} ${fmt(r.a_mean)} -> ${fmt(r.b_mean)} (${r.verdict})\n`);
    }
    throw new ExitStatus(1);
  }
}
