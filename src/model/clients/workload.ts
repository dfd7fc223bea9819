/**
 * The clients of one Service: open-loop arrivals, each handed to one of the clients spread over the
 * nodes, or closed-loop clients that each send a request, wait for it to end, think and send the
 * next; the client's node's kube-proxy (or a static proxy) picks the pod; per-attempt timeouts;
 * retries that pick again through the same view; per-request or keep-alive connections.
 */
import { NO_EVENT, type EventHandler, type Simulation } from "../../engine/index.js";
import { makeDistribution, type Distribution } from "../../random/distributions.js";
import type { RandomStream } from "../../random/index.js";
import type { Outcome, WorkloadSpec } from "../../scenario/types.js";
import type { Service } from "../api/service.js";
import type { ServiceMetrics } from "../metrics.js";
import type { Pod } from "../node/kubelet/pod.js";
import type { AppServer } from "../app/server.js";
import { CLOSE_NORMAL, CLOSE_REFUSED, CLOSE_RESET, CLOSE_UNANSWERED, NO_POD, type Balancer, type CloseKind } from "../node/kube-proxy/balancer.js";
import type { ArrivalProcess } from "./arrivals.js";
import { AttemptPool, HOLDS_RETRY, TRANSPARENT_USED, type Attempt } from "./attempt.js";
import { Client } from "./client.js";
import { Connection } from "./connection.js";
import type { PodNetwork } from "../node/pod-network.js";
import { ACCEPTED, CLOSED, OVERLOADED, REFUSED, RELEASED, UNREACHABLE } from "./offer.js";
import { FINISH, FINISH_DENIED, FINISH_EXHAUSTED, RETRY_COUNTED, RETRY_TRANSPARENT, type RetryPolicy } from "./retry-policy.js";
import { RETRANSMIT_TIMEOUT } from "./tcp.js";

const ARRIVE = 0;
const RETRY = 1;
const TIMEOUT = 2;
const CONNECT_FAILED = 3;
/** A closed-loop client has thought long enough: it sends its next request. */
const THINK_DONE = 4;
/** An outcome from a pod in another zone reaches the client. */
const DELIVER = 5;

/** How a client holds its connections (workload `connections.mode`). */
const PER_REQUEST = 0;
const KEEP_ALIVE = 1;
const POOL = 2;

/** How an established connection ended, for the node's connection table: a reset, or a normal close. */
function closeKindOf(outcome: Outcome): CloseKind {
  return outcome === "reset" ? CLOSE_RESET : CLOSE_NORMAL;
}

/**
 * Where a client's new connection is balanced: its node's kube-proxy view, or a static proxy; for an
 * external client, the view of the node the load balancer (or the client's pick of node port)
 * chose. null: nothing answers the SYN (that node is down, or DROPs it for want of a local endpoint).
 * An object, not a closure: a closure per run would show the workload's call site a new function in
 * every run of a comparison, and V8 would throw away the code compiled for the last one.
 */
export interface Router {
  route(client: Client, service: number): Balancer | null;
}

/** What the cluster's topology does to a workload's traffic. */
export interface WorkloadTopology {
  /** Whether the client's node's rules DROP its new connections (internalTrafficPolicy Local, no local endpoint). */
  drops(client: Client): boolean;
  /** Whether nodes are in zones: only then are zones compared and crossings counted. */
  readonly zoned: boolean;
  /** What one round trip to a pod in another zone adds, seconds. */
  readonly crossZoneRoundTrip: number;
}

export interface WorkloadRandom {
  /** Open-loop arrivals; null for closed-loop clients. */
  arrivals: ArrivalProcess | null;
  /** Which client sends each arrival. */
  clients: RandomStream;
  /** Closed-loop clients' think times (between the end of a request and the next). */
  think: RandomStream;
  retries: RetryPolicy;
  /** When an ICMP host-unreachable comes back from a released pod IP. */
  network: RandomStream;
}

