import { describe, expect, it } from "vitest";
import type { PrecisionSpec } from "../scenario/types.js";
import { gridOrder, pointTasks, precisionStep, shardSlice, taskGrid } from "./tasks.js";

describe("the task grid", () => {
  it("lists point, then replication, then policy in the scenario's order", () => {
    const grid = taskGrid(2, ["round-robin", "random"], 2);
    expect(grid.map((t) => t.id)).toEqual([
      "p0-r0-round-robin",
      "p0-r0-random",
      "p0-r1-round-robin",
      "p0-r1-random",
      "p1-r0-round-robin",
      "p1-r0-random",
      "p1-r1-round-robin",
      "p1-r1-random",
    ]);
    const shuffled = [...grid].reverse().sort(gridOrder(["round-robin", "random"]));
    expect(shuffled).toEqual(grid);
  });

  it("slices shards that cover every task exactly once, interleaved", () => {
    const grid = taskGrid(5, ["random", "round-robin", "power-of-two"], 7);
    for (const count of [1, 2, 3, 4, 7, 200]) {
      const shards = Array.from({ length: count }, (_, k) => shardSlice(grid, { index: k + 1, count }));
      expect(shards.flat().map((t) => t.id).sort()).toEqual(grid.map((t) => t.id).sort());
      const sizes = shards.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    expect(shardSlice(grid, { index: 2, count: 4 })[0]).toBe(grid[1]);
  });
});

describe("replications until precise", () => {
  const spec: PrecisionSpec = { until: 0.05, metric: "drop_rate", min: 3, max: 9, batch: 3 };
  const rows = (policy: string, values: number[]) => values.map((v, r) => ({ policy, service: "web", replication: r, drop_rate: v }));

  it("stops when every policy's interval is within the target of its mean", () => {
    expect(precisionStep(spec, 3, [...rows("random", [0.1, 0.1001, 0.0999]), ...rows("round-robin", [0.2, 0.2002, 0.1998])], 0.95)).toEqual({ stop: "precise" });
  });

  it("goes on by a batch while one policy is imprecise, and stops at max", () => {
    const noisy = [...rows("random", [0.1, 0.1001, 0.0999]), ...rows("round-robin", [0.1, 0.3, 0.2])];
    expect(precisionStep(spec, 3, noisy, 0.95)).toEqual({ next: 6 });
    expect(precisionStep({ ...spec, max: 4 }, 3, noisy, 0.95)).toEqual({ next: 4 });
    expect(precisionStep(spec, 9, noisy, 0.95)).toEqual({ stop: "max" });
  });

  it("counts a metric that never varies (no drops at all) as precise", () => {
    expect(precisionStep(spec, 3, rows("random", [0, 0, 0]), 0.95)).toEqual({ stop: "precise" });
  });

  it("plans tasks of further replications only", () => {
    expect(pointTasks(1, ["random"], 3, 5).map((t) => t.id)).toEqual(["p1-r3-random", "p1-r4-random"]);
  });
});
