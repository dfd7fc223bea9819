/**
 * Experiments from the command line: the same bytes whatever the number of jobs, shards merged or
 * a run interrupted and resumed; compare's verdicts and --fail-on; --json; the target checked first.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const bin = join(import.meta.dirname, "../../bin/svcsim.js");
const tmp = mkdtempSync(join(tmpdir(), "svcsim-exp-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const svcsim = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: tmp });
const run = (...args: string[]) => execFileSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: tmp, stdio: ["ignore", "pipe", "pipe"] });

const sweep = (duration: string) => `
name: sw
duration: ${duration}
warmup: 2s
replications: 2
policies: [random, round-robin]
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 3, labels: { app: web }, pod: { readiness: {} } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 200 }, timeout: 1s }]
events: [{ at: 8s, action: crash, pods: [web-0] }]
sweep:
  - { path: cluster.proxy.watchLatency, values: [100ms, 1s] }
  - { path: cluster.nodes, values: [2, 3] }
`;
writeFileSync(join(tmp, "sw.yaml"), sweep("15s"));
writeFileSync(join(tmp, "slow.yaml"), sweep("80s").replace("rate: 200", "rate: 600"));
const FILES = ["summary.csv", "aggregate.csv", "paired.csv", "pods.csv", "timeseries.csv"];
const same = (a: string, b: string) => {
  for (const f of FILES) expect(readFileSync(join(tmp, b, f), "utf8"), `${f} of ${b}`).toBe(readFileSync(join(tmp, a, f), "utf8"));
};

describe("svcsim run with a sweep", () => {
  run("run", "sw.yaml", "--out", "jobs1", "--jobs", "1", "--quiet");

  it("writes a point and a column per swept path in every table", () => {
    const header = (f: string) => readFileSync(join(tmp, "jobs1", f), "utf8").split("\n")[0];
    for (const f of FILES) expect(header(f)).toMatch(/^scenario,point,cluster\.proxy\.watchLatency,cluster\.nodes,/);
    const summary = readFileSync(join(tmp, "jobs1", "summary.csv"), "utf8").trim().split("\n");
    expect(summary).toHaveLength(1 + 4 * 2 * 2);
    expect(summary[summary.length - 1]).toMatch(/^sw,3,1,3,round-robin,1,2,web,/);
    expect(readFileSync(join(tmp, "jobs1", "aggregate.csv"), "utf8").trim().split("\n")).toHaveLength(1 + 4 * 2);
  });

  it("gives byte-identical reports with 2 jobs", () => {
    run("run", "sw.yaml", "--out", "jobs2", "--jobs", "2", "--quiet");
    same("jobs1", "jobs2");
  });

  it("gives byte-identical reports from 3 shards merged, and merge refuses what does not belong together", () => {
    for (const k of [1, 2, 3]) run("run", "sw.yaml", "--shard", `${k}/3`, "--out", `shard${k}`, "--quiet");
    expect(readdirSync(join(tmp, "shard1")).sort()).toEqual(["run.json", "tasks"]);
    run("merge", "shard1", "shard2", "shard3", "--out", "merged", "--quiet");
    same("jobs1", "merged");

    const missing = svcsim("merge", "shard1", "shard3", "--out", "m2");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("missing shard 2/3");
    run("run", "sw.yaml", "--shard", "2/3", "--seed", "9", "--out", "other2", "--quiet");
    const other = svcsim("merge", "shard1", "other2", "shard3", "--out", "m3");
    expect(other.status).toBe(2);
    expect(other.stderr).toContain("a shard of a different experiment");
    expect(existsSync(join(tmp, "m2")) || existsSync(join(tmp, "m3"))).toBe(false);
  });

  it("reads the shard of a Kubernetes Indexed Job from the environment", () => {
    const r = spawnSync(process.execPath, [bin, "run", "sw.yaml", "--shard-from-env", "--dry-run"], { encoding: "utf8", cwd: tmp, env: { ...process.env, JOB_COMPLETION_INDEX: "2", SVCSIM_SHARD_COUNT: "3" } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("shard 3/3 runs 5");
    const bad = spawnSync(process.execPath, [bin, "run", "sw.yaml", "--shard-from-env"], { encoding: "utf8", cwd: tmp, env: { ...process.env, JOB_COMPLETION_INDEX: "3", SVCSIM_SHARD_COUNT: "3" } });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("JOB_COMPLETION_INDEX");
  });

  it("prints the aggregate rows as JSON with --json", () => {
    const rows = JSON.parse(run("run", "sw.yaml", "--out", "json", "--json", "--quiet")) as Record<string, unknown>[];
    expect(rows).toHaveLength(8);
    expect(rows[0]).toMatchObject({ point: 0, "cluster.proxy.watchLatency": 0.1, "cluster.nodes": 2, policy: "random", replications: 2, stop_reason: "fixed" });
    expect(typeof rows[0].drop_rate_ci_low).toBe("number");
  });
});

/** Starts a run, sends `signal` once stderr shows `when`, and resolves with its exit status and stderr. */
function interrupt(args: string[], when: RegExp, signal: NodeJS.Signals = "SIGINT"): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: tmp, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    let sent = false;
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      if (!sent && when.test(stderr)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on("exit", (status) => resolve({ status, stderr }));
  });
}

