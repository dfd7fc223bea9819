/**
 * The reports derived from a folder: timeseries_wide.csv (one row per interval, policy x metric
 * columns, means over replications), the German CSV dialect and back, report.xlsx with typed cells,
 * and a report.html that needs nothing outside itself.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReportInputError } from "./errors.js";
import { parseTable, readReportsFolder } from "./folder.js";
import { deriveReports } from "./generate.js";
import { writeFixtureFolder } from "./test-support.js";
import { WIDE_METRICS, wideColumnName } from "./wide.js";
import { xlsxWorkbook } from "./xlsx.js";

const root = mkdtempSync(join(tmpdir(), "svcsim-derive-"));
const dir = join(root, "fixture");
beforeAll(() => writeFixtureFolder(dir, undefined, { xlsx: true }));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const read = (d: string, f: string) => readFileSync(join(d, f), "utf8");

describe("the derived reports", () => {
  it("are written into the folder with the CSVs, in one step", () => {
    expect(readdirSync(dir).sort()).toEqual(["aggregate.csv", "paired.csv", "pods.csv", "report.html", "report.xlsx", "rollouts.csv", "run.json", "summary.csv", "timeseries.csv", "timeseries_wide.csv"]);
  });

  it("timeseries_wide.csv: one row per Service and interval, each policy's mean over the replications", () => {
    const long = parseTable("timeseries.csv", read(dir, "timeseries.csv"));
    const wide = parseTable("timeseries_wide.csv", read(dir, "timeseries_wide.csv"));
    const key = (r: Record<string, unknown>) => `${r.service}@${r.t_start_s}`;
    expect(wide.rows.map(key)).toEqual([...new Set(long.rows.map(key))]);
    expect(wide.columns.slice(0, 6)).toEqual(["scenario", "point", "service", "t_start_s", "t_end_s", "replications"]);
    expect(wide.columns).toContain(wideColumnName("round-robin", "latency_p99_ms"));
    expect(wide.columns.length).toBe(6 + 2 * WIDE_METRICS.length + 1);
    // An independent check of one cell: web, interval starting at 16 s, random's dropped.
    const cells = long.rows.filter((r) => r.service === "web" && r.t_start_s === 16 && r.policy === "random").map((r) => r.dropped as number);
    expect(cells).toHaveLength(2);
    const row = wide.rows.find((r) => r.service === "web" && r.t_start_s === 16);
    expect(row?.replications).toBe(2);
    expect(row?.["random.dropped"]).toBeCloseTo((cells[0] + cells[1]) / 2, 9);
    expect(wide.rows.some((r) => String(r.marks).includes("rollout-start web v2"))).toBe(true);
  });

  it("converts every CSV to the German dialect and back byte for byte", async () => {
    const copy = join(root, "de");
    cpSync(dir, copy, { recursive: true });
    await deriveReports(copy, { csvLocale: "de" });
    const de = read(copy, "summary.csv");
    expect(de.split("\n")[0]).toMatch(/^scenario;point;policy;replication;seed;service;/);
    expect(de).toMatch(/;0,\d+;/); // a decimal comma
    expect(de).not.toMatch(/\d\.\d/);
    for (const f of ["summary.csv", "pods.csv", "timeseries.csv", "timeseries_wide.csv"]) {
      expect(parseTable(f, read(copy, f)).rows).toEqual(parseTable(f, read(dir, f)).rows);
    }
    // The report reads German CSVs as numbers too: the same page (but for the locale-free parts).
    expect(read(copy, "report.html")).toBe(read(dir, "report.html"));
    await deriveReports(copy, { csvLocale: "en" });
    for (const f of ["summary.csv", "pods.csv", "timeseries.csv", "timeseries_wide.csv"]) expect(read(copy, f)).toBe(read(dir, f));
  });

  it("report.xlsx: one sheet per table plus the run, numbers as numbers, frozen header rows with notes", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, "report.xlsx"));
    expect(wb.worksheets.map((w) => w.name)).toEqual(["run", "summary", "aggregate", "paired", "pods", "timeseries", "rollouts", "timeseries_wide"]);
    const summary = wb.getWorksheet("summary") as ExcelJS.Worksheet;
    const csv = parseTable("summary.csv", read(dir, "summary.csv"));
    expect(summary.rowCount).toBe(csv.rows.length + 1);
    expect(summary.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const header = summary.getRow(1).values as unknown[];
    expect(header.slice(1)).toEqual(csv.columns);
    const rateCol = csv.columns.indexOf("drop_rate") + 1;
    const cell = summary.getRow(2).getCell(rateCol);
    expect(typeof cell.value).toBe("number");
    expect(cell.value).toBe(csv.rows[0].drop_rate);
    expect(String(summary.getRow(1).getCell(rateCol).note)).toContain("dropped / requests");
    const run = wb.getWorksheet("run") as ExcelJS.Worksheet;
    expect(run.getRow(2).values).toEqual([undefined, "Scenario", "fixture"]);
  });

  it("report.xlsx cuts a table too long for a sheet and says so", async () => {
    const folder = readReportsFolder(dir);
    const { buffer, truncated } = await xlsxWorkbook(folder, [], [], 10);
    expect(truncated.find((t) => t.file === "timeseries.csv")?.rows).toBe(folder.series!.runs.reduce((n, r) => n + r.rows, 0) - 10);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    expect(wb.getWorksheet("timeseries")?.rowCount).toBe(11);
    const notes = (wb.getWorksheet("run") as ExcelJS.Worksheet).getColumn(2).values.map(String);
    expect(notes.some((n) => n.startsWith("timeseries.csv: the last"))).toBe(true);
  });

  it("report.html carries everything inline and fetches nothing", () => {
    const html = read(dir, "report.html");
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).toContain("var uPlot=");
    expect(html).toContain('id="svcsim-charts"');
  });

  it("lists what it wrote in run.json, and never overwrites a file of the user's", async () => {
    const run = JSON.parse(read(dir, "run.json")) as { files: string[] };
    expect(run.files).toEqual(["summary.csv", "aggregate.csv", "paired.csv", "pods.csv", "timeseries.csv", "rollouts.csv", "run.json", "timeseries_wide.csv", "report.html", "report.xlsx"]);
    const copy = join(root, "user-file");
    cpSync(dir, copy, { recursive: true });
    const listed = { ...run, files: run.files.filter((f) => f !== "report.html") };
    writeFileSync(join(copy, "run.json"), JSON.stringify(listed));
    writeFileSync(join(copy, "report.html"), "mine");
    await expect(deriveReports(copy)).rejects.toThrow(ReportInputError);
    expect(read(copy, "report.html")).toBe("mine");
  });

  it("refuses a folder with nothing to report on", () => {
    expect(() => readReportsFolder(join(root, "nope"))).toThrow(ReportInputError);
    expect(() => readReportsFolder(root)).toThrow(/no summary.csv or compare.csv/);
  });
});
