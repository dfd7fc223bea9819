import { describe, expect, it } from "vitest";
import { ScenarioError } from "../scenario/errors.js";
import { resolveExperiment, MAX_POINTS } from "./experiment.js";
import { expandSweep, parseSweepOption, settingCell } from "./sweep.js";

const base = `
name: s
duration: 10s
warmup: 1s
policies: [random, round-robin]
services: [{ name: web, selector: { app: web } }]
deployments: [{ name: web, replicas: 3, labels: { app: web } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 100 } }]
`;

const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
  throw new Error("no ScenarioError");
};

describe("sweep expansion", () => {
  it("crosses axes in the order written, first axis outermost, zip groups advancing together", () => {
    const points = expandSweep([
      [{ path: "a", values: [1, 2] }],
      [
        { path: "b", values: ["x", "y", "z"] },
        { path: "c", values: [10, 20, 30] },
      ],
    ]);
    expect(points.map((p) => p.map((s) => `${s.column}=${s.value}`).join(" "))).toEqual([
      "a=1 b=x c=10",
      "a=1 b=y c=20",
      "a=1 b=z c=30",
      "a=2 b=x c=10",
      "a=2 b=y c=20",
      "a=2 b=z c=30",
    ]);
    expect(expandSweep([])).toEqual([[]]);
  });

  it("resolves a scenario's sweep into validated points with canonical paths", () => {
    const exp = resolveExperiment(
      `${base}sweep:\n  - { path: deployments.0.pod.preStop, values: [0s, 5s] }\n  - { path: cluster.nodes, range: { from: 2, to: 8, steps: 3, scale: log } }\n`,
      "s.yaml",
    );
    expect(exp.settingColumns).toEqual(["deployments[0].pod.preStop", "cluster.nodes"]);
    expect(exp.points).toHaveLength(6);
    expect(exp.points.map((p) => p.scenario.cluster.nodes)).toEqual([2, 4, 8, 2, 4, 8]);
    expect(exp.points.map((p) => p.scenario.deployments[0].pod.preStop)).toEqual([0, 0, 0, 5, 5, 5]);
    expect(exp.points[4].label).toBe("deployments[0].pod.preStop=5s, cluster.nodes=4");
    expect(exp.points.every((p) => p.scenario.sweep.length === 0)).toBe(true);
  });

  it("expands ranges: linear, log, with units, integers without duplicates", () => {
    const values = (range: string) => resolveExperiment(`${base}sweep: [{ path: warmup, range: ${range} }]\n`, "s.yaml").scenario.sweep[0];
    expect(values("{ from: 0, to: 1, steps: 11 }")).toEqual({ path: "warmup", values: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] });
    expect(values("{ from: 100ms, to: 10s, steps: 3, scale: log }")).toEqual({ path: "warmup", values: [0.1, 1, 10] });
    expect(values("{ from: 1, to: 4, steps: 7, integer: true }")).toEqual({ path: "warmup", values: [1, 2, 3, 4] });
  });

  it("adds --sweep axes (lists and ranges), replacing a scenario axis on the same path, and zips with --zip", () => {
    const text = `${base}sweep: [{ path: cluster.nodes, values: [1, 2] }]\n`;
    const exp = resolveExperiment(text, "s.yaml", { sweep: ["cluster.nodes=3,4,5", "warmup=1s..3s:3"] });
    expect(exp.points.map((p) => [p.scenario.cluster.nodes, p.scenario.warmup])).toHaveLength(9);
    expect(exp.settingColumns).toEqual(["cluster.nodes", "warmup"]);
    const zipped = resolveExperiment(base, "s.yaml", { sweep: ["cluster.nodes=3,4", "warmup=1s,2s"], zip: true });
    expect(zipped.points.map((p) => [p.scenario.cluster.nodes, p.scenario.warmup])).toEqual([
      [3, 1],
      [4, 2],
    ]);
    expect(parseSweepOption("x=1..9:5:log")).toEqual({ path: "x", range: { from: 1, to: 9, steps: 5, scale: "log" } });
    expect(parseSweepOption("nothing")).toMatch(/^--sweep nothing: no "="/);
  });

  it("records --set overrides as setting columns, and refuses one on a swept path", () => {
    const exp = resolveExperiment(base, "s.yaml", { set: ["cluster.nodes=4", "workload[0].timeout=2s"] });
    expect(exp.settingColumns).toEqual(["cluster.nodes", "workload[0].timeout"]);
    expect(exp.overrides.map((o) => settingCell(o.value))).toEqual([4, 2]);
    expect(errorOf(() => resolveExperiment(base, "s.yaml", { set: ["cluster.nodes=4"], sweep: ["cluster.nodes=1,2"] }))).toContain("--set cluster.nodes: the path is also swept");
  });

  it("names the file, the point and the field when a point is invalid", () => {
    const msg = errorOf(() => resolveExperiment(`${base}sweep: [{ path: cluster.nodes, values: [2, 0] }]\n`, "s.yaml"));
    expect(msg).toContain("s.yaml: sweep point 1 (cluster.nodes=0): cluster.nodes:");
    expect(msg).not.toContain("point 0");
  });

  it("refuses bad sweeps with the field path", () => {
    expect(errorOf(() => resolveExperiment(`${base}sweep: [{ path: policies, values: [[random]] }]\n`, "s.yaml"))).toContain("sweep[0].path: policies cannot be swept");
    expect(errorOf(() => resolveExperiment(`${base}sweep: [{ path: cluster, values: [{}] }, { path: cluster.nodes, values: [1] }]\n`, "s.yaml"))).toContain("overlaps");
    expect(errorOf(() => resolveExperiment(`${base}sweep: [{ path: warmup }]\n`, "s.yaml"))).toContain("sweep[0].values: missing values");
    expect(errorOf(() => resolveExperiment(`${base}sweep: [{ path: warmup, range: { from: 0, to: 1, steps: 3, scale: log } }]\n`, "s.yaml"))).toContain("a log range needs both ends greater than 0");
    expect(errorOf(() => resolveExperiment(`${base}sweep: [{ zip: [{ path: warmup, values: [1] }, { path: duration, values: [1, 2] }] }]\n`, "s.yaml"))).toContain("different numbers of values");
    const huge = `${base}sweep: [{ path: warmup, range: { from: 1, to: 2, steps: 200 } }, { path: duration, range: { from: 10, to: 20, steps: 200 } }]\n`;
    expect(errorOf(() => resolveExperiment(huge, "s.yaml"))).toContain(`at most ${MAX_POINTS.toLocaleString("en")} points`);
  });

  it("writes setting cells as numbers: durations in seconds, rates per second; other values as text", () => {
    expect(settingCell("800ms")).toBe(0.8);
    expect(settingCell("600/m")).toBe(10);
    expect(settingCell(3)).toBe(3);
    expect(settingCell("v2")).toBe("v2");
    expect(settingCell(["random", "round-robin"])).toBe("[ random, round-robin ]");
  });

  it("gives the same hash for the same experiment and another for any change", () => {
    const a = resolveExperiment(base, "s.yaml");
    expect(resolveExperiment(base, "other-name.yaml").hash).toBe(a.hash);
    expect(resolveExperiment(base, "s.yaml", { seed: 2 }).hash).not.toBe(a.hash);
    expect(resolveExperiment(base, "s.yaml", { set: ["cluster.nodes=3"] }).hash).not.toBe(a.hash); // recorded as a column
    expect(resolveExperiment(base, "s.yaml", { sweep: ["cluster.nodes=3"] }).hash).not.toBe(a.hash);
  });
});
