/**
 * report.html in a real browser (headless Chromium): for every shipped scenario, a fixture with
 * replications and two Services, and a long run that must be downsampled, the page opens from disk
 * with no console error and no network request, and every chart is drawn with the series and
 * points it should have. Screenshots go to results/browser-test/ (not tracked).
 *
 * Chromium must be installed (`apt-get install chromium`; CI installs it). The test fails when the
 * browser cannot start, unless SVCSIM_SKIP_BROWSER=1 is set outside CI, for a quick local run.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTable } from "../folder.js";
import { writeCompareFolder, writeFixtureFolder, writeSweepFolder } from "../test-support.js";
import type { Page } from "playwright-core";
import { openReport, startChromium, type Headless } from "./browser.js";
import type { ChartSpec } from "./spec.js";

const projectRoot = join(import.meta.dirname, "..", "..", "..");
const bin = join(projectRoot, "bin", "svcsim.js");
const shots = join(projectRoot, "results", "browser-test");
const skip = process.env.SVCSIM_SKIP_BROWSER === "1" && process.env.CI !== "true";
const tmp = mkdtempSync(join(tmpdir(), "svcsim-browser-"));
const scenarios = readdirSync(join(projectRoot, "scenarios")).filter((f) => f.endsWith(".yaml")).sort();

let chromium: Headless | null = null;

const LONG = `
name: long
duration: 1200s
warmup: 0s
interval: 50ms
policies: [random, round-robin]
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 2, labels: { app: web } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 20 } }]
events: [{ at: 300s, action: crash, pods: [web-0] }, { at: 900s, action: crash, pods: [web-1] }]
`;

/** Runs the command line on every shipped scenario, two at a time (the machine's cores). */
async function runShipped(): Promise<void> {
  const run = promisify(execFile);
  const queue = [...scenarios];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      await run(process.execPath, [bin, "run", join(projectRoot, "scenarios", f), "--out", join(tmp, basename(f, ".yaml")), "--quiet"]);
    }
  };
  await Promise.all([worker(), worker()]);
}

beforeAll(async () => {
  if (skip) return;
  mkdirSync(shots, { recursive: true });
  // Start the browser first: when it cannot start, fail at once with its own message.
  chromium = await startChromium();
  await writeFixtureFolder(join(tmp, "fixture"));
  await writeFixtureFolder(join(tmp, "long"), LONG);
  await writeSweepFolder(join(tmp, "sweep"));
  await writeCompareFolder(join(tmp, "cmp"));
  await runShipped();
}, 300_000);

