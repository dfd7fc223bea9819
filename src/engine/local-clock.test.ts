/**
 * A component's own clock fires its events as the Simulation would: by time, ties in the order
 * scheduled, however often and at whatever instants it is run forward.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LocalClock } from "./local-clock.js";
import { NO_EVENT, Simulation, type EventHandler, type EventScheduler } from "./simulation.js";

/**
 * Events on a coarse grid of times (many ties); each fired event records itself, may schedule
 * children (some at its own instant) and may cancel an event still pending. The same script run on
 * a Simulation and on a LocalClock run forward at `stops`.
 */
function script(clock: EventScheduler, seeds: readonly number[], fired: string[]): void {
  const ids: number[] = [];
  let next = 0;
  const handler: EventHandler = {
    onEvent: (_sim, kind, payload) => {
      const r = payload as number;
      fired.push(`${kind}@${clock.now}`);
      if (next < 300 && r % 3 !== 0) ids.push(clock.schedule(clock.now + (r % 4) / 4, handler, next++, (r * 7 + 1) % 101));
      if (next < 300 && r % 5 === 0) ids.push(clock.schedule(clock.now + (r % 7) / 2, handler, next++, (r * 13 + 3) % 101));
      if (r % 11 === 0 && ids.length > 0) clock.cancel(ids[r % ids.length]);
    },
  };
  for (const s of seeds) ids.push(clock.schedule((s % 16) / 4, handler, next++, s % 101));
}

describe("LocalClock", () => {
  it("fires what a Simulation fires, in the same order, however it is run forward", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(10_000), { minLength: 1, maxLength: 40 }), fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 12 }), (seeds, stops) => {
        const sim = new Simulation();
        const reference: string[] = [];
        script(sim, seeds, reference);
        sim.run();
        const local = new LocalClock(new Simulation());
        const got: string[] = [];
        script(local, seeds, got);
        for (const t of [...stops].sort((a, b) => a - b)) local.runUntil(t / 4);
        local.runUntil(Infinity);
        expect(got).toEqual(reference);
        expect(local.pending).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it("leaves the events at the instant it is run to pending, and moves its clock there", () => {
    const local = new LocalClock(new Simulation());
    const fired: number[] = [];
    const h: EventHandler = { onEvent: (_s, kind) => fired.push(kind) };
    local.schedule(1, h, 1);
    local.schedule(2, h, 2);
    local.runUntil(2);
    expect(fired).toEqual([1]);
    expect(local.now).toBe(2);
    expect(local.pending).toBe(1);
    expect(() => local.schedule(1.5, h)).toThrow(RangeError);
  });

  it("does nothing when run forward from one of its own events, and cancels what it is told to", () => {
    const local = new LocalClock(new Simulation());
    const fired: number[] = [];
    const h: EventHandler = {
      onEvent: (_s, kind) => {
        fired.push(kind);
        local.runUntil(10);
      },
    };
    local.schedule(1, h, 1);
    const two = local.schedule(2, h, 2);
    local.schedule(3, h, 3);
    local.cancel(two);
    local.cancel(NO_EVENT);
    local.runUntil(1.5);
    expect(fired).toEqual([1]);
    local.runUntil(5);
    expect(fired).toEqual([1, 3]);
    local.schedule(6, h, 6);
    local.clear();
    local.runUntil(7);
    expect(fired).toEqual([1, 3]);
  });
});
