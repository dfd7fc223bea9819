/**
 * The least-cost scan of IPVS's connection schedulers (lc, wlc, sed, nq) as an indexed binary
 * min-heap, so that a pick is O(1) and a connection opening or closing costs O(log n), whatever the
 * number of real servers. Servers are named by their position in the kernel's list; the heap orders
 * them by cost / weight, compared as the kernel does (cost1 * weight2 < cost2 * weight1, integers),
 * then by position, so its top is exactly what the kernel's scan returns: the first server in list
 * order among those of least cost per weight.
 */
export class LeastCostHeap {
  /** heap[i]: the list position at heap index i. */
  private heap = new Int32Array(0);
  /** at[p]: the heap index of list position p, -1 when it is not in the heap. */
  private at = new Int32Array(0);
  private cost = new Float64Array(0);
  private weight = new Float64Array(0);
  size = 0;

  /** Empties the heap for a list of `n` servers. */
  reset(n: number): void {
    if (this.at.length < n) {
      const cap = Math.max(n, 2 * this.at.length);
      this.heap = new Int32Array(cap);
      this.at = new Int32Array(cap);
      this.cost = new Float64Array(cap);
      this.weight = new Float64Array(cap);
    }
    this.at.fill(-1, 0, n);
    this.size = 0;
  }

  /** The list position of the least server; only when size > 0. */
  top(): number {
    return this.heap[0];
  }

  /** Puts position `p` in the heap (weight > 0), or moves it to its new cost. */
  set(p: number, cost: number, weight: number): void {
    this.cost[p] = cost;
    this.weight[p] = weight;
    let i = this.at[p];
    if (i < 0) {
      i = this.size++;
      this.heap[i] = p;
      this.at[p] = i;
    }
    this.siftDown(this.siftUp(i));
  }

  /** Takes position `p` out of the heap, if it is there. */
  remove(p: number): void {
    const i = this.at[p];
    if (i < 0) return;
    this.at[p] = -1;
    const last = this.heap[--this.size];
    if (i === this.size) return;
    this.heap[i] = last;
    this.at[last] = i;
    this.siftDown(this.siftUp(i));
  }

  /** Whether position p goes before position q. */
  private less(p: number, q: number): boolean {
    const a = this.cost[p] * this.weight[q];
    const b = this.cost[q] * this.weight[p];
    return a < b || (a === b && p < q);
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
