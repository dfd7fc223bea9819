/**
 * IPVS `sh` scheduler, source hashing (ip_vs_sh.c): a 256-bucket table (IP_VS_SH_TAB_BITS 8) whose
 * buckets are dealt to the real servers in list order, `weight` buckets each in turn; a connection
 * goes to the bucket of hash_32(source address, 8), so a client always reaches the same pod while
 * the list is unchanged. Any added or deleted server deals the whole table again, which moves most
 * clients. kube-proxy sets neither sh-port nor sh-fallback, so the port is not hashed and a bucket
 * whose server has weight 0 finds no destination.
 */
import type { Pod } from "../../kubelet/pod.js";
import { NO_POD } from "../balancer.js";
import { KUBE_PROXY_WEIGHT, TableScheduler, type Weight } from "./destinations.js";

export const SH_TABLE_BITS = 8;
const SIZE = 1 << SH_TABLE_BITS;
/** GOLDEN_RATIO_32 of include/linux/hash.h. */
const GOLDEN_RATIO_32 = 0x61c88647;

/** hash_32(val, bits): the top `bits` bits of val * GOLDEN_RATIO_32 (mod 2^32). */
export function hash32(value: number, bits: number): number {
  return Math.imul(value, GOLDEN_RATIO_32) >>> (32 - bits);
}

export class SourceHashingBalancer extends TableScheduler {
  /** buckets[b]: the position in `endpoints` of the bucket's server, -1 for none. */
  private readonly buckets = new Int32Array(SIZE).fill(-1);

  constructor(private readonly weight: Weight = KUBE_PROXY_WEIGHT) {
    super();
  }

  pick(source: number): number {
    this.current();
    const at = this.buckets[hash32(source, SH_TABLE_BITS)];
    return at < 0 || this.weight(this.endpoints[at]) <= 0 ? NO_POD : this.ids[at];
  }

  protected fill(endpoints: readonly Pod[]): void {
    // ip_vs_sh_reassign: deal the buckets round the list, `weight` in a row per server.
    let p = 0;
    let count = 0;
    for (let i = 0; i < SIZE; i++) {
      if (endpoints.length === 0) {
        this.buckets[i] = -1;
        continue;
      }
      this.buckets[i] = p;
      if (++count >= this.weight(endpoints[p])) {
        p = (p + 1) % endpoints.length;
        count = 0;
      }
    }
  }

}
