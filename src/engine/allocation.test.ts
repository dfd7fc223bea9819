/**
 * The event loop allocates nothing per event once compiled: no closure, no record, and no heap
 * number for a time (a double that crosses a call V8 does not inline, or merges with a value V8
 * has no type for, is boxed: 16 bytes per event). Measured with V8's sampling heap profiler, which
 * also counts objects a young-generation collection has already freed, over runs of N and 4N
 * events: their difference is what the extra events cost, whatever a run's set-up allocates.
 * Bytes, not time: the figure does not depend on how long anything takes.
 */
import { Session } from "node:inspector";
import { describe, expect, it } from "vitest";
import { withV8Flag } from "../util/v8-flags.js";
import { Simulation, type EventHandler } from "./simulation.js";

/** What HeapProfiler.stopSampling returns (Node's typings leave out the nodes' ids and the samples). */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string };
  children: ProfileNode[];
}
interface Profile {
  head: ProfileNode;
  samples: { size: number; nodeId: number; ordinal: number }[];
}

const BOUNDARY_LENGTH = 16_384;

/**
 * Bytes allocated by each of `parts`, run one after another in one sampling session (every 64th
 * byte sampled, no randomness). One session for all: starting one throws compiled code away, and
 * the first part would measure V8 compiling again rather than the loop.
 */
function allocatedBy(parts: (() => void)[]): number[] {
  return withV8Flag("--sampling-heap-profiler-suppress-randomness", "--no-sampling-heap-profiler-suppress-randomness", () => sampled(parts));
}

function sampled(parts: (() => void)[]): number[] {
  const session = new Session();
  session.connect();
  const boundaries: unknown[] = [];
  // A large array between parts: its samples, in allocation order, mark where each part starts.
  const boundary = () => boundaries.push(new Array(BOUNDARY_LENGTH).fill(boundaries.length));
  try {
    // An inspector session on the same thread answers synchronously.
    session.post("HeapProfiler.startSampling", { samplingInterval: 64, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
    for (const part of parts) {
      boundary();
      part();
    }
    boundary();
    const bytes: number[] = [];
    session.post("HeapProfiler.stopSampling", (err, result) => {
      if (err) throw err;
      const profile = result.profile as unknown as Profile;
      const atBoundary = new Set<number>();
      (function walk(node: ProfileNode): void {
        if (node.callFrame.functionName === "boundary") collect(node);
        else node.children.forEach(walk);
      })(profile.head);
      function collect(node: ProfileNode): void {
        atBoundary.add(node.id);
        node.children.forEach(collect);
      }
      // Each boundary is one sample of its array (128 KiB, 64 KiB with pointer compression); what
      // lies between two is a part's.
      for (const sample of [...profile.samples].sort((x, y) => x.ordinal - y.ordinal)) {
        if (!atBoundary.has(sample.nodeId)) {
          if (bytes.length > 0) bytes[bytes.length - 1] += sample.size;
        } else if (sample.size >= 4 * BOUNDARY_LENGTH) bytes.push(0);
      }
    });
    expect(bytes.length).toBe(parts.length + 1);
    return bytes.slice(0, parts.length);
  } finally {
    session.disconnect();
  }
}

/** Each event schedules the next at a fractional delay (times are never small integers) and keeps its id. */
class Hold implements EventHandler {
  private delay = 0.37;
  lastId = NaN;
  onEvent(sim: Simulation): void {
    this.delay = (this.delay * 1.7) % 1;
    this.lastId = sim.schedule(sim.now + this.delay, this, 0, this);
  }
}

/** The same, but each event also leaves a short-lived record behind: what the test must see. */
class LeakyHold extends Hold {
  record: { at: number } | null = null;
  override onEvent(sim: Simulation): void {
    this.record = { at: sim.now };
    super.onEvent(sim);
  }
}

/** A hold model of 100 pending events run for `duration` simulated seconds (about 270 events per second). */
function hold(duration: number, Handler: new () => Hold = Hold): number {
  const sim = new Simulation();
  for (let k = 0; k < 100; k++) sim.schedule(k / 100, new Handler(), 0, null);
  sim.run(duration);
  return sim.eventCount;
}

describe("the event loop's allocations", () => {
  it("do not grow with the number of events (hold model, N and 4N events)", () => {
    let short = 0;
    let long = 0;
    // A first run compiles the loop, the handler and the queue, as a model's first seconds do.
    const [, once, four] = allocatedBy([() => hold(4_000), () => (short = hold(1_000)), () => (long = hold(4_000))]);
    expect(long).toBeGreaterThan(3.9 * short);
    expect(once).toBeGreaterThan(0); // the set-up's arrays at least: the parts were told apart
    // A boxed time per event would be 16 bytes; allow a little for the sampling's granularity.
    expect((four - once) / (long - short)).toBeLessThan(0.5);
  });

  it("are seen when a handler allocates: a record per event measures at least 8 bytes per event", () => {
    let short = 0;
    let long = 0;
    const [, once, four] = allocatedBy([() => hold(4_000, LeakyHold), () => (short = hold(1_000, LeakyHold)), () => (long = hold(4_000, LeakyHold))]);
    expect((four - once) / (long - short)).toBeGreaterThan(8);
  });
});
