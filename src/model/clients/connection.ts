/**
 * A client's long-lived connection: kube-proxy balances only when it opens, then every request on
 * it goes to the same pod until it closes after `maxRequests`, an idle timeout, or when the server
 * drains. This is why long-lived connections skew load (kubernetes#37932, grpc#7957). A keep-alive
 * connection multiplexes requests (HTTP/2, gRPC); a pooled one carries one at a time (HTTP/1.1).
 */
import { CLOSE_NORMAL, type Balancer, type CloseKind } from "../node/kube-proxy/balancer.js";
import type { OpenConnections } from "../app/open-connections.js";
import type { Pod } from "../node/kubelet/pod.js";

export class Connection {
  requests = 0;
  inFlight = 0;
  // Times start as NaN and get their values in the constructor, so V8 keeps them as doubles from the
  // first connection on (README, "Time fields start as doubles").
  /** When a request last used it. */
  lastUsed = NaN;
  closing = false;
  /** A connection nobody accepted (failedHow CLOSE_UNANSWERED): when its connect gives up. */
  connectFailsAt = Infinity;
  /** When the server closed it (FIN, GOAWAY); -1 while it has not. */
  serverClosedAt = NaN;
  /** The server's list of open connections it is in, and its place there. */
  server: OpenConnections | null = null;
  serverSlot = -1;
  /** How it ended, for the balancer's connection table. */
  private how: CloseKind = CLOSE_NORMAL;
  private released = false;

  /** The pod's container incarnation it was opened to: a restarted app has none of the old connections. */
  readonly container: number;

  constructor(
    readonly pod: Pod,
    readonly balancer: Balancer,
    now: number,
    /** Not established: the pod refused it or never answered. */
    readonly failedHow: CloseKind | null,
  ) {
    this.lastUsed = now;
    this.serverClosedAt = -1;
    this.container = pod.container;
    balancer.opened(pod.id, failedHow === null);
  }

  /** Takes one more request; the connection closes to new ones once it has carried `maxRequests`. */
  carry(maxRequests: number): void {
    this.inFlight++;
    if (++this.requests >= maxRequests) this.closing = true;
  }

  /** Whether a new request may use it; an idle connection past its timeout counts as closed. */
  usable(now: number, idleTimeout: number): boolean {
    if (this.closing) return false;
    if (this.inFlight === 0 && now - this.lastUsed >= idleTimeout) {
      this.close();
      return false;
    }
    return true;
  }

  /** No new requests; the balancer's count drops once the last one in flight has ended. */
  close(how: CloseKind = CLOSE_NORMAL): void {
    this.closing = true;
    if (how !== CLOSE_NORMAL) this.how = how;
    this.releaseIfDone();
  }

  /** The server closed it gracefully: no new requests; it goes once those in flight are answered. */
  closedByServer(now: number): void {
    this.serverClosedAt = now;
    this.close();
  }

  /**
   * Whether the server's FIN is still on its way to the client (one network `latency`): an
   * HTTP/1.1 client that sends on the connection now crosses it, and the server's kernel resets it.
   */
  racing(now: number, latency: number): boolean {
    return this.serverClosedAt >= 0 && now < this.serverClosedAt + latency;
  }

  requestEnded(now: number): void {
    this.inFlight--;
    this.lastUsed = now;
    this.releaseIfDone();
  }

  private releaseIfDone(): void {
    if (this.closing && this.inFlight === 0 && !this.released) {
      this.released = true;
      this.server?.remove(this);
      this.balancer.closed(this.pod.id, this.failedHow ?? this.how);
    }
  }
}
