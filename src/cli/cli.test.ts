/**
 * The command line as a user meets it: reports written and byte-identical for the same seed, a
 * bad scenario or an existing folder gives exit status 2, a plain message and no files.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const bin = join(import.meta.dirname, "../../bin/svcsim.js");
const tmp = mkdtempSync(join(tmpdir(), "svcsim-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const svcsim = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
/** svcsim run from the folder `cwd`, as a user in a project would. */
const svcsimIn = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd });

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

  it("writes the reports, and the same seed gives byte-identical CSVs", () => {
    const a = join(tmp, "a");
    const b = join(tmp, "b");
    execFileSync(process.execPath, [bin, "run", file, "--out", a, "--quiet"]);
    execFileSync(process.execPath, [bin, "run", file, "--out", b, "--quiet"]);
    expect(readdirSync(a).sort()).toEqual(["aggregate.csv", "paired.csv", "pods.csv", "report.html", "rollouts.csv", "run.json", "summary.csv", "timeseries.csv", "timeseries_wide.csv"]);
    for (const f of ["summary.csv", "aggregate.csv", "paired.csv", "pods.csv", "timeseries.csv", "rollouts.csv", "timeseries_wide.csv"]) {
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

  it("prints the summary table, then where the report is", () => {
    const r = svcsim("run", file, "--out", join(tmp, "pointer"));
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^policy\s+rep\s+service/);
    expect(lines.at(-1)).toBe(`open ${join(tmp, "pointer", "report.html")}`);
    expect(lines.at(-2)).toContain("report.html");
  });

  it("writes report.xlsx and German CSVs on request", () => {
    const g = join(tmp, "german");
    expect(svcsim("run", file, "--out", g, "--quiet", "--xlsx", "--csv-locale", "de").status).toBe(0);
    expect(readdirSync(g)).toContain("report.xlsx");
    const header = readFileSync(join(g, "summary.csv"), "utf8").split("\n");
    expect(header[0]).toMatch(/^scenario;point;policy;/);
    expect(header[1]).toMatch(/;0,\d+;/);
    const bad = svcsim("run", file, "--out", join(tmp, "fr"), "--csv-locale", "fr");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('expected en or de, found "fr"');
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
    expect(again.stderr).toContain(`--out ${d}: already exists: found a reports folder written by svcsim`);
    expect(svcsim("run", file, "--out", d, "--quiet", "--force").status).toBe(0);
  });

  it("applies --set overrides", () => {
    const e = join(tmp, "e");
    expect(svcsim("run", file, "--out", e, "--quiet", "--set", "policies=[power-of-two]").status).toBe(0);
    expect(readFileSync(join(e, "summary.csv"), "utf8")).toContain(",power-of-two,");
  });

  it("names each column once, also when a --set path is named like a report column (replications, seed)", () => {
    const r = join(tmp, "reps");
    expect(svcsim("run", file, "--out", r, "--quiet", "--set", "replications=2", "--set", "seed=5", "--set", "duration=10s").status).toBe(0);
    for (const f of readdirSync(r).filter((n) => n.endsWith(".csv"))) {
      const header = readFileSync(join(r, f), "utf8").split("\n")[0].split(",");
      expect(header.filter((c, i) => header.indexOf(c) !== i), f).toEqual([]);
      expect(header, f).toContain("duration");
    }
    const aggregate = readFileSync(join(r, "aggregate.csv"), "utf8").split("\n");
    expect(aggregate[1].split(",")[aggregate[0].split(",").indexOf("replications")]).toBe("2");
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
    expect(r.stderr).toContain(`cannot create the folder: a parent is not a folder: found ${JSON.stringify(file2)}`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("rejects bad demo options with exit status 2", () => {
    expect(svcsim("demo", "--duration", "0").status).toBe(2);
    expect(svcsim("demo", "-c", "2.5").status).toBe(2);
  });

  it("prints the usage on stderr with exit status 2 when no command is given, and nothing else", () => {
    const r = svcsim();
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^Usage: svcsim /);
    expect(r.stderr).not.toContain("outputHelp");
    expect(r.stderr).not.toMatch(/^svcsim: /m);
    expect(svcsim("help").status).toBe(0);
  });

  it("ends quietly with exit status 0 when the reader of its output goes away (| head -1), the reports written", async () => {
    for (const args of [["--json"], []]) {
      const out = join(tmp, `epipe${args.length}`);
      const child = spawn(process.execPath, [bin, "run", file, "--out", out, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      child.stdout.destroy(); // the reader is gone before svcsim writes: every write to stdout fails with EPIPE
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const status = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
      expect(stderr).not.toMatch(/\n\s+at |EPIPE/);
      expect(status).toBe(0);
      expect(readdirSync(out)).toContain("summary.csv");
    }
  });

  it("rejects a missing file and an unknown option with exit status 2", () => {
    expect(svcsim("run", join(tmp, "nope.yaml")).status).toBe(2);
    expect(svcsim("run", "--bogus").status).toBe(2);
  });
});

describe("svcsim report", () => {
  const file = join(tmp, "small.yaml");

  it("writes report.html again from a folder's CSVs, the same page as the run wrote", () => {
    const dir = join(tmp, "again");
    execFileSync(process.execPath, [bin, "run", file, "--out", dir, "--quiet"]);
    const before = readFileSync(join(dir, "report.html"), "utf8");
    rmSync(join(dir, "report.html"));
    rmSync(join(dir, "timeseries_wide.csv"));
    const r = svcsim("report", dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(join(dir, "report.html"));
    expect(readFileSync(join(dir, "report.html"), "utf8")).toBe(before);
    expect(existsSync(join(dir, "timeseries_wide.csv"))).toBe(true);
  });

  it("says when there is no browser to open", () => {
    const dir = join(tmp, "again");
    const r = spawnSync(process.execPath, [bin, "report", dir, "--open", "--quiet"], {
      encoding: "utf8",
      env: { ...process.env, DISPLAY: "", WAYLAND_DISPLAY: "" },
    });
    expect(r.status).toBe(0);
    if (process.platform === "linux") expect(r.stderr).toContain("no graphical browser here");
  });

  it("rejects a folder that is not a reports folder with exit status 2", () => {
    const r = svcsim("report", join(tmp, "nothing-here"));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("no such folder");
    const empty = svcsim("report", tmp);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain("not a svcsim reports folder");
    expect(empty.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("--force never destroys what svcsim did not write", () => {
  /** A project-like folder: package.json, src/, README.md, and the scenario file. */
  function project(): string {
    const dir = mkdtempSync(join(tmp, "project-"));
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src", "index.ts"), "export {};\n");
    writeFileSync(join(dir, "package.json"), "{}\n");
    writeFileSync(join(dir, "README.md"), "# mine\n");
    writeFileSync(join(dir, "s.yaml"), small);
    return dir;
  }
  const refused = (r: ReturnType<typeof svcsim>, text: string) => {
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(text);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  };

  it("keeps a file named by --out (--out README.md --force)", () => {
    const dir = project();
    refused(svcsimIn(dir, "run", "s.yaml", "--out", "README.md", "--force"), "--out README.md: not a folder svcsim wrote: found a file");
    expect(readFileSync(join(dir, "README.md"), "utf8")).toBe("# mine\n");
  });

  it("keeps a folder svcsim did not write (--out sub --force with sub/data.txt)", () => {
    const dir = project();
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "data.txt"), "keep");
    refused(svcsimIn(dir, "run", "s.yaml", "--out", "sub", "--force"), 'found a folder with 1 entry: "data.txt"');
    expect(readdirSync(join(dir, "sub"))).toEqual(["data.txt"]);
  });

  it('rejects a scenario name that leaves results/ (name: "../src"), in the file or by --set', () => {
    const dir = project();
    writeFileSync(join(dir, "escape.yaml"), small.replace("name: small", 'name: "../src"'));
    refused(svcsimIn(dir, "run", "escape.yaml", "--force"), 'escape.yaml: name: wrong format: found "../src"; allowed: a DNS-1123 label');
    refused(svcsimIn(dir, "run", "s.yaml", "--force", "--set", "name=.."), '--set name=..: name: wrong format: found ".."');
    expect(readdirSync(join(dir, "src"))).toEqual(["index.ts"]);
    expect(existsSync(join(dir, "results"))).toBe(false);
  });

  it("refuses the current folder, its parents, the project root and the home folder", () => {
    const dir = project();
    mkdirSync(join(dir, "work"));
    refused(svcsimIn(join(dir, "work"), "run", "../s.yaml", "--out", ".", "--force"), "the current folder");
    refused(svcsimIn(join(dir, "work"), "run", "../s.yaml", "--out", "..", "--force"), "a folder that holds the current folder");
    refused(svcsim("run", join(dir, "s.yaml"), "--out", dir, "--force"), "a project folder (it holds package.json)");
    refused(svcsim("run", join(dir, "s.yaml"), "--out", homedir(), "--force"), "your home folder");
    expect(readdirSync(dir).sort()).toEqual(["README.md", "package.json", "s.yaml", "src", "work"]);
  });

  it("replaces its own folder, but not once the user has added a file to it", () => {
    const dir = project();
    expect(svcsimIn(dir, "run", "s.yaml", "--quiet").status).toBe(0);
    const run = JSON.parse(readFileSync(join(dir, "results", "small", "run.json"), "utf8"));
    expect(run).toMatchObject({ generator: "svcsim", version: expect.any(String), files: ["summary.csv", "aggregate.csv", "paired.csv", "pods.csv", "timeseries.csv", "rollouts.csv", "run.json", "timeseries_wide.csv", "report.html"] });
    expect(svcsimIn(dir, "run", "s.yaml", "--quiet", "--force").status).toBe(0);
    writeFileSync(join(dir, "results", "small", "notes.txt"), "mine");
    refused(svcsimIn(dir, "run", "s.yaml", "--quiet", "--force"), 'results/small: the reports folder also holds files svcsim did not write: found "notes.txt"');
    expect(readFileSync(join(dir, "results", "small", "notes.txt"), "utf8")).toBe("mine");
  });

  it("names the default folder after the file, made a safe label", () => {
    const dir = project();
    writeFileSync(join(dir, "My_Scenario v2.yaml"), small.replace("name: small\n", ""));
    expect(svcsimIn(dir, "run", "My_Scenario v2.yaml", "--quiet").status).toBe(0);
    expect(readdirSync(join(dir, "results"))).toEqual(["my-scenario-v2"]);
  });
});

describe("bad input ends in a message and exit status 2, before anything runs", () => {
  const noTrace = (r: ReturnType<typeof svcsim>) => {
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
  };

  it("an alias bomb, a binary file", () => {
    const bomb = join(tmp, "bomb.yaml");
    const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(",")}]`);
    writeFileSync(bomb, lines.join("\n"));
    const r = svcsim("run", bomb, "--out", join(tmp, "bomb-out"));
    noTrace(r);
    expect(r.stderr).toContain("too many alias expansions");
    expect(existsSync(join(tmp, "bomb-out"))).toBe(false);
    const bin = join(tmp, "bin.yaml");
    writeFileSync(bin, Buffer.from([1, 2, 0, 3]));
    noTrace(svcsim("validate", bin));
  });

  it("absurd sizes, each with the cap and what to do instead; --no-limits lifts them", () => {
    const file = join(tmp, "small.yaml");
    for (const set of ["cluster.nodes=1000000000", "deployments.0.replicas=1000000000", "workload.0.arrivals.rate=1e12", "duration=1e12"]) {
      const r = svcsim("run", file, "--out", join(tmp, "absurd"), "--set", set);
      noTrace(r);
      expect(r.stderr).toMatch(/over svcsim's limit of .+: found .+; allowed: at most .+; instead, .+; or pass --no-limits if you know better/);
    }
    expect(existsSync(join(tmp, "absurd"))).toBe(false);
    expect(svcsim("validate", file, "--no-limits", "--set", "deployments.0.replicas=150000").status).toBe(0);
  });

  it("svcsim demo --duration 1e12 (about 100 days) is refused", () => {
    const r = svcsim("demo", "--duration", "1e12");
    noTrace(r);
    expect(r.stderr).toContain("svcsim: demo: --duration: over svcsim's limit of 1e10 expected arrivals");
  });

  it("a selector that matches no pod (app: order) is an error; allowEmpty: true makes it a Service without endpoints", () => {
    const typo = join(tmp, "typo.yaml");
    writeFileSync(typo, small.replace("services: [{ name: web, selector: { app: web } }]", "services: [{ name: web, selector: { app: wbe } }]"));
    const r = svcsim("run", typo, "--out", join(tmp, "typo-out"));
    noTrace(r);
    expect(r.stderr).toContain(`${typo}: services[0].selector: selects no pod of any Deployment at any time (did you mean app: web?)`);
    expect(existsSync(join(tmp, "typo-out"))).toBe(false);
    expect(svcsim("run", typo, "--out", join(tmp, "typo-out"), "--quiet", "--set", "services.0.allowEmpty=true").status).toBe(0);
    const summary = readFileSync(join(tmp, "typo-out", "summary.csv"), "utf8").trim().split("\n");
    const header = summary[0].split(",");
    const row = summary[1].split(",");
    expect(row[header.indexOf("dropped_no_endpoints")]).toBe(row[header.indexOf("requests")]);
  });

  it("prints warnings on stderr and records them in run.json", () => {
    const file = join(tmp, "small.yaml");
    const out = join(tmp, "warned");
    const r = svcsim("run", file, "--out", out, "--set", "deployments.0.pod.preStop=45s");
    expect(r.status).toBe(0);
    const line = "--set deployments.0.pod.preStop=45s: deployments[0].pod.preStop: the preStop hook is longer than terminationGracePeriod";
    expect(r.stderr).toContain(`svcsim: warning: ${line}`);
    const run = JSON.parse(readFileSync(join(out, "run.json"), "utf8"));
    expect(run.warnings).toEqual([expect.stringContaining(line)]);
  });
});
