/**
 * CSV for spreadsheets (see the README's "Reports"): csv-stringify does the quoting; this module
 * decides what goes in a cell. Plain ASCII, no thousands separators, an empty cell for a value
 * that does not exist (NaN, Infinity), and text that a spreadsheet would take for a formula
 * (leading = + - @) defused with a leading apostrophe. Two dialects: `en` (comma-separated,
 * decimal dot: the default) and `de` (semicolon-separated, decimal comma, as German, French and
 * most continental European spreadsheets expect). `isNumberText` tells, without a regular
 * expression, whether a cell read back from a CSV is a plain number in a dialect.
 */
import { stringify } from "csv-stringify/sync";
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import type { Column } from "./columns.js";
import type { CsvLocale } from "./locale.js";

/** A cell's value: text, a number, or nothing (an empty cell). */
type Value = string | number | null | undefined;
/** One row's cells by column name. */
type Cells = Readonly<Record<string, Value>>;

/** Significant digits kept: below the 15 a spreadsheet keeps, and enough for any figure here. */
const DIGITS = 9;


export function formatCell(value: string | number | null | undefined, locale: CsvLocale = "en"): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "";
    const text = Number.isInteger(value) ? String(value) : nineDigits(value);
    return locale === "de" ? text.replace(".", ",") : text;
  }
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The cell formatCell writes for the number in `text`, a cell of dialect `from`, in dialect `to`,
 * when `text` already is what formatCell writes for its number: an integer of at most 15 digits,
 * or a decimal of at most 9 significant digits, at least 1e-6 and without superfluous zeros (the
 * shortest text of a number rounded to 9 digits, as formatCell writes every number that is not
 * an integer). Null when that is not sure: the caller parses and formats the number.
 */
export function numberCellAsIs(text: string, from: CsvLocale, to: CsvLocale): string | null {
  const n = text.length;
  if (n === 0) return null; // (no read past the end: see digitsEnd)
  const start = text.charCodeAt(0) === MINUS ? 1 : 0;
  let i = start;
  let c = i < n ? text.charCodeAt(i) : 0;
  if (c === ZERO) i++;
  else if (c > ZERO && c <= NINE) while (i < n && (c = text.charCodeAt(i)) >= ZERO && c <= NINE) i++;
  else return null;
  const whole = i - start;
  const zero = whole === 1 && text.charCodeAt(start) === ZERO;
  if (i === n) return whole > 15 || (zero && start === 1) ? null : text; // "-0" is written "0"
  if (text.charCodeAt(i) !== (from === "de" ? COMMA : DOT)) return null;
  const fraction = ++i;
  while (i < n && (c = text.charCodeAt(i)) >= ZERO && c <= NINE) i++;
  if (i !== n || n === fraction || text.charCodeAt(n - 1) === ZERO) return null;
  let leading = fraction;
  if (zero) while (text.charCodeAt(leading) === ZERO) leading++;
  // Below 1e-6 a number is written with an exponent.
  if (leading - fraction > 5 || (zero ? n - leading : whole + n - fraction) > DIGITS) return null;
  return from === to ? text : text.replace(from === "de" ? "," : ".", to === "de" ? "," : ".");
}

/**
 * Whether a cell is a number as svcsim writes it in `locale`: /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, with
 * a comma for the dot in `de`. Tested by hand, not by that regular expression: a long report's walk
 * of timeseries.csv parses a few dozen cells per row, and the expression's call cost more than the
 * rest of the parse.
 */
export function isNumberText(text: string, locale: CsvLocale): boolean {
  const n = text.length;
  if (n === 0) return false;
  let i = text.charCodeAt(0) === MINUS ? 1 : 0;
  let j = digitsEnd(text, i, n);
  if (j === i) return false;
  if (j < n && text.charCodeAt(j) === (locale === "de" ? COMMA : DOT)) {
    i = j + 1;
    j = digitsEnd(text, i, n);
    if (j === i) return false;
  }
  if (j < n && (text.charCodeAt(j) | 0x20) === LOWER_E) {
    i = j + 1;
    const sign = i < n ? text.charCodeAt(i) : 0;
    if (sign === MINUS || sign === PLUS) i++;
    j = digitsEnd(text, i, n);
    if (j === i) return false;
  }
  return j === n;
}

