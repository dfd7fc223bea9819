/**
 * CSV for spreadsheets (see the README's "Reports"): csv-stringify does the quoting; this module
 * decides what goes in a cell. Plain ASCII, no thousands separators, an empty cell for a value
 * that does not exist (NaN, Infinity), and text that a spreadsheet would take for a formula
 * (leading = + - @) defused with a leading apostrophe. Two dialects: `en` (comma-separated,
 * decimal dot: the default) and `de` (semicolon-separated, decimal comma, as German, French and
 * most continental European spreadsheets expect).
 */
import { stringify } from "csv-stringify/sync";
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import type { Column } from "./columns.js";
import type { CsvLocale } from "./locale.js";

/** One row's cells by column name. */
type Cells = Readonly<Record<string, string | number | null | undefined>>;

/** Significant digits kept: below the 15 a spreadsheet keeps, and enough for any figure here. */
const DIGITS = 9;


export function formatCell(value: string | number | null | undefined, locale: CsvLocale = "en"): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "";
    // A shortest form of at most 10 characters has at most 9 significant digits: rounding to 9 keeps it.
    const shortest = String(value);
    const text = Number.isInteger(value) || shortest.length <= DIGITS + 1 ? shortest : String(Number(value.toPrecision(DIGITS)));
    return locale === "de" ? text.replace(".", ",") : text;
  }
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One table: a header row of the column names, then each row's cells in column order. */
export function toCsv(columns: readonly Column[], rows: readonly Cells[], locale: CsvLocale = "en"): string {
  const names = columns.map((c) => c.name);
  const records = rows.map((row) => names.map((name) => formatCell(row[name], locale)));
  return stringify([names, ...records], { record_delimiter: "unix", delimiter: locale === "de" ? ";" : "," });
}

/**
 * A CSV table streamed to a file: rows are formatted as they come, quoted by csv-stringify a batch
 * of rows at a time (its stream API costs more per row than the rows themselves) and written out in
 * blocks of about 64 KB, so memory stays flat however many rows a run has. The writes are
 * synchronous, which keeps a row's bytes on disk in the order the rows came.
 */
export class CsvFileWriter {
  private readonly fd: number;
  private readonly names: string[];
  private readonly options: { record_delimiter: "unix"; delimiter: string };
  private readonly locale: CsvLocale;
  private batch: string[][] = [];
  private pending: string[] = [];
  private pendingLength = 0;
  rows = 0;

  /** Opens `path` for writing (`append` keeps what is there); `header` writes the column names first. */
  constructor(path: string, columns: readonly Column[], opts: { header: boolean; append?: boolean; locale?: CsvLocale }) {
    this.names = columns.map((c) => c.name);
    this.locale = opts.locale ?? "en";
    this.options = { record_delimiter: "unix", delimiter: this.locale === "de" ? ";" : "," };
    this.fd = openSync(path, opts.append ? "a" : "w");
    if (opts.header) this.batch.push(this.names);
  }

  write(row: Cells): void {
    const cells = new Array<string>(this.names.length);
    for (let i = 0; i < cells.length; i++) cells[i] = formatCell(row[this.names[i]], this.locale);
    this.batch.push(cells);
    if (this.batch.length >= BATCH) this.stringify();
    this.rows++;
  }

  /** Writes what is buffered and closes the file. */
  close(): void {
    this.stringify();
    this.flush();
    closeSync(this.fd);
  }

  private stringify(): void {
    if (this.batch.length === 0) return;
    const text = stringify(this.batch, this.options);
    this.batch = [];
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.pendingLength === 0) return;
    writeSync(this.fd, this.pending.join(""));
    this.pending = [];
    this.pendingLength = 0;
  }
}

/** Rows quoted at a time by CsvFileWriter. */
const BATCH = 256;

/** Writes a whole table to `path` as it goes (no text of the whole file is built). */
export function writeCsvFile(path: string, columns: readonly Column[], rows: Iterable<Cells>, locale: CsvLocale = "en"): void {
  const w = new CsvFileWriter(path, columns, { header: true, locale });
  try {
    for (const row of rows) w.write(row);
  } finally {
    w.close();
  }
}

/** Appends the whole file `from` to the open file `fd`, a block of `buf` at a time (CSV parts joined without parsing). */
export function appendFileTo(fd: number, from: string, buf: Buffer): void {
  const src = openSync(from, "r");
  try {
    for (let n; (n = readSync(src, buf, 0, buf.length, null)) > 0; ) writeSync(fd, buf, 0, n);
  } finally {
    closeSync(src);
  }
}
