/**
 * The app server's in-service positions and queue, kept in the cluster's rows and cells: a crash must
 * reset what the app holds in the order the earlier arrays kept (in service by swap-removal, then
 * the queue first in, first out), since that order decides the order of everything that follows.
 */
import { describe, expect, it } from "vitest";
import { Simulation } from "../../engine/index.js";
import { RandomStreams } from "../../random/index.js";
import type { Outcome } from "../../scenario/types.js";
import type { PodTemplate } from "../api/pod-template.js";
import { Attempt } from "../clients/attempt.js";
import type { Client } from "../clients/client.js";
import type { Pod } from "../node/kubelet/pod.js";
import { AppServer, type AppHost } from "./server.js";
import { ServerRows } from "./server-rows.js";
import { WorkQueues } from "./work-queues.js";

/**
 * An app with `concurrency` workers whose request i takes `times[i]` seconds; returns what ended, in
 * order, and the app's calls to armTimeout (which marks the attempt's timeout event pending).
 */
function app(concurrency: number, times: number[]) {
  const sim = new Simulation();
  const ended: { id: number; outcome: Outcome; at: number }[] = [];
  const armed: { id: number; finishAt: number }[] = [];
  const ids = new Map<Attempt, number>();
  const host: AppHost = {
    attemptEnded: (a, outcome) => ended.push({ id: ids.get(a)!, outcome, at: sim.now }),
    armTimeout: (a, finishAt) => {
      armed.push({ id: ids.get(a)!, finishAt });
      a.timeoutEvent = 1;
    },
    attemptReleased: () => {},
    serverRows: new ServerRows(),
    workQueues: new WorkQueues(),
  };
  let next = 0;
  const template = {
    spec: { concurrency, queueLimit: 1_000, onSigterm: "exit" },
    serviceTime: { sample: () => times[next++] },
    serviceRng: { random: () => 0 },
  } as unknown as PodTemplate;
  const pod = { container: 1, appUp: true, processExited: () => {} } as unknown as Pod;
  const server = new AppServer(sim, pod, host, template);
  server.listen();
  const send = (id: number, deadline = Infinity) => {
    const a = new Attempt({} as Client, 0, true);
    a.arrival = a.sentAt = sim.now;
    a.deadline = deadline;
    ids.set(a, id);
    server.admit(a);
  };
  return { sim, server, ended, armed, send };
}

/** The order the arrays gave: in service by swap-removal, then queued in arrival order. */
function reference(concurrency: number, times: number[], crashAt: number): { served: number[]; reset: number[] } {
  const inService: { id: number; end: number }[] = [];
  const queue: number[] = [];
  const served: number[] = [];
  let now = 0;
  const start = (id: number) => inService.push({ id, end: now + times[id] });
  for (const id of times.keys()) {
    if (inService.length < concurrency) start(id);
    else queue.push(id);
  }
  for (;;) {
    let k = -1;
    for (let i = 0; i < inService.length; i++) if (k < 0 || inService[i].end < inService[k].end) k = i;
    if (k < 0 || inService[k].end >= crashAt) break;
    now = inService[k].end;
    served.push(inService[k].id);
    const last = inService.pop()!;
    if (k < inService.length) inService[k] = last;
    if (queue.length > 0) start(queue.shift()!);
  }
  return { served, reset: [...inService.map((w) => w.id), ...queue] };
}

describe("the app server's lists", () => {
  it("reset what they hold in the order of swap-removal, then the queue in arrival order", () => {
    const rng = new RandomStreams(5).stream("times");
    for (const concurrency of [1, 2, 3, 8]) {
      // Distinct service times, so that completions never tie.
      const times = Array.from({ length: 40 }, (_, i) => 1 + rng.random() + i * 1e-9);
      const crashAt = 6;
      const { sim, server, ended, send } = app(concurrency, times);
      for (const id of times.keys()) send(id);
      sim.run(crashAt);
      server.stop();
      server.resetAll();
      const want = reference(concurrency, times, crashAt);
      expect(ended.filter((e) => e.outcome === "ok").map((e) => e.id)).toEqual(want.served);
      expect(ended.filter((e) => e.outcome === "reset").map((e) => e.id)).toEqual(want.reset);
      expect(server.inFlight).toBe(0);
      expect(server.idle).toBe(true);
      // The reset works' end-of-service events were cancelled with them: nothing ends later.
      const count = ended.length;
      sim.run();
      expect(ended.length).toBe(count);
    }
  });

  it("looks again at a queued request's timeout when a worker takes it, and only if it has one", () => {
    const { sim, armed, send } = app(1, [1, 1, 1, 1]);
    send(0, 100); // served at once: its end (1 s) comes before its deadline, nothing to arm
    send(1, 100); // queued with a deadline: armed while it waits, looked at again at 1 s
    send(2); // queued without a deadline or timeout: never looked at
    send(3, 100);
    sim.run();
    expect(armed).toEqual([
      { id: 1, finishAt: Infinity },
      { id: 3, finishAt: Infinity },
      { id: 1, finishAt: 2 },
      { id: 3, finishAt: 4 },
    ]);
  });

  it("integrates busy worker-seconds per server", () => {
    const { sim, server, send } = app(2, [3, 1, 5]);
    for (const id of [0, 1, 2]) send(id);
    sim.run(100);
    server.settle();
    // Worker 1: request 0 for 3 s; worker 2: request 1 for 1 s, then request 2 for 5 s.
    expect(server.busyTime).toBe(9);
    expect(server.cpuSeconds(100)).toBe(9);
  });
});
