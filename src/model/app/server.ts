/**
 * The app in a pod's container: a server with `concurrency` workers and a bounded queue, serving
 * each request for a time drawn from the template's service-time distribution. It also keeps what
 * a client's SYN to the pod gets when the app is not accepting (the kernel's RST, the node's
 * silence, a released IP), so that a request reaches it by pod id without reading the Pod. The
 * kubelet's HTTP probes reach it like any request (same queue, same workers). What it does at
 * SIGTERM is the app's choice, not the kubelet's: drain (keep accepting for drainDelay, then stop
 * accepting, finish what it holds and exit), exit at once (what it holds is reset), or ignore it
 * until SIGKILL.
 */
import type { EventHandler, Simulation } from "../../engine/index.js";
import type { Outcome } from "../../scenario/types.js";
import type { PodTemplate } from "../api/pod-template.js";
import { Attempt } from "../clients/attempt.js";
import { ACCEPTED, OVERLOADED, REFUSED, RELEASED, UNREACHABLE } from "../clients/offer.js";
import type { Pod } from "../node/kubelet/pod.js";
import type { ProbeRequest } from "../node/kubelet/prober/probe.js";
import { OpenConnections } from "./open-connections.js";
import type { ServerRows } from "./server-rows.js";
import { NO_CELL, type WorkQueues } from "./work-queues.js";

/** Where the app's answers go (the attempt's workload) and what the pod's kubelet needs to know. */
export interface AppHost {
  /** An attempt the app held has ended (`ok`, or `reset` when the app dropped it). */
  attemptEnded(attempt: Attempt, outcome: Outcome): void;
  /** Keep or drop the client-side timeout of an attempt whose work ends at `finishAt` (Infinity: unknown). */
  armTimeout(attempt: Attempt, finishAt: number): void;
  /** The app let go of an attempt that had already ended (timed out while queued or served): its record may be reused. */
  attemptReleased(attempt: Attempt): void;
  /** Where the cluster's app servers keep their busy-time integrals and the work in service. */
  readonly serverRows: ServerRows;
  /** Where the cluster's app servers keep their queues. */
  readonly workQueues: WorkQueues;
}

/** What the app's workers serve: a client's request or a kubelet probe. */
type Work = Attempt | ProbeRequest;

// Event kinds: a work's service ends with its position among the works in service as the kind
// (>= 0, see ServerRows), so that the app finds it there without reading the work's record.
const STOP_ACCEPTING = -1;

// What a queue cell's tag tells of its work (see `take`), so that the app starts the work at the
// head of its queue without reading its record: with thousands of pods that record is out of cache
// by then, a miss on every request that waited.
/** A request whose client timeout cannot come before any answer: nothing to look at when it starts. */
const QUEUED_REQUEST = 0;
/** A request whose timeout the app must look at again once its end is known. */
const QUEUED_TIMED_REQUEST = 1;
const QUEUED_PROBE = 2;

export class AppServer implements EventHandler {
  /** The app listens and accepts new connections. */
  accepting = false;
  /**
   * What a new connection to the pod gets before the app sees it (`offer`): ACCEPTED while the app
   * accepts, else what the pod's network and kernel answer. Kept here, worked out whenever it may
   * change, so that a client's SYN reads this server alone, not its Pod too: with thousands of pods
   * that is one cache miss fewer per request. The pod turns unreachable or gone only with its app
   * stopped right after (and never back), so `stop` sees every change of the pod's part.
   */
  private answer = REFUSED;
  /** It stopped accepting after SIGTERM and exits once it holds nothing. */
  private draining = false;
  /** Its readiness endpoint answers with an error until then (a readiness-failure event). */
  private unreadyUntil = -Infinity;
  busy = 0;
  /** Client connections open to the app, closed gracefully when it drains. */
  readonly connections = new OpenConnections();
  // In service: positions 0 .. busy - 1 of its row in `rows`. Queued: first in, first out, the
  // first and last of its cells in `queues`.
  private queueHead = NO_CELL;
  private queueTail = NO_CELL;
  private readonly queues: WorkQueues;
  private queued = 0;

