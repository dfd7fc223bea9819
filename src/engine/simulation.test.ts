import { describe, expect, it } from "vitest";
import { Simulation, type EventHandler, type SimEvent } from "./simulation.js";

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
});
