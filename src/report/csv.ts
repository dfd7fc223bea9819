/**
 * CSV for spreadsheets (see the README's "Reports"): csv-stringify does the quoting; this module
 * decides what goes in a cell. Plain ASCII, no thousands separators, an empty cell for a value
 * that does not exist (NaN, Infinity), and text that a spreadsheet would take for a formula
 * (leading = + - @) defused with a leading apostrophe. Two dialects: `en` (comma-separated,
 * decimal dot: the default) and `de` (semicolon-separated, decimal comma, as German, French and
 * most continental European spreadsheets expect).
 */
import { stringify } from "csv-stringify/sync";
import type { Column } from "./columns.js";
import type { CsvLocale } from "./locale.js";

/** Significant digits kept: below the 15 a spreadsheet keeps, and enough for any figure here. */
const DIGITS = 9;


export function formatCell(value: string | number | null | undefined, locale: CsvLocale = "en"): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "";
    const text = Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(DIGITS)));
    return locale === "de" ? text.replace(".", ",") : text;
  }
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One table: a header row of the column names, then each row's cells in column order. */
export function toCsv(columns: readonly Column[], rows: readonly Readonly<Record<string, string | number | null | undefined>>[], locale: CsvLocale = "en"): string {
  const names = columns.map((c) => c.name);
  const records = rows.map((row) => names.map((name) => formatCell(row[name], locale)));
  return stringify([names, ...records], { record_delimiter: "unix", delimiter: locale === "de" ? ";" : "," });
}
