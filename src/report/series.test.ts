/**
 * timeseries.csv read a run at a time: the first pass finds every run and no row is kept; walks
 * give each run's rows in order; timeseries_wide.csv comes out byte for byte as from the table
 * read whole, also from files edited out of svcsim's shape (runs reordered, misaligned, cut short).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { stringify } from "csv-stringify/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeCsvFile } from "./csv.js";
import { parseTable, readReportsFolder, rowMaker, type TableRow } from "./folder.js";
import { csvFileRows, scanSeries, walkSeries } from "./series.js";
import { writeFixtureFolder } from "./test-support.js";
import { wideTimeseries, writeWideTimeseries } from "./wide.js";

const root = mkdtempSync(join(tmpdir(), "svcsim-series-"));
const dir = join(root, "fixture");
beforeAll(() => writeFixtureFolder(dir));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const read = (f: string) => readFileSync(f, "utf8");
const whole = () => parseTable("timeseries.csv", read(join(dir, "timeseries.csv")));
const runOf = (r: TableRow) => `${r.point}/${r.service}/${r.policy}/${r.replication}`;

/** The wide file as the table read whole gives it, and as the walk writes it, for a timeseries.csv text. */
function wideBoth(text: string): [string, string] {
  const path = join(root, "edited.csv");
  writeFileSync(path, text);
  const table = parseTable("timeseries.csv", text);
  const expected = wideTimeseries(table, ["random", "round-robin"]);
  writeCsvFile(join(root, "expected.csv"), expected.columns, expected.rows);
  writeWideTimeseries(scanSeries(path), ["random", "round-robin"], join(root, "walked.csv"), "en");
  return [read(join(root, "walked.csv")), read(join(root, "expected.csv"))];
}

