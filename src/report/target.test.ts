import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SVCSIM_VERSION } from "../version.js";
import { DEFAULT_REPORT_FILES, TargetError, checkTarget, inspectTarget, readReportMarker, reportMarker, type Refusal } from "./target.js";

const root = mkdtempSync(join(tmpdir(), "svcsim-target-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh folder under the test root; `cwd` and `home` point elsewhere so only the case at hand decides. */
let n = 0;
function scratch(): { dir: string; env: { cwd: string; home: string } } {
  const dir = join(root, `case-${n++}`);
  const cwd = join(dir, "work");
  mkdirSync(cwd, { recursive: true });
  return { dir: cwd, env: { cwd, home: join(root, "home") } };
}

function reportsFolder(dir: string, marker: object = reportMarker(DEFAULT_REPORT_FILES)): void {
  mkdirSync(dir, { recursive: true });
  for (const f of DEFAULT_REPORT_FILES) writeFileSync(join(dir, f), f === "run.json" ? JSON.stringify({ ...marker, scenario: {} }) : "a,b\n1,2\n");
}

function refusal(out: string, env: { cwd: string; home: string }): Refusal {
  const t = inspectTarget(out, env);
  expect(t.kind).toBe("refused");
  return t as Refusal;
}

function targetError(fn: () => unknown): TargetError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TargetError);
    return e as TargetError;
  }
  throw new Error("expected a TargetError");
}

describe("the run.json marker", () => {
  it("names svcsim, its version and the files it wrote", () => {
    expect(reportMarker(["summary.csv"])).toEqual({ generator: "svcsim", version: SVCSIM_VERSION, files: ["summary.csv", "run.json"] });
  });

  it("is read back from a folder, and a run.json written before the marker existed still counts", () => {
    const { dir } = scratch();
    reportsFolder(join(dir, "a"));
    expect(readReportMarker(join(dir, "a"))).toEqual({ version: SVCSIM_VERSION, files: [...DEFAULT_REPORT_FILES] });
    reportsFolder(join(dir, "legacy"), { svcsim: "0.1.0", node: "v20" });
    expect(readReportMarker(join(dir, "legacy"))).toEqual({ version: "0.1.0", files: DEFAULT_REPORT_FILES });
    for (const text of ["not json", "[]", '{"generator": "other", "version": "1"}', '{"svcsim": "0.1.0"}']) {
      mkdirSync(join(dir, "other"), { recursive: true });
      writeFileSync(join(dir, "other", "run.json"), text);
      expect(readReportMarker(join(dir, "other"))).toBeUndefined();
    }
  });
});

