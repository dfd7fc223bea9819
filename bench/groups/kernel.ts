/**
 * The event list on its own: the hold model (Vaucher and Duval, 1975). N events stay pending; each
 * one fired schedules the next at now + an exponential delay (mean 1), drawn from the project's own
 * random stream, so a figure is the kernel plus one draw per event. An iteration runs until 50,000
 * more events have fired (the handler calls stop()), through `run`, the loop a model uses.
 */
import { Simulation, type EventHandler } from "../../src/engine/index.js";
import { RandomStreams, type RandomStream } from "../../src/random/index.js";
import type { RateTask } from "../lib/in-process.js";

const EVENTS_PER_ITERATION = 50_000;

/** Reschedules itself with the allocation-free `scheduleAfter`, or with `after`'s handle. */
class Hold implements EventHandler {
  private left = 0;
  constructor(
    private readonly rng: RandomStream,
    private readonly handles: boolean,
  ) {}
  runFor(sim: Simulation, events: number): void {
    this.left = events;
    sim.run();
  }
  onEvent(sim: Simulation): void {
    if (this.handles) sim.after(this.rng.exponential(1), this);
    else sim.scheduleAfter(this.rng.exponential(1), this);
    if (--this.left === 0) sim.stop();
  }
}

function hold(n: number, handles: boolean): { iteration: () => void; ops: number } {
  const sim = new Simulation();
  const streams = new RandomStreams(1);
  const h = new Hold(streams.stream("hold"), handles);
  const init = streams.stream("init");
  for (let i = 0; i < n; i++) sim.scheduleAfter(init.exponential(1), h);
  return { iteration: () => h.runFor(sim, EVENTS_PER_ITERATION), ops: EVENTS_PER_ITERATION };
}

export function kernelTasks(): RateTask[] {
  const tasks: RateTask[] = [10, 1_000, 100_000].map((n) => ({
    spec: {
      id: `kernel.hold.n${n}`,
      title: `hold model, ${n.toLocaleString("en")} pending events (schedule: no allocation)`,
      unit: "events/cpu-s",
      better: "higher",
      target: n === 1_000 ? 8_000_000 : undefined,
    },
    setup: () => hold(n, false),
  }));
  tasks.push({
    spec: { id: "kernel.hold-handles.n1000", title: "hold model, 1,000 pending events (after: a SimEvent handle per event)", unit: "events/cpu-s", better: "higher" },
    setup: () => hold(1_000, true),
  });
  return tasks;
}