export class Workload implements EventHandler {
  readonly clients: Client[];
  private live: Client[];
  private readonly mode: number;
  private readonly maxRequests: number;
  private readonly idleTimeout: number;
  /** Idle connections a pooled client keeps. */
  private readonly poolSize: number;
  /** Closed-loop clients' think time; null for open-loop clients. */
  private readonly thinkTime: Distribution | null;
  /** Requests with an outcome still to come, measured or not. */
  open = 0;
  /** Requests that arrived, measured or not. */
  arrived = 0;
  private readonly attempts = new AttemptPool();

  constructor(
    private readonly sim: Simulation,
    readonly spec: WorkloadSpec,
    readonly service: Service,
    clientNodes: readonly number[],
    private readonly random: WorkloadRandom,
    private readonly router: Router,
    private readonly topology: WorkloadTopology,
    private readonly network: PodNetwork,
    /** The cluster's app servers by pod id: where a balancer's pick leads. */
    private readonly servers: readonly AppServer[],
    private readonly metrics: ServiceMetrics,
    /** Arrivals in [measureFrom, arrivalsEnd) are measured; none arrive after arrivalsEnd. */
    private readonly measureFrom: number,
    private readonly arrivalsEnd: number,
  ) {
    this.clients = clientNodes.map((node) => new Client(node, this));
    this.live = this.clients.slice();
    const c = spec.connections;
    this.mode = c.mode === "keep-alive" ? KEEP_ALIVE : c.mode === "pool" ? POOL : PER_REQUEST;
    this.maxRequests = c.mode === "per-request" ? 1 : c.maxRequests;
    this.idleTimeout = c.mode === "per-request" ? 0 : c.idleTimeout;
    this.poolSize = c.mode === "pool" ? c.size : 0;
    this.thinkTime = spec.clients.mode === "closed" ? makeDistribution(spec.clients.thinkTime) : null;
  }

  start(): void {
    if (this.thinkTime === null) {
      this.scheduleArrival();
      return;
    }
    // Closed loop: each client starts after one think time (0: all at once), then paces itself.
    for (const client of this.clients) this.think(client);
  }

  /** The clients on a failed node are gone; the others take over its share of the load. */
  nodeDown(node: number): void {
    for (const c of this.clients) if (c.node === node) c.alive = false;
    this.live = this.clients.filter((c) => c.alive);
  }

  onEvent(sim: Simulation, kind: number, payload: unknown): void {
    if (kind === ARRIVE) {
      this.scheduleArrival();
      if (this.live.length === 0) return;
      this.arrive(this.live[this.random.clients.int(this.live.length)]);
    } else if (kind === THINK_DONE) {
      const client = payload as Client;
      const now = sim.now;
      if (!client.alive || now >= this.arrivalsEnd) return;
      this.arrive(client);
    } else if (kind === DELIVER) {
      const a = payload as Attempt;
      a.deliverEvent = NO_EVENT;
      this.attemptEnded(a, a.arriving); // an attempt that ends first cancels its delivery
    } else if (kind === RETRY) {
      const a = payload as Attempt;
      // A backoff that reached the request's deadline (with a per-try timeout) ends it there.
      const outcome = !a.client.alive ? "reset" : sim.now >= this.requestDeadline(a) ? "timeout" : null;
      if (outcome === null) this.send(a);
      else {
        if (a.flags & HOLDS_RETRY) a.client.retrying--;
        this.finish(a, outcome);
        this.attempts.release(a);
      }
    } else {
      // TIMEOUT, or CONNECT_FAILED: nothing accepted the connection (connect timeout, ICMP host-unreachable).
      const a = payload as Attempt;
      a.timeoutEvent = NO_EVENT;
      if (!a.ended) this.attemptEnded(a, kind === TIMEOUT ? "timeout" : "unreachable");
    }
  }

  // The hot calls below read the clock themselves rather than take the time as an argument: a
  // double passed to a call that is not inlined is boxed, one heap object per call.

  /** A new request from `client`, now. */
  private arrive(client: Client): void {
    const now = this.sim.now;
    const a = this.attempts.take(client, 0, now >= this.measureFrom);
    a.arrival = now;
    a.sentAt = now;
    this.setDeadline(a);
    this.open++;
    client.active++;
    this.arrived++;
    this.metrics.arrived(a);
    this.send(a);
  }

