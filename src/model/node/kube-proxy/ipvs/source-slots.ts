/**
 * The Maglev scheduler's memo of each client address's slot (ip_vs_mh hashes the source address to
 * one of its 4,093 lookup slots on every new connection; the kernel recomputes it, svcsim computes it
 * once per address), as a hash table in one typed array. Only the speed of a pick depends on it.
 */

/** The largest SourceSlots table: 2^17 entries (1 MB), at most half of them used. */
const SOURCE_SLOTS_MAX_BITS = 17;

/**
 * A memo of clients' slots, read on every pick: a hash table with open addressing in one typed
 * array, each entry its source address and slot packed in one double (address * 4096 + slot; -1:
 * empty). With tens of thousands of clients a Map's lookup was two or three dependent cache misses
 * (bucket, entry, chain) on every pick; here it is one line, usually the first probed. It doubles
 * while it is at most half full, up to 2^17 entries; full at that size, it starts again empty.
 */
export class SourceSlots {
  /** `compute(source)`: the slot of an address, an integer in [0, 4096). */
  constructor(private readonly compute: (source: number) => number) {}

  private bits = 10;
  private entries = new Float64Array(1 << this.bits).fill(-1);
  private used = 0;

  /** The slot of `source` (an unsigned 32-bit address): `compute(source)`, computed once while its entry is held. */
  slot(source: number): number {
    const entries = this.entries;
    const mask = entries.length - 1;
    // Fibonacci hashing spreads neighbouring addresses (a node's clients) over the table.
    for (let i = Math.imul(source, 0x9e3779b1) >>> (32 - this.bits); ; i = (i + 1) & mask) {
      const e = entries[i];
      if (e < 0) return this.add(i, source);
      // The entry is source * 4096 + slot, slot < 4096, exactly when this lies in [0, 4096).
      const slot = e - source * 4096;
      if (slot >= 0 && slot < 4096) return slot;
    }
  }

  /** Entries held (for tests). */
  get size(): number {
    return this.used;
  }

  /** Stores the slot of `source` at the free entry `at` (or where it goes once the table grew); returns the slot. */
  private add(at: number, source: number): number {
    const slot = this.compute(source);
    if (2 * (this.used + 1) <= this.entries.length) {
      this.entries[at] = source * 4096 + slot;
      this.used++;
    } else {
      this.resize(Math.min(this.bits + 1, SOURCE_SLOTS_MAX_BITS));
      this.put(source * 4096 + slot);
    }
    return slot;
  }

  /** A table of 2^bits entries holding what this one holds (the same size: emptied). */
  private resize(bits: number): void {
    const old = bits === this.bits ? null : this.entries;
    this.bits = bits;
    this.entries = new Float64Array(1 << bits).fill(-1);
    this.used = 0;
    if (old === null) return;
    for (const e of old) if (e >= 0) this.put(e);
  }

  /** Stores the packed entry `e` at its first free entry. */
  private put(e: number): void {
    const source = Math.floor(e / 4096);
    const mask = this.entries.length - 1;
    let i = Math.imul(source, 0x9e3779b1) >>> (32 - this.bits);
    while (this.entries[i] >= 0) i = (i + 1) & mask;
    this.entries[i] = e;
    this.used++;
  }
}
