/**
 * What report.html shows, checked on its spec: the header, the headline table with intervals,
 * which charts each Service gets, the events marked on them, and the bound on points per chart.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readReportsFolder } from "../folder.js";
import { writeCompareFolder, writeFixtureFolder, writeSweepFolder } from "../test-support.js";
import { boundPoints, buildReport } from "./build.js";
import { PAIRED_METRICS } from "./paired.js";
import { sweepParameters } from "./sweep-charts.js";
import type { ChartSpec, ReportSpec } from "./spec.js";

const root = mkdtempSync(join(tmpdir(), "svcsim-build-"));
let spec: ReportSpec;
beforeAll(async () => {
  await writeFixtureFolder(join(root, "f"));
  spec = buildReport(readReportsFolder(join(root, "f")));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const section = (id: string) => spec.sections.find((s) => s.id === id)!;
const chart = (id: string) => spec.sections.flatMap((s) => s.charts).find((c) => c.id === id)!;

describe("buildReport", () => {
  it("opens with what was run and the headline table, mean ± half-width over the replications", () => {
    const facts = Object.fromEntries(spec.facts);
    expect(facts).toMatchObject({ Scenario: "fixture", Seed: "1 to 2 (one per replication)", Replications: "2", Policies: "random, round-robin" });
    expect(facts.Command).toBe("svcsim run fixture.yaml");
    expect(facts.Finished).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    const table = section("headline").tables[0];
    expect(table.rows.map((r) => r.slice(0, 2))).toEqual([
      ["web", "random"],
      ["web", "round-robin"],
      ["api", "random"],
      ["api", "round-robin"],
    ]);
    expect(table.rows[0][table.head.indexOf("Dropped")]).toMatch(/^[\d.,]+ ± [\d.,]+$/);
    expect(table.caption).toContain("95% confidence interval over 2 replications");
  });

  it("gives a Service with drops the drop charts, with bands across replications, and every Service the rest", () => {
    const ids = (s: string) => section(s).charts.map((c) => c.id);
    expect(ids("svc-web")).toEqual([
      "p0-web-drops",
      "p0-web-drops-total",
      "p0-web-reasons-random",
      "p0-web-reasons-round-robin",
      "p0-web-latency",
      "p0-web-ready",
      "p0-web-stale",
      "p0-web-rollouts",
      "svc-web-pods-random",
      "svc-web-pods-round-robin",
    ]);
    expect(ids("svc-api")).not.toContain("p0-api-drops");
    expect(section("svc-api").notes.join(" ")).toContain("No request to api was dropped");
    const drops = chart("p0-web-drops");
    expect(drops.series.map((s) => s.label)).toEqual(["random", "round-robin"]);
    expect(drops.bands).toHaveLength(2);
    expect(drops.x.values).toHaveLength(40);
    drops.bands[0].lower.forEach((lo, i) => {
      const mean = drops.series[0].values[i] as number;
      expect(lo as number).toBeLessThanOrEqual(mean);
      expect(drops.bands[0].upper[i] as number).toBeGreaterThanOrEqual(mean);
    });
    expect(chart("p0-web-latency").series).toHaveLength(4);
    expect(chart("p0-web-latency").y.log).toBe(true);
  });

  it("shows paired.csv: each policy against the baseline, the clear differences first", () => {
    const paired = section("paired");
    expect(paired.title).toBe("Policies against random (paired)");
    const t = paired.tables[0];
    const verdict = t.head.indexOf("Verdict");
    const clear = t.rows.filter((r) => r[verdict] !== "no clear difference").length;
    expect(t.rows.slice(0, clear).every((r) => r[verdict] === "better" || r[verdict] === "worse")).toBe(true);
    expect(t.rows.slice(clear).every((r) => r[verdict] === "no clear difference")).toBe(true);
    const rows = readReportsFolder(join(root, "f")).tables.get("paired.csv")!.rows;
    const shown = rows.filter((r) => PAIRED_METRICS.includes(String(r.metric)));
    expect(t.rows).toHaveLength(shown.length);
    expect(clear).toBe(shown.filter((r) => r.excludes_zero === 1 && r.diff_mean !== 0).length);
  });

  it("stacks the drop reasons, keeping each reason's own value for the legend", () => {
    const c = chart("p0-web-reasons-random");
    const [first, second] = c.series;
    expect(second.values.every((v, i) => (v as number) >= (first.values[i] as number))).toBe(true);
    expect(second.legendValues!.some((v, i) => v !== second.values[i])).toBe(true);
  });

  it("marks a Service's charts with the events that touch its pods", () => {
    const web = chart("p0-web-drops").marks.map((m) => `${m.x} ${m.label}`);
    expect(web[0]).toBe("15 crash web-0");
    expect(web.some((m) => m.startsWith("25 rollout start: web v2"))).toBe(true);
    expect(web.some((m) => m.includes("scale api"))).toBe(false);
    const api = chart("p0-api-latency").marks.map((m) => `${m.x} ${m.label}`);
    expect(api).toEqual(["30 scale api to 3"]);
  });

  it("shows per-pod load with the pods outside the skew figures apart", () => {
    const c = chart("svc-api-pods-random");
    expect(c.x.categories).toEqual(["api-0", "api-1", "api-2"]);
    expect(c.series.map((s) => s.values.map((v) => v !== null))).toEqual([
      [true, true, false],
      [false, false, true],
    ]);
    expect(c.title).toMatch(/max\/mean [\d.]+ ± [\d.]+, CV/);
  });

  it("bounds a long chart's points and says so", () => {
    const n = 100_000;
    const long: ChartSpec = {
      ...chart("p0-web-drops"),
      x: { label: "t", values: Array.from({ length: n }, (_, i) => i) },
      series: [{ label: "a", color: "#000", values: Array.from({ length: n }, (_, i) => (i === 500 ? 99 : 1)) }],
      bands: [],
    };
    const b = boundPoints(long, 4000);
    expect(b.x.values.length).toBeLessThanOrEqual(4000);
    expect(Math.max(...(b.series[0].values as number[]))).toBe(99);
    expect(b.caption).toContain("2,000 buckets of the 100,000 intervals");
  });
});

describe("buildReport of a sweep", () => {
  let sweep: ReportSpec;
  beforeAll(async () => {
    await writeSweepFolder(join(root, "sweep"));
    sweep = buildReport(readReportsFolder(join(root, "sweep")));
  }, 120_000);

  it("charts each metric against the swept parameter, a line per policy and slice, with bands", () => {
    const web = sweep.sections.find((s) => s.id === "sweep-web")!;
    // minSyncPeriod has 4 values: charted; preStop has 2: shown by line styles, with a note.
    expect(web.notes.join(" ")).toContain("deployments[0].pod.preStop takes only 2 values");
    const drop = web.charts.find((c) => c.title.startsWith("drop_rate against cluster.proxy.minSyncPeriod"))!;
    expect(drop.x.values).toEqual([0.5, 1, 2, 4]);
    expect(drop.series.map((s) => s.label)).toEqual(["random, preStop = 0", "random, preStop = 3", "round-robin, preStop = 0", "round-robin, preStop = 3"]);
    expect(drop.bands).toHaveLength(4);
    expect(drop.y.percent).toBe(true);
    // The mean at point 0 is the mean of summary.csv's two replications there.
    const rows = readReportsFolder(join(root, "sweep")).tables.get("summary.csv")!.rows.filter((r) => r.point === 0 && r.service === "web" && r.policy === "random");
    expect(drop.series[0].values[0]).toBeCloseTo(((rows[0].drop_rate as number) + (rows[1].drop_rate as number)) / 2, 12);
  });

  it("carries the charts over time of every point, one point shown at a time", () => {
    expect(sweep.groups?.map((g) => g.id)).toEqual(Array.from({ length: 8 }, (_, i) => `point-${i}`));
    expect(sweep.groups?.[1].label).toBe("point 1: cluster.proxy.minSyncPeriod = 0.5, deployments[0].pod.preStop = 3");
    const grouped = sweep.sections.filter((s) => s.group === "point-7");
    expect(grouped.map((s) => s.id)).toEqual(["svc-web-p7", "svc-api-p7"]);
    expect(grouped[0].charts[0].id).toBe("p7-web-drops");
    const table = sweep.sections[0].tables[0];
    expect(table.head.slice(0, 5)).toEqual(["Point", "proxy.minSyncPeriod", "pod.preStop", "Service", "Policy"]);
    expect(table.rows).toHaveLength(8 * 2 * 2);
  });
});

describe("buildReport of a compare folder", () => {
  it("puts the clear changes first, the two sides as bars, the one-sided rows and every comparison", async () => {
    await writeCompareFolder(join(root, "cmp"));
    const spec = buildReport(readReportsFolder(join(root, "cmp", "compare")));
    expect(spec.title).toContain("svcsim compare");
    expect(spec.sections.map((s) => s.id)).toEqual(["changes", "side-0-web", "side-0-api", "one-side", "all", "over-time", "headlines"]);
    // web dropped requests on both sides: its drops over time, A's lines dashed beside B's.
    const over = spec.sections.find((s) => s.id === "over-time")!.charts.map((c) => c.id);
    expect(over).toEqual(["cmp-time-p0-web-drops", "cmp-time-p0-web-drops-total"]);
    const drops = spec.sections.find((s) => s.id === "over-time")!.charts[0];
    expect(drops.series.map((s) => `${s.label}${s.dash ? " dashed" : ""}`)).toEqual(["A random dashed", "A round-robin dashed", "B random", "B round-robin", "B power-of-two"]);
    const oneSide = spec.sections.find((s) => s.id === "one-side")!.tables[0];
    expect(oneSide.rows.map((r) => `${r[0]} ${r[1]} ${r.at(-1)}`)).toEqual(["web power-of-two only in b", "api power-of-two only in b"]);
    const bars = spec.sections.find((s) => s.id === "side-0-web")!.charts.find((c) => c.id === "cmp-0-web-drop_rate")!;
    expect(bars.x.categories).toEqual(["random · A", "random · B", "round-robin · A", "round-robin · B"]);
    expect(bars.series.map((s) => s.values.map((v) => v !== null))).toEqual([
      [true, false, true, false],
      [false, true, false, true],
    ]);
    const compare = readReportsFolder(join(root, "cmp", "compare")).tables.get("compare.csv")!.rows;
    const changes = spec.sections[0].tables[0]?.rows ?? [];
    expect(changes.length).toBe(compare.filter((r) => r.verdict === "better" || r.verdict === "worse").length);
    expect(spec.sections.find((s) => s.id === "headlines")!.tables).toHaveLength(2);
  });
});

describe("sweepParameters", () => {
  it("takes columns swept together (a zip) as one parameter, and a grid's columns apart", () => {
    const rows = new Map<number, Record<string, number>>();
    let point = 0;
    for (const preStop of [0, 5]) {
      for (const [median, p99] of [[0.1, 0.4], [0.2, 0.8], [0.4, 1.6]]) rows.set(point++, { preStop, median, p99 });
    }
    const points = [...rows.keys()];
    expect(sweepParameters(["preStop", "median", "p99"], points, rows)).toEqual([["preStop"], ["median", "p99"]]);
    // In a full grid no column follows from another.
    const grid = new Map([[0, { a: 1, b: 1 }], [1, { a: 1, b: 2 }], [2, { a: 2, b: 1 }], [3, { a: 2, b: 2 }]]);
    expect(sweepParameters(["a", "b"], [0, 1, 2, 3], grid)).toEqual([["a"], ["b"]]);
  });
});