  private scheduleArrival(): void {
    const next = this.random.arrivals!.next(this.sim.now);
    if (next < this.arrivalsEnd) this.sim.schedule(next, this, ARRIVE);
  }

  /** A closed-loop client waits a think time before its next request. */
  private think(client: Client): void {
    this.sim.schedule(this.sim.now + this.thinkTime!.sample(this.random.think), this, THINK_DONE, client);
  }

  private send(a: Attempt): void {
    const client = a.client;
    const reused = this.mode === PER_REQUEST ? null : this.reuse(client);
    if (reused !== null) {
      a.connection = reused;
      a.failedHow = reused.failedHow;
      reused.carry(this.maxRequests);
      if (this.topology.zoned) this.cross(a, reused.pod, 1);
      // A connection still waiting for an answer to its SYN: the request shares the connect's fate.
      if (reused.failedHow === CLOSE_UNANSWERED) this.awaitConnect(a, reused.pod, reused.connectFailsAt);
      else this.handleOffer(a, reused.pod, reused.pod.offerOnConnection(a, reused.container));
      return;
    }
    const balancer = this.router.route(client, this.service.index);
    if (balancer === null) {
      // Nothing answers the SYN: the node DROPs it (a Local policy without a local endpoint), or is down.
      if (this.topology.drops(client)) this.dropped(a);
      else this.awaitConnect(a, null, this.sim.now + this.spec.connectTimeout);
      return;
    }
    let podId = balancer.pick(client.ip);
    if (podId === NO_POD) {
      if (this.topology.drops(client)) this.dropped(a);
      else this.attemptEnded(a, "no-endpoints");
      return;
    }
    // The SYN goes to the pod's app, found by the pod's id: a per-request attempt reads no Pod on the
    // way (a kept-alive or pooled connection, made below, keeps its pod; zones read its zone).
    let server = this.servers[podId];
    // A new connection: its handshake is one more round trip.
    const zoned = this.topology.zoned;
    if (zoned) a.transit = this.transit(a, server.pod, 2);
    let code = server.offer(a);
    // A static nginx upstream moves on to its next server when a connection is refused.
    for (let tries = balancer.nextUpstreamTries; code === REFUSED && tries > 0; tries--) {
      podId = balancer.pick(client.ip);
      server = this.servers[podId];
      if (zoned) a.transit = this.transit(a, server.pod, 2);
      code = server.offer(a);
    }
    const pod = server.pod;
    if (zoned) this.metrics.routed(a, client.zone, pod.zone);
    // Every attempt passes through the node's connection table, a refused or unanswered one too.
    const unanswered = code === UNREACHABLE || code === RELEASED;
    const failedHow = code === REFUSED ? CLOSE_REFUSED : unanswered ? CLOSE_UNANSWERED : null;
    const connectFailsAt = unanswered ? this.connectFailsAt(code) : Infinity;
    a.failedHow = failedHow;
    if (this.mode !== PER_REQUEST) {
      const conn = new Connection(pod, balancer, this.sim.now, failedHow);
      conn.connectFailsAt = connectFailsAt;
      if (code === ACCEPTED || code === OVERLOADED) server.connections.add(conn);
      if (this.mode === KEEP_ALIVE) client.connection = conn;
      a.connection = conn;
      conn.carry(this.maxRequests);
    } else {
      a.balancer = balancer;
      a.podId = podId;
      balancer.opened(podId, failedHow === null);
    }
    if (unanswered) this.awaitConnect(a, pod, connectFailsAt);
    else this.handleOffer(a, pod, code);
  }

  /**
   * A connection the client already holds and can send on: its one keep-alive connection, or the
   * most recently used idle one of its pool (as Go's http.Transport picks). A pooled connection
   * whose server's FIN is still on its way is taken too: the request crosses the close and fails.
   */
  private reuse(client: Client): Connection | null {
    const now = this.sim.now;
    if (this.mode === KEEP_ALIVE) {
      const conn = client.connection;
      return conn !== null && conn.usable(now, this.idleTimeout) ? conn : null;
    }
    const idle = client.idle;
    for (let conn = idle.pop(); conn !== undefined; conn = idle.pop()) {
      if (conn.usable(now, this.idleTimeout) || conn.racing(now, this.network.latency)) return conn;
    }
    return null;
  }

