/**
 * A reports folder read back from disk: its CSV tables and run.json. Everything derived from a run
 * (report.html, timeseries_wide.csv, report.xlsx) is a function of this, so a fresh folder, one
 * merged from shards and an older one are treated alike. Reads both CSV dialects svcsim writes:
 * `en` (comma, decimal dot) and `de` (semicolon, decimal comma), told apart by the header row.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse, type Options } from "csv-parse/sync";
import { isNumberText } from "./csv.js";
import { ReportInputError } from "./errors.js";
import type { CsvLocale } from "./locale.js";
import { scanSeries, type SeriesFile } from "./series.js";

export type Cell = string | number | null;
export type TableRow = Record<string, Cell>;

export interface Table {
  /** File name, e.g. `summary.csv`. */
  file: string;
  columns: string[];
  rows: TableRow[];
  locale: CsvLocale;
}


/** Columns that hold text even when a value looks like a number (a version "1.2", a scenario "2"). */
export const TEXT_COLUMNS: ReadonlySet<string> = new Set([
  "scenario",
  "policy",
  "service",
  "pod",
  "deployment",
  "version",
  "marks",
  "metric",
  "baseline",
  "verdict",
  "side",
]);

/** The dialect of a CSV file, from its header row (column names contain neither `,` nor `;`). */
export function detectLocale(text: string): CsvLocale {
  const header = text.slice(0, text.indexOf("\n") >>> 0);
  return header.includes(";") && !header.includes(",") ? "de" : "en";
}

/** One cell as written by svcsim: empty is null, a number is a number (unless its column is text). */
export function parseCell(raw: string, column: string, locale: CsvLocale): Cell {
  if (raw === "") return null;
  if (TEXT_COLUMNS.has(column) || !isNumberText(raw, locale)) return raw.startsWith("'") ? raw.slice(1) : raw;
  return Number(locale === "de" ? raw.replace(",", ".") : raw);
}

/**
 * Turns a CSV record (after the header `columns`) into a typed row. Every row is a copy of one
 * template object, so all rows share one shape: V8 then stores them compactly (about a third of the
 * memory of objects built key by key, which fall back to dictionaries). Text cells repeat
 * (scenario, service, policy on every row): each distinct text is kept once.
 */
export function rowMaker(columns: readonly string[], locale: CsvLocale): (cells: readonly string[]) => TableRow {
  const template: TableRow = Object.fromEntries(columns.map((c) => [c, null]));
  const texts = new Map<string, string>();
  return (cells) => {
    const row: TableRow = { ...template };
    for (let i = 0; i < columns.length; i++) {
      const cell = parseCell(cells[i] ?? "", columns[i], locale);
      if (typeof cell !== "string") row[columns[i]] = cell;
      else {
        const kept = texts.get(cell);
        if (kept === undefined) texts.set(cell, cell);
        row[columns[i]] = kept ?? cell;
      }
    }
    return row;
  };
}

/**
 * Parses one CSV file's text (either dialect) into typed rows (see rowMaker). A text without a
 * quote or a carriage return whose lines all have the header's number of cells is split at line
 * breaks and delimiters (what csv-parse would find, at a fraction of its cost for a small table);
 * any other goes through csv-parse (parseCsvTable).
 */
export function parseTable(file: string, text: string): Table {
  if (text.length > 0 && !text.includes('"') && !text.includes("\r")) {
    const locale = detectLocale(text);
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    const records = lines.map((l) => l.split(locale === "de" ? ";" : ","));
    const columns = records[0];
    if (lines.every((l) => l !== "") && records.every((r) => r.length === columns.length)) {
      const toRow = rowMaker(columns, locale);
      return { file, columns, rows: records.slice(1).map(toRow), locale };
    }
  }
  return parseCsvTable(file, text);
}

