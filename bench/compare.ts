/**
 * Prints two benchmark reports side by side: each figure's medians, their ratio, the noise the runs
 * measured, and a flag where the change exceeds it (see lib/compare.ts).
 *
 *   npm run bench:compare -- results/bench/<a>.json results/bench/<b>.json
 */
import { compareReports, formatComparison } from "./lib/compare.js";
import { loadReport } from "./lib/report.js";

const [aPath, bPath] = process.argv.slice(2);
if (aPath === undefined || bPath === undefined) {
  console.error("usage: npm run bench:compare -- <a.json> <b.json>");
  process.exit(2);
}
let a, b;
try {
  a = loadReport(aPath);
  b = loadReport(bPath);
} catch (err) {
  console.error(`bench:compare: ${(err as Error).message}`);
  process.exit(2);
}
console.log(formatComparison(compareReports(a, b), a, b));
