/**
 * Atomic writing: folders made without Node's recursive mkdir (which never returns under /proc),
 * and nothing left half made.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { leftoverStages, makeFolders } from "./atomic.js";

const tmp = mkdtempSync(join(tmpdir(), "svcsim-atomic-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("makeFolders", () => {
  it("makes the missing folders and returns the first one it made, or undefined when there was none to make", () => {
    expect(makeFolders(join(tmp, "a", "b", "c"))).toBe(join(tmp, "a"));
    expect(existsSync(join(tmp, "a", "b", "c"))).toBe(true);
    expect(makeFolders(join(tmp, "a", "b"))).toBeUndefined();
  });

  it("fails under a file, and removes the folders it made before failing", () => {
    writeFileSync(join(tmp, "file"), "x");
    expect(() => makeFolders(join(tmp, "file", "x"))).toThrow(/ENOTDIR|EEXIST/);
    expect(() => makeFolders(join(tmp, "made", "x".repeat(300), "y"))).toThrow(/ENAMETOOLONG/);
    expect(existsSync(join(tmp, "made"))).toBe(false);
  });

  it.runIf(process.platform === "linux")("fails, instead of looping forever, where the kernel says a parent is missing (/proc)", () => {
    expect(() => makeFolders(`/proc/svcsim-${process.pid}/x/y`)).toThrow(/ENOENT/);
  });
});

describe("leftoverStages", () => {
  it("finds the stages a killed run left beside its target, oldest first, and never the target's look-alikes", () => {
    const dir = join(tmp, "left");
    const dead = 2 ** 22 + 1; // above Linux's default pid_max: no such process
    for (const n of [`.out.${dead}-1700000000000.tmp`, `.out.${dead}-1600000000000.tmp-old`, ".out.tmp", ".output.1-1.tmp", "out"]) mkdirSync(join(dir, n), { recursive: true });
    expect(leftoverStages(join(dir, "out"))).toEqual([
      { path: join(dir, `.out.${dead}-1600000000000.tmp-old`), pid: dead, started: new Date(1600000000000), kind: "old", running: false },
      { path: join(dir, `.out.${dead}-1700000000000.tmp`), pid: dead, started: new Date(1700000000000), kind: "stage", running: false },
    ]);
    expect(leftoverStages(join(tmp, "nowhere", "out"))).toEqual([]);
  });
});