describe("Ctrl-C and --resume", () => {
  it("keeps the finished runs in a folder marked incomplete, and --resume ends with the same bytes", async () => {
    run("run", "slow.yaml", "--out", "slow-full", "--jobs", "2", "--quiet");
    const r = await interrupt(["run", "slow.yaml", "--out", "slow", "--jobs", "1"], /\[2\/16\]/);
    expect(r.status).toBe(130);
    expect(r.stderr).toMatch(/interrupted: kept \d+ of 16 runs in slow\/ \(marked incomplete\); finish with: svcsim run slow\.yaml --out slow --jobs 1 --resume/);
    const info = JSON.parse(readFileSync(join(tmp, "slow", "run.json"), "utf8"));
    expect(info).toMatchObject({ generator: "svcsim", complete: false });
    expect(readdirSync(join(tmp, "slow", "tasks")).some((f) => f.endsWith(".part"))).toBe(false);
    const again = svcsim("run", "slow.yaml", "--out", "slow");
    expect(again.status).toBe(2); // an existing folder, and no --resume
    run("run", "slow.yaml", "--out", "slow", "--jobs", "2", "--resume", "--quiet");
    same("slow-full", "slow");
    expect(readdirSync(join(tmp, "slow"))).not.toContain("tasks");
    expect(svcsim("run", "slow.yaml", "--out", "slow", "--resume").stderr).toContain("complete: nothing to resume");
    const changed = svcsim("run", "slow.yaml", "--out", "slow-full", "--resume", "--seed", "5");
    expect(changed.status).toBe(0); // complete: nothing to do, whatever else differs
  });

  it("refuses to resume a folder of another experiment", async () => {
    const r = await interrupt(["run", "slow.yaml", "--out", "slow2", "--jobs", "1"], /\[1\/16\]/);
    expect(r.status).toBe(130);
    const other = svcsim("run", "slow.yaml", "--out", "slow2", "--resume", "--seed", "5");
    expect(other.status).toBe(2);
    expect(other.stderr).toContain("written for a different experiment");
  });

  it("with nothing finished, says so, writes nothing and removes the folders it created", async () => {
    const r = await interrupt(["run", "slow.yaml", "--out", "new/deeper/out", "--jobs", "1"], /svcsim .*: sw/);
    expect(r.status).toBe(130);
    expect(r.stderr).toContain("interrupted: nothing written");
    expect(existsSync(join(tmp, "new"))).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.startsWith("."))).toEqual([]);
  });
});

describe("a run killed outright (SIGKILL, the OOM killer)", () => {
  const leftovers = (name: string) => readdirSync(tmp).filter((n) => n.startsWith(`.${name}.`));

  it("leaves its folder beside the target: the next run says what it holds and never removes it; --resume goes on from it", async () => {
    const killed = await interrupt(["run", "sw.yaml", "--out", "killed", "--jobs", "1"], /\[2\/16\]/, "SIGKILL");
    expect(killed.status).toBe(null);
    expect(leftovers("killed")).toHaveLength(1);
    const [left] = leftovers("killed");
    const again = await interrupt(["run", "sw.yaml", "--out", "killed", "--jobs", "1"], /svcsim .*: sw/);
    expect(again.stderr).toMatch(new RegExp(`--out killed: ${left.replaceAll(".", "\\.")} holds \\d+ finished runs? of this same experiment, left by svcsim process \\d+, started .* UTC, which ended without cleaning up \\(killed\\?\\): this run starts over; to pick them up instead, stop it and run: svcsim run sw\\.yaml --out killed --jobs 1 --resume; or remove the folder: rm -r ${left.replaceAll(".", "\\.")}`));
    expect(leftovers("killed")).toEqual([left]);
    const resumed = svcsim("run", "sw.yaml", "--out", "killed", "--jobs", "2", "--resume", "--quiet");
    expect(resumed.status).toBe(0);
    expect(leftovers("killed")).toEqual([]);
    same("jobs1", "killed");
  });

  it("refuses to write where another svcsim run is writing now", async () => {
    const first = spawn(process.execPath, [bin, "run", "slow.yaml", "--out", "busy", "--jobs", "1"], { cwd: tmp, stdio: ["ignore", "ignore", "pipe"] });
    await new Promise<void>((resolve) => first.stderr.on("data", (d: Buffer) => /svcsim .*: sw/.test(d.toString()) && resolve()));
    const second = svcsim("run", "sw.yaml", "--out", "busy", "--force");
    first.kill("SIGINT");
    await new Promise((resolve) => first.on("exit", resolve));
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/^svcsim: --out busy: another svcsim run \(svcsim process \d+, started .* UTC\) is writing its reports there now: found \.busy\.\d+-\d+\.tmp; allowed: wait for it to end, or --out to write elsewhere$/m);
    expect(leftovers("busy")).toEqual([]);
  });
});

