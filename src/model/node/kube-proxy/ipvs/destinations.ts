/**
 * An IPVS virtual service's real servers as kube-proxy programs them: its weights (kube-proxy writes
 * 1 for every endpoint, pkg/proxy/ipvs/proxier.go syncEndpoint) and whether a rewrite of the rules
 * added or deleted any, which is when the kernel calls a scheduler's add_dest / del_dest hooks.
 */
import type { Pod } from "../../kubelet/pod.js";
import { StatelessBalancer, type Balancer } from "../balancer.js";

/** What holds an IPVS scheduler's list and may still owe it changes (IpvsVirtualServer). */
export interface ListOwner {
  /** Hands the scheduler every change it was not yet told of. */
  catchUp(): void;
}

/**
 * A scheduler whose list an owner may hand over late: `behind` says the owner still holds changes,
 * and every pick starts by asking for them. The flag sits on the scheduler, which a pick reads
 * anyway, so an up-to-date pick touches no other object. Each pick frame reads it in its own line
 * (`if (this.behind) this.owner!.catchUp()`; at most four classes share one, ConnectionScheduler's),
 * not through one function shared by all: its read of the flag would see seven classes (a
 * megamorphic property load on every pick).
 */
export interface DeferrableScheduler extends Balancer {
  behind: boolean;
  owner: ListOwner | null;
}

/** The frame of the schedulers without connection counts (rr, wrr, sh, mh) as a table defers their lists. */
export abstract class DeferrableStatelessScheduler extends StatelessBalancer implements DeferrableScheduler {
  behind = false;
  owner: ListOwner | null = null;
}

/**
 * The frame of sh and mh, whose lookup table is a function of the list alone: it is filled at the
 * first look after a change of the list (most nodes' kube-proxies rewrite a Service's rules many
 * times over without a client of theirs picking in between, and only the last list's table is read).
 */
export abstract class TableScheduler extends DeferrableStatelessScheduler {
  /** The table is still to be filled for `endpoints`. */
  private stale = false;

  override update(endpoints: readonly Pod[]): void {
    if (!destinationsChanged(this.endpoints, endpoints)) return;
    this.list(endpoints);
    this.stale = true;
  }

  /** Brings the list and the table up to date before they are read. */
  protected current(): void {
    if (this.behind) this.owner!.catchUp();
    if (this.stale) {
      this.stale = false;
      this.fill(this.endpoints);
    }
  }

  /** Fills the table for `list`. */
  protected abstract fill(list: readonly Pod[]): void;
}

/** A real server's weight. */
export type Weight = (pod: Pod) => number;
export const KUBE_PROXY_WEIGHT: Weight = () => 1;

/**
 * Whether `next` differs from `prev` as a kernel list: kube-proxy only adds and deletes real servers
 * (the kernel puts each new one at the head), so any difference in order means one was added or
 * deleted; an identical list means the kernel's scheduler hooks were not called.
 */
export function destinationsChanged(prev: readonly Pod[], next: readonly Pod[]): boolean {
  if (prev === next) return false;
  if (prev.length !== next.length) return true;
  for (let i = 0; i < prev.length; i++) if (prev[i] !== next[i]) return true;
  return false;
}

/** Greatest common divisor of the positive weights, 0 if there are none (ip_vs_wrr_gcd_weight, ip_vs_mh_gcd_weight). */
export function gcdWeight(list: readonly Pod[], weight: Weight): number {
  let g = 0;
  for (const pod of list) {
    let w = weight(pod);
    if (w <= 0) continue;
    let a = g;
    while (a !== 0) [a, w] = [w % a, a];
    g = w;
  }
  return g;
}