describe("inspectTarget", () => {
  it("accepts a new path, however deep, and an empty folder", () => {
    const { dir, env } = scratch();
    expect(inspectTarget("results/x", env)).toEqual({ kind: "new", path: join(dir, "results/x") });
    mkdirSync(join(dir, "empty"));
    expect(inspectTarget("empty", env).kind).toBe("empty");
  });

  it("recognises a folder svcsim wrote", () => {
    const { dir, env } = scratch();
    reportsFolder(join(dir, "results/base"));
    expect(inspectTarget("results/base", env)).toEqual({ kind: "reports", path: join(dir, "results/base"), version: SVCSIM_VERSION });
  });

  it("refuses a file (--out README.md)", () => {
    const { dir, env } = scratch();
    writeFileSync(join(dir, "README.md"), "# hello\n");
    expect(refusal("README.md", env)).toMatchObject({ problem: "not a folder svcsim wrote", found: "a file" });
  });

  it("refuses a folder svcsim did not write, naming what is in it (--out sub with sub/data.txt)", () => {
    const { dir, env } = scratch();
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "data.txt"), "keep me");
    const r = refusal("sub", env);
    expect(r.problem).toContain("a folder svcsim did not write");
    expect(r.found).toBe('a folder with 1 entry: "data.txt"');
  });

  it("refuses a folder with a run.json that is not svcsim's", () => {
    const { dir, env } = scratch();
    mkdirSync(join(dir, "other"));
    writeFileSync(join(dir, "other", "run.json"), '{"generator": "k6"}');
    expect(refusal("other", env).problem).toContain("did not write");
  });

  it("refuses svcsim's folder once the user has put files of their own in it", () => {
    const { dir, env } = scratch();
    reportsFolder(join(dir, "r"));
    writeFileSync(join(dir, "r", "notes.txt"), "mine");
    mkdirSync(join(dir, "r", "charts"));
    expect(refusal("r", env)).toMatchObject({ problem: "the reports folder also holds files svcsim did not write", found: '"charts", "notes.txt"' });
  });

  it("accepts every file run.json lists as svcsim's", () => {
    const { dir, env } = scratch();
    reportsFolder(join(dir, "r"), reportMarker([...DEFAULT_REPORT_FILES, "extra.csv"]));
    writeFileSync(join(dir, "r", "extra.csv"), "x\n");
    expect(inspectTarget("r", env).kind).toBe("reports");
  });

  it("refuses the current folder, a folder above it, the home folder and the root, even when svcsim wrote them", () => {
    const { dir, env } = scratch();
    reportsFolder(dir); // the current folder looks like a reports folder: still refused
    expect(refusal(".", env).problem).toBe("the current folder");
    expect(refusal(dir, env).problem).toBe("the current folder");
    expect(refusal("..", env).problem).toBe("a folder that holds the current folder");
    expect(refusal("../..", env).problem).toBe("a folder that holds the current folder");
    expect(refusal("/", env).problem).toBe("the file system root");
    const home = join(root, "home-reports");
    reportsFolder(home);
    expect(refusal(home, { ...env, home }).problem).toBe("your home folder");
  });

  it("refuses a project folder (package.json or .git)", () => {
    const { dir, env } = scratch();
    for (const marker of ["package.json", ".git"]) {
      const p = join(dir, `project-${marker}`);
      reportsFolder(p);
      if (marker === ".git") mkdirSync(join(p, ".git"));
      else writeFileSync(join(p, "package.json"), "{}");
      expect(refusal(p, env).problem).toBe(`a project folder (it holds ${marker})`);
    }
  });

  it("refuses a symbolic link, even to a folder svcsim wrote", () => {
    const { dir, env } = scratch();
    reportsFolder(join(dir, "real"));
    symlinkSync(join(dir, "real"), join(dir, "link"));
    expect(refusal("link", env).problem).toContain("a symbolic link");
    expect(refusal("link/", env).problem).toContain("a symbolic link");
  });

  it("refuses a path under a file", () => {
    const { dir, env } = scratch();
    writeFileSync(join(dir, "plain"), "x");
    expect(refusal("plain/out/deeper", env).problem).toBe("cannot create the folder: a parent is not a folder");
  });
});

describe("checkTarget", () => {
  it("replaces an existing folder only with force, and only one svcsim wrote or an empty one", () => {
    const { dir, env } = scratch();
    reportsFolder(join(dir, "r"));
    mkdirSync(join(dir, "empty"));
    expect(targetError(() => checkTarget("r", { force: false, env })).message).toBe(
      `r: already exists: found a reports folder written by svcsim ${SVCSIM_VERSION}; allowed: --force to replace it, or --out to write elsewhere`,
    );
    expect(checkTarget("r", { force: true, env }).kind).toBe("reports");
    expect(targetError(() => checkTarget("empty", { force: false, env })).message).toContain("already exists: found an empty folder");
    expect(checkTarget("empty", { force: true, env }).kind).toBe("empty");
    expect(checkTarget("new", { force: false, env }).kind).toBe("new");
  });

  it("says where, what is wrong, what was found and what is allowed", () => {
    const { dir, env } = scratch();
    writeFileSync(join(dir, "README.md"), "x");
    const e = targetError(() => checkTarget("README.md", { force: true, where: "--out README.md", env }));
    expect(e.message).toMatch(/^--out README\.md: not a folder svcsim wrote: found a file; allowed: .+"generator": "svcsim"$/);
    expect(e.exitCode).toBe(2);
  });
});
