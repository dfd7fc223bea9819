/**
 * Keeps the README in step with the code: every CSV column (columns.ts) is documented as
 * `name` in backticks, and every `scenario:*` npm script and every shipped scenario file is mentioned.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  AGGREGATE_COLUMNS,
  COMPARE_COLUMNS,
  LOCAL_POLICY_SUMMARY_COLUMNS,
  RETRY_SUMMARY_COLUMNS,
  PAIRED_COLUMNS,
  POD_COLUMNS,
  ROLLOUT_COLUMNS,
  SUMMARY_COLUMNS,
  TIMESERIES_COLUMNS,
  ZONE_COLUMNS,
  ZONE_SUMMARY_COLUMNS,
} from "./columns.js";
import { WIDE_COLUMNS_HEAD, WIDE_COLUMNS_TAIL } from "./wide.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };

const missing = (names: readonly string[], mentioned: (name: string) => boolean) => names.filter((n) => !mentioned(n));

describe("README.md", () => {
  for (const [file, columns] of [
    ["summary.csv", [...SUMMARY_COLUMNS, ...ZONE_SUMMARY_COLUMNS, ...LOCAL_POLICY_SUMMARY_COLUMNS, ...RETRY_SUMMARY_COLUMNS]],
    ["zones.csv", ZONE_COLUMNS],
    ["pods.csv", POD_COLUMNS],
    ["timeseries.csv", TIMESERIES_COLUMNS],
    ["rollouts.csv", ROLLOUT_COLUMNS],
    ["aggregate.csv", AGGREGATE_COLUMNS],
    ["paired.csv", PAIRED_COLUMNS],
    ["compare.csv", COMPARE_COLUMNS],
    ["timeseries_wide.csv", [...WIDE_COLUMNS_HEAD, { name: "<policy>.<metric>", doc: "" }, ...WIDE_COLUMNS_TAIL]],
  ] as const) {
    it(`documents every ${file} column in backticks`, () => {
      expect(columns.length).toBeGreaterThan(0);
      expect(missing(columns.map((c) => c.name), (n) => readme.includes(`\`${n}\``))).toEqual([]);
    });
  }

  it("mentions every scenario:* npm script", () => {
    const scripts = Object.keys(pkg.scripts).filter((s) => s.startsWith("scenario:"));
    expect(scripts.length).toBeGreaterThan(0);
    // Whole names only: scenario:rolling-update must not pass on scenario:rolling-update-prestop.
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const named = (script: string) => new RegExp(escape(script) + "(?![\\w-])").test(readme);
    expect(missing(scripts, named)).toEqual([]);
  });

  it("mentions every scenario file", () => {
    const files = readdirSync(join(root, "scenarios")).filter((f) => f.endsWith(".yaml"));
    expect(files.length).toBeGreaterThan(0);
    expect(missing(files, (f) => readme.includes(`scenarios/${f}`))).toEqual([]);
  });
});