afterAll(async () => {
  await chromium?.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface Drawn {
  id: string;
  series: number;
  points: number;
}

type Spec = ChartSpec & { group?: string };

const drawnCharts = async (page: Page) => (await page.evaluate(() => (window as unknown as { svcsimCharts: Drawn[] }).svcsimCharts)).map((d) => ({ ...d }));

/** Every chart of `specs` is drawn, in order, with its series (a band is two) and its points. */
function expectDrawn(name: string, drawn: Drawn[], specs: Spec[]): void {
  expect(drawn.map((d) => d.id)).toEqual(specs.map((s) => s.id));
  for (const [i, s] of specs.entries()) {
    expect(drawn[i].series, `${name} ${s.id}: series`).toBe(s.series.length + 2 * s.bands.length);
    expect(drawn[i].points, `${name} ${s.id}: points`).toBe(s.x.values.length);
  }
}

/**
 * Opens a report, checks it drew every chart of its spec cleanly (a sweep: the charts outside the
 * point groups and those of the first point), runs `more` on the open page, returns what it drew.
 */
async function check(name: string, more?: (page: Page, specs: Spec[]) => Promise<void>): Promise<{ drawn: Drawn[]; specs: Spec[] }> {
  const file = join(tmp, name, "report.html");
  const visit = await openReport(chromium as Headless, file);
  try {
    const drawn = await drawnCharts(visit.page);
    const specs = JSON.parse((await visit.page.locator("#svcsim-charts").textContent()) ?? "[]") as Spec[];
    const first = specs.find((s) => s.group)?.group;
    const shown = specs.filter((s) => !s.group || s.group === first);
    await visit.page.screenshot({ path: join(shots, `${name.replace(/[\\/]/g, "-")}.png`), fullPage: true });
    expect(visit.errors, `${name}: console errors`).toEqual([]);
    expect(visit.requests, `${name}: network requests`).toEqual([]);
    expectDrawn(name, drawn, shown);
    expect(await visit.page.locator("section:not([hidden]) figure.chart canvas").count()).toBe(shown.length);
    if (more) await more(visit.page, specs);
    expect(visit.errors, `${name}: console errors`).toEqual([]);
    return { drawn, specs };
  } finally {
    await visit.page.close();
  }
}

const csv = (name: string, file: string) => parseTable(file, readFileSync(join(tmp, name, file), "utf8"));

describe.skipIf(skip)("report.html in headless Chromium", () => {
  it("draws the fixture's charts: bands across replications, both Services, pods per policy", async () => {
    const { drawn } = await check("fixture");
    const byId = new Map(drawn.map((d) => [d.id, d]));
    const intervals = csv("fixture", "timeseries.csv").rows.filter((r) => r.service === "web" && r.policy === "random" && r.replication === 0).length;
    expect(intervals).toBe(40);
    // Two policies, each a line and a band (two edges).
    expect(byId.get("p0-web-drops")).toEqual({ id: "p0-web-drops", series: 6, points: intervals });
    expect(byId.get("p0-web-latency")).toEqual({ id: "p0-web-latency", series: 4, points: intervals });
    const apiPods = new Set(csv("fixture", "pods.csv").rows.filter((r) => r.deployment === "api").map((r) => r.pod)).size;
    expect(byId.get("svc-api-pods-random")?.points).toBe(apiPods);
    expect(byId.has("p0-api-drops")).toBe(false);
  });

  it("bounds a long run's charts to the point limit and still draws its spikes", async () => {
    const { drawn, specs } = await check("long");
    const drops = drawn.find((d) => d.id === "p0-web-drops") as Drawn;
    expect(csv("long", "timeseries.csv").rows.length).toBe(2 * 24_000);
    expect(drops.points).toBeLessThanOrEqual(4000);
    expect(specs.find((s) => s.id === "p0-web-drops")?.caption).toContain("buckets of the 24,000 intervals");
    expect(statSync(join(tmp, "long", "report.html")).size).toBeLessThan(1_500_000);
  });

  it("draws a sweep's charts against the parameters, and a point's charts over time when it is chosen", async () => {
    const { specs } = await check("sweep", async (page, all) => {
      await page.selectOption("#svcsim-point", "point-7");
      const drawn = await drawnCharts(page);
      const first = all.filter((s) => !s.group || s.group === "point-0");
      expectDrawn("sweep point-7", drawn, [...first, ...all.filter((s) => s.group === "point-7")]);
      expect(await page.locator("section[data-group=point-0]").first().isHidden()).toBe(true);
      expect(await page.locator("section[data-group=point-7]").first().isVisible()).toBe(true);
      await page.screenshot({ path: join(shots, "sweep-point-7.png"), fullPage: true });
    });
    const drop = specs.find((s) => s.id === "sweep-web-0-0-0");
    expect(drop?.x.values).toEqual([0.5, 1, 2, 4]);
  });

  it("draws a compare folder's side-by-side bars", async () => {
    const { drawn } = await check(join("cmp", "compare"));
    expect(drawn.find((d) => d.id === "cmp-0-web-drop_rate")).toEqual({ id: "cmp-0-web-drop_rate", series: 2, points: 4 });
  });

  for (const file of scenarios) {
    const name = basename(file, ".yaml");
    it(`opens ${name}'s report cleanly`, async () => {
      const { drawn } = await check(name);
      const series = csv(name, "timeseries.csv").rows;
      const first = series[0];
      const intervals = series.filter((r) => r.point === first.point && r.service === first.service && r.policy === first.policy && r.replication === first.replication).length;
      const latency = drawn.find((d) => d.id === `p0-${first.service}-latency`);
      expect(latency?.points).toBe(intervals);
    });
  }
});
