/**
 * The event list's priority queue: a ladder queue (Tang, Goh and Thng, "Ladder queue: an O(1)
 * priority queue structure for large-scale discrete event simulation", ACM TOMACS 15(3), 2005),
 * over typed arrays. It hands out slot numbers in (time, sequence) order at a cost per event that
 * does not grow with the number pending, where a binary heap pays a level per doubling.
 *
 * Three tiers, each holding later events than the one below it:
 * - Top: an unsorted list of everything at or after `topStart` (the far future);
 * - rungs: each a row of equal-width time buckets (unsorted lists); a bucket that is due is either
 *   split into a finer rung below, or, when small, sorted into
 * - Bottom: a short sorted run the next events are taken from.
 * An entry is moved a bounded number of times on its way down (once per tier it passes through),
 * and sorting happens only among the few entries of one bucket.
 *
 * Exact order, whatever the floating point does: an entry's bucket in a rung is a clamped floor of
 * (time - start) x (1 / width), a non-decreasing function of its time, so an entry in a later
 * bucket is never earlier; and which tier an entry joins is decided by that same bucket number
 * (never by comparing times with computed bucket edges). Ties are broken by the sequence number
 * wherever entries are sorted, and an entry joining Bottom has the largest sequence number so far,
 * so it goes after every entry of equal time. Entries at an infinite time wait, in sequence order,
 * in a list of their own and come out only when nothing finite is left.
 */

/** The queue's size limits; the defaults were tuned on the hold model (README, "Performance"). */
export interface LadderLimits {
  /** A due bucket with more entries than this is split into a rung of its own rather than sorted. */
  split: number;
  /**
   * Top with at most this many entries goes straight into Bottom, which then takes every insertion
   * (a short sorted array is the fastest list there is); an insertion that moves more than this
   * many entries turns Bottom back into a rung (it then holds more than `small`, so it does not
   * come straight back).
   */
  small: number;
  /** At most this many rungs (up to 8); once all are in use, a due bucket is sorted whatever its size. */
  rungs: number;
}

const MAX_RUNGS = 8;
const DEFAULT_LIMITS: LadderLimits = { split: 48, small: 16, rungs: MAX_RUNGS };
const NONE = -1;
/** Where Bottom is first compacted (see `bLimit`). */
const FIRST_COMPACTION = 8;

export class LadderQueue {
  /** Entries in the queue. */
  size = 0;

  // Per slot: its entry's time and sequence number (the order of its push, which breaks ties),
  // and the next slot in whatever list holds it.
  private nextSeq = 0;
  private time = new Float64Array(0);
  private seq = new Float64Array(0);
  private next = new Int32Array(0);

  // Top: the entries at or after topStart, unsorted, with their smallest and largest time.
  private topStart = -Infinity;
  private topHead = NONE;
  private topCount = 0;
  private topMin = Infinity;
  private topMax = -Infinity;

  // Rungs 0 .. rungs-1, each finer than the one before; rung r's bucket b holds the entries with
  // bucketOf(r, time) = b: a list whose first slot is heads[r][2b] and length heads[r][2b + 1] (side
  // by side, one cache line). Buckets up to `cur` have been handed down (to rung r+1 or to Bottom);
  // `count` is the entries in the rung's later buckets.
  private rungs = 0;
  private readonly start = new Float64Array(MAX_RUNGS);
  private readonly inverseWidth = new Float64Array(MAX_RUNGS);
  private readonly buckets = new Int32Array(MAX_RUNGS);
  private readonly cur = new Int32Array(MAX_RUNGS);
  private readonly count = new Int32Array(MAX_RUNGS);
  private readonly heads: Int32Array[] = [];

  // Bottom: entries bHead .. bTail-1, sorted by (time, sequence).
  private bTime = new Float64Array(0);
  private bSlot = new Int32Array(0);
  private bHead = 0;
  private bTail = 0;
  /**
   * Bottom is moved back to the front of its arrays when bTail reaches this. It starts at
   * FIRST_COMPACTION and doubles at each compaction up to the arrays' length, so that the first
   * compactions come within a run's first few hundred events, while V8 is still collecting type
   * feedback. Compacting only at the arrays' end (2,048 slots) first did it after TurboFan had
   * compiled `pushBottom` into `schedule` and the model's handlers without feedback for that branch,
   * which threw that code away (three deopts and recompiles of the largest functions per run).
   */
  private bLimit = FIRST_COMPACTION;

