/**
 * The least-cost scan of IPVS's connection schedulers (lc, wlc, sed, nq) as an indexed 4-ary
 * min-heap, so that a pick is O(1) and a connection opening or closing costs O(log n), whatever the
 * number of real servers. Servers are named by their position in the kernel's list; the heap orders
 * them by cost / weight, compared as the kernel does (cost1 * weight2 < cost2 * weight1, integers),
 * then by position, so its top is exactly what the kernel's scan returns: the first server in list
 * order among those of least cost per weight.
 *
 * Each entry's cost and weight sit beside it in heap order, so a level of a sift reads one cache
 * line for all four children; with four children a level, a sift takes half the levels of a binary
 * heap. With thousands of servers every connection's open and close re-sifts one of them, and
 * reading costs by list position cost a cache miss per comparison.
 */
export class LeastCostHeap {
  /** heap[i]: the list position at heap index i. */
  private heap = new Int32Array(0);
  /** The cost (at 2i) and weight (at 2i + 1) of the entry at heap index i. */
  private keys = new Float64Array(0);
  /** at[p]: the heap index of list position p, -1 when it is not in the heap. */
  private at = new Int32Array(0);
  size = 0;

  /** Empties the heap for a list of `n` servers. */
  reset(n: number): void {
    if (this.at.length < n) {
      const cap = Math.max(n, 2 * this.at.length);
      this.heap = new Int32Array(cap);
      this.keys = new Float64Array(2 * cap);
      this.at = new Int32Array(cap);
    }
    this.at.fill(-1, 0, n);
    this.size = 0;
  }

  /** The list position of the least server; only when size > 0. */
  top(): number {
    return this.heap[0];
  }

  /**
   * Puts position `p` in the heap, or moves it to its new cost. `cost` and `weight` are finite (the
   * kernel's costs are integers) and `weight` > 0, so no comparison's product is NaN: entries are
   * totally ordered.
   */
  set(p: number, cost: number, weight: number): void {
    let i = this.at[p];
    if (i < 0) i = this.size++;
    this.settle(i, p, cost, weight);
  }

  /** Takes position `p` out of the heap, if it is there. */
  remove(p: number): void {
    const i = this.at[p];
    if (i < 0) return;
    this.at[p] = -1;
    const last = --this.size;
    if (i === last) return;
    this.settle(i, this.heap[last], this.keys[2 * last], this.keys[2 * last + 1]);
  }

  /** Puts entry (p, cost, weight) into the hole at heap index i, moving it up or down to its place. */
  private settle(i: number, p: number, cost: number, weight: number): void {
    const up = this.siftUp(i, p, cost, weight);
    const j = up === i ? this.siftDown(i, p, cost, weight) : up;
    this.heap[j] = p;
    this.keys[2 * j] = cost;
    this.keys[2 * j + 1] = weight;
    this.at[p] = j;
  }

  /** Whether entry (p, cost, weight) goes before the entry at heap index j. */
  private before(p: number, cost: number, weight: number, j: number): boolean {
    const a = cost * this.keys[2 * j + 1];
    const b = this.keys[2 * j] * weight;
    return a < b || (a === b && p < this.heap[j]);
  }

  /** Moves the entry at heap index `from` into the hole at `to`. */
  private move(from: number, to: number): void {
    const q = this.heap[from];
    this.heap[to] = q;
    this.keys[2 * to] = this.keys[2 * from];
    this.keys[2 * to + 1] = this.keys[2 * from + 1];
    this.at[q] = to;
  }

  /** Moves the hole at i up past the entries the new one goes before; returns where it stops. */
  private siftUp(i: number, p: number, cost: number, weight: number): number {
    while (i > 0) {
      const parent = (i - 1) >> 2;
      if (!this.before(p, cost, weight, parent)) break;
      this.move(parent, i);
      i = parent;
    }
    return i;
  }

  /** Moves the hole at i down past the children that go before the new entry; returns where it stops. */
  private siftDown(i: number, p: number, cost: number, weight: number): number {
    const n = this.size;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      // The least of up to four children: compared as entries, so ties go to the lower position.
      let c = first;
      const end = Math.min(first + 4, n);
      for (let k = first + 1; k < end; k++) {
        if (this.before(this.heap[k], this.keys[2 * k], this.keys[2 * k + 1], c)) c = k;
      }
      // The child goes first unless the new entry does: the order is total (no cost or weight is NaN,
      // see `set`, and positions differ), so "not before" is "after".
      if (this.before(p, cost, weight, c)) break;
      this.move(c, i);
      i = c;
    }
    return i;
  }
}
