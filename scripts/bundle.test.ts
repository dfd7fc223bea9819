/**
 * The build's output as it ships: bin/svcsim.js runs the bundles (not the TypeScript through tsx),
 * their code caches are accepted, a run in worker threads writes the same bytes as the sources
 * run through tsx, report.html finds its stylesheet and script beside the bundle, and a cache V8
 * refuses costs nothing but time and is never rewritten. vitest's global set-up built dist/.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "./fresh.js";
import { WRAPPER } from "./load-bundle.js";

const tmp = mkdtempSync(join(tmpdir(), "svcsim-bundle-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const dist = join(ROOT, "dist");
const node = (args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  spawnSync(process.execPath, args, { encoding: "utf8", cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env });

/** Loads `bundle` through dist's loader (with `argv` for the command line) and prints whether V8 refused its cache. */
const cacheRejected = (distDir: string, bundle: string, argv: string[] = []) => {
  const code = `const { loadBundle } = await import(${JSON.stringify(pathToFileURL(join(distDir, "load-bundle.js")).href)});
process.stderr.write("rejected=" + loadBundle(new URL(${JSON.stringify(pathToFileURL(join(distDir, bundle)).href)})).rejected + "\\n");`;
  const r = node(["--input-type=module", "-e", code, "-", ...argv]);
  return /rejected=(\w+)/.exec(r.stderr)?.[1];
};

const scenario = `
name: bundle
duration: 20s
warmup: 2s
policies: [random, round-robin]
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 3, labels: { app: web } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 100 } }]
events: [{ at: 10s, action: rollout, deployment: web, version: v2 }]
`;

describe("the build", () => {
  it("holds the entry files, the two bundles with their code caches, and the files read beside them", () => {
    const files = readdirSync(dist);
    for (const f of ["cli.js", "worker.js", "load-bundle.js", "svcsim.cjs", "svcsim.cjs.cache", "worker.cjs", "worker.cjs.cache", "report.css", "client.js"]) {
      expect(files).toContain(f);
    }
    // ASCII only, as the loader reads them as latin1.
    for (const f of ["svcsim.cjs", "worker.cjs"]) expect(/[^\x00-\x7f]/.test(readFileSync(join(dist, f), "latin1"))).toBe(false);
  });

  it("imports the packages left outside through the loader: no import() a code cache would break", () => {
    const cli = readFileSync(join(dist, "svcsim.cjs"), "latin1");
    expect(cli).toContain('__svcsim_import("open")');
    expect(cli).toContain('__svcsim_import("cli-progress")');
    for (const f of ["svcsim.cjs", "worker.cjs"]) expect(readFileSync(join(dist, f), "latin1")).not.toMatch(/(?<![\w$.])import\("/);
  });

  it("lets a bundle run with a cache made by another process import a package", () => {
    const dir = mkdtempSync(join(tmp, "loader-"));
    const body = `module.exports = __svcsim_import("node:path").then((m) => process.stdout.write("sep=" + m.sep));`;
    writeFileSync(join(dir, "b.cjs"), `${WRAPPER[0]}${body}${WRAPPER[1]}`);
    const code = `const { loadBundle } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "scripts", "load-bundle.js")).href)});
const b = loadBundle(new URL(${JSON.stringify(pathToFileURL(join(dir, "b.cjs")).href)}));
await b.exports;
b.writeCache();
process.stderr.write("rejected=" + b.rejected);`;
    const env = { ...process.env, SVCSIM_WRITE_CODE_CACHE: "1" };
    const first = node(["--input-type=module", "-e", code], { env });
    expect(first.stdout).toBe("sep=/");
    const second = node(["--input-type=module", "-e", code], { env });
    expect(second.stderr).toBe("rejected=false");
    expect(second.stdout).toBe("sep=/");
  });

  it("loads no child_process (nor net, dgram) to start: commander's require of it waits for a use", () => {
    expect(readFileSync(join(dist, "svcsim.cjs"), "latin1")).not.toMatch(/var childProcess = require\(/);
    const modules = node(["--input-type=module", "-e", `process.on("exit", () => process.stderr.write("modules=" + process.moduleLoadList.join(",")));
await import(${JSON.stringify(pathToFileURL(join(ROOT, "bin", "svcsim.js")).href)});`, "-", "--version"]);
    expect(modules.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const loaded = /modules=(.*)/.exec(modules.stderr)?.[1].split(",") ?? [];
    expect(loaded).toContain("NativeModule vm"); // the loader ran
    expect(loaded).not.toContain("NativeModule child_process");
  });

  it("has code caches that this Node accepts", () => {
    expect(cacheRejected(dist, "worker.cjs")).toBe("false");
    expect(cacheRejected(dist, "svcsim.cjs", ["--version"])).toBe("false");
  });

  it("runs a pooled run from the bundles with the same bytes as the TypeScript sources", () => {
    const file = join(tmp, "bundle.yaml");
    writeFileSync(file, scenario);
    const built = node(["bin/svcsim.js", "run", file, "--out", join(tmp, "built"), "--jobs", "2", "--quiet"]);
    expect(built.stderr).toBe(""); // no "running the TypeScript sources" fallback
    expect(built.status).toBe(0);
    const sources = node(["--import", "tsx", "src/cli/main.ts", "run", file, "--out", join(tmp, "sources"), "--jobs", "2", "--quiet"]);
    expect(sources.status).toBe(0);
    const csvs = readdirSync(join(tmp, "built")).filter((f) => f.endsWith(".csv"));
    expect(csvs.length).toBeGreaterThan(5);
    for (const f of csvs) expect(readFileSync(join(tmp, "built", f), "utf8"), f).toBe(readFileSync(join(tmp, "sources", f), "utf8"));
    // report.html inlines the stylesheet and script the build copied beside the bundle.
    const html = readFileSync(join(tmp, "built", "report.html"), "utf8");
    expect(html).toContain(readFileSync(join(ROOT, "src/report/html/report.css"), "utf8").trim().split("\n")[0]);
    const js = readFileSync(join(ROOT, "src/report/html/client.js"), "utf8").trim().split("\n");
    expect(html).toContain(js[js.length - 1]);
  });

  it("runs with a code cache V8 refuses, and leaves it as it was (a read-only install writes nothing)", () => {
    const root = join(tmp, "install");
    cpSync(dist, join(root, "dist"), { recursive: true });
    cpSync(join(ROOT, "package.json"), join(root, "package.json"));
    symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"));
    for (const f of ["svcsim.cjs.cache", "worker.cjs.cache"]) writeFileSync(join(root, "dist", f), "not a code cache");
    expect(cacheRejected(join(root, "dist"), "worker.cjs")).toBe("true");
    const file = join(tmp, "bundle.yaml");
    writeFileSync(file, scenario);
    const r = node([join(root, "dist", "cli.js"), "run", file, "--out", join(tmp, "refused"), "--jobs", "2", "--quiet"], { cwd: tmp });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(readFileSync(join(tmp, "refused", "summary.csv"), "utf8").split("\n").length).toBe(4); // header, two runs, end of file
    for (const f of ["svcsim.cjs.cache", "worker.cjs.cache"]) expect(readFileSync(join(root, "dist", f), "utf8")).toBe("not a code cache");
  });
});