  // Metrics: counts over the measured window, the busy integral (in `rows`) over the whole run.
  received = 0;
  served = 0;
  intervalReceived = 0;
  /** Busy worker-seconds before the measured window: with busyTime, the run's total (what metrics-server reads as CPU). */
  // NaN until the constructor sets it: a double from the start (README, "Time fields start as doubles").
  private busyBefore = NaN;
  /** Requests that reached the app over the whole run, measured or not (an app's requests counter). */
  admitted = 0;
  private readonly rows: ServerRows;
  /** This server's row in `rows`. */
  private readonly row: number;

  constructor(
    private readonly sim: Simulation,
    /** The pod the app runs in (it exits through the pod's kubelet: `drained`). */
    readonly pod: Pod,
    private readonly host: AppHost,
    private readonly template: PodTemplate,
  ) {
    this.busyBefore = 0;
    this.rows = host.serverRows;
    this.row = this.rows.add(template.spec.concurrency);
    this.queues = host.workQueues;
  }

  /** Work held, requests and probes: in service plus queued (timed-out ones the app does not know about included). */
  get inFlight(): number {
    return this.busy + this.queued;
  }

  /** Busy worker-seconds over the measured window (over the run so far, before it starts). */
  get busyTime(): number {
    return this.rows.busyTime(this.row);
  }

  /** The app has started: it listens. */
  listen(): void {
    this.accepting = true;
    this.draining = false;
    this.updateAnswer();
  }

  /** Its process is gone: nothing listens. */
  stop(): void {
    this.accepting = false;
    this.draining = false;
    this.updateAnswer();
  }

  /**
   * A new connection carrying `a`; ACCEPTED means the app now holds it. While the pod's sandbox
   * lives its kernel answers a SYN to a closed port with a reset (REFUSED: crashed, not started
   * yet, shutting down); once the pod is gone its IP is released and nothing answers (RELEASED);
   * a pod whose node is down answers nothing (UNREACHABLE).
   */
  offer(a: Attempt): number {
    const answer = this.answer;
    return answer === ACCEPTED ? this.admit(a) : answer;
  }

  /** Works out `answer` again (see there). */
  private updateAnswer(): void {
    const pod = this.pod;
    this.answer = pod.unreachable ? UNREACHABLE : pod.gone ? RELEASED : this.accepting ? ACCEPTED : REFUSED;
  }

  /** Takes a request: a free worker serves it, else it queues, else the app answers 503. */
  admit(a: Attempt): number {
    // Counted by adding 0 or 1, not in a branch: the first requests, made before the measured window,
    // would leave a branch's increment without type feedback, and V8's code compiled for them would
    // be thrown away at the window's first request (see `finishService`).
    this.received += a.measured ? 1 : 0;
    this.intervalReceived++;
    this.admitted++;
    return this.take(a);
  }

  /**
   * A kubelet HTTP probe: to the app a request like any other, so it waits for a worker in the same
   * FIFO queue and gets a 503 when the queue is full. Not counted as a client request.
   */
  probe(p: ProbeRequest): number {
    if (!this.accepting) return REFUSED;
    return this.take(p);
  }

  /** The readiness endpoint answers with an error for `duration` seconds; the app keeps serving. */
  failReadinessFor(duration: number): void {
    this.unreadyUntil = Math.max(this.unreadyUntil, this.sim.now + duration);
  }

  onEvent(_sim: Simulation, kind: number, payload: unknown): void {
    if (kind >= 0) this.finishService(kind, payload as Work);
    else if (payload === this.pod.container && this.pod.appUp) this.stopAccepting();
  }

  /** SIGTERM, handled as the app was written to. */
  sigterm(): void {
    const spec = this.template.spec;
    if (spec.onSigterm === "exit") {
      // No handler, or one that exits: the process dies, and what it held is reset.
      this.stop();
      this.resetAll();
      this.pod.processExited();
    } else if (spec.onSigterm === "drain") {
      if (spec.drainDelay > 0) this.sim.after(spec.drainDelay, this, STOP_ACCEPTING, this.pod.container);
      else this.stopAccepting();
    }
    // "ignore": it keeps serving until SIGKILL (a PID 1 without a handler).
  }

