/**
 * timeseries.csv read without holding it: a first pass (scanSeries) notes where each run's rows
 * are in the file (one run = one point, Service, policy and replication), then cursors read the
 * runs of one Service side by side, a block at a time (walkSeries), for the reports derived from
 * them (timeseries_wide.csv, report.html's charts). Memory depends on the runs, not the intervals.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { ReportInputError } from "./errors.js";
import { isNumberText } from "./csv.js";
import { detectLocale, parseCell, parseTable, rowMaker, TEXT_COLUMNS, type Cell, type TableRow } from "./folder.js";
import type { CsvLocale } from "./locale.js";

/** A row with something in `marks` (a rollout, a crash, an HPA decision): its interval's start and the marks. */
export type MarkedRow = { t_start_s: number; marks: string };

/** One run's rows of one Service: a stretch of the file. */
export interface SeriesRun {
  point: number | null;
  service: string;
  policy: string;
  replication: number;
  /** Byte offsets of its first row and just past its last. */
  start: number;
  end: number;
  rows: number;
  /** Its rows with something in `marks` (rollouts, crashes, HPA decisions: few). */
  marked: MarkedRow[];
}

export interface SeriesFile {
  path: string;
  columns: string[];
  locale: CsvLocale;
  /** In file order. */
  runs: SeriesRun[];
  /** Policies in order of first appearance. */
  policies: string[];
  /**
   * Each run is one stretch of the file and all runs of a Service at a point have as many rows: the
   * runs can be walked side by side interval by interval (else timeseries_wide.csv reads the file whole).
   */
  regular: boolean;
}

/** Bytes read at a time: the first pass reads large blocks; each of a walk's cursors, small ones. */
const SCAN_BLOCK = 1 << 20;
const CURSOR_BLOCK = 1 << 15;
/** What a walk's cursors read ahead in all: each gets a share of it (at least 4 KB), so many replications stay small. */
const WALK_BUDGET = 1 << 21;
const NEWLINE = 0x0a;
const QUOTE = 0x22;

/**
 * Reads the records of a stretch of a CSV file that svcsim wrote, a block at a time, handing each to
 * `onRecord` with the byte offset just past it. A line without a quote character is its cells split
 * at the delimiter (csv-stringify quotes every cell holding a delimiter, quote or line break); a
 * line with one, with the lines that complete its quoted cells, goes through csv-parse.
 */
class RecordReader {
  private buf: Buffer;
  private pos: number;
  /** Bytes of `buf` read but not yet handed out (a partial line), from its start. */
  private kept = 0;
  private line = 0;
  private readonly delimiter: string;

  constructor(
    private readonly fd: number,
    private readonly path: string,
    locale: CsvLocale,
    start: number,
    private readonly end: number,
    block: number,
  ) {
    this.buf = Buffer.allocUnsafe(block);
    this.pos = start;
    this.delimiter = locale === "de" ? ";" : ",";
  }

