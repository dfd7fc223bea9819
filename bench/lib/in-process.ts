/**
 * In-process rates with tinybench, timed in CPU time of this process rather than wall time, so
 * other work on a shared machine slows a figure less. Each iteration performs a fixed number of
 * operations; a sample is operations per CPU-second of one iteration.
 */
import { Bench } from "tinybench";
import { figure, type Figure, type FigureSpec } from "./figures.js";

/** Milliseconds of CPU time this process has used (every thread). */
export function cpuNowMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export interface RateTask {
  spec: FigureSpec;
  /** Builds the state (outside the timing); returns the iteration to time and how many operations it performs. */
  setup: () => { iteration: () => void; ops: number };
}

export interface Budget {
  /** Time budget per task, ms (tinybench's `time`), and its warm-up. */
  timeMs: number;
  warmupMs: number;
}

export async function measureRates(tasks: readonly RateTask[], budget: Budget): Promise<Figure[]> {
  const figures: Figure[] = [];
  // One Bench per task, so a task's state is built just before it runs and dropped after.
  for (const t of tasks) {
    const bench = new Bench({ now: cpuNowMs, time: budget.timeMs, warmupTime: budget.warmupMs, iterations: 5, warmupIterations: 2, retainSamples: true, throws: true });
    const { iteration, ops } = t.setup();
    bench.add(t.spec.id, iteration);
    await bench.run();
    const r = bench.tasks[0].result;
    if (r.state !== "completed") throw new Error(`${t.spec.id}: ${r.state}`);
    const ms = r.latency.samples ?? [];
    figures.push(figure(t.spec, ms.filter((x) => x > 0).map((x) => (ops * 1000) / x)));
  }
  return figures;
}