  /**
   * When a connect that no pod accepts gives up: at the connect timeout, or earlier when the pod
   * network answers a released IP with an ICMP host-unreachable (a dead node answers nothing).
   */
  private connectFailsAt(code: number): number {
    const answer = code === RELEASED ? this.network.releasedIpAnswer(this.random.network) : Infinity;
    return this.sim.now + Math.min(this.spec.connectTimeout, answer);
  }

  /**
   * The node's rules DROP the SYN (internalTrafficPolicy Local without a local endpoint): nothing
   * answers, and the client's connect gives up at its connect timeout unless its timeout comes first.
   */
  private dropped(a: Attempt): void {
    this.metrics.noLocalEndpoint(a);
    this.awaitConnect(a, null, this.sim.now + this.spec.connectTimeout);
  }

  /**
   * What an attempt to `pod` adds to its latency: nothing in the client's zone, else `roundTrips`
   * round trips between zones (2 on a new connection, whose handshake is one, 1 on an open one).
   */
  private transit(a: Attempt, pod: Pod, roundTrips: number): number {
    return a.client.zone === pod.zone ? 0 : roundTrips * this.topology.crossZoneRoundTrip;
  }

  /** An attempt on an open connection to `pod`: counted, with its transit set before the pod sees it. */
  private cross(a: Attempt, pod: Pod, roundTrips: number): void {
    a.transit = this.transit(a, pod, roundTrips);
    this.metrics.routed(a, a.client.zone, pod.zone);
  }

  /** The attempt waits on a connect nobody accepts: `unreachable` when it fails, `timeout` if the client gives up first. */
  private awaitConnect(a: Attempt, pod: Pod | null, failAt: number): void {
    a.pod = pod;
    const now = this.sim.now;
    const timeoutAt = a.deadline;
    a.timeoutEvent =
      timeoutAt <= failAt ? this.sim.schedule(Math.max(timeoutAt, now), this, TIMEOUT, a) : this.sim.schedule(Math.max(failAt, now), this, CONNECT_FAILED, a);
  }

  private handleOffer(a: Attempt, pod: Pod, code: number): void {
    if (code === ACCEPTED) return;
    a.pod = pod;
    if (code === REFUSED) this.deliver(a, "refused");
    else if (code === OVERLOADED) this.deliver(a, "overload");
    else if (code === CLOSED) this.deliver(a, "reset");
    else this.armTimeout(a, Infinity); // UNREACHABLE on an established connection: only a timeout ends it
  }

  /** An outcome from the pod: it reaches the client now, or after the round trip from another zone. */
  deliver(a: Attempt, outcome: Outcome): void {
    if (a.transit === 0) {
      this.attemptEnded(a, outcome);
      return;
    }
    a.arriving = outcome;
    a.deliverEvent = this.sim.schedule(this.sim.now + a.transit, this, DELIVER, a);
  }

  /**
   * Sets when the attempt times out (its `deadline`, once it is taken): `timeout` after it was sent;
   * with a per-try timeout (Envoy), that after it was sent or the request's deadline, `timeout`
   * after its arrival, whichever comes first. Stored here rather than returned: a double returned by
   * a call V8 does not inline is boxed, a heap object per request.
   */
  private setDeadline(a: Attempt): void {
    const perTry = this.random.retries.perTryTimeout;
    a.deadline = perTry === Infinity ? a.sentAt + this.spec.timeout : Math.min(a.sentAt + perTry, a.arrival + this.spec.timeout);
  }

  /** With a per-try timeout, no attempt starts after the request's deadline; without, none applies. */
  private requestDeadline(a: Attempt): number {
    return this.random.retries.perTryTimeout === Infinity ? Infinity : a.arrival + this.spec.timeout;
  }