  // Entries at time Infinity, in sequence order.
  private infHead = NONE;
  private infTail = NONE;

  /** Orders slots by (time, sequence); for the rare large sort. */
  private readonly bySlotOrder = (a: number, b: number): number => this.time[a] - this.time[b] || this.seq[a] - this.seq[b];

  private readonly split: number;
  private readonly small: number;
  private readonly maxRungs: number;

  /** `limits` other than the defaults are for tests, to reach every tier with few entries. */
  constructor(limits: LadderLimits = DEFAULT_LIMITS) {
    this.split = limits.split;
    this.small = limits.small;
    this.maxRungs = Math.min(limits.rungs, MAX_RUNGS);
    for (let r = 0; r < MAX_RUNGS; r++) this.heads.push(new Int32Array(0));
  }

  /** Makes room for `capacity` entries and slot numbers below `capacity` (never shrinks). */
  reserve(capacity: number): void {
    if (capacity <= this.time.length) return;
    this.time = grown(this.time, capacity);
    this.seq = grown(this.seq, capacity);
    this.next = grown(this.next, capacity);
    this.bTime = grown(this.bTime, capacity);
    this.bSlot = grown(this.bSlot, capacity);
    if (this.bLimit > capacity) this.bLimit = capacity;
  }

  /** The time slot `v` was pushed with (still there after it is popped, until the slot is pushed again). */
  timeOf(v: number): number {
    return this.time[v];
  }

  /** Time of the earliest entry; only when size > 0. */
  topTime(): number {
    // Only entries at Infinity left: the time of the first, read from its slot. A literal `Infinity`
    // here is a load of a global, which V8 compiles without type feedback when the branch has never
    // run; merged with the hot branch's double, it made the event loop box every event's time.
    if (this.bHead === this.bTail && !this.refill()) return this.time[this.infHead];
    return this.bTime[this.bHead];
  }

  /** Slot of the earliest entry; only when size > 0. */
  topSlot(): number {
    if (this.bHead === this.bTail && !this.refill()) return this.infHead;
    return this.bSlot[this.bHead];
  }

  /** Adds slot `v` at time `t`, after every entry of equal time already in; the caller has reserved room. */
  push(t: number, v: number): void {
    this.time[v] = t;
    this.seq[v] = this.nextSeq;
    this.nextSeq += 1;
    this.size++;
    if (t >= this.topStart) this.pushTop(t, v);
    else if (this.rungs === 0) this.pushBottom(t, v);
    else this.pushRung(t, v);
  }

  private pushTop(t: number, v: number): void {
    if (t === Infinity) this.pushInfinite(v);
    else {
      this.next[v] = this.topHead;
      this.topHead = v;
      this.topCount++;
      if (t < this.topMin) this.topMin = t;
      if (t > this.topMax) this.topMax = t;
    }
  }

  private pushRung(t: number, v: number): void {
    for (let r = 0; r < this.rungs; r++) {
      const b = this.bucketOf(r, t);
      if (b > this.cur[r]) {
        const heads = this.heads[r];
        this.next[v] = heads[2 * b];
        heads[2 * b] = v;
        heads[2 * b + 1]++;
        this.count[r]++;
        return;
      }
    }
    this.pushBottom(t, v);
  }

  /** Removes the earliest entry and returns its slot; only when size > 0. */
  pop(): number {
    if (this.bHead === this.bTail && !this.refill()) return this.popInfinite();
    const v = this.bSlot[this.bHead++];
    if (--this.size === 0) this.clear();
    return v;
  }

  /** Rung r's bucket for time t: monotone in t, clamped to the rung's buckets. */
  private bucketOf(r: number, t: number): number {
    const d = (t - this.start[r]) * this.inverseWidth[r];
    const n = this.buckets[r];
    // The last bucket is worked out at every call, not only when t is past the rung: an operation
    // on the rare side of a branch has no type feedback when TurboFan compiles it, and its first use
    // threw the compiled code (the event loop's, where this is inlined) away.
    const last = n - 1;
    return d < n ? (d > 0 ? d | 0 : 0) : last;
  }

