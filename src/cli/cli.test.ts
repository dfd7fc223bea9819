/**
 * The command line as a user meets it: reports written and byte-identical for the same seed, a
 * bad scenario or an existing folder gives exit status 2, a plain message and no files.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const bin = join(import.meta.dirname, "../../bin/svcsim.js");
const tmp = mkdtempSync(join(tmpdir(), "svcsim-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const svcsim = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });

const small = `
name: small
duration: 20s
warmup: 2s
policies: [random, round-robin]
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 3, labels: { app: web } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 100 } }]
events: [{ at: 10s, action: crash, pods: [web-0] }]
`;

describe("svcsim run", () => {
  const file = join(tmp, "small.yaml");
  writeFileSync(file, small);

  it("writes the four reports, and the same seed gives byte-identical CSVs", () => {
    const a = join(tmp, "a");
    const b = join(tmp, "b");
    execFileSync(process.execPath, [bin, "run", file, "--out", a, "--quiet"]);
    execFileSync(process.execPath, [bin, "run", file, "--out", b, "--quiet"]);
    expect(readdirSync(a).sort()).toEqual(["aggregate.csv", "paired.csv", "pods.csv", "run.json", "summary.csv", "timeseries.csv"]);
    for (const f of ["summary.csv", "aggregate.csv", "paired.csv", "pods.csv", "timeseries.csv"]) {
      expect(readFileSync(join(a, f), "utf8")).toBe(readFileSync(join(b, f), "utf8"));
    }
    const summary = readFileSync(join(a, "summary.csv"), "utf8").trim().split("\n");
    expect(summary).toHaveLength(3);
    expect(summary[0].startsWith("scenario,point,policy,replication,seed,service,requests,ok,dropped,drop_rate")).toBe(true);
    const run = JSON.parse(readFileSync(join(a, "run.json"), "utf8"));
    expect(run.scenario.pods).toBeUndefined();
    expect(run.scenario.cluster.proxy.minSyncPeriod).toBe(1);
    expect(run.runs).toHaveLength(2);
  });

  it("gives other numbers for another seed", () => {
    const c = join(tmp, "c");
    execFileSync(process.execPath, [bin, "run", file, "--out", c, "--quiet", "--seed", "7"]);
    expect(readFileSync(join(c, "summary.csv"), "utf8")).not.toBe(readFileSync(join(tmp, "a", "summary.csv"), "utf8"));
  });

  it("refuses to replace an existing folder without --force, and replaces it with", () => {
    const d = join(tmp, "d");
    expect(svcsim("run", file, "--out", d, "--quiet").status).toBe(0);
    const again = svcsim("run", file, "--out", d, "--quiet");
    expect(again.status).toBe(2);
    expect(again.stderr).toContain("already exists");
    expect(svcsim("run", file, "--out", d, "--quiet", "--force").status).toBe(0);
  });

  it("applies --set overrides", () => {
    const e = join(tmp, "e");
    expect(svcsim("run", file, "--out", e, "--quiet", "--set", "policies=[power-of-two]").status).toBe(0);
    expect(readFileSync(join(e, "summary.csv"), "utf8")).toContain(",power-of-two,");
  });

  it("rejects a bad scenario with exit status 2, the file and field path, and writes nothing", () => {
    const bad = join(tmp, "bad.yaml");
    writeFileSync(bad, small.replace("replicas: 3", "replicas: -3").replace("rate: 100", "rate: fast"));
    const out = join(tmp, "bad-out");
    const r = svcsim("run", bad, "--out", out);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}: deployments[0].replicas`);
    expect(r.stderr).toContain("workload[0].arrivals.rate");
    expect(r.stderr).toContain("found");
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(out)).toBe(false);
  });

  it("rejects a reports folder that cannot be written before running, with exit status 2", () => {
    const file2 = join(tmp, "plain-file");
    writeFileSync(file2, "x");
    const r = svcsim("run", file, "--out", join(file2, "out"));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("cannot write the reports");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("rejects bad demo options with exit status 2", () => {
    expect(svcsim("demo", "--duration", "0").status).toBe(2);
    expect(svcsim("demo", "-c", "2.5").status).toBe(2);
  });

  it("rejects a missing file and an unknown option with exit status 2", () => {
    expect(svcsim("run", join(tmp, "nope.yaml")).status).toBe(2);
    expect(svcsim("run", "--bogus").status).toBe(2);
  });
});
