import fc from "fast-check";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { Simulation, type EventHandler, type EventId, type SimEvent } from "./simulation.js";

/** Records (time, kind, payload) of every event it receives. */
class Recorder implements EventHandler {
  log: Array<[number, number, unknown]> = [];
  onEvent(sim: Simulation, kind: number, payload: unknown): void {
    this.log.push([sim.now, kind, payload]);
  }
}

describe("Simulation", () => {
  it("fires events in time order", () => {
    const sim = new Simulation();
    const r = new Recorder();
    for (const t of [5, 1, 3, 2, 4]) sim.at(t, r, 0, t);
    sim.run();
    expect(r.log.map((e) => e[0])).toEqual([1, 2, 3, 4, 5]);
    expect(sim.now).toBe(5);
    expect(sim.eventCount).toBe(5);
  });

  it("breaks ties by scheduling order", () => {
    const sim = new Simulation();
    const r = new Recorder();
    for (let i = 0; i < 50; i++) sim.at(7, r, 0, i);
    sim.at(3, r, 0, "early");
    sim.run();
    expect(r.log[0][2]).toBe("early");
    expect(r.log.slice(1).map((e) => e[2])).toEqual([...Array(50).keys()]);
  });

  it("orders events scheduled during a step after earlier-scheduled ones at the same time", () => {
    const sim = new Simulation();
    const order: string[] = [];
    const h: EventHandler = {
      onEvent(s, kind, payload) {
        order.push(payload as string);
        if (payload === "a") s.after(0, h, 0, "c");
      },
    };
    sim.at(1, h, 0, "a");
    sim.at(1, h, 0, "b");
    sim.run();
    expect(order).toEqual(["a", "b", "c"]);
  });

  it("schedules by delay from now", () => {
    const sim = new Simulation(10);
    const r = new Recorder();
    sim.after(2.5, r);
    sim.run();
    expect(r.log[0][0]).toBe(12.5);
  });

  it("rejects scheduling in the past", () => {
    const sim = new Simulation(10);
    expect(() => sim.at(9, new Recorder())).toThrow(RangeError);
    expect(() => sim.after(-1, new Recorder())).toThrow(RangeError);
    expect(() => sim.at(NaN, new Recorder())).toThrow(RangeError);
  });

  it("skips cancelled events and keeps the pending count right", () => {
    const sim = new Simulation();
    const r = new Recorder();
    const evs: SimEvent[] = [];
    for (let i = 0; i < 10; i++) evs.push(sim.at(i, r, 0, i));
    sim.cancel(evs[0]);
    sim.cancel(evs[5]);
    sim.cancel(evs[5]);
    expect(sim.pending).toBe(8);
    expect(sim.peekTime()).toBe(1);
    sim.run();
    expect(r.log.map((e) => e[2])).toEqual([1, 2, 3, 4, 6, 7, 8, 9]);
    expect(sim.eventCount).toBe(8);
    sim.cancel(evs[9]); // already fired: no effect
    expect(sim.pending).toBe(0);
  });

  it("lets a handler cancel an event due at the same instant", () => {
    const sim = new Simulation();
    const fired: string[] = [];
    let victim: SimEvent | undefined;
    const h: EventHandler = {
      onEvent(s, _k, p) {
        fired.push(p as string);
        if (p === "killer") s.cancel(victim);
      },
    };
    sim.at(1, h, 0, "killer");
    victim = sim.at(1, h, 0, "victim");
    sim.run();
    expect(fired).toEqual(["killer"]);
  });

  it("runs until a time, leaving events at that time pending, and composes", () => {
    const sim = new Simulation();
    const r = new Recorder();
    for (const t of [1, 2, 3, 4]) sim.at(t, r, 0, t);
    sim.run(3);
    expect(r.log.map((e) => e[0])).toEqual([1, 2]);
    expect(sim.now).toBe(3);
    expect(sim.pending).toBe(2);
    sim.run(10);
    expect(r.log.map((e) => e[0])).toEqual([1, 2, 3, 4]);
    expect(sim.now).toBe(10);
    expect(() => sim.run(5)).toThrow(RangeError);
  });

  it("advances the clock to `until` even with nothing to do", () => {
    const sim = new Simulation();
    sim.run(42);
    expect(sim.now).toBe(42);
  });

  it("stops when asked, mid-run", () => {
    const sim = new Simulation();
    const h: EventHandler = {
      onEvent(s, _k, p) {
        if (p === 3) s.stop();
      },
    };
    for (let i = 1; i <= 6; i++) sim.at(i, h, 0, i);
    sim.run(100);
    expect(sim.now).toBe(3);
    expect(sim.pending).toBe(3);
    sim.run();
    expect(sim.now).toBe(6);
  });

  it("steps one event at a time", () => {
    const sim = new Simulation();
    const r = new Recorder();
    sim.at(2, r, 1);
    const e = sim.at(1, r, 0);
    sim.cancel(e);
    expect(sim.step()).toBe(true);
    expect(r.log).toEqual([[2, 1, undefined]]);
    expect(sim.step()).toBe(false);
  });

  it("is deterministic across many interleaved ties (hold model)", () => {
    const run = () => {
      const sim = new Simulation();
      const out: number[] = [];
      let x = 1;
      const h: EventHandler = {
        onEvent(s, _k, p) {
          out.push(p as number);
          x = (x * 48271) % 2147483647;
          if (out.length < 2000) s.after(x % 3, h, 0, x);
        },
      };
      for (let i = 0; i < 20; i++) sim.at(0, h, 0, -i);
      sim.run();
      return out;
    };
    expect(run()).toEqual(run());
  });

  it("handles say when they fire and whether they are done", () => {
    const sim = new Simulation();
    const r = new Recorder();
    const a = sim.at(2, r);
    const b = sim.after(3, r);
    expect([a.time, b.time, a.done, b.done]).toEqual([2, 3, false, false]);
    sim.cancel(b);
    expect(b.done).toBe(true);
    sim.run(2.5);
    expect(a.done).toBe(true);
    expect(sim.timeOf(a.id)).toBeNaN();
  });

  it("event numbers: pending, time, cancel, and no effect once fired even when the slot is reused", () => {
    const sim = new Simulation();
    const r = new Recorder();
    const first: EventId = sim.schedule(1, r, 0, "first");
    expect(sim.isPending(first)).toBe(true);
    expect(sim.timeOf(first)).toBe(1);
    sim.run();
    expect(sim.isPending(first)).toBe(false);
    // Churn through every slot many times over, so `first`'s slot is reused.
    for (let i = 0; i < 20_000; i++) sim.scheduleAfter(0, r, 0, i);
    sim.run();
    const later = sim.scheduleAfter(1, r, 0, "later");
    sim.cancel(first); // a stale number must not cancel whatever now sits in its slot
    expect(sim.isPending(later)).toBe(true);
    expect(sim.pending).toBe(1);
    sim.run();
    expect(r.log.at(-1)![2]).toBe("later");
    expect(sim.eventCount).toBe(20_002);
  });

  it("fires a pending event with the kind it was given last and tells its payload; a fired or cancelled one is left alone", () => {
    const sim = new Simulation();
    const r = new Recorder();
    const a = sim.schedule(1, r, 5, "a");
    const b = sim.schedule(2, r, 6, "b");
    const c = sim.schedule(3, r, 7, "c");
    expect([sim.payloadOf(a), sim.payloadOf(b)]).toEqual(["a", "b"]);
    sim.rekind(a, 50);
    sim.rekind(b, -1);
    sim.cancel(c);
    expect(sim.payloadOf(c)).toBeUndefined();
    sim.rekind(c, 70);
    sim.run(1.5);
    // Enough new events that one of them takes a's slot: a's stale id must neither read nor change it.
    for (let i = 0; i < 3_000; i++) sim.schedule(4, r, 8, i);
    expect(sim.payloadOf(a)).toBeUndefined();
    sim.rekind(a, 99);
    sim.rekind(c, 99);
    sim.run();
    expect([sim.payloadOf(a), sim.payloadOf(c)]).toEqual([undefined, undefined]);
    expect(r.log.slice(0, 2)).toEqual([
      [1, 50, "a"],
      [2, -1, "b"],
    ]);
    expect(r.log.length).toBe(3_002);
    expect(r.log.slice(2).every(([t, kind]) => t === 4 && kind === 8)).toBe(true);
  });

  it("lets go of a cancelled event's payload before its time comes", async () => {
    const sim = new Simulation();
    let payload: object | null = { big: new Array(1000).fill(0) };
    const ref = new WeakRef(payload);
    const id = sim.schedule(100, new Recorder(), 0, payload);
    payload = null;
    sim.cancel(id);
    setFlagsFromString("--expose-gc");
    await new Promise((resolve) => setTimeout(resolve, 0)); // a WeakRef holds its target until the job ends
    (runInNewContext("gc") as () => void)();
    expect(ref.deref()).toBeUndefined();
    expect(sim.pending).toBe(0);
  });

  it("grows past its initial capacity with events pending", () => {
    const sim = new Simulation();
    const r = new Recorder();
    const n = 50_000;
    for (let i = 0; i < n; i++) sim.at((i * 7919) % n, r, 0, (i * 7919) % n);
    expect(sim.pending).toBe(n);
    sim.run();
    expect(r.log.map((e) => e[2])).toEqual([...Array(n).keys()]);
  });

  it("matches a sorted reference list under any schedule, cancel and step sequence (property)", () => {
    type Op = { at: number; delay: number } | { cancel: number } | { step: true } | { runFor: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ at: fc.constant(0), delay: fc.integer({ min: 0, max: 5 }) }) },
      { weight: 2, arbitrary: fc.record({ cancel: fc.nat() }) },
      { weight: 2, arbitrary: fc.constant({ step: true as const }) },
      { weight: 1, arbitrary: fc.record({ runFor: fc.integer({ min: 0, max: 3 }) }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), fc.boolean(), (ops, handles) => {
        const sim = new Simulation();
        const fired: number[] = [];
        const h: EventHandler = { onEvent: (_s, _k, p) => void fired.push(p as number) };
        // The reference: every event with its time and scheduling order, and whether it is still due.
        const ref: { time: number; label: number; live: boolean }[] = [];
        const ids: (EventId | SimEvent)[] = [];
        const expected: number[] = [];
        const fireReference = (until: number, one: boolean) => {
          const due = ref.filter((e) => e.live && e.time < until).sort((a, b) => a.time - b.time || a.label - b.label);
          for (const e of one ? due.slice(0, 1) : due) {
            e.live = false;
            expected.push(e.label);
          }
        };
        for (const o of ops) {
          if ("delay" in o) {
            const label = ref.length;
            ref.push({ time: sim.now + o.delay, label, live: true });
            ids.push(handles ? sim.after(o.delay, h, 0, label) : sim.scheduleAfter(o.delay, h, 0, label));
          } else if ("cancel" in o) {
            if (ids.length === 0) continue;
            const k = o.cancel % ids.length;
            sim.cancel(ids[k]);
            ref[k].live = false;
          } else if ("step" in o) {
            fireReference(Infinity, true);
            sim.step();
          } else {
            fireReference(sim.now + o.runFor, false);
            sim.run(sim.now + o.runFor);
          }
          expect(fired).toEqual(expected);
          expect(sim.pending).toBe(ref.filter((e) => e.live).length);
          ids.forEach((id, k) => {
            const pending = typeof id === "number" ? sim.isPending(id) : !id.done;
            expect(pending).toBe(ref[k].live);
          });
        }
        fireReference(Infinity, false);
        sim.run();
        expect(fired).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
