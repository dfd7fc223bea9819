import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { stringify } from "csv-stringify/sync";
import { describe, expect, it } from "vitest";
import { OutputExistsError, writeFolderAtomic } from "./atomic.js";
import { CsvFileWriter, formatCell, isNumberText, numberCellAsIs, toCsv } from "./csv.js";
import type { CsvLocale } from "./locale.js";

describe("CSV cells for spreadsheets", () => {
  it("writes plain numbers, an empty cell for a value that does not exist, and defuses formulas", () => {
    expect(formatCell(42)).toBe("42");
    expect(formatCell(0.1 + 0.2)).toBe("0.3");
    expect(formatCell(1234567.891)).toBe("1234567.89");
    expect(formatCell(NaN)).toBe("");
    expect(formatCell(Infinity)).toBe("");
    expect(formatCell(undefined)).toBe("");
    expect(formatCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(formatCell("-x")).toBe("'-x");
    expect(formatCell("orders")).toBe("orders");
  });

  it("quotes through csv-stringify and keeps column order", () => {
    const csv = toCsv([{ name: "b", doc: "" }, { name: "a", doc: "" }], [{ a: "x,y", b: 1 }, { a: 'say "hi"', b: NaN }]);
    expect(csv).toBe('b,a\n1,"x,y"\n,"say ""hi"""\n');
  });
});

describe("writeFolderAtomic", () => {
  it("writes all files, refuses an existing folder unless asked, and leaves no temporary files", async () => {
    const root = mkdtempSync(join(tmpdir(), "svcsim-atomic-"));
    try {
      const dir = join(root, "out");
      expect(await writeFolderAtomic(dir, new Map([["a.csv", "1\n"]]), false)).toBe(false);
      await expect(writeFolderAtomic(dir, new Map([["a.csv", "2\n"]]), false)).rejects.toThrow(OutputExistsError);
      expect(readFileSync(join(dir, "a.csv"), "utf8")).toBe("1\n");
      writeFileSync(join(dir, "stale.txt"), "old");
      expect(await writeFolderAtomic(dir, new Map([["a.csv", "3\n"]]), true)).toBe(true);
      expect(readdirSync(dir)).toEqual(["a.csv"]);
      expect(readFileSync(join(dir, "a.csv"), "utf8")).toBe("3\n");
      expect(readdirSync(root)).toEqual(["out"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("leaves the old folder intact when writing the new one fails", async () => {
    const root = mkdtempSync(join(tmpdir(), "svcsim-atomic-"));
    try {
      const dir = join(root, "out");
      mkdirSync(dir);
      writeFileSync(join(dir, "keep.csv"), "keep");
      await expect(writeFolderAtomic(dir, new Map([["sub/x.csv", "fails: no such folder"]]), true)).rejects.toThrow();
      expect(readFileSync(join(dir, "keep.csv"), "utf8")).toBe("keep");
      expect(readdirSync(root)).toEqual(["out"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("formatCell's shortcut", () => {
  const rounded = (v: number) => String(Number(v.toPrecision(9)));

  it("rounds to 9 significant digits like toPrecision, next to ties and powers of ten too", () => {
    const bits = new DataView(new ArrayBuffer(8));
    // The doubles next to v (ulps away).
    const near = (v: number, ulps: number) => {
      bits.setFloat64(0, v);
      bits.setBigUint64(0, bits.getBigUint64(0) + BigInt(ulps));
      return bits.getFloat64(0);
    };
    const tie = fc.tuple(fc.integer({ min: 100_000_000, max: 999_999_999 }), fc.integer({ min: -15, max: 9 })).map(([m, e]) => Number(`${m}5e${e}`));
    const power = fc.integer({ min: -8, max: 10 }).map((e) => 10 ** e);
    const any = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 });
    fc.assert(
      fc.property(fc.oneof(tie, power, any, fc.double({ min: 1e-7, max: 1e-5 })), fc.integer({ min: -3, max: 3 }), fc.boolean(), (v, ulps, negative) => {
        const x = (negative ? -1 : 1) * near(Math.abs(v), Math.abs(v) > 0 ? ulps : 0);
        if (!Number.isFinite(x) || Number.isInteger(x)) return;
        expect(formatCell(x)).toBe(rounded(x));
        expect(formatCell(x, "de")).toBe(rounded(x).replace(".", ","));
      }),
      { numRuns: 30_000 },
    );
  });

  it("gives the text of rounding to 9 significant digits for every kind of number", () => {
    let seed = 11;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let i = 0; i < 20000; i++) {
      const scale = 10 ** Math.floor(random() * 30 - 15);
      const digits = Math.floor(random() * 12);
      const v = (random() < 0.5 ? -1 : 1) * Number((random() * scale).toPrecision(digits + 1));
      if (!Number.isInteger(v)) expect(formatCell(v)).toBe(rounded(v));
      expect(formatCell(v / 3)).toBe(Number.isInteger(v / 3) ? String(v / 3) : rounded(v / 3));
    }
  });
});

describe("CsvFileWriter", () => {
  // Text with every character csv-stringify quotes for (both delimiters, quotes, line breaks) and formula starts.
  const text = fc.stringMatching(/^[a-z0-9 ,;."'\r\n=+@\t-]{0,8}$/);
  const value = fc.oneof(
    text,
    fc.double(),
    fc.integer({ min: -1e6, max: 1e6 }),
    fc.double({ min: -1e-6, max: 1e-6, noNaN: true }),
    fc.constantFrom(NaN, Infinity, -0, 1e21, 1.5e-7, null, undefined),
  );
  const table = fc.record({
    names: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_.,;"[\]]{0,6}$/), { minLength: 1, maxLength: 6 }),
    rows: fc.array(fc.array(value, { minLength: 6, maxLength: 6 }), { maxLength: 12 }),
    locale: fc.constantFrom<CsvLocale>("en", "de"),
    header: fc.boolean(),
  });

  it("writes byte for byte what csv-stringify writes for the formatted cells", () => {
    const root = mkdtempSync(join(tmpdir(), "svcsim-csv-"));
    try {
      const path = join(root, "t.csv");
      fc.assert(
        fc.property(table, ({ names, rows, locale, header }) => {
          const columns = names.map((name) => ({ name, doc: "" }));
          const cells = rows.map((r) => names.map((n, i) => r[i]));
          const w = new CsvFileWriter(path, columns, { header, locale });
          for (const r of rows) w.write(Object.fromEntries(names.map((n, i) => [n, r[i]])));
          w.close();
          const records = cells.map((r) => r.map((v) => formatCell(v, locale)));
          const expected = stringify(header ? [names, ...records] : records, { record_delimiter: "unix", delimiter: locale === "de" ? ";" : "," });
          expect(readFileSync(path, "utf8")).toBe(expected);
          expect(w.rows).toBe(rows.length);
        }),
        { numRuns: 400 },
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("writes its lines in order as its buffer grows from small blocks to 64 KB, and counts every byte", () => {
    const root = mkdtempSync(join(tmpdir(), "svcsim-csv-"));
    try {
      const path = join(root, "t.csv");
      // Lines of 1 byte to 100 KB: blocks fill at every size, and a line may be longer than a block.
      const lines = fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 100_000 }))), { maxLength: 60 });
      fc.assert(
        fc.property(lines, (specs) => {
          const w = new CsvFileWriter(path, [{ name: "a", doc: "" }], { header: true });
          let expected = "a\n";
          for (const [digit, n] of specs) {
            const line = String(digit).repeat(n) + "\n";
            w.writeLine(line);
            expected += line;
            // What is on disk is always a prefix of what was written, and `bytes` says how much.
            const onDisk = readFileSync(path, "utf8");
            expect(expected.startsWith(onDisk)).toBe(true);
            expect(w.bytes).toBe(onDisk.length);
          }
          w.close();
          expect(readFileSync(path, "utf8")).toBe(expected);
          expect(w.bytes).toBe(expected.length);
          expect(w.rows).toBe(specs.length);
        }),
        { numRuns: 100 },
      );
      // Small blocks first: the header and a short row are on disk before 64 KB pile up.
      const w = new CsvFileWriter(path, [{ name: "a", doc: "" }], { header: true });
      for (let i = 0; i < 100; i++) w.writeLine("1234567\n");
      expect(readFileSync(path, "utf8").length).toBeGreaterThan(0);
      // ... and never more than 64 KB: 4 MB of short lines, each followed by what is still buffered.
      let written = 2 + 800;
      let most = 0;
      for (let i = 0; i < 1 << 19; i++) {
        w.writeLine("1234567\n");
        written += 8;
        most = Math.max(most, written - w.bytes);
      }
      expect(most).toBeLessThan(1 << 16);
      expect(most).toBeGreaterThan(1 << 15);
      w.close();
      expect(w.bytes).toBe(written);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("numberCellAsIs", () => {
  const locales = fc.constantFrom<CsvLocale>("en", "de");
  const parsed = (text: string, from: CsvLocale) => Number(from === "de" ? text.replace(",", ".") : text);

  it("gives formatCell's text of the cell's number, and gives it for every integer and 9-digit decimal formatCell writes", () => {
    const number = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.double({ min: -1e4, max: 1e4, noNaN: true }),
      fc.double({ min: 1e-7, max: 1e-5, noNaN: true }),
      fc.integer({ min: -1e9, max: 1e9 }),
      fc.tuple(fc.integer({ min: -99999, max: 99999 }), fc.integer({ min: 0, max: 12 })).map(([m, e]) => m / 10 ** e),
      fc.constantFrom(0, -0, 1e-6, 9.99999999e-7, 123456789.5, 12345678.9, 1e15, 1e16, 2 ** 53, 0.1 + 0.2),
    );
    fc.assert(
      fc.property(number, locales, locales, (v, from, to) => {
        const text = formatCell(v, from);
        const asIs = numberCellAsIs(text, from, to);
        if (asIs !== null) expect(asIs).toBe(formatCell(parsed(text, from), to));
        // Every integer of at most 15 digits and every decimal of 1e-6 or more (all formatCell writes
        // there has at most 9 significant digits) is taken as it is.
        const plain = Number.isInteger(v) ? Math.abs(v) < 1e15 : Math.abs(v) >= 1e-6 && Math.abs(v) < 1e15 && !text.includes("e");
        if (plain) expect(asIs).not.toBeNull();
      }),
      { numRuns: 20000 },
    );
  });

  it("refuses any other text: leading or trailing zeros, exponents, too many digits, a minus zero", () => {
    const text = fc.string({ unit: fc.constantFrom("0", "1", "5", "9", ".", ",", "-", "e", "+"), maxLength: 12 });
    fc.assert(
      fc.property(text, locales, locales, (t, from, to) => {
        const asIs = numberCellAsIs(t, from, to);
        if (asIs !== null) expect(asIs).toBe(formatCell(parsed(t, from), to));
      }),
      { numRuns: 20000 },
    );
    for (const t of ["007", "1.50", "-0", "1e5", "0.0000001", "123456789.5", "1234567890123456", ".5", "5.", ""]) expect(numberCellAsIs(t, "en", "en")).toBeNull();
    expect(numberCellAsIs("12,5", "de", "en")).toBe("12.5");
    expect(numberCellAsIs("-0.000001", "en", "de")).toBe("-0,000001");
  });
});

describe("isNumberText", () => {
  /** The definition it implements by hand. */
  const NUMBER = { en: /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/, de: /^-?\d+(,\d+)?([eE][-+]?\d+)?$/ } as const;

  it("agrees with the regular expression of a number's cell, in both dialects", () => {
    const chars = fc.constantFrom(..."-+.,0123456789eE x٣");
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 10 }), (cs) => {
        const text = cs.join("");
        expect(isNumberText(text, "en")).toBe(NUMBER.en.test(text));
        expect(isNumberText(text, "de")).toBe(NUMBER.de.test(text));
      }),
      { numRuns: 20_000 },
    );
    for (const text of ["0", "-12.5", "1e-7", "3E+10", "12,5", "", "-", "1.", ".5", "1e", "1e+", "+1", " 1", "1 ", "Infinity", "NaN", "0x1f"]) {
      expect([text, isNumberText(text, "en"), isNumberText(text, "de")]).toEqual([text, NUMBER.en.test(text), NUMBER.de.test(text)]);
    }
  });
});
