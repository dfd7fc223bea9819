/**
 * What svcsim derives from a reports folder on disk, in one call: timeseries_wide.csv, report.html,
 * report.xlsx on request, and the folder's CSVs in the requested dialect. `svcsim run` calls it on
 * the folder it has assembled, before moving it into place; `svcsim report` on any folder.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SVCSIM_VERSION } from "../version.js";
import { DEFAULT_REPORT_FILES, DERIVED_REPORT_FILES, GENERATOR, readReportMarker } from "./target.js";
import { writeAtomically, writeFileAtomic } from "./atomic.js";
import type { CsvLocale } from "./locale.js";
import { toCsv, writeCsvFile } from "./csv.js";
import { ReportInputError } from "./errors.js";
import { readReportsFolder, SVCSIM_CSV_FILES, type ReportsFolder } from "./folder.js";
import { csvFileRows, scanSeries, walkSeries, type SeriesFile } from "./series.js";
import { buildReport, timeChartsWalk, type BuildOptions } from "./html/build.js";
import { renderHtml } from "./html/render.js";
import { withShortWalkCompiler } from "./short-walk-compiler.js";
import { wideWriter } from "./wide.js";

export interface DeriveOptions extends BuildOptions {
  /** Also write report.xlsx. */
  xlsx?: boolean;
  /** Rewrite the folder's CSVs in this dialect (default: leave them as they are). */
  csvLocale?: CsvLocale;
  /** timeseries.csv's layout, when the caller has just written it (see readReportsFolder). */
  series?: SeriesFile | null;
}

export interface Derived {
  /** File names written, in the order written. */
  written: string[];
  /** Things the user should know (a table cut to fit a sheet). */
  warnings: string[];
}

const columnsOf = (names: readonly string[]) => names.map((name) => ({ name, doc: "" }));

/** The files this module may write; one of them already in the folder must be svcsim's. */
const DERIVED = DERIVED_REPORT_FILES;

/** Refuses to overwrite a file of the user's that has a derived report's name. */
function checkOwnFiles(dir: string, files: readonly string[]): void {
  for (const f of DERIVED) {
    if (existsSync(join(dir, f)) && !files.includes(f)) {
      throw new ReportInputError(`${join(dir, f)} was not written by svcsim (run.json does not list it): move it out of the folder, and svcsim will write its own`);
    }
  }
}

/**
 * Adds the derived files to run.json's list of the files svcsim wrote, so that `--force` may
 * replace the folder later (see target.ts). A run.json from before the list gets the marker.
 */
function recordFiles(dir: string, files: readonly string[], written: readonly string[]): void {
  const path = join(dir, "run.json");
  if (!existsSync(path)) return;
  const run = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  const list = [...files];
  for (const f of written) if (!list.includes(f)) list.push(f);
  if (run.generator === GENERATOR && list.length === files.length) return;
  const updated = run.generator === GENERATOR ? { ...run, files: list } : { generator: GENERATOR, version: run.svcsim ?? SVCSIM_VERSION, files: list, ...run };
  writeFileAtomic(path, JSON.stringify(updated, null, 2) + "\n");
}

/**
 * The files svcsim wrote into the folder: run.json's list; without one (an older folder, or one
 * whose writer did not list its files), the reports svcsim writes that are there, derived ones aside.
 */
function ownedFiles(dir: string, folder: ReportsFolder): readonly string[] {
  if (Array.isArray(folder.run?.files)) return readReportMarker(dir)?.files ?? DEFAULT_REPORT_FILES;
  return [...SVCSIM_CSV_FILES, "run.json"].filter((f) => !DERIVED.includes(f) && existsSync(join(dir, f)));
}

/** Writes the derived reports into `dir` (each file atomically) and returns what it wrote. */
export async function deriveReports(dir: string, options: DeriveOptions = {}): Promise<Derived> {
  const folder: ReportsFolder = readReportsFolder(dir, options.series);
  const owned = ownedFiles(dir, folder);
  checkOwnFiles(dir, owned);
  const written: string[] = [];
  const warnings: string[] = [];
  const locale: CsvLocale = options.csvLocale ?? folder.tables.get("summary.csv")?.locale ?? "en";
  const series = folder.series;
  // One walk of timeseries.csv, a run at a time (series.ts), for timeseries_wide.csv and report.html's charts.
  const charts = series && folder.tables.has("summary.csv") ? timeChartsWalk(folder, series, options) : null;
  if (series) {
    // Written as the runs are walked: its text for 10^6 intervals would be ~150 MB.
    const rows = series.runs.reduce((n, r) => n + r.rows, 0);
    writeAtomically(join(dir, "timeseries_wide.csv"), (tmp) =>
      withShortWalkCompiler(rows, () => {
        const wide = wideWriter(series, folder.run?.scenario?.policies ?? [], tmp, locale);
        walkSeries(series, wide.visit, ...(charts ? [charts.visit] : []));
        wide.finish();
      }),
    );
    if (!folder.files.includes("timeseries_wide.csv")) folder.files.push("timeseries_wide.csv");
    written.push("timeseries_wide.csv");
  }
  if (options.csvLocale) {
    for (const file of SVCSIM_CSV_FILES) {
      const table = folder.tables.get(file);
      if (table && table.locale !== locale) {
        writeFileAtomic(join(dir, file), toCsv(columnsOf(table.columns), table.rows, locale));
        table.locale = locale;
        written.push(file);
      }
      if (file === "timeseries.csv" && folder.series && folder.series.locale !== locale) {
        const s = folder.series;
        writeAtomically(join(dir, file), (tmp) => writeCsvFile(tmp, columnsOf(s.columns), csvFileRows(s.path), locale));
        folder.series = scanSeries(s.path); // the rows moved
        written.push(file);
      }
    }
  }
  const spec = buildReport(folder, options, charts?.runs);
  writeFileAtomic(join(dir, "report.html"), renderHtml(spec, `svcsim ${SVCSIM_VERSION}`));
  written.push("report.html");
  if (options.xlsx) {
    // exceljs takes ~0.15 s to load: only a run that asks for the workbook pays it.
    const { xlsxWorkbook } = await import("./xlsx.js");
    const { buffer, truncated } = await xlsxWorkbook(folder, spec.facts);
    writeFileAtomic(join(dir, "report.xlsx"), buffer);
    written.push("report.xlsx");
    for (const t of truncated) warnings.push(`report.xlsx: ${t.file} has ${t.rows} rows more than a sheet holds; they are left out of the workbook (the CSV has them)`);
  }
  recordFiles(dir, owned, written);
  return { written, warnings };
}