  /**
   * Reads the next block and hands out the records it completes; false once the stretch is read.
   * With `onPlain`, a line without a quote character goes there as it is, not split.
   */
  read(onRecord: (cells: string[], end: number) => void, onPlain?: (line: string, end: number) => void): boolean {
    if (this.pos >= this.end && this.kept === 0) return false;
    if (this.kept === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2); // a line longer than a block
      this.buf.copy(bigger, 0, 0, this.kept);
      this.buf = bigger;
    }
    const want = Math.min(this.buf.length - this.kept, this.end - this.pos);
    const n = want > 0 ? readSync(this.fd, this.buf, this.kept, want, this.pos) : 0;
    const filled = this.kept + n;
    const atEnd = this.pos + n >= this.end || n === 0;
    // Offset in the file of buf[0].
    const base = this.pos - this.kept;
    this.pos += n;
    let from = 0;
    let quoted = false; // the record under way has an odd number of quotes so far: a quoted cell goes on
    let hasQuote = false;
    let at = 0;
    // The next quote character (each is found once; none in most files).
    const quoteAfter = (i: number) => {
      const q = this.buf.indexOf(QUOTE, i);
      return q >= 0 && q < filled ? q : filled;
    };
    let q = quoteAfter(0);
    for (;;) {
      let nl = this.buf.indexOf(NEWLINE, at);
      if (nl < 0 || nl >= filled) {
        if (!atEnd || filled <= from) break;
        nl = filled; // the last line, without a line break
      }
      for (; q < nl; q = quoteAfter(q + 1)) {
        quoted = !quoted;
        hasQuote = true;
      }
      at = nl + 1;
      if (quoted && nl < filled) continue; // a line break inside a quoted cell
      this.line++;
      const stop = nl > from && this.buf[nl - 1] === 0x0d ? nl - 1 : nl;
      if (stop > from || hasQuote) {
        const text = this.buf.toString("utf8", from, stop);
        if (onPlain && !hasQuote) onPlain(text, base + Math.min(at, filled));
        else onRecord(this.cells(text, hasQuote), base + Math.min(at, filled));
      }
      from = Math.min(at, filled);
      quoted = hasQuote = false;
      if (from >= filled) break;
    }
    this.kept = filled - from;
    if (from > 0 && this.kept > 0) this.buf.copy(this.buf, 0, from, filled);
    return true;
  }

  private cells(text: string, hasQuote: boolean): string[] {
    if (!hasQuote) return text.split(this.delimiter);
    // The quoted cells are the key cells a run repeats on every row (a `--set policies=[a, b]` column,
    // say), and each csv-parse call pays ~0.15 ms of set-up: the part up to the last quote goes
    // through csv-parse once per run, the rest (no quote in it) is split at the delimiter.
    const last = text.lastIndexOf('"') + 1;
    const rest = text.slice(last);
    if (rest.length > 0 && !rest.startsWith(this.delimiter)) return this.parseRecord(text);
    const head = text.slice(0, last);
    if (head !== this.quotedHead) {
      this.quotedCells = this.parseRecord(head);
      this.quotedHead = head;
    }
    return rest.length === 0 ? this.quotedCells.slice() : this.quotedCells.concat(rest.slice(1).split(this.delimiter));
  }

  /** The last quoted head parsed, and its cells. */
  private quotedHead = "";
  private quotedCells: string[] = [];

  private parseRecord(text: string): string[] {
    try {
      return (parse(text, { delimiter: this.delimiter, relax_column_count: true }) as string[][])[0] ?? [""];
    } catch (err) {
      throw new ReportInputError(`${this.path}: line ${this.line}: ${(err as Error).message}`);
    }
  }
}