  /** Inserts into sorted Bottom after every entry of equal time (t's sequence number is the largest). */
  private pushBottom(t: number, v: number): void {
    if (this.bTail >= this.bLimit) this.compactBottom();
    const bTime = this.bTime;
    const bSlot = this.bSlot;
    const head = this.bHead;
    let j = this.bTail++;
    while (j > head && bTime[j - 1] > t) {
      bTime[j] = bTime[j - 1];
      bSlot[j] = bSlot[j - 1];
      j--;
    }
    bTime[j] = t;
    bSlot[j] = v;
    if (this.bTail - j > this.small) this.bottomToRung();
  }

  private compactBottom(): void {
    this.bTime.copyWithin(0, this.bHead, this.bTail);
    this.bSlot.copyWithin(0, this.bHead, this.bTail);
    this.bTail -= this.bHead;
    this.bHead = 0;
    // Never past the arrays' end: then bTail < bLimit or Bottom was just compacted, and a compacted
    // Bottom holds fewer entries than the reserved slots, so the next write stays in the arrays.
    this.bLimit = Math.min(2 * this.bLimit, this.bTime.length);
  }

  /**
   * Bottom grew long with insertions landing inside it. With no rung (Bottom was all there was,
   * for a queue that was small, or it held what was earlier than Top's start), its entries join
   * Top, to come down again through a rung; below a rung, they become a rung of their own
   * covering what Bottom covered, the rest of the lowest rung's current bucket.
   */
  private bottomToRung(): void {
    const n = this.bTail - this.bHead;
    const lo = this.bTime[this.bHead];
    const hi = this.bTime[this.bTail - 1];
    if (this.rungs === 0) {
      for (let i = this.bHead; i < this.bTail; i++) {
        const v = this.bSlot[i];
        this.next[v] = this.topHead;
        this.topHead = v;
      }
      this.topCount += n;
      this.topStart = lo;
      this.topMin = lo;
      if (hi > this.topMax) this.topMax = hi;
    } else {
      const r = this.rungs;
      if (r === this.maxRungs || !this.openRung(lo, Math.max(hi, this.bucketEnd(r - 1)), n)) return;
      for (let i = this.bHead; i < this.bTail; i++) this.toBucket(r, this.bSlot[i]);
      this.count[r] = n;
    }
    this.bHead = this.bTail = 0;
  }

  /** Where rung r's current bucket ends (approximately: only a finer rung's span is taken from it). */
  private bucketEnd(r: number): number {
    return this.start[r] + (this.cur[r] + 1) / this.inverseWidth[r];
  }

  /**
   * Opens rung `rungs` with `n` buckets spanning [lo, hi], if that span gives usable buckets;
   * the caller fills it.
   */
  private openRung(lo: number, hi: number, n: number): boolean {
    const inverseWidth = n / (hi - lo);
    if (!(inverseWidth > 0 && inverseWidth < Infinity)) return false;
    const r = this.rungs++;
    this.start[r] = lo;
    this.inverseWidth[r] = inverseWidth;
    this.buckets[r] = n;
    this.cur[r] = -1;
    let heads = this.heads[r];
    if (heads.length < 2 * n) heads = this.heads[r] = new Int32Array(Math.max(2 * n, 2 * heads.length));
    for (let b = 0; b < 2 * n; b += 2) {
      heads[b] = NONE;
      heads[b + 1] = 0;
    }
    return true;
  }

  private toBucket(r: number, v: number): void {
    const b = this.bucketOf(r, this.time[v]);
    const heads = this.heads[r];
    this.next[v] = heads[2 * b];
    heads[2 * b] = v;
    heads[2 * b + 1]++;
  }

