/**
 * Where tasks run and in which order: a lone small task in the main thread, everything else in the
 * pool, longest first; and the modules each side loads (workers never load zod, the main thread of
 * a pooled run never loads the model).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { INLINE_MAX_NODES, INLINE_MAX_REQUESTS, INLINE_MAX_RUNS, INLINE_MAX_TOTAL_REQUESTS, runsInline, taskRequests } from "./cost.js";
import { execute, type ExecuteEvent } from "./execute.js";
import { initialReplications, loadExperiment, resolveExperiment } from "./experiment.js";

const pools: number[] = [];
vi.mock("./pool.js", async (original) => {
  const real = await original<typeof import("./pool.js")>();
  class CountingPool extends real.RunPool {
    constructor(jobs: number) {
      super(jobs);
      pools.push(jobs);
    }
  }
  return { ...real, RunPool: CountingPool };
});

const tmp = mkdtempSync(join(tmpdir(), "svcsim-cost-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const yaml = (extra: string) => `
name: cost
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 2, labels: { app: web } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 10/s } }]
duration: 10s
warmup: 0s
${extra}`;

describe("the task cost estimate and the main-thread rule", () => {
  it("estimates a task by its expected requests", () => {
    expect(taskRequests(resolveExperiment(yaml(""), "c.yaml").scenario)).toBe(100);
  });

  it("runs one small task, or several small ones together, in the main thread, but not a long one nor a large cluster", () => {
    const small = resolveExperiment(yaml(""), "c.yaml").scenario;
    expect(runsInline([small])).toBe(true);
    expect(runsInline([small, small])).toBe(true);
    const half = resolveExperiment(yaml(""), "c.yaml", { set: [`duration=${INLINE_MAX_TOTAL_REQUESTS / 20}s`] }).scenario;
    expect(runsInline([half, half])).toBe(true);
    expect(runsInline([half, half, small])).toBe(false);
    expect(runsInline(Array.from({ length: INLINE_MAX_RUNS }, () => small))).toBe(true);
    expect(runsInline(Array.from({ length: INLINE_MAX_RUNS + 1 }, () => small))).toBe(false);
    expect(runsInline([])).toBe(false);
    const long = resolveExperiment(yaml(""), "c.yaml", { set: [`duration=${INLINE_MAX_REQUESTS / 10 + 1}s`], limits: false }).scenario;
    expect(runsInline([long])).toBe(false);
    const wide = resolveExperiment(yaml(`cluster: { nodes: ${INLINE_MAX_NODES + 1} }`), "c.yaml").scenario;
    expect(runsInline([wide])).toBe(false);
  });

  it("runs the shipped comparisons of up to ~1.2 M requests in the main thread (a fifth less CPU than two workers), and the larger ones in the pool", () => {
    const tasks = (name: string) => {
      const exp = loadExperiment(join(dirname(fileURLToPath(import.meta.url)), "../../scenarios", `${name}.yaml`));
      return exp.points.flatMap((p) => Array.from({ length: exp.scenario.policies.length * initialReplications(exp.scenario) }, () => p.scenario));
    };
    for (const name of ["baseline", "keepalive-skew", "overload-cascade", "node-drain", "node-failure", "retries"]) expect(runsInline(tasks(name)), name).toBe(true);
    // ipvs-schedulers: 9 runs; random-crashes: 3.8 M requests; sweeps: many runs.
    for (const name of ["ipvs-schedulers", "random-crashes", "zones", "sweep-pod-count"]) expect(runsInline(tasks(name)), name).toBe(false);
  });
});

describe("execute", () => {
  const run = async (text: string, jobs: number, signal?: AbortController) => {
    const exp = resolveExperiment(text, "c.yaml");
    const starts: string[] = [];
    const onEvent = (e: ExecuteEvent) => {
      if (e.kind === "start") starts.push(e.task.id);
      if (e.kind === "done") signal?.abort(); // as Ctrl-C during the first run would
    };
    const done = new Map();
    const outcome = await execute(exp, { jobs, dir: mkdtempSync(join(tmp, "t-")), done, confidence: 0.95, onEvent, signal: signal?.signal });
    return { starts, outcome, done };
  };

  it("runs a lone small task without starting a worker", async () => {
    pools.length = 0;
    const { outcome, done } = await run(yaml("policies: [random]"), 2);
    expect(pools).toEqual([]);
    expect(done.size).toBe(1);
    expect(outcome.tasks.map((t) => t.id)).toEqual(["p0-r0-random"]);
  });

  it("runs several small tasks one after another without a worker, stopping between them when interrupted", async () => {
    pools.length = 0;
    const all = await run(yaml("policies: [random, round-robin]\nreplications: 2"), 2);
    expect(pools).toEqual([]);
    expect(all.done.size).toBe(4);
    expect(all.outcome.interrupted).toBe(false);
    const stopped = await run(yaml("policies: [random, round-robin]\nreplications: 2"), 2, new AbortController());
    expect(pools).toEqual([]);
    expect(stopped.outcome.interrupted).toBe(true);
    expect([...stopped.done.keys()]).toEqual([stopped.starts[0]]);
  });

  it("hands the pool its longest tasks first, and reports in grid order", async () => {
    pools.length = 0;
    // 101 nodes: more than a main-thread run takes, so these small runs go to the pool.
    const { starts, outcome } = await run(yaml(`policies: [random, round-robin]\nsweep: [{ path: duration, values: [2s, 20s, 5s] }]\ncluster: { nodes: ${INLINE_MAX_NODES + 1} }`), 1);
    expect(pools).toEqual([1]);
    expect(starts).toEqual(["p1-r0-random", "p1-r0-round-robin", "p2-r0-random", "p2-r0-round-robin", "p0-r0-random", "p0-r0-round-robin"]);
    expect(outcome.tasks.map((t) => t.id)).toEqual(["p0-r0-random", "p0-r0-round-robin", "p1-r0-random", "p1-r0-round-robin", "p2-r0-random", "p2-r0-round-robin"]);
  });
});

/** The relative modules `file` loads when run (value imports, not `import type`), transitively, and the packages. */
function loadedModules(file: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (f: string) => {
    if (files.has(f)) return;
    files.add(f);
    const text = readFileSync(f, "utf8");
    for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^"';]*?\sfrom\s+)?"([^"]+)"/gms)) {
      if (m[1]) continue;
      const spec = m[2];
      if (spec.startsWith(".")) visit(resolve(dirname(f), spec.replace(/\.js$/, ".ts")));
      else if (!spec.startsWith("node:")) packages.add(spec.split("/")[0]);
    }
  };
  visit(file);
  return { files, packages };
}

describe("what each thread loads", () => {
  const here = dirname(fileURLToPath(import.meta.url));
  it("workers run tasks without loading zod or the scenario schema", () => {
    const { files, packages } = loadedModules(join(here, "worker.ts"));
    expect(files.has(join(here, "../model/cluster.ts"))).toBe(true); // the walk follows imports
    expect([...packages]).not.toContain("zod");
    expect([...files].filter((f) => f.includes("schema"))).toEqual([]);
  });

  it("the main thread of svcsim run loads the model only to run a task itself", () => {
    const { files, packages } = loadedModules(join(here, "../cli/run-action.ts"));
    expect([...packages]).toContain("zod"); // it validates the scenario
    expect(files.has(join(here, "../model/cluster.ts"))).toBe(false);
  });
});