  /** Ends everything the app holds as `reset` (its process died): a probe fails, an attempt is `reset`. */
  resetAll(): void {
    const now = this.sim.now;
    // A probe's failure can make the kubelet look again at once; take the list first.
    const held = this.takeInService();
    this.addBusy(now, 0 - this.busy); // not -busy: -0 is no small integer, and deoptimises addBusy
    for (const w of held) this.dropHeld(w);
    for (let cell = this.shiftQueue(); cell !== NO_CELL; cell = this.shiftQueue()) this.dropHeld(this.leaveQueue(cell));
  }

  /** The node died under the app: what it held never gets an answer, each ends at its client timeout. */
  abandonAll(): void {
    for (const w of this.takeInService()) this.abandon(w);
    this.addBusy(this.sim.now, 0 - this.busy);
    for (let cell = this.shiftQueue(); cell !== NO_CELL; cell = this.shiftQueue()) this.abandon(this.leaveQueue(cell));
  }

  /** Empties the in-service positions, in their order, with each one's end cancelled. */
  private takeInService(): Work[] {
    const held: Work[] = [];
    for (let p = 0; p < this.busy; p++) {
      const done = this.rows.doneEvent(this.row, p);
      held.push(this.sim.payloadOf(done) as Work);
      this.sim.cancel(done);
      this.rows.vacate(this.row, p);
    }
    return held;
  }

  /** A request the app dropped without an answer waits for its client's timeout. */
  private abandon(w: Work): void {
    if (!(w instanceof Attempt)) return;
    w.held = false;
    if (w.ended) this.host.attemptReleased(w);
    else this.host.armTimeout(w, Infinity);
  }

  get idle(): boolean {
    return this.busy === 0 && this.queued === 0;
  }

  /** Starts the measured window: the busy integral and the interval count restart from zero. */
  startMeasuring(): void {
    this.settle();
    this.busyBefore += this.busyTime;
    this.rows.resetBusy(this.row);
    this.intervalReceived = 0;
  }

  /** Busy worker-seconds since the app's pod started, up to now: its CPU seconds, one core per worker. */
  cpuSeconds(now: number): number {
    return this.busyBefore + this.busyTime + this.busy * (now - this.rows.lastChange(this.row));
  }

  /** Brings the busy integral up to now. */
  settle(): void {
    this.addBusy(this.sim.now, 0);
  }

  /** A free worker serves it, else it queues, else a 503. */
  private take(w: Work): number {
    if (this.busy < this.template.spec.concurrency) {
      this.startService(w);
      return ACCEPTED;
    }
    if (this.queued < this.template.spec.queueLimit) {
      let tag = QUEUED_PROBE;
      if (w instanceof Attempt) {
        w.held = true;
        w.pod = this.pod;
        // Its end is unknown while it waits. Only requests to a reachable pod get here (the pod
        // answers UNREACHABLE before its app sees them), so the pod's state is not looked at.
        // timeoutDue(Infinity) is false only for a request with no timeout event and no deadline:
        // while it waits nothing arms one (a workload arms a timeout only for an attempt the app
        // does not hold, or when the app asks) and its deadline is fixed when it is sent, so when
        // it starts, timeoutDue(its end) is false too, whether it has ended meanwhile or not.
        const timed = w.timeoutDue(Infinity);
        if (timed) this.host.armTimeout(w, Infinity);
        tag = timed ? QUEUED_TIMED_REQUEST : QUEUED_REQUEST;
      }
      this.pushQueue(w, tag);
      return ACCEPTED;
    }
    return OVERLOADED;
  }

