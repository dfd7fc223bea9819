/**
 * Regenerates the report screenshots under docs/ (npm run docs:screenshots): runs the listed
 * scenarios with the command line, opens each report.html in headless Chromium and saves the
 * whole page, plus the top of the pod-crash report for the README. The sweep is the shipped
 * sweep-watch-latency; the compare is rolling-update against rolling-update-prestop.
 */
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openReport, startChromium } from "../src/report/html/browser.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const svcsim = (...args: string[]) => execFileSync(process.execPath, [join(root, "bin", "svcsim.js"), ...args], { cwd: root, stdio: "inherit" });

/** Each screenshot: a name and the command line that writes its reports folder. */
const SHOTS: { name: string; make: (out: string) => unknown; page?: string }[] = [
  { name: "pod-crash", make: (out) => svcsim("run", "scenarios/pod-crash.yaml", "--out", out, "--force", "--quiet") },
  { name: "rolling-update", make: (out) => svcsim("run", "scenarios/rolling-update.yaml", "--out", out, "--force", "--quiet") },
  { name: "random-crashes", make: (out) => svcsim("run", "scenarios/random-crashes.yaml", "--out", out, "--force", "--quiet") },
  { name: "sweep", make: (out) => svcsim("run", "scenarios/sweep-watch-latency.yaml", "--out", out, "--force", "--quiet") },
  {
    name: "compare",
    make: (out) => {
      svcsim("run", "scenarios/rolling-update-prestop.yaml", "--out", "results/docs-rolling-update-prestop", "--force", "--quiet");
      // rolling-update's folder is the second shot's.
      svcsim("compare", "results/docs-rolling-update", "results/docs-rolling-update-prestop", "--out", out, "--force", "--quiet");
    },
  },
];

const chromium = await startChromium();
try {
  for (const shot of SHOTS) {
    // A relative --out: the page shows the command line, which should not show this machine's paths.
    const out = `results/docs-${shot.name}`;
    await shot.make(out);
    const visit = await openReport(chromium, join(root, out, shot.page ?? "report.html"));
    if (visit.errors.length > 0 || visit.requests.length > 0) throw new Error(`${shot.name}: ${[...visit.errors, ...visit.requests].join("; ")}`);
    await visit.page.screenshot({ path: join(root, "docs", `report-${shot.name}.png`), fullPage: true });
    if (shot.name === "pod-crash") {
      // The README's picture: the header, the headline table and the first two charts.
      const box = await visit.page.locator("figure.chart").nth(1).boundingBox();
      const height = Math.ceil((box?.y ?? 1500) + (box?.height ?? 0) + 16);
      await visit.page.screenshot({ path: join(root, "docs", "report.png"), clip: { x: 0, y: 0, width: 1280, height } });
    }
    await visit.page.close();
    console.log(`docs/report-${shot.name}.png`);
  }
} finally {
  await chromium.close();
}
