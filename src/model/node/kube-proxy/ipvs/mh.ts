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
import { NO_POD } from "../balancer.js";
import { gcdWeight, KUBE_PROXY_WEIGHT, TableScheduler, type Weight } from "./destinations.js";
import { SourceSlots } from "./source-slots.js";

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

/**
 * Memo of a pure hash shared by every node's table: a real server's place in the permutation
 * (offset and skip, packed as offset * 4096 + skip), by address. SipHash on BigInt costs
 * microseconds, and 1,000 nodes writing the same 400 pods would otherwise hash each of them 2,000
 * times per rewrite. Bounded: cleared when it grows past MEMO_LIMIT.
 */
const permutations = new Map<number, number>();
const MEMO_LIMIT = 1 << 16;

function permutationOf(address: number): number {
  let packed = permutations.get(address);
  if (packed === undefined) {
    if (permutations.size >= MEMO_LIMIT) permutations.clear();
    const offset = hashKey(address, TARGET_PORT, HASH1) % MH_TABLE_SIZE;
    const skip = (hashKey(address, TARGET_PORT, HASH2) % (MH_TABLE_SIZE - 1)) + 1;
    packed = offset * 4096 + skip;
    permutations.set(address, packed);
  }
  return packed;
}

/** A client's slot: ip_vs_mh_hashkey of its source address (the port is not hashed), mod the table size. */
export function sourceSlotOf(source: number): number {
  return hashKey(source, 0, HASH1) % MH_TABLE_SIZE;
}

const sourceSlots = new SourceSlots(sourceSlotOf);

/**
 * Each node fills a table of its own: the servers claim slots in the node's list order, and the
 * first in that order wins a slot two prefer, so nodes listing the same pods in different orders
 * (virtual-server.ts) get different tables; only the hashes above are shared.
 */
export class MaglevHashingBalancer extends TableScheduler {
  /**
   * lookup[slot]: the index in `endpoints` of the slot's server, -1 for none. Indices in a typed
   * array rather than pods in an array: 1,000 nodes' tables would be 4 M pointers for the garbage
   * collector to trace.
   */
  private readonly lookup = new Int32Array(MH_TABLE_SIZE).fill(-1);

  constructor(
    /** A pod's IP address. */
    private readonly address: (pod: Pod) => number,
    private readonly weight: Weight = KUBE_PROXY_WEIGHT,
    /** Free slots left when the fill stops probing (0: it probes to the end, as the kernel does). */
    private readonly lateFree = LATE_FREE,
  ) {
    super();
  }

  pick(source: number): number {
    this.current();
    const at = this.lookup[sourceSlots.slot(source)];
    return at < 0 || this.weight(this.endpoints[at]) <= 0 ? NO_POD : this.ids[at];
  }

  /** The lookup table, slot by slot (for tests). */
  get table(): readonly (Pod | null)[] {
    this.current();
    return Array.from(this.lookup, (at) => (at < 0 ? null : this.endpoints[at]));
  }

  /** Lookup-table slots that send to `pod`. */
  slots(pod: Pod): number {
    this.current();
    const at = this.endpoints.indexOf(pod);
    if (at < 0) return 0;
    let n = 0;
    for (const i of this.lookup) if (i === at) n++;
    return n;
  }

  /** ip_vs_mh_permutate and ip_vs_mh_populate. */
  protected fill(list: readonly Pod[]): void {
    const gcd = gcdWeight(list, this.weight);
    if (gcd < 1) {
      this.lookup.fill(-1);
      return;
    }
    let maxWeight = 0;
    for (const pod of list) maxWeight = Math.max(maxWeight, this.weight(pod));
    const rshift = Math.max(0, fls(Math.floor(maxWeight / gcd)) - MH_TABLE_BITS);
    const n = list.length;
    const s = scratchFor(n);
    const { perm, skip, turns } = s;
    for (let i = 0; i < n; i++) {
      const pod = list[i];
      const packed = permutationOf(this.address(pod));
      perm[i] = Math.floor(packed / 4096);
      skip[i] = packed % 4096;
      const w = this.weight(pod);
      turns[i] = Math.floor(w / gcd) >> rshift || (w !== 0 ? 1 : 0);
    }
    fill(n, s, this.lookup, this.lateFree);
  }
}

/**
 * Scratch arrays of a fill (one fill runs to its end before another starts): each server's next
 * preferred slot, its skip and its turns, and which slots are taken.
 */
