/**
 * Atomic writing: folders made without Node's recursive mkdir (which never returns under /proc),
 * and nothing left half made.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeFolders } from "./atomic.js";

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