  /**
   * Fills the empty Bottom from the lowest rung's next bucket, opening finer rungs or moving Top
   * down as needed. False when no finite entry is left.
   */
  private refill(): boolean {
    this.bHead = this.bTail = 0;
    const next = this.next;
    const time = this.time;
    for (;;) {
      const r = this.rungs - 1;
      if (r < 0) {
        if (this.topCount === 0) return false;
        this.moveTopDown();
        if (this.bTail > 0) return true;
        continue;
      }
      if (this.count[r] === 0) {
        this.rungs--;
        continue;
      }
      const heads = this.heads[r];
      // The next bucket that holds entries. A do-while, so that its step runs at every refill: a step
      // first taken only once the event loop was compiled (skipping an empty bucket is not the rule
      // early in a run) had no type feedback, and threw that code away.
      let b = this.cur[r];
      do b++;
      while (heads[2 * b + 1] === 0);
      this.cur[r] = b;
      const first = heads[2 * b];
      const n = heads[2 * b + 1];
      this.count[r] -= n;
      if (n === 1) {
        this.bTime[0] = time[first];
        this.bSlot[0] = first;
        this.bTail = 1;
        return true;
      }
      if (n <= this.split) {
        this.sortSmall(first, n);
        return true;
      }
      // A large bucket: split it into a rung of its own, from its earliest entry to the bucket's
      // end, so that later insertions into this bucket spread over the new rung too.
      let lo = Infinity;
      let hi = -Infinity;
      for (let v = first; v !== NONE; v = next[v]) {
        const t = time[v];
        if (t < lo) lo = t;
        if (t > hi) hi = t;
      }
      if (hi > lo && r + 1 < this.maxRungs && this.openRung(lo, Math.max(hi, this.bucketEnd(r)), n)) this.fillRung(r + 1, first, n);
      else {
        this.sortLarge(first);
        return true;
      }
    }
  }

  /**
   * Moves Top into a first rung over its span; or, when small (or all at one time), straight into
   * Bottom, which then takes every insertion, a sorted array, until it grows long (`bottomToRung`).
   */
  private moveTopDown(): void {
    const first = this.topHead;
    const n = this.topCount;
    const lo = this.topMin;
    const hi = this.topMax;
    this.topHead = NONE;
    this.topCount = 0;
    this.topMin = Infinity;
    this.topMax = -Infinity;
    if (n > this.small && this.openRung(lo, hi, n)) {
      this.topStart = hi;
      this.fillRung(0, first, n);
    } else {
      this.topStart = Infinity;
      if (n <= this.small) this.sortSmall(first, n);
      else this.sortLarge(first);
    }
  }

  private fillRung(r: number, first: number, n: number): void {
    const next = this.next;
    for (let v = first; v !== NONE; ) {
      const after = next[v];
      this.toBucket(r, v);
      v = after;
    }
    this.count[r] = n;
  }

  /** Insertion-sorts the list of `n` entries from `first` into the empty Bottom. */
  private sortSmall(first: number, n: number): void {
    const next = this.next;
    const time = this.time;
    const seq = this.seq;
    const bTime = this.bTime;
    const bSlot = this.bSlot;
    let m = 0;
    for (let v = first; v !== NONE; v = next[v]) {
      const t = time[v];
      const s = seq[v];
      let j = m++;
      while (j > 0) {
        const pt = bTime[j - 1];
        if (pt < t || (pt === t && seq[bSlot[j - 1]] < s)) break;
        bTime[j] = pt;
        bSlot[j] = bSlot[j - 1];
        j--;
      }
      bTime[j] = t;
      bSlot[j] = v;
    }
    this.bTail = n;
  }

  /** Sorts the list from `first` into the empty Bottom, however long (equal times, or no rung left). */
  private sortLarge(first: number): void {
    const next = this.next;
    let m = 0;
    for (let v = first; v !== NONE; v = next[v]) this.bSlot[m++] = v;
    this.bSlot.subarray(0, m).sort(this.bySlotOrder);
    for (let i = 0; i < m; i++) this.bTime[i] = this.time[this.bSlot[i]];
    this.bTail = m;
  }

  private pushInfinite(v: number): void {
    this.next[v] = NONE;
    if (this.infTail === NONE) this.infHead = v;
    else this.next[this.infTail] = v;
    this.infTail = v;
  }

  private popInfinite(): number {
    const v = this.infHead;
    this.infHead = this.next[v];
    if (this.infHead === NONE) this.infTail = NONE;
    if (--this.size === 0) this.clear();
    return v;
  }

  /** Forgets the tiers' bounds once the queue is empty, so the next entries start afresh. */
  private clear(): void {
    this.bHead = this.bTail = 0;
    this.rungs = 0;
    this.topStart = -Infinity;
  }
}

function grown<T extends Float64Array | Int32Array>(a: T, capacity: number): T {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a);
  return b;
}
