/**
 * report.xlsx: every table of a reports folder as one sheet of an Excel workbook (exceljs), with
 * numbers stored as numbers (so they read right in any locale, unlike CSV), the column names as a
 * bold, frozen, filterable header row whose cells carry each column's meaning as a note, and a
 * first sheet describing the run.
 */
import ExcelJS from "exceljs";
import { LOCAL_POLICY_SUMMARY_COLUMNS, RETRY_SUMMARY_COLUMNS, POD_COLUMNS, SUMMARY_COLUMNS, TIMESERIES_COLUMNS, ZONE_COLUMNS, ZONE_SUMMARY_COLUMNS, type Column } from "./columns.js";
import { join } from "node:path";
import type { ReportsFolder, TableRow } from "./folder.js";
import { csvFileRows, csvHeader } from "./series.js";
import { WIDE_COLUMNS_HEAD, WIDE_COLUMNS_TAIL, WIDE_METRICS } from "./wide.js";

/** Rows a sheet holds besides its header (Excel's limit is 1,048,576 rows). */
export const MAX_SHEET_ROWS = 1_048_575;

const DOCS = new Map<string, string>();
for (const c of [...WIDE_COLUMNS_HEAD, ...WIDE_COLUMNS_TAIL, ...POD_COLUMNS, ...TIMESERIES_COLUMNS, ...ZONE_COLUMNS, ...ZONE_SUMMARY_COLUMNS, ...LOCAL_POLICY_SUMMARY_COLUMNS, ...RETRY_SUMMARY_COLUMNS, ...SUMMARY_COLUMNS]) DOCS.set(c.name, c.doc);

/** The meaning of a column for its header note: known columns, `<policy>.<metric>` of the wide table. */
function docOf(name: string, extra: readonly Column[]): string | undefined {
  const known = extra.find((c) => c.name === name)?.doc ?? DOCS.get(name);
  if (known) return known;
  const dot = name.lastIndexOf(".");
  if (dot > 0) {
    const metric = WIDE_METRICS.find((m) => m.name === name.slice(dot + 1));
    if (metric) return `${name.slice(0, dot)}, mean over the replications: ${metric.doc}`;
  }
  return undefined;
}

export interface XlsxResult {
  buffer: Buffer;
  /** Tables cut to fit a sheet, with the rows left out. */
  truncated: { file: string; rows: number }[];
}

/** Sheet names: the file name without `.csv` (at most 31 characters, as Excel requires). */
const sheetName = (file: string) => file.replace(/\.csv$/, "").slice(0, 31);

/** A table to put in a sheet: its rows read whole, or a block at a time from the file (the time series). */
interface Sheet {
  file: string;
  columns: readonly string[];
  rows: Iterable<TableRow>;
}

function addTable(wb: ExcelJS.Workbook, table: Sheet, docs: readonly Column[], maxRows: number): number {
  const ws = wb.addWorksheet(sheetName(table.file), { views: [{ state: "frozen", ySplit: 1, xSplit: 0 }] });
  ws.columns = table.columns.map((name) => ({ header: name, key: name, width: Math.min(40, Math.max(10, name.length + 2)) }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  table.columns.forEach((name, i) => {
    const doc = docOf(name, docs);
    if (doc) header.getCell(i + 1).note = doc;
  });
  let rows = 0;
  for (const r of table.rows) if (rows++ < maxRows) ws.addRow(table.columns.map((c) => r[c] ?? null));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
  return Math.max(0, rows - maxRows);
}

/** A table of the folder that is not read whole (series.ts): its rows as the sheet takes them. */
function streamedSheet(folder: ReportsFolder, file: string): Sheet {
  const path = join(folder.dir, file);
  return { file, columns: csvHeader(path), rows: csvFileRows(path) };
}

export async function xlsxWorkbook(folder: ReportsFolder, facts: readonly [string, string][], docs: readonly Column[] = [], maxRows = MAX_SHEET_ROWS): Promise<XlsxResult> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "svcsim";
  // Fixed dates keep the workbook a function of the folder alone.
  const when = folder.when ?? new Date(0);
  wb.created = when;
  wb.modified = when;
  const about = wb.addWorksheet("run", { views: [{ state: "frozen", ySplit: 1 }] });
  about.columns = [
    { header: "field", key: "field", width: 16 },
    { header: "value", key: "value", width: 100 },
  ];
  about.getRow(1).font = { bold: true };
  for (const [field, value] of facts) about.addRow([field, value]);
  const truncated: XlsxResult["truncated"] = [];
  for (const file of folder.files) {
    const table = folder.tables.get(file) ?? streamedSheet(folder, file);
    const left = addTable(wb, table, docs, maxRows);
    if (left > 0) truncated.push({ file: table.file, rows: left });
  }
  for (const t of truncated) about.addRow(["truncated", `${t.file}: the last ${t.rows} rows do not fit a sheet; the CSV has them all`]);
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return { buffer, truncated };
}