/** The header, the dialect and where every run is (one pass over the file, no rows kept). */
export function scanSeries(path: string): SeriesFile {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.allocUnsafe(4096);
    const locale = detectLocale(head.toString("utf8", 0, readSync(fd, head, 0, head.length, 0)));
    let columns: string[] | null = null;
    let at: number[] = [];
    let t = -1;
    let m = -1;
    const runs: SeriesRun[] = [];
    const policies = new Set<string>();
    let run: SeriesRun | null = null;
    let keyCells: string[] = [];
    let rowStart = 0;
    const onRecord = (cells: string[], end: number) => {
      if (columns === null) {
        columns = cells;
        at = ["point", "service", "policy", "replication"].map((c) => cells.indexOf(c));
        t = cells.indexOf("t_start_s");
        m = cells.indexOf("marks");
        rowStart = end;
        return;
      }
      if (cells.length !== columns.length) throw new ReportInputError(`${path}: a row has ${cells.length} cells, the header ${columns.length}`);
      if (run === null || at.some((i, k) => i >= 0 && cells[i] !== keyCells[k])) {
        keyCells = at.map((i) => (i < 0 ? "" : cells[i]));
        const cell = (k: number, c: string) => (at[k] < 0 ? null : parseCell(keyCells[k], c, locale));
        const point = cell(0, "point");
        run = {
          point: typeof point === "number" ? point : null,
          service: String(cell(1, "service")),
          policy: String(cell(2, "policy")),
          replication: Number(cell(3, "replication")),
          start: rowStart,
          end: rowStart,
          rows: 0,
          marked: [],
        };
        runs.push(run);
        policies.add(run.policy);
      }
      run.rows++;
      run.end = end;
      rowStart = end;
      if (m >= 0 && cells[m]) run.marked.push({ t_start_s: Number(parseCell(cells[t] ?? "", "t_start_s", locale)), marks: String(parseCell(cells[m], "marks", locale)) });
    };
    // A line without a quote that starts with the text of the run's key cells is one more row of
    // the run: it is only counted (and its cells), unless it has marks (then it is read as above).
    const delimiter = locale === "de" ? ";" : ",";
    let keyText: string | null = null;
    const onPlain = (line: string, end: number) => {
      const marksLast = columns !== null && m === columns.length - 1;
      if (keyText !== null && run !== null && line.startsWith(keyText) && (m < 0 || (marksLast && line.endsWith(delimiter)))) {
        let cells = 1;
        for (let i = line.indexOf(delimiter); i >= 0; i = line.indexOf(delimiter, i + 1)) cells++;
        if (cells !== (columns as string[]).length) throw new ReportInputError(`${path}: a row has ${cells} cells, the header ${(columns as string[]).length}`);
        run.rows++;
        run.end = end;
        rowStart = end;
        return;
      }
      const cells = line.split(delimiter);
      onRecord(cells, end);
      if (run === null) return; // the header
      // The text up to the last key cell, delimiter included (only when every key column is there, or none).
      const last = Math.max(...at);
      keyText = last < 0 ? "" : at.every((i) => i >= 0) ? cells.slice(0, last + 1).join(delimiter) + delimiter : null;
    };
    const reader = new RecordReader(fd, path, locale, 0, fstatSync(fd).size, SCAN_BLOCK);
    while (reader.read((cells, end) => ((keyText = null), onRecord(cells, end)), onPlain));
    return { path, columns: columns ?? [], locale, runs, policies: [...policies], regular: isRegular(runs) };
  } finally {
    closeSync(fd);
  }
}

const runKey = (r: SeriesRun) => `${r.point ?? ""}\u0000${r.service}\u0000${r.policy}\u0000${r.replication}`;
const groupKey = (r: SeriesRun) => `${r.point ?? ""}\u0000${r.service}`;

/** Whether each run is one stretch of the file and a Service's runs at a point have as many rows (SeriesFile.regular). */
export function isRegular(runs: readonly SeriesRun[]): boolean {
  const seen = new Set<string>();
  const rows = new Map<string, number>();
  for (const r of runs) {
    const k = runKey(r);
    if (seen.has(k)) return false;
    seen.add(k);
    const g = groupKey(r);
    if ((rows.get(g) ?? r.rows) !== r.rows) return false;
    rows.set(g, r.rows);
  }
  return true;
}

/** Reads one run's rows in order, a block at a time. */
class RowCursor {
  private queue: string[][] = [];
  private head = 0;
  private readonly reader: RecordReader;
  private readonly push: (cells: string[]) => void;

  constructor(fd: number, run: SeriesRun, series: SeriesFile, block: number) {
    this.reader = new RecordReader(fd, series.path, series.locale, run.start, run.end, block);
    const columns = series.columns.length;
    this.push = (cells) => {
      if (cells.length !== columns) throw new ReportInputError(`${series.path}: a row has ${cells.length} cells, the header ${columns}`);
      this.queue.push(cells);
    };
  }

  next(): string[] | null {
    while (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
      if (!this.reader.read(this.push)) return null;
    }
    return this.queue[this.head++];
  }
}

/**
 * What a walk's readers make of a row's cells (the text of each column of timeseries.csv): a row
 * is handed over as its cells, and each reader parses only the columns it needs.
 */
export class SeriesColumns {
  private readonly at: Map<string, number>;
  private readonly text: boolean[];
  readonly locale: CsvLocale;

  constructor(readonly names: readonly string[], locale: CsvLocale) {
    this.at = new Map(names.map((c, i) => [c, i]));
    this.text = names.map((c) => TEXT_COLUMNS.has(c));
    this.locale = locale;
  }

