/**
 * The least-cost scan of IPVS's connection schedulers (lc, wlc, sed, nq) as an indexed binary
 * min-heap, so that a pick is O(1) and a connection opening or closing, or a real server coming or
 * going, costs O(log n), whatever the number of real servers. Servers are named by a slot number
 * and carry a rank, their place in the kernel's list (any numbers in list order); the heap orders
 * them by cost / weight, compared as the kernel does (cost1 * weight2 < cost2 * weight1, integers),
 * then by rank, so its top is exactly what the kernel's scan returns: the first server in list
 * order among those of least cost per weight.
 */
export class LeastCostHeap {
  /** heap[i]: the slot at heap index i. */
  private heap = new Int32Array(0);
  /** at[s]: the heap index of slot s, -1 when it is not in the heap. */
  private at = new Int32Array(0);
  private cost = new Float64Array(0);
  private weight = new Float64Array(0);
  /** Int32, so that a rank read and passed on stays a small integer (a double would be boxed). */
  private rank = new Int32Array(0);
  size = 0;

  /** Empties the heap for slots 0 to n - 1. */
  reset(n: number): void {
    this.ensure(n);
    this.at.fill(-1);
    this.size = 0;
  }

  /** Makes room for slots 0 to n - 1, keeping what the heap holds. */
  ensure(n: number): void {
    if (this.at.length >= n) return;
    const cap = Math.max(n, 2 * this.at.length, 16);
    const grow = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.heap = grow(this.heap, (k) => new Int32Array(k));
    this.at = grow(this.at, (k) => new Int32Array(k));
    this.at.fill(-1, this.cost.length);
    this.cost = grow(this.cost, (k) => new Float64Array(k));
    this.weight = grow(this.weight, (k) => new Float64Array(k));
    this.rank = grow(this.rank, (k) => new Int32Array(k));
  }

  /** The slot of the least server; only when size > 0. */
  top(): number {
    return this.heap[0];
  }

  /** Puts slot `s` (of room made by reset or ensure) in the heap (weight > 0), or moves it to its new cost and rank. */
  set(s: number, cost: number, weight: number, rank: number): void {
    this.cost[s] = cost;
    this.weight[s] = weight;
    this.rank[s] = rank;
    let i = this.at[s];
    if (i < 0) {
      i = this.size++;
      this.heap[i] = s;
      this.at[s] = i;
    }
    this.siftDown(this.siftUp(i));
  }

  /** Takes slot `s` out of the heap, if it is there. */
  remove(s: number): void {
    const i = this.at[s];
    if (i < 0) return;
    this.at[s] = -1;
    const last = this.heap[--this.size];
    if (i === this.size) return;
    this.heap[i] = last;
    this.at[last] = i;
    this.siftDown(this.siftUp(i));
  }

  /** Whether slot p goes before slot q. */
  private less(p: number, q: number): boolean {
    const a = this.cost[p] * this.weight[q];
    const b = this.cost[q] * this.weight[p];
    return a < b || (a === b && this.rank[p] < this.rank[q]);
  }

  private siftUp(i: number): number {
    const heap = this.heap;
    const p = heap[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const q = heap[parent];
      if (!this.less(p, q)) break;
      heap[i] = q;
      this.at[q] = i;
      i = parent;
    }
    heap[i] = p;
    this.at[p] = i;
    return i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = this.size;
    const p = heap[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.less(heap[c + 1], heap[c])) c++;
      const q = heap[c];
      if (!this.less(q, p)) break;
      heap[i] = q;
      this.at[q] = i;
      i = c;
    }
    heap[i] = p;
    this.at[p] = i;
  }
}
