/**
 * Attempt records keep their times and event ids in rows of shared blocks (see attempt.ts): each
 * record's numbers must stay its own across blocks, and a record taken again starts afresh.
 */
import { describe, expect, it } from "vitest";
import { NO_EVENT } from "../../engine/index.js";
import { Attempt, AttemptPool } from "./attempt.js";
import type { Client } from "./client.js";

const FIELDS = ["arrival", "sentAt", "deadline", "timeoutEvent", "endedAt", "transit", "deliverEvent"] as const;
const client = {} as Client;

describe("Attempt's times", () => {
  it("are each record's own, across blocks of records", () => {
    const pool = new AttemptPool();
    const records = Array.from({ length: 2_500 }, () => pool.take(client, 0, true));
    records.forEach((a, i) => FIELDS.forEach((f, k) => (a[f] = 10 * i + k)));
    records.forEach((a, i) => expect(FIELDS.map((f) => a[f])).toEqual(FIELDS.map((_, k) => 10 * i + k)));
  });

  it("start afresh when a record is taken again: no timeout, no delivery, no transit, no deadline", () => {
    const pool = new AttemptPool();
    const a = pool.take(client, 0, true);
    FIELDS.forEach((f, k) => (a[f] = k + 1));
    pool.release(a);
    const b = pool.take(client, 1, false);
    expect(b).toBe(a);
    expect([b.deadline, b.timeoutEvent, b.transit, b.deliverEvent]).toEqual([Infinity, NO_EVENT, 0, NO_EVENT]);
    // The caller writes the two times; `endedAt` keeps the last request's until this one ends.
    expect([b.arrival, b.sentAt, b.endedAt]).toEqual([1, 2, 5]);
  });

  it("of a record made alone are its own, NaN until written", () => {
    const [a, b] = [new Attempt(client, 0, true), new Attempt(client, 0, true)];
    expect([a.arrival, a.sentAt, a.endedAt]).toEqual([NaN, NaN, NaN]);
    a.arrival = 3;
    expect(b.arrival).toBeNaN();
  });
});
