/**
 * The FIFO queues of every app server in a cluster, kept in one set of cells: a queued request or
 * probe takes a cell (the most recently freed first, still in cache), its server keeps the first
 * and last cell of its queue, and each cell holds the next one's number. Putting a new arrival
 * behind the last one writes the last cell's link here, not the last request's own record: with
 * thousands of pods that record was out of cache by then, one miss on every request that waited.
 */
import type { HeldWork } from "./server.js";

/** A cell number's value for "none" (an empty queue's first and last cell, the last cell's next). */
export const NO_CELL = -1;

export class WorkQueues {
  private works: (HeldWork | undefined)[] = new Array<HeldWork | undefined>(64).fill(undefined);
  private next = new Int32Array(64);
  /** Free cells, a stack: `free[0 .. freeCount)`. */
  private free = new Int32Array(64).map((_, i) => 63 - i);
  private freeCount = 64;

  /** Puts `w` in a new cell behind cell `last` (NO_CELL: the queue was empty); returns the cell. */
  push(w: HeldWork, last: number): number {
    if (this.freeCount === 0) this.grow();
    const cell = this.free[--this.freeCount];
    this.works[cell] = w;
    this.next[cell] = NO_CELL;
    if (last !== NO_CELL) this.next[last] = cell;
    return cell;
  }

  /** The work in `cell`. */
  work(cell: number): HeldWork {
    return this.works[cell]!;
  }

  /** The cell after `cell` in its queue, NO_CELL for the last. */
  after(cell: number): number {
    return this.next[cell];
  }

  /** Frees `cell` once its work has left the queue. */
  release(cell: number): void {
    this.works[cell] = undefined;
    this.free[this.freeCount++] = cell;
  }

  /** Doubles the cells; the new ones are free. */
  private grow(): void {
    const size = this.next.length;
    const next = new Int32Array(2 * size);
    next.set(this.next);
    this.next = next;
    const free = new Int32Array(2 * size);
    for (let c = 2 * size - 1; c >= size; c--) free[this.freeCount++] = c;
    this.free = free;
    for (let c = size; c < 2 * size; c++) this.works.push(undefined);
  }
}