  /** A worker takes work that has just arrived. */
  private startService(w: Work): void {
    if (w instanceof Attempt) {
      const finishAt = this.serve(w, this.requestTime());
      w.held = true;
      w.pod = this.pod;
      if (!w.ended && w.timeoutDue(finishAt)) this.host.armTimeout(w, finishAt);
    } else this.serve(w, w.serviceTime);
  }

  /**
   * A worker takes the work in `cell`, at the head of the queue. Its record is read only for a
   * probe's service time or a request whose timeout matters (see the tags).
   */
  private startQueued(cell: number): void {
    const tag = this.queues.tag(cell);
    const w = this.leaveQueue(cell);
    if (tag === QUEUED_PROBE) {
      this.serve(w, (w as ProbeRequest).serviceTime);
      return;
    }
    const finishAt = this.serve(w, this.requestTime());
    // Held and on this pod since it was queued; a request that timed out meanwhile just finishes its work.
    if (tag === QUEUED_TIMED_REQUEST && !(w as Attempt).ended && (w as Attempt).timeoutDue(finishAt)) this.host.armTimeout(w as Attempt, finishAt);
  }

  /** A request's service time, drawn from the app's stream. */
  private requestTime(): number {
    return this.template.serviceTime.sample(this.template.serviceRng);
  }

  /** A free worker serves `w` for `duration` seconds from now, at the next position; returns when it ends. */
  private serve(w: Work, duration: number): number {
    const now = this.sim.now;
    const p = this.busy;
    this.addBusy(now, 1);
    const finishAt = now + duration;
    this.rows.hold(this.row, p, this.sim.schedule(finishAt, this, p, w));
    return finishAt;
  }

  /** The work `w` at position p is done: the last position in service takes its place. */
  private finishService(p: number, w: Work): void {
    const now = this.sim.now;
    const last = this.busy - 1;
    // The moved work's done event fires with its new position.
    if (p !== last) this.sim.rekind(this.rows.moveLast(this.row, last, p), p);
    else this.rows.vacate(this.row, p);
    this.addBusy(now, -1);
    if (w instanceof Attempt) {
      w.held = false;
      if (w.ended) this.host.attemptReleased(w);
      else {
        this.served += w.measured ? 1 : 0; // as `received` in `admit`
        this.host.attemptEnded(w, "ok");
      }
    } else if (!w.ended) {
      w.sender.answered(w, !(w.readiness && now < this.unreadyUntil));
    }
    const next = this.shiftQueue();
    if (next !== NO_CELL) this.startQueued(next);
    else if (this.draining && this.idle) this.pod.processExited();
  }

  private stopAccepting(): void {
    this.accepting = false;
    this.draining = true;
    this.updateAnswer();
    this.connections.closeAll(this.sim.now, this.pod.container); // FIN, or GOAWAY for HTTP/2
    if (this.idle) this.pod.processExited();
  }

  private pushQueue(w: Work, tag: number): void {
    const cell = this.queues.push(w, tag, this.queueTail);
    if (this.queueTail === NO_CELL) this.queueHead = cell;
    this.queueTail = cell;
    this.queued++;
  }

  /** Takes the first cell off the queue (NO_CELL when it is empty); it still holds its work (see leaveQueue). */
  private shiftQueue(): number {
    const cell = this.queueHead;
    if (cell === NO_CELL) return NO_CELL;
    this.queueHead = this.queues.after(cell);
    if (this.queueHead === NO_CELL) this.queueTail = NO_CELL;
    this.queued--;
    return cell;
  }

  /** Frees a cell taken off the queue; returns its work. */
  private leaveQueue(cell: number): Work {
    const w = this.queues.work(cell) as Work;
    this.queues.release(cell);
    return w;
  }

  private dropHeld(w: Work): void {
    if (w instanceof Attempt) {
      w.held = false;
      if (w.ended) this.host.attemptReleased(w);
      else this.host.attemptEnded(w, "reset");
    } else if (!w.ended) w.sender.answered(w, false);
  }

  private addBusy(now: number, delta: number): void {
    this.rows.advance(this.row, this.busy, now);
    this.busy += delta;
  }
}
