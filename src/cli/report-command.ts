/**
 * The report side of the command line: `svcsim report <dir>` (report.html and the other derived
 * files, again, for any reports folder), the export options `run` shares with it (--xlsx,
 * --csv-locale), and the one-line pointer to report.html printed after a run.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { join, relative, resolve } from "node:path";
import type { Derived } from "../report/generate.js";
import { CSV_LOCALES, type CsvLocale } from "../report/locale.js";

// The report writers (exceljs, csv-parse, uPlot) load only when a command needs them (issue 11).
const derive = async (dir: string, opts: ExportOptions) => (await import("../report/generate.js")).deriveReports(dir, { xlsx: opts.xlsx, csvLocale: opts.csvLocale });

export interface ExportOptions {
  xlsx?: boolean;
  csvLocale?: CsvLocale;
}

function parseLocale(value: string): CsvLocale {
  if ((CSV_LOCALES as readonly string[]).includes(value)) return value as CsvLocale;
  throw new InvalidArgumentError(`expected ${CSV_LOCALES.join(" or ")}, found "${value}"`);
}

/** Adds --xlsx and --csv-locale to a command. */
export function addExportOptions(cmd: Command): Command {
  return cmd
    .option("--xlsx", "also write report.xlsx: one sheet per table, numbers as numbers")
    .addOption(
      new Option("--csv-locale <locale>", "CSV dialect: en (comma-separated, decimal dot) or de (semicolon-separated, decimal comma)").argParser(parseLocale),
    );
}

/** The line after a run's summary table: where the report is. */
export function reportPointer(dir: string): string {
  const rel = relative(process.cwd(), resolve(dir));
  const shown = rel && !rel.startsWith("..") ? rel : resolve(dir);
  return `open ${join(shown, "report.html")}`;
}

/** Opens a file in the default browser when this machine has a graphical one; says so otherwise. */
async function openInBrowser(path: string): Promise<string | null> {
  const headless = process.platform === "linux" && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
  if (headless) return `no graphical browser here: open ${path} on a machine with one`;
  try {
    const { default: open } = await import("open");
    const child = await open(path, { wait: false });
    child.on("error", () => {}); // a missing opener is reported by the message below, not a crash
    return null;
  } catch (err) {
    return `could not open a browser (${(err as Error).message}): open ${path} yourself`;
  }
}

function printDerived(derived: Derived): void {
  for (const w of derived.warnings) process.stderr.write(`svcsim: ${w}\n`);
}

export function registerReportCommand(program: Command): void {
  addExportOptions(
    program
      .command("report")
      .description("write report.html (and timeseries_wide.csv) again from a reports folder's CSVs and run.json")
      .argument("<dir>", "reports folder, as written by svcsim run"),
  )
    .option("--open", "open report.html in the default browser")
    .option("-q, --quiet", "print nothing but errors")
    .action(async (dir: string, opts: ExportOptions & { open?: boolean; quiet?: boolean }) => {
      const derived = await derive(dir, opts);
      printDerived(derived);
      const html = join(dir, "report.html");
      if (!opts.quiet) console.log(`wrote ${derived.written.map((f) => join(dir, f)).join(", ")}`);
      if (opts.open) {
        const problem = await openInBrowser(resolve(html));
        if (problem) process.stderr.write(`svcsim: ${problem}\n`);
      }
    });
}

/** For `svcsim run`: derives the reports in the folder being assembled. */
export function deriveInto(opts: ExportOptions): (tmpDir: string) => Promise<Derived> {
  return async (tmpDir) => {
    const derived = await derive(tmpDir, opts);
    printDerived(derived);
    return derived;
  };
}
