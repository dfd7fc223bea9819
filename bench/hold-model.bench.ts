/**
 * The hold model of event-list benchmarking (Vaucher & Duval, 1975): a steady population of N
 * pending events; each step pops the earliest and schedules one at now + an exponential delay.
 * Prints events per second for each N and saves them under results/bench/ (JSON and CSV).
 *
 *   npm run bench            # N = 10, 1,000, 100,000
 *   npm run bench -- --quick # shorter timing budget
 */
import { Bench } from "tinybench";
import { Simulation, type EventHandler } from "../src/engine/index.js";
import { RandomStreams, type RandomStream } from "../src/random/index.js";
import { saveBenchmark } from "./save.js";

const STEPS_PER_ITERATION = 20_000;
const TARGET_EVENTS_PER_S_AT_1000 = 5_000_000;

class Hold implements EventHandler {
  constructor(private readonly rng: RandomStream) {}
  onEvent(sim: Simulation): void {
    sim.after(this.rng.exponential(1), this);
  }
}

function holdModel(n: number): Simulation {
  const sim = new Simulation();
  const hold = new Hold(new RandomStreams(1).stream("hold"));
  const init = new RandomStreams(1).stream("init");
  for (let i = 0; i < n; i++) sim.at(init.exponential(1), hold);
  return sim;
}

const quick = process.argv.includes("--quick");
const bench = new Bench({ time: quick ? 300 : 2000, warmupTime: quick ? 100 : 500 });
const sizes = [10, 1_000, 100_000];
for (const n of sizes) {
  const sim = holdModel(n);
  bench.add(`hold N=${n}`, () => {
    for (let i = 0; i < STEPS_PER_ITERATION; i++) sim.step();
  });
}
await bench.run();

const rows = bench.tasks.map((task, i) => {
  const r = task.result;
  if (r.state !== "completed") throw new Error(`${task.name}: ${r.state}`);
  const msPerIteration = r.latency.mean;
  return {
    benchmark: "hold-model",
    pending_events: sizes[i],
    steps_per_iteration: STEPS_PER_ITERATION,
    iterations: r.latency.samplesCount,
    ms_per_iteration_mean: Number(msPerIteration.toFixed(4)),
    ms_per_iteration_rme_pct: Number(r.latency.rme.toFixed(2)),
    events_per_s: Math.round((STEPS_PER_ITERATION / msPerIteration) * 1000),
  };
});

console.table(rows.map((r) => ({ N: r.pending_events, "events/s": r.events_per_s.toLocaleString("en"), "±%": r.ms_per_iteration_rme_pct })));
const at1000 = rows.find((r) => r.pending_events === 1000)!.events_per_s;
console.log(
  `N = 1,000: ${at1000.toLocaleString("en")} events/s (target ${TARGET_EVENTS_PER_S_AT_1000.toLocaleString("en")}: ${at1000 >= TARGET_EVENTS_PER_S_AT_1000 ? "met" : "NOT met"})`,
);
saveBenchmark("hold-model", rows);
