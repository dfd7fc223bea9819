/**
 * Headless Chromium for the browser test and the README screenshots: the system's Chromium
 * (Debian's `chromium` package) driven by playwright-core with an explicit executable path, since
 * Playwright's own browser downloads are not available everywhere. Development only.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/** Where Chromium is looked for: $CHROMIUM_PATH, then the usual system paths. */
export function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
  return candidates.find((p): p is string => !!p && existsSync(p)) ?? null;
}

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Headless {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Starts Chromium with a fresh profile folder; throws when it cannot start. */
export async function startChromium(): Promise<Headless> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error("no Chromium found: install it (apt-get install chromium) or set CHROMIUM_PATH");
  const profile = mkdtempSync(join(tmpdir(), "svcsim-chromium-"));
  let browser: BrowserContext;
  try {
    browser = await chromium.launchPersistentContext(profile, {
      executablePath,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1280, height: 900 },
      deviceScaleFactor: 1,
    });
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  return {
    context: browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface PageVisit {
  page: Page;
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Every request other than the page's own file. */
  requests: string[];
}

/** Opens a report.html from disk and waits until its charts are drawn. */
export async function openReport(h: Headless, file: string): Promise<PageVisit> {
  const page = await h.context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  const url = pathToFileURL(file).href;
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { svcsimReady?: boolean }).svcsimReady === true, null, { timeout: 30_000 });
  return { page, errors, requests };
}

