/**
 * A client's keep-alive connection (HTTP/1.1 keep-alive, HTTP/2, gRPC): kube-proxy balances only
 * when it opens, then every request on it goes to the same pod until it closes after `maxRequests`
 * or an idle timeout. This is why long-lived connections skew load (kubernetes#37932, grpc#7957).
 * Requests on one connection are multiplexed, as HTTP/2 and gRPC do.
 */
import { CLOSE_NORMAL, type Balancer, type CloseKind } from "../node/kube-proxy/balancer.js";
import type { Pod } from "../node/kubelet/pod.js";

export class Connection {
  requests = 0;
  inFlight = 0;
  lastUsed: number;
  closing = false;
  /** A connection nobody accepted (failedHow CLOSE_UNANSWERED): when its connect gives up. */
  connectFailsAt = Infinity;
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
    this.container = pod.container;
    balancer.opened(pod, failedHow === null);
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

  requestEnded(now: number): void {
    this.inFlight--;
    this.lastUsed = now;
    this.releaseIfDone();
  }

  private releaseIfDone(): void {
    if (this.closing && this.inFlight === 0 && !this.released) {
      this.released = true;
      this.balancer.closed(this.pod, this.failedHow ?? this.how);
    }
  }
}