  /** Keeps the attempt's timeout event only if its deadline comes before its answer arrives. */
  armTimeout(a: Attempt, workDoneAt: number): void {
    const finishAt = workDoneAt + a.transit;
    let deadline = a.deadline;
    // An established connection to a dead node: the client's kernel retransmits until tcp_retries2.
    if (a.pod !== null && a.pod.unreachable) deadline = Math.max(this.sim.now, Math.min(deadline, a.sentAt + RETRANSMIT_TIMEOUT));
    if (deadline < finishAt) {
      const at = Math.max(deadline, this.sim.now);
      if (a.timeoutEvent !== NO_EVENT && this.sim.timeOf(a.timeoutEvent) > at) {
        this.sim.cancel(a.timeoutEvent);
        a.timeoutEvent = NO_EVENT;
      }
      if (a.timeoutEvent === NO_EVENT) a.timeoutEvent = this.sim.schedule(at, this, TIMEOUT, a);
    } else if (a.timeoutEvent !== NO_EVENT) {
      this.sim.cancel(a.timeoutEvent);
      a.timeoutEvent = NO_EVENT;
    }
  }

  /** Ends an attempt: its connection is told, then it is retried or the request ends. */
  attemptEnded(a: Attempt, outcome: Outcome): void {
    a.ended = true;
    if (a.timeoutEvent !== NO_EVENT) {
      this.sim.cancel(a.timeoutEvent);
      a.timeoutEvent = NO_EVENT;
    }
    if (a.deliverEvent !== NO_EVENT) {
      this.sim.cancel(a.deliverEvent);
      a.deliverEvent = NO_EVENT;
    }
    const now = this.sim.now;
    if (outcome !== "ok" && a.measured && a.pod !== null) a.pod.dropped++;
    const conn = a.connection;
    if (conn !== null) {
      // A failed exchange leaves the connection unusable; an overloaded pod's 503 does not.
      if (outcome !== "ok" && outcome !== "overload") conn.close(closeKindOf(outcome));
      conn.requestEnded(now);
      if (this.mode === POOL) this.release(a.client, conn);
      else if (conn.closing && a.client.connection === conn) a.client.connection = null;
    } else if (a.balancer !== null && a.pod !== null) {
      a.balancer.closed(a.podId, a.failedHow ?? closeKindOf(outcome));
    }
    const client = a.client;
    // Envoy frees a retry's slot when its attempt ends, before deciding on the next.
    if (a.flags & HOLDS_RETRY) client.retrying--;
    const next = now >= this.requestDeadline(a) ? FINISH : this.random.retries.next(a, outcome);
    if (next === RETRY_COUNTED || next === RETRY_TRANSPARENT) {
      const counted = next === RETRY_COUNTED;
      // A transparent retry goes at once; a counted one after its backoff, cut short by the request's deadline.
      const at = counted ? Math.min(now + this.random.retries.backoffDelay(), this.requestDeadline(a)) : now;
      const retry = this.attempts.take(client, counted ? a.number + 1 : a.number, a.measured);
      retry.arrival = a.arrival;
      retry.sentAt = at;
      this.setDeadline(retry);
      retry.interval = a.interval;
      retry.flags = (a.flags & TRANSPARENT_USED) | (counted ? HOLDS_RETRY : TRANSPARENT_USED);
      if (counted) client.retrying++;
      this.metrics.retried(a, !counted);
      this.sim.schedule(at, this, RETRY, retry);
    } else {
      if (next === FINISH_EXHAUSTED) this.metrics.exhausted(a);
      else if (next === FINISH_DENIED) this.metrics.retryDenied(a);
      this.finish(a, outcome);
    }
    if (!a.held) this.attempts.release(a);
  }

  /** The app let go of an attempt that had already ended (it timed out while the app held it). */
  appReleased(a: Attempt): void {
    this.attempts.release(a);
  }

  /** A pooled connection back from its request: idle in the pool, or closed if the pool is full. */
  private release(client: Client, conn: Connection): void {
    if (conn.closing) return;
    if (client.idle.length < this.poolSize) client.idle.push(conn);
    else conn.close();
  }

  private finish(a: Attempt, outcome: Outcome): void {
    this.open--;
    a.client.active--;
    a.endedAt = this.sim.now;
    this.metrics.ended(a, outcome);
    if (this.thinkTime !== null && a.client.alive) this.think(a.client);
  }
}
