/**
 * IPVS `mh` scheduler, maglev hashing (ip_vs_mh.c; Eisenbud et al., NSDI 2016, section 3.4): each
 * real server gets a preference order over a 4093-slot lookup table (CONFIG_IP_VS_MH_TAB_INDEX 12)
 * from two hashes of its address and port, and the servers take turns claiming their next free
 * preferred slot until the table is full, so each holds about 4093 / n slots. A connection goes to
 * the slot of its source address's hash. A change in the list refills the table, but each server
 * keeps most of its slots, so only about 1/n of the clients move (`sh` moves most of them).
 * kube-proxy sets neither mh-port nor mh-fallback: the source port is not hashed.
 */
import { hsiphash32 } from "../../../../util/siphash.js";
import type { Pod } from "../../kubelet/pod.js";
import { StatelessBalancer } from "../balancer.js";
import { destinationsChanged, gcdWeight, KUBE_PROXY_WEIGHT, type Weight } from "./destinations.js";

/** primes[CONFIG_IP_VS_MH_TAB_INDEX - 8] with the default index 12. */
export const MH_TABLE_SIZE = 4093;
/** IP_VS_MH_TAB_BITS: CONFIG_IP_VS_MH_TAB_INDEX / 2. */
const MH_TABLE_BITS = 6;
/** generate_hash_secret: fixed keys, so every node and boot builds the same table from the same list. */
const HASH1 = 2654435761n;
const HASH2 = 2654446892n;

/** The port kube-proxy's real servers listen on, hashed with their address (a Service's targetPort). */
export const TARGET_PORT = 8080;

/** ip_vs_mh_hashkey of an address and port under one of the two keys. */
function hashKey(address: number, port: number, key: bigint): number {
  return hsiphash32((address + port) >>> 0, key, key);
}

/** fls: the position of the highest set bit, 1-based (0 for 0). */
const fls = (x: number) => (x === 0 ? 0 : 32 - Math.clz32(x));

export class MaglevHashingBalancer extends StatelessBalancer {
  private readonly lookup: (Pod | null)[] = new Array<Pod | null>(MH_TABLE_SIZE).fill(null);
  /** Each client address's slot: the hash never changes, only the table does. */
  private readonly slotOf = new Map<number, number>();

  constructor(
    /** A pod's IP address. */
    private readonly address: (pod: Pod) => number,
    private readonly weight: Weight = KUBE_PROXY_WEIGHT,
  ) {
    super();
  }

  override update(endpoints: readonly Pod[]): void {
    if (!destinationsChanged(this.endpoints, endpoints)) return;
    this.endpoints = endpoints;
    this.populate(endpoints);
  }

  pick(source: number): Pod | null {
    let slot = this.slotOf.get(source);
    if (slot === undefined) {
      slot = hashKey(source, 0, HASH1) % MH_TABLE_SIZE;
      this.slotOf.set(source, slot);
    }
    const dest = this.lookup[slot];
    return dest === null || this.weight(dest) <= 0 ? null : dest;
  }

  /** Lookup-table slots that send to `pod`. */
  slots(pod: Pod): number {
    let n = 0;
    for (const dest of this.lookup) if (dest === pod) n++;
    return n;
  }

  /** ip_vs_mh_permutate and ip_vs_mh_populate. */
  private populate(list: readonly Pod[]): void {
    const gcd = gcdWeight(list, this.weight);
    if (gcd < 1) {
      this.lookup.fill(null);
      return;
    }
    let maxWeight = 0;
    for (const pod of list) maxWeight = Math.max(maxWeight, this.weight(pod));
    const rshift = Math.max(0, fls(Math.floor(maxWeight / gcd)) - MH_TABLE_BITS);
    const n = list.length;
    const perm = new Array<number>(n);
    const skip = new Array<number>(n);
    const turns = new Array<number>(n);
    list.forEach((pod, i) => {
      const addr = this.address(pod);
      perm[i] = hashKey(addr, TARGET_PORT, HASH1) % MH_TABLE_SIZE;
      skip[i] = (hashKey(addr, TARGET_PORT, HASH2) % (MH_TABLE_SIZE - 1)) + 1;
      const w = this.weight(pod);
      turns[i] = Math.floor(w / gcd) >> rshift || (w !== 0 ? 1 : 0);
    });
    const taken = new Uint8Array(MH_TABLE_SIZE);
    let filled = 0;
    let turn = 0;
    while (filled < MH_TABLE_SIZE) {
      for (let i = 0; i < n; ) {
        if (turns[i] < 1) {
          i++;
          continue;
        }
        let c = perm[i];
        while (taken[c]) {
          perm[i] += skip[i];
          if (perm[i] >= MH_TABLE_SIZE) perm[i] -= MH_TABLE_SIZE;
          c = perm[i];
        }
        taken[c] = 1;
        this.lookup[c] = list[i];
        if (++filled === MH_TABLE_SIZE) return;
        if (++turn >= turns[i]) {
          turn = 0;
          i++;
        }
      }
    }
  }
}
