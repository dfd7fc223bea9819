/**
 * A textbook M/M/c/K queue built on the kernel alone: Poisson arrivals, c exponential workers, a
 * FIFO queue with room for K jobs in total. It exists to hold the kernel to queueing theory
 * (`src/stats/theory.ts`) and as the demo run before any Kubernetes model is involved.
 */
import { Simulation, type EventHandler } from "../engine/index.js";
import { RandomStreams, type RandomStream } from "../random/streams.js";
import { Fifo } from "../util/fifo.js";

export interface MmcOptions {
  /** Arrival rate, per second. */
  lambda: number;
  /** Service rate of one worker, per second. */
  mu: number;
  /** Number of workers. */
  c: number;
  /** Room in the system in total (in service + waiting); Infinity for none. K = c gives Erlang's loss system. */
  capacity?: number;
  seed: number | string;
  /** Simulated seconds measured, after the warm-up. */
  duration: number;
  /** Simulated seconds run before measuring starts. */
  warmup?: number;
}

export interface MmcResult {
  arrivals: number;
  blocked: number;
  served: number;
  /** Share of measured arrivals turned away because the system was full. */
  blocking: number;
  /** Mean time in system of the jobs that arrived and finished in the measured window, seconds. */
  meanResponse: number;
  /** Mean time waiting before service, seconds. */
  meanWait: number;
  /** Time-average number of jobs in the system over the measured window. */
  meanInSystem: number;
  /** Measured arrival rate of admitted jobs, per second. */
  admittedRate: number;
  events: number;
}

const ARRIVAL = 0;
const DEPARTURE = 1;

class MmcQueue implements EventHandler {
  private busy = 0;
  /** Arrival times of waiting jobs. */
  private readonly waiting = new Fifo<number>();
  private inSystem = 0;
  private lastChange = 0;
  areaInSystem = 0;
  private measuring = false;
  arrivals = 0;
  blocked = 0;
  served = 0;
  sumResponse = 0;
  sumWait = 0;
  started = 0;

  constructor(
    private readonly o: Required<MmcOptions>,
    private readonly arrivalRng: RandomStream,
    private readonly serviceRng: RandomStream,
  ) {}

  startMeasuring(now: number): void {
    this.measuring = true;
    this.lastChange = now;
  }

  finish(now: number): void {
    this.areaInSystem += this.inSystem * (now - this.lastChange);
    this.lastChange = now;
  }

  onEvent(sim: Simulation, kind: number, payload: unknown): void {
    const now = sim.now;
    if (this.measuring) this.areaInSystem += this.inSystem * (now - this.lastChange);
    this.lastChange = now;
    if (kind === ARRIVAL) {
      sim.after(this.arrivalRng.exponential(1 / this.o.lambda), this, ARRIVAL);
      if (this.measuring) this.arrivals++;
      if (this.inSystem >= this.o.capacity) {
        if (this.measuring) this.blocked++;
        return;
      }
      this.inSystem++;
      if (this.busy < this.o.c) this.startService(sim, now, now);
      else this.waiting.push(now);
    } else {
      const arrivedAt = payload as number;
      this.inSystem--;
      this.busy--;
      if (this.measuring && arrivedAt >= this.o.warmup) {
        this.served++;
        this.sumResponse += now - arrivedAt;
      }
      const next = this.waiting.shift();
      if (next !== undefined) this.startService(sim, now, next);
    }
  }

  private startService(sim: Simulation, now: number, arrivedAt: number): void {
    this.busy++;
    if (this.measuring && arrivedAt >= this.o.warmup) {
      this.started++;
      this.sumWait += now - arrivedAt;
    }
    sim.after(this.serviceRng.exponential(1 / this.o.mu), this, DEPARTURE, arrivedAt);
  }
}

/** Runs one M/M/c/K simulation; arrivals and service times come from their own named streams. */
export function runMmc(options: MmcOptions): MmcResult {
  const o: Required<MmcOptions> = { capacity: Infinity, warmup: 0, ...options };
  if (!(o.lambda > 0 && o.mu > 0 && o.c >= 1 && o.capacity >= o.c && o.duration > 0)) {
    throw new RangeError("runMmc needs lambda > 0, mu > 0, c >= 1, capacity >= c, duration > 0");
  }
  const streams = new RandomStreams(o.seed);
  const queue = new MmcQueue(o, streams.stream("arrivals"), streams.stream("service"));
  const sim = new Simulation();
  sim.at(0, queue, ARRIVAL);
  sim.run(o.warmup);
  queue.startMeasuring(sim.now);
  const end = o.warmup + o.duration;
  sim.run(end);
  queue.finish(end);
  const admitted = queue.arrivals - queue.blocked;
  return {
    arrivals: queue.arrivals,
    blocked: queue.blocked,
    served: queue.served,
    blocking: queue.arrivals === 0 ? 0 : queue.blocked / queue.arrivals,
    meanResponse: queue.sumResponse / queue.served,
    meanWait: queue.sumWait / queue.started,
    meanInSystem: queue.areaInSystem / o.duration,
    admittedRate: admitted / o.duration,
    events: sim.eventCount,
  };
}