/**
 * Where the run of ASCII digits from `i` ends, at most `n` (the text's length). Bounded rather than
 * stopped by charCodeAt's NaN past the end: a read past the end that V8 has not seen before it
 * optimises a caller throws the optimised code away.
 */
function digitsEnd(text: string, i: number, n: number): number {
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) break;
    i++;
  }
  return i;
}

/** Character codes of a number's text. */
const MINUS = 0x2d;
const PLUS = 0x2b;
const ZERO = 0x30;
const NINE = 0x39;
const DOT = 0x2e;
const COMMA = 0x2c;
const LOWER_E = 0x65;

/** 10^k for k = 0..15, exact. */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * `String(Number(v.toPrecision(9)))` for a finite v that is not an integer: the shortest text of v
 * rounded to 9 significant digits. Those three conversions cost ~0.3 µs, most of a time series
 * row's formatting; between 1e-6 and 1e9 the 9 digits come from one multiplication by a power of
 * ten instead (its error is below 2e-7 of the last digit, so the rounding is sure unless the
 * product is that close to a tie, which takes the conversions), and the text from them.
 */
function nineDigits(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e-6 && a < 1e9) {
    // The decimal exponent: 10^e <= a < 10^(e+1) (log10 may be off by one next to a power of ten).
    let e = Math.floor(Math.log10(a));
    if (a < 10 ** e) e--;
    else if (a >= 10 ** (e + 1)) e++;
    const scaled = a * POW10[8 - e]; // in [1e8, 1e9]
    const floor = Math.floor(scaled);
    const fraction = scaled - floor;
    if (Math.abs(fraction - 0.5) > 1e-6) {
      let m = fraction > 0.5 ? floor + 1 : floor;
      if (m === 1e9) {
        m = 1e8;
        e++;
      }
      let last = e - 8; // the power of ten of m's last digit
      while (m % 10 === 0) {
        m /= 10;
        last++;
      }
      const digits = String(m);
      const whole = digits.length + last; // digits before the decimal point
      const text = last >= 0 ? digits + "0".repeat(last) : whole > 0 ? `${digits.slice(0, whole)}.${digits.slice(whole)}` : `0.${"0".repeat(-whole)}${digits}`;
      return v < 0 ? `-${text}` : text;
    }
  }
  return String(Number(v.toPrecision(DIGITS)));
}

/** One table: a header row of the column names, then each row's cells in column order. */
export function toCsv(columns: readonly Column[], rows: readonly Cells[], locale: CsvLocale = "en"): string {
  const names = columns.map((c) => c.name);
  const records = rows.map((row) => names.map((name) => formatCell(row[name], locale)));
  return stringify([names, ...records], { record_delimiter: "unix", delimiter: locale === "de" ? ";" : "," });
}

/** The characters of a number's cell (formatCell: digits, sign, exponent, decimal mark) in each dialect. */
const NUMBER_CHARS: Readonly<Record<CsvLocale, string>> = { en: "-+.0123456789e", de: "-+,0123456789e" };

/** Distinct text cells whose quoting CsvEncoder remembers before it starts over. */
const REMEMBERED = 4096;
/** The text cells' quoting remembered, per dialect (it depends on the text and the delimiter alone). */
const QUOTED: Readonly<Record<CsvLocale, Map<string, string>>> = { en: new Map(), de: new Map() };

/**
 * Cells' CSV text, quoted by csv-stringify, at a cost per cell near that of formatting it. How a
 * cell is quoted depends on its text alone (whether it holds the delimiter, a quote or a line
 * break: the same in a record of one cell as of many), so csv-stringify is asked once per distinct
 * text cell and its answer kept; asking it for every cell of every row cost more than the rest of
 * the report. A number's cell is made of characters csv-stringify writes as they are, which it is
 * asked once per dialect, so numbers skip the asking (if it ever quoted one of those characters,
 * numbers would be asked like text). Records are their cells joined by the delimiter.
 */
export class CsvEncoder {
  readonly delimiter: string;
  private readonly options: { record_delimiter: "unix"; delimiter: string };
  private readonly numbersAsTheyAre: boolean;
  private readonly quoted: Map<string, string>;