interface Scratch {
  perm: Int32Array;
  skip: Int32Array;
  turns: Int32Array;
  taken: Uint8Array;
  free: Int32Array;
}
let scratch: Scratch = { perm: new Int32Array(0), skip: new Int32Array(0), turns: new Int32Array(0), taken: new Uint8Array(MH_TABLE_SIZE), free: new Int32Array(MH_TABLE_SIZE) };

function scratchFor(n: number): Scratch {
  if (scratch.perm.length < n) {
    const cap = Math.max(n, 2 * scratch.perm.length);
    scratch = { ...scratch, perm: new Int32Array(cap), skip: new Int32Array(cap), turns: new Int32Array(cap) };
  }
  return scratch;
}

/**
 * inverse[s]: s^-1 mod MH_TABLE_SIZE (a prime), so that the number of steps k from slot c to slot f
 * along a server's preferences c, c + skip, c + 2 skip, ... solves c + k skip = f (mod size).
 */
const inverse = (() => {
  const inv = new Int32Array(MH_TABLE_SIZE);
  inv[1] = 1;
  for (let i = 2; i < MH_TABLE_SIZE; i++) inv[i] = (MH_TABLE_SIZE - ((Math.floor(MH_TABLE_SIZE / i) * inv[MH_TABLE_SIZE % i]) % MH_TABLE_SIZE)) % MH_TABLE_SIZE;
  return inv;
})();

/**
 * With this many free slots or fewer, a server's next free slot is found by solving for each free
 * slot how many steps away it lies (the nearest wins) rather than by probing: probing costs about
 * size / free steps, solving `free` (slower ones): they cross between 32 and 64 (measured).
 */
const LATE_FREE = 32;

/**
 * ip_vs_mh_populate's loop: the servers take turns, in list order, each claiming its next free
 * preferred slot (`turns` of them in a row). Its last 32 slots are claimed by solving for the
 * nearest free slot instead of probing: the same slot, since every server's preferences visit every
 * slot once (size is prime), and the first free one along them is the one fewest steps away.
 */
function fill(n: number, s: Scratch, lookup: Int32Array, late: number): void {
  const { perm, skip, turns, taken } = s;
  taken.fill(0);
  let filled = 0;
  let turn = 0;
  const early = MH_TABLE_SIZE - late;
  while (filled < early) {
    for (let i = 0; i < n; ) {
      if (turns[i] < 1) {
        i++;
        continue;
      }
      let c = perm[i];
      const step = skip[i];
      while (taken[c] !== 0) {
        // c + step mod size, without a branch: the wrap is a coin toss the CPU cannot predict.
        c += step;
        c -= ((MH_TABLE_SIZE - 1 - c) >> 31) & MH_TABLE_SIZE;
      }
      perm[i] = c;
      taken[c] = 1;
      lookup[c] = i;
      if (++turn >= turns[i]) {
        turn = 0;
        i++;
      }
      if (++filled === early) {
        if (filled < MH_TABLE_SIZE) lateFill(n, s, lookup, i, turn, filled);
        return;
      }
    }
  }
  lateFill(n, s, lookup, 0, turn, filled);
}

/** The rest of the fill from server `i` (its `turn` claims made), when few slots are free. */
function lateFill(n: number, s: Scratch, lookup: Int32Array, i: number, turn: number, filled: number): void {
  const { perm, skip, turns, taken, free } = s;
  let count = 0;
  for (let c = 0; c < MH_TABLE_SIZE; c++) if (!taken[c]) free[count++] = c;
  while (filled < MH_TABLE_SIZE) {
    for (; i < n; ) {
      if (turns[i] < 1) {
        i++;
        continue;
      }
      const c = perm[i];
      const inv = inverse[skip[i]];
      let best = 0;
      let bestSteps = MH_TABLE_SIZE;
      for (let j = 0; j < count; j++) {
        let d = free[j] - c;
        if (d < 0) d += MH_TABLE_SIZE;
        const steps = (d * inv) % MH_TABLE_SIZE;
        if (steps < bestSteps) {
          bestSteps = steps;
          best = j;
        }
      }
      const slot = free[best];
      free[best] = free[--count];
      perm[i] = slot;
      taken[slot] = 1;
      lookup[slot] = i;
      if (++filled === MH_TABLE_SIZE) return;
      if (++turn >= turns[i]) {
        turn = 0;
        i++;
      }
    }
    i = 0;
  }
}