  /** A column's index, -1 when the file has no such column. */
  index(name: string): number {
    return this.at.get(name) ?? -1;
  }

  /** Column i's cell as a table read whole gives it (parseCell). */
  cell(cells: readonly string[], i: number): Cell {
    return i < 0 ? null : parseCell(cells[i], this.names[i], this.locale);
  }

  /** Column i's finite number, or null (empty, text, not finite, or no such column). */
  number(cells: readonly string[], i: number): number | null {
    if (i < 0) return null;
    const raw = cells[i];
    if (raw === "" || this.text[i] || !isNumberText(raw, this.locale)) return null;
    const v = Number(this.locale === "de" ? raw.replace(",", ".") : raw);
    return Number.isFinite(v) ? v : null;
  }
}

/** What walks a Service's runs: `rows[k]` is run k's row at this step, its cells (null once run k has ended). */
export interface SeriesVisitor {
  step(rows: readonly (readonly string[] | null)[]): void;
  end(): void;
}

/** Who reads a walk: for a Service's runs at a point (in file order), a visitor, or null to skip them. */
export type SeriesVisit = (runs: readonly SeriesRun[]) => SeriesVisitor | null;

/**
 * Walks the runs of each Service at each point (in order of first appearance, each run's rows in
 * order), side by side: at each step, every run's next row, for every visitor that wants the group.
 * A group nobody wants is not read.
 */
export function walkSeries(series: SeriesFile, ...visits: SeriesVisit[]): void {
  const groups = new Map<string, SeriesRun[]>();
  for (const r of series.runs) {
    const g = groupKey(r);
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push(r);
  }
  const fd = openSync(series.path, "r");
  try {
    for (const runs of groups.values()) {
      const visitors = visits.map((v) => v(runs)).filter((v): v is SeriesVisitor => v !== null);
      if (visitors.length === 0) continue;
      const block = Math.max(1 << 12, Math.min(CURSOR_BLOCK, Math.floor(WALK_BUDGET / runs.length)));
      const cursors = runs.map((r) => new RowCursor(fd, r, series, block));
      const rows = new Array<string[] | null>(runs.length);
      const steps = Math.max(...runs.map((r) => r.rows));
      for (let i = 0; i < steps; i++) {
        for (let k = 0; k < cursors.length; k++) rows[k] = cursors[k].next();
        for (const v of visitors) v.step(rows);
      }
      for (const v of visitors) v.end();
    }
  } finally {
    closeSync(fd);
  }
}

/** The column names of a CSV file that svcsim wrote (its first line). */
export function csvHeader(path: string): string[] {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.allocUnsafe(1 << 16);
    const text = head.toString("utf8", 0, readSync(fd, head, 0, head.length, 0));
    return parseTable(path, text.slice(0, text.indexOf("\n") + 1)).columns;
  } finally {
    closeSync(fd);
  }
}

/** Every row of a CSV file that svcsim wrote (either dialect), read a block at a time (for a rewrite in another dialect, a workbook sheet). */
export function* csvFileRows(path: string): Generator<TableRow> {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.allocUnsafe(4096);
    const locale = detectLocale(head.toString("utf8", 0, readSync(fd, head, 0, head.length, 0)));
    const reader = new RecordReader(fd, path, locale, 0, fstatSync(fd).size, CURSOR_BLOCK);
    let makeRow: ((cells: readonly string[]) => TableRow) | null = null;
    let columns = 0;
    const queue: TableRow[] = [];
    const onRecord = (cells: string[]) => {
      if (!makeRow) {
        makeRow = rowMaker(cells, locale);
        columns = cells.length;
      } else if (cells.length !== columns) throw new ReportInputError(`${path}: a row has ${cells.length} cells, the header ${columns}`);
      else queue.push(makeRow(cells));
    };
    while (reader.read(onRecord)) {
      yield* queue;
      queue.length = 0;
    }
  } finally {
    closeSync(fd);
  }
}