describe("timeseries.csv read a run at a time", () => {
  it("a reports folder keeps where each run's rows are, not the rows", () => {
    const folder = readReportsFolder(dir);
    expect(folder.tables.has("timeseries.csv")).toBe(false);
    expect(folder.tables.has("timeseries_wide.csv")).toBe(false);
    expect(folder.files).toContain("timeseries.csv");
    const series = folder.series!;
    const rows = whole().rows;
    // 2 Services x 2 policies x 2 replications, each run one stretch of the file.
    expect(series.runs).toHaveLength(8);
    expect(series.regular).toBe(true);
    expect(series.runs.reduce((n, r) => n + r.rows, 0)).toBe(rows.length);
    const text = readFileSync(join(dir, "timeseries.csv"));
    for (const run of series.runs) {
      const part = parseTable("timeseries.csv", `${series.columns.join(",")}\n${text.subarray(run.start, run.end).toString("utf8")}`).rows;
      expect(part).toHaveLength(run.rows);
      expect(new Set(part.map(runOf))).toEqual(new Set([`${run.point}/${run.service}/${run.policy}/${run.replication}`]));
    }
    expect(series.runs.flatMap((r) => r.marked.map((m) => m.marks))).toContain("rollout-start web v2");
  });

  it("a walk gives every run's rows in order, side by side", () => {
    const series = scanSeries(join(dir, "timeseries.csv"));
    const rows = whole().rows;
    const seen: TableRow[][] = series.runs.map(() => []);
    const toRow = rowMaker(series.columns, series.locale);
    walkSeries(series, (runs) => {
      const at = runs.map((r) => series.runs.indexOf(r));
      return { step: (step) => step.forEach((r, k) => r && seen[at[k]].push(toRow(r))), end: () => {} };
    });
    series.runs.forEach((run, k) => expect(seen[k]).toEqual(rows.filter((r) => runOf(r) === `${run.point}/${run.service}/${run.policy}/${run.replication}`)));
    expect([...csvFileRows(join(dir, "timeseries.csv"))]).toEqual(rows);
  });

  it("timeseries_wide.csv is the same bytes as from the table read whole, whatever the shape of the file", () => {
    const text = read(join(dir, "timeseries.csv"));
    const [header, ...lines] = text.trimEnd().split("\n");
    const file = (ls: string[]) => `${header}\n${ls.join("\n")}\n`;
    // As svcsim writes it; with the tasks in another order; with one row gone; with one interval start moved.
    const reordered = [...lines.slice(lines.length / 2), ...lines.slice(0, lines.length / 2)];
    const cut = lines.filter((_, i) => i !== 3);
    const t = header.split(",").indexOf("t_start_s");
    const move = (l: string) => l.split(",").map((c, k) => (k === t ? String(Number(c) + 0.5) : c)).join(",");
    const moved = lines.map((l, i) => (i === lines.length - 5 ? move(l) : l));
    expect(moved).not.toEqual(lines);
    for (const ls of [lines, reordered, cut, moved]) {
      const [walked, expected] = wideBoth(file(ls));
      expect(walked).toBe(expected);
    }
    expect(scanSeries(join(root, "edited.csv")).regular).toBe(true); // moved: the counts line up, the starts do not
  });

  it("reads the German dialect, quoted cells included", () => {
    const path = join(root, "de.csv");
    writeFileSync(path, 'scenario;point;service;policy;replication;t_start_s;marks\ns;0;web;random;0;0,5;"crash web-0;hpa web 2->3"\ns;0;web;random;0;1,5;\n');
    const series = scanSeries(path);
    expect(series.locale).toBe("de");
    expect(series.runs).toMatchObject([{ point: 0, service: "web", policy: "random", replication: 0, rows: 2, marked: [{ t_start_s: 0.5, marks: "crash web-0;hpa web 2->3" }] }]);
    expect([...csvFileRows(path)].map((r) => r.t_start_s)).toEqual([0.5, 1.5]);
  });

  it("reads quoted cells, line breaks inside them, CRLF and lines longer than a block as csv-parse does", () => {
    const path = join(root, "odd.csv");
    const long = "x".repeat(100_000);
    const text = `a,b,marks\n1,2,"one, two"\n3,4,"say ""hi""\nthen go"\n5,6,${long}\n7,8,\n9,10,last`;
    for (const t of [text, text.replaceAll("\n", "\r\n")]) {
      writeFileSync(path, t);
      expect([...csvFileRows(path)]).toEqual(parseTable("odd.csv", t).rows);
    }
    expect([...csvFileRows(path)].map((r) => r.marks)).toEqual(["one, two", 'say "hi"\r\nthen go', long, null, "last"]);
  });

  it("reads rows whose quoted cells repeat, change or sit anywhere in the row as csv-parse does", () => {
    const path = join(root, "quoted.csv");
    // Cells from an alphabet of delimiters, quotes and line breaks; runs of rows repeat their first cells,
    // as a run's key cells (scenario, swept settings, policy) repeat on every row.
    const cell = fc.string({ unit: fc.constantFrom("a", "1", ",", '"', " ", "\n", ";"), maxLength: 5 });
    const rows = fc.array(fc.tuple(fc.array(cell, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 4 }), fc.array(cell, { minLength: 3, maxLength: 3 })), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(rows, (runs) => {
        const table = runs.flatMap(([head, n, tail]) => Array.from({ length: n }, (_, i) => [...head.slice(0, 3), ...Array(3 - Math.min(3, head.length)).fill("k"), String(i), ...tail]));
        const text = stringify([["c1", "c2", "c3", "i", "t1", "t2", "t3"], ...table]);
        writeFileSync(path, text);
        expect([...csvFileRows(path)]).toEqual(parseTable("quoted.csv", text).rows);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it("finds the runs csv-parse would find, however the key cells, marks and quotes fall", () => {
    const path = join(root, "scan.csv");
    const key = fc.constantFrom("a", "b", "a,b", 'q"');
    const mark = fc.constantFrom("", "", "", "crash x", "m;n", "say, \"hi\"");
    const run = fc.tuple(key, fc.integer({ min: 0, max: 1 }), fc.array(mark, { minLength: 1, maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(run, { minLength: 1, maxLength: 5 }), fc.boolean(), (runs, marksLast) => {
        const columns = marksLast ? ["scenario", "point", "service", "policy", "replication", "t_start_s", "marks"] : ["scenario", "point", "service", "marks", "policy", "replication", "t_start_s"];
        const rows = runs.flatMap(([service, replication, marks]) =>
          marks.map((m, i) => {
            const row: Record<string, string | number> = { scenario: "s", point: 0, service, policy: "p", replication, t_start_s: i, marks: m };
            return columns.map((c) => row[c]);
          }),
        );
        const text = stringify([columns, ...rows]);
        writeFileSync(path, text);
        const series = scanSeries(path);
        // Consecutive rows with the same key cells are one run.
        const table = parseTable("scan.csv", text).rows;
        const expected: { service: unknown; replication: unknown; rows: number; marked: unknown[] }[] = [];
        for (const r of table) {
          const last = expected.at(-1);
          const mine = last && last.service === r.service && last.replication === r.replication ? last : undefined;
          const into = mine ?? { service: r.service, replication: r.replication, rows: 0, marked: [] };
          if (!mine) expected.push(into);
          into.rows++;
          if (r.marks) into.marked.push({ t_start_s: r.t_start_s, marks: r.marks });
        }
        expect(series.runs.map((r) => ({ service: r.service, replication: r.replication, rows: r.rows, marked: r.marked }))).toEqual(expected);
        const bytes = readFileSync(path);
        for (const r of series.runs) expect(parseTable("x", `${columns.join(",")}\n${bytes.subarray(r.start, r.end).toString("utf8")}`).rows).toHaveLength(r.rows);
      }),
      { numRuns: 300 },
    );
    writeFileSync(path, "scenario,point,service,policy,replication,marks\ns,0,web,p,0,\ns,0,web,p,0,x,\n");
    expect(() => scanSeries(path)).toThrow("a row has 7 cells, the header 6");
  });
});

