/**
 * The sync runner as kube-proxy's: Run() is a non-blocking send into a one-slot channel, the loop's
 * tryRun calls syncProxyRules, which reads the tracked changes when it starts
 * (pkg/util/async/bounded_frequency_runner.go up to v1.33, pkg/proxy/runner from v1.34). So changes
 * handed over at one instant make one sync carrying the newest, not one sync per change.
 */
import { describe, expect, it } from "vitest";
import { Simulation, type EventHandler } from "../../../engine/index.js";
import { BoundedFrequencyRunner, type Runnable } from "./bounded-frequency-runner.js";

/** A proxy's tracker: `changes` counts what was handed over; a sync records when it started, what it read, and when it wrote. */
class Tracker implements Runnable {
  changes = 0;
  syncs: Array<{ start: number; read: number; written?: number }> = [];
  constructor(
    private readonly sim: Simulation,
    private readonly writeTime = 0,
  ) {}
  syncProxyRules(): number {
    this.syncs.push({ start: this.sim.now, read: this.changes, written: this.writeTime > 0 ? undefined : this.sim.now });
    return this.writeTime;
  }
  rulesWritten(): void {
    this.syncs[this.syncs.length - 1].written = this.sim.now;
  }
}

function setup(minInterval: number, burst: number, writeTime = 0) {
  const sim = new Simulation();
  const tracker = new Tracker(sim, writeTime);
  const runner = new BoundedFrequencyRunner(sim, minInterval, burst, tracker);
  // OnEndpointSliceUpdate: track the change, then Sync() (Run()). One event per change.
  const change: EventHandler = {
    onEvent: () => {
      tracker.changes++;
      runner.run();
    },
  };
  /** Hands over `n` changes at each of `times`, each in an event of its own. */
  const changesAt = (times: number[], n = 1) => times.forEach((t) => Array.from({ length: n }, () => sim.at(t, change)));
  return { sim, tracker, runner, changesAt };
}

describe("BoundedFrequencyRunner", () => {
  it("burst 2: five changes at one instant make one sync with all five, not two syncs then the newest a second later", () => {
    const { sim, tracker, changesAt } = setup(1, 2);
    changesAt([10], 5);
    sim.run(20);
    // Run() x5 fill the one-slot channel once; syncProxyRules reads the tracker when it starts.
    expect(tracker.syncs).toEqual([{ start: 10, read: 5, written: 10 }]);
  });

  it("burst 2: the second token serves the next instant's changes at once, the third waits for lastRun + minInterval", () => {
    const { sim, tracker, changesAt } = setup(1, 2);
    changesAt([10], 3);
    changesAt([10.2], 3);
    changesAt([10.4, 10.5]);
    sim.run(20);
    expect(tracker.syncs.map((s) => [s.start, s.read])).toEqual([
      [10, 3],
      [10.2, 6],
      // no token until 11.2 (one per second after the burst): tryRun resets the timer to lastRun + minInterval
      [expect.closeTo(11.2, 9), 8],
    ]);
  });

  it("burst 1 (v1.34's runner): one sync with every change of the instant, then none until minInterval after it", () => {
    const { sim, tracker, changesAt } = setup(1, 1);
    changesAt([10], 4);
    changesAt([10.3], 2);
    sim.run(20);
    expect(tracker.syncs.map((s) => [s.start, s.read])).toEqual([
      [10, 4],
      [11, 6],
    ]);
  });

  it("merges the changes made during a sync into one more sync when it returns, reading them all", () => {
    const { sim, tracker, changesAt } = setup(1, 2, 0.5);
    changesAt([10]);
    changesAt([10.1, 10.2, 10.3]);
    sim.run(20);
    // The loop is busy in fn(): Run() finds the slot full after the first; tryRun again when fn returns, a token left.
    expect(tracker.syncs).toEqual([
      { start: 10, read: 1, written: 10.5 },
      { start: 10.5, read: 4, written: 11 },
    ]);
  });

  it("burst 1 (v1.34): waits minInterval after a sync returns, however long the sync took", () => {
    // The write takes longer than minInterval: a token bucket would have a token when it returns;
    // v1.34's Loop waits for minIntervalTimer, reset when fn returns.
    const { sim, tracker, changesAt } = setup(1, 1, 1.5);
    changesAt([10, 10.2, 10.4]);
    sim.run(20);
    expect(tracker.syncs).toEqual([
      { start: 10, read: 1, written: 11.5 },
      { start: 12.5, read: 3, written: 14 },
    ]);
  });

  it("a change handed over at the instant the retry timer goes off is in that sync", () => {
    const { sim, tracker, changesAt } = setup(1, 1);
    changesAt([10, 10.5]);
    // Scheduled after the timer (set at 10.5 for 11): still read by the sync at 11.
    const late: EventHandler = { onEvent: () => changesAt([11]) };
    sim.at(10.6, late);
    sim.run(20);
    expect(tracker.syncs.map((s) => [s.start, s.read])).toEqual([
      [10, 1],
      [11, 3],
    ]);
  });

  it("without a minimum interval, still one sync per instant", () => {
    const { sim, tracker, changesAt } = setup(0, 2);
    changesAt([1, 2], 3);
    sim.run(5);
    expect(tracker.syncs.map((s) => [s.start, s.read])).toEqual([
      [1, 3],
      [2, 6],
    ]);
  });

  it("does nothing once stopped", () => {
    const { sim, tracker, runner, changesAt } = setup(1, 2, 0.5);
    changesAt([10, 10.1]);
    sim.at(10.2, { onEvent: () => runner.stop() });
    sim.run(20);
    expect(tracker.syncs).toEqual([{ start: 10, read: 1 }]);
  });
});
