/**
 * CSV for spreadsheets (see the README's "Reports"): csv-stringify does the quoting; this module
 * decides what goes in a cell. Plain ASCII, dot decimals, no thousands separators, an empty cell
 * for a value that does not exist (NaN, Infinity), and text that a spreadsheet would take for a
 * formula (leading = + - @) defused with a leading apostrophe.
 */
import { stringify } from "csv-stringify/sync";
import type { Column, Row } from "./columns.js";

/** Significant digits kept: below the 15 a spreadsheet keeps, and enough for any figure here. */
const DIGITS = 9;

export function formatCell(value: string | number | undefined): string {
  if (value === undefined) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "";
    if (Number.isInteger(value)) return String(value);
    return String(Number(value.toPrecision(DIGITS)));
  }
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One table: a header row of the column names, then each row's cells in column order. */
export function toCsv(columns: readonly Column[], rows: readonly Row[]): string {
  const names = columns.map((c) => c.name);
  const records = rows.map((row) => names.map((name) => formatCell(row[name])));
  return stringify([names, ...records], { record_delimiter: "unix" });
}
