/**
 * Regenerates the report screenshots under docs/ (npm run docs:screenshots): runs the listed
 * scenarios with the command line, opens each report.html in headless Chromium and saves the
 * whole page, plus the top of the pod-crash report for the README.
 */
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openReport, startChromium } from "../src/report/html/browser.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const svcsim = (...args: string[]) => execFileSync(process.execPath, [join(root, "bin", "svcsim.js"), ...args], { cwd: root, stdio: "inherit" });

/** Each screenshot: a name and the command line that writes its reports folder. */
const SHOTS: { name: string; args: string[] }[] = [
  { name: "pod-crash", args: ["run", "scenarios/pod-crash.yaml"] },
  { name: "rolling-update", args: ["run", "scenarios/rolling-update.yaml"] },
  { name: "random-crashes", args: ["run", "scenarios/random-crashes.yaml"] },
];

const chromium = await startChromium();
try {
  for (const shot of SHOTS) {
    // A relative --out: the page shows the command line, which should not show this machine's paths.
    const out = `results/${shot.name}`;
    svcsim(...shot.args, "--out", out, "--force", "--quiet");
    const visit = await openReport(chromium, join(root, out, "report.html"));
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