/** parseTable through csv-parse. */
export function parseCsvTable(file: string, text: string): Table {
  const locale = detectLocale(text);
  let columns: string[] = [];
  let toRow: ((cells: readonly string[]) => TableRow) | null = null;
  // Each record becomes its row as it is read, so the raw records never pile up.
  const onRecord = (cells: string[]): TableRow | null => {
    if (toRow) return toRow(cells);
    columns = cells;
    toRow = rowMaker(columns, locale);
    return null; // the header
  };
  const options = { delimiter: locale === "de" ? ";" : ",", relax_column_count: false, on_record: onRecord };
  // csv-parse's types expect on_record to return a record; it may return anything (null drops it).
  const rows = parse(text, options as unknown as Options) as unknown as TableRow[];
  return { file, columns, rows, locale };
}

/** run.json as svcsim writes it; every field optional, since older or merged folders may lack some. */
export interface RunJson {
  svcsim?: string;
  node?: string;
  scenarioFile?: string;
  command?: string;
  wallMs?: number;
  finishedAt?: string;
  runs?: { policy: string; replication: number; seed: number; events: number }[];
  scenario?: ScenarioJson;
  [key: string]: unknown;
}

/** The parts of the resolved scenario the report reads (plain JSON, as `svcsim validate` prints it). */
export interface ScenarioJson {
  name?: string;
  description?: string;
  seed?: number;
  duration?: number;
  warmup?: number;
  interval?: number;
  replications?: number | Record<string, unknown>;
  policies?: string[];
  services?: { name: string; selector?: Record<string, string> }[];
  deployments?: { name: string; replicas?: number; labels?: Record<string, string> }[];
  events?: ({ at: number; action: string } & Record<string, unknown>)[];
  [key: string]: unknown;
}

export interface ReportsFolder {
  dir: string;
  run: RunJson | null;
  /** When the run finished: run.json's `finishedAt`, or else when run.json was written. */
  when: Date | null;
  /** The folder's CSVs read whole, by file name: every one but timeseries.csv and timeseries_wide.csv, which grow with the intervals. */
  tables: Map<string, Table>;
  /** timeseries.csv, indexed to be read a run at a time (see series.ts). */
  series: SeriesFile | null;
  /** Every svcsim CSV file in the folder, in SVCSIM_CSV_FILES order (the derived ones added as they are written). */
  files: string[];
}

/** The CSV files svcsim writes into a reports folder (others found there are left alone). */
export const SVCSIM_CSV_FILES = [
  "summary.csv",
  "aggregate.csv",
  "paired.csv",
  "pods.csv",
  "timeseries.csv",
  "rollouts.csv",
  "zones.csv",
  // Derived, so listed after what it is derived from: a folder read before and after deriving lists its files in one order.
  "timeseries_wide.csv",
  "compare.csv",
] as const;

/** The files that grow with the intervals: never read whole (timeseries_wide.csv is only ever written). */
const STREAMED: ReadonlySet<string> = new Set(["timeseries.csv", "timeseries_wide.csv"]);

/** `series`: timeseries.csv's layout when the caller knows it (a run that has just written the file: assembleReports), else it is scanned. */
export function readReportsFolder(dir: string, series?: SeriesFile | null): ReportsFolder {
  if (!existsSync(dir)) throw new ReportInputError(`${dir}: no such folder`);
  const names = new Set(readdirSync(dir));
  const tables = new Map<string, Table>();
  const files = SVCSIM_CSV_FILES.filter((f) => names.has(f));
  for (const file of files) {
    if (!STREAMED.has(file)) tables.set(file, parseTable(file, readFileSync(join(dir, file), "utf8")));
  }
  const seriesFile = names.has("timeseries.csv") ? (series ?? scanSeries(join(dir, "timeseries.csv"))) : null;
  let run: RunJson | null = null;
  let when: Date | null = null;
  if (names.has("run.json")) {
    const path = join(dir, "run.json");
    try {
      run = JSON.parse(readFileSync(path, "utf8")) as RunJson;
    } catch (err) {
      throw new ReportInputError(`${path}: not valid JSON (${(err as Error).message})`);
    }
    when = typeof run.finishedAt === "string" ? new Date(run.finishedAt) : statSync(path).mtime;
  }
  if (!tables.has("summary.csv") && !tables.has("compare.csv")) {
    throw new ReportInputError(`${dir} is not a svcsim reports folder: it has no summary.csv or compare.csv`);
  }
  return { dir, run, when, tables, series: seriesFile, files };
}