describe("Ctrl-C while the reports are being written", () => {
  it("keeps the finished runs, nothing half-built, and --resume writes the reports", async () => {
    // One run with 50,000 intervals: building its report takes a second or more after the run ends.
    writeFileSync(join(tmp, "long-series.yaml"), sweep("50s").replace(/sweep:[^]*$/, "").replace("rate: 200", "rate: 20").replace("replications: 2", "replications: 1\ninterval: 1ms").replace("[random, round-robin]", "[random]"));
    const r = await interrupt(["run", "long-series.yaml", "--out", "series"], /\[1\/1\]/);
    expect(r.status).toBe(130);
    expect(r.stderr).toContain("interrupted while writing the reports: kept the run in series/ (marked incomplete); finish the reports with: svcsim run long-series.yaml --out series --resume");
    expect(readdirSync(join(tmp, "series")).sort()).toEqual(["run.json", "tasks"]);
    expect(run("run", "long-series.yaml", "--out", "series", "--resume", "--quiet")).toBe("");
    expect(readdirSync(join(tmp, "series"))).toEqual(expect.arrayContaining(["report.html", "timeseries.csv", "run.json"]));
    expect(readdirSync(join(tmp, "series"))).not.toContain("tasks");
  });
});

describe("the reports folder is checked before the run", () => {
  it("fails at once, naming the user's path and not a temporary one", () => {
    // /proc looks like a writable folder to a permission check, but nothing can be created in it:
    // only trying (the staged folder is made and its rename tried before the run) finds that out.
    // A missing folder under /proc is worse: Node's recursive mkdir loops forever on it.
    for (const out of [`/proc/svcsim-${process.pid}`, `/proc/svcsim-${process.pid}/deeper/out`]) {
      const started = Date.now();
      const r = spawnSync(process.execPath, [bin, "run", "slow.yaml", "--out", out], { cwd: tmp, encoding: "utf8", timeout: 120_000 });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`cannot write the reports to ${out}:`);
      expect(r.stderr).not.toContain(".tmp");
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(Date.now() - started).toBeLessThan(60_000); // no simulation ran (16 long runs would take minutes)
    }
  });
});

describe("svcsim compare", () => {
  it("passes an unchanged rerun and flags a planted regression with --fail-on", () => {
    run("run", "sw.yaml", "--out", "before", "--quiet");
    run("run", "sw.yaml", "--out", "rerun", "--quiet");
    const same = svcsim("compare", "before", "rerun", "--fail-on", "drop_rate>+0.5%", "--out", "cmp-same");
    expect(same.status).toBe(0);
    expect(same.stdout).toMatch(/0 worse, 0 better/);
    expect(readdirSync(join(tmp, "cmp-same")).sort()).toEqual(["compare.csv", "report.html", "run.json"]);
    expect(same.stdout.trim().split("\n").at(-1)).toBe(`open ${join("cmp-same", "report.html")}`);
    // The regression: a crashed pod noticed after 5 s instead of 1 s.
    run("run", "sw.yaml", "--out", "after", "--set", "deployments[0].pod.crashDetection=5s", "--quiet");
    const worse = svcsim("compare", "before", "after", "--fail-on", "drop_rate>+0.5%", "--out", "cmp-worse");
    expect(worse.status).toBe(1);
    expect(worse.stderr).toContain("--fail-on drop_rate>+0.5%");
    const csv = readFileSync(join(tmp, "cmp-worse", "compare.csv"), "utf8");
    expect(csv.split("\n")[0]).toBe("point,policy,service,metric,a_replications,b_replications,a_mean,b_mean,diff,diff_relative,diff_ci_low,diff_ci_high,verdict");
    expect(csv).toMatch(/\n0,random,web,drop_rate,2,2,[^\n]*,worse\n/);
  });
});
