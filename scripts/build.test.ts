import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildIsFresh } from "./build.js";

const root = mkdtempSync(join(tmpdir(), "svcsim-build-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const at = (path: string, seconds: number) => utimesSync(join(root, path), seconds, seconds);
const file = (path: string, seconds: number) => {
  writeFileSync(join(root, path), "");
  at(path, seconds);
};

describe("buildIsFresh", () => {
  it("is stale until built, fresh after, stale again once a source or tsconfig changes", () => {
    mkdirSync(join(root, "src", "engine"), { recursive: true });
    file("src/engine/simulation.ts", 1000);
    file("tsconfig.json", 1000);
    expect(buildIsFresh(root)).toBe(false); // no dist/
    mkdirSync(join(root, "dist"));
    file("dist/.build-stamp", 2000);
    expect(buildIsFresh(root)).toBe(true);
    at("src/engine/simulation.ts", 3000); // an edit in a nested folder
    expect(buildIsFresh(root)).toBe(false);
    at("dist/.build-stamp", 3000);
    expect(buildIsFresh(root)).toBe(true);
    at("tsconfig.json", 4000);
    expect(buildIsFresh(root)).toBe(false);
    at("dist/.build-stamp", 4000);
  });

  it("is stale once a file the build copies beside the bundles changes", () => {
    mkdirSync(join(root, "src", "report", "html"), { recursive: true });
    file("src/report/html/report.css", 1000);
    expect(buildIsFresh(root)).toBe(true);
    at("src/report/html/report.css", 5000);
    expect(buildIsFresh(root)).toBe(false);
    at("dist/.build-stamp", 5000);
  });

  it("ignores tests, which are not compiled", () => {
    file("src/engine/simulation.test.ts", 9000);
    expect(buildIsFresh(root)).toBe(true);
  });
});