  constructor(readonly locale: CsvLocale = "en") {
    this.delimiter = locale === "de" ? ";" : ",";
    this.options = { record_delimiter: "unix", delimiter: this.delimiter };
    // One memo per dialect for every encoder of the process: a run's dozen writers (and the reports
    // derived after it) share their column names and key cells, each asked of csv-stringify once.
    this.quoted = QUOTED[locale];
    this.numbersAsTheyAre = this.text(NUMBER_CHARS[locale]) === NUMBER_CHARS[locale];
  }

  /** A value's cell (formatCell, then quoted as csv-stringify quotes it). */
  cell(value: Value): string {
    const text = formatCell(value, this.locale);
    return typeof value === "number" && this.numbersAsTheyAre ? text : this.text(text);
  }

  /** A text's cell as csv-stringify writes it (a column name, or a cell already formatted). */
  text(text: string): string {
    let cell = this.quoted.get(text);
    if (cell === undefined) {
      cell = stringify([[text]], this.options).slice(0, -1); // without the record delimiter
      if (this.quoted.size >= REMEMBERED) this.quoted.clear();
      this.quoted.set(text, cell);
    }
    return cell;
  }

  /** The first cells of rows (CsvFileWriter.writeCells): the values' cells, each followed by the delimiter. */
  head(values: readonly Value[]): string {
    return values.map((v) => this.cell(v) + this.delimiter).join("");
  }

  /** A record's line, record delimiter included, from its cells (cell() or text()). */
  line(cells: readonly string[]): string {
    return cells.join(this.delimiter) + "\n";
  }
}

/**
 * A CSV table streamed to a file: rows are encoded as they come (CsvEncoder) and written out in
 * blocks that grow from 256 bytes to 64 KB (flushAt), so memory stays flat however many rows a run has. The writes are
 * synchronous, which keeps a row's bytes on disk in the order the rows came.
 */
export class CsvFileWriter {
  private readonly fd: number;
  private readonly names: string[];
  private readonly cells: string[];
  readonly encoder: CsvEncoder;
  private pending = "";
  rows = 0;
  /** Bytes written to the file so far (the header included), once closed all of them. */
  bytes = 0;

  /** Opens `path` for writing (`append` keeps what is there); `header` writes the column names first. */
  constructor(path: string, columns: readonly Column[], opts: { header: boolean; append?: boolean; locale?: CsvLocale }) {
    this.names = columns.map((c) => c.name);
    this.cells = new Array<string>(this.names.length);
    this.encoder = new CsvEncoder(opts.locale ?? "en");
    this.fd = openSync(path, opts.append ? "a" : "w");
    if (opts.header) this.pending = this.encoder.line(this.names.map((n) => this.encoder.text(n)));
  }

  write(row: Cells): void {
    const cells = this.cells;
    for (let i = 0; i < cells.length; i++) cells[i] = this.encoder.cell(row[this.names[i]]);
    this.writeLine(this.encoder.line(cells));
  }

  /**
   * Writes a row from `head`, its first cells already encoded and joined, delimiter included (a
   * run's key cells: CsvEncoder.head), and the values of its other columns in order.
   */
  writeCells(head: string, values: readonly Value[]): void {
    const enc = this.encoder;
    const cells = this.tail;
    cells.length = values.length;
    for (let i = 0; i < values.length; i++) cells[i] = enc.cell(values[i]);
    // One join: a string built cell by cell is a chain of as many pieces, flattened at the write.
    this.writeLine(head + cells.join(enc.delimiter) + "\n");
  }

  /** writeCells' cells, reused from row to row. */
  private readonly tail: string[] = [];

  /** Writes a record already encoded (CsvEncoder.line, this writer's dialect and columns). */
  writeLine(line: string): void {
    this.pending += line;
    if (this.pending.length >= this.flushAt) this.flush();
    this.rows++;
  }

  /**
   * What is buffered before a write: 256 bytes at first, twice as much after each write, up to
   * BLOCK. The first blocks are small so that V8 sees writes while it still gathers feedback on the
   * row writers: a branch first taken after it has optimised them (the first full 64 KB block)
   * would throw their optimised code away.
   */
  private flushAt = FIRST_BLOCK;

  /** Writes what is buffered and closes the file. */
  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.bytes += writeSync(this.fd, this.pending);
    this.pending = "";
    if (this.flushAt < BLOCK) this.flushAt *= 2;
  }
}

/** Bytes of text a CsvFileWriter buffers before it writes them: at first, and at most. */
const FIRST_BLOCK = 1 << 8;
const BLOCK = 1 << 16;

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
