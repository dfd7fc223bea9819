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
  /** A queued cell's next in its queue; a free cell's next free cell (the free cells are a stack). */
  private next = WorkQueues.freeCells(0, 64);
  /** The most recently freed cell, taken first (NO_CELL: none is free). */
  private freeTop = 0;

  /** Puts `w` in a new cell behind cell `last` (NO_CELL: the queue was empty); returns the cell. */
  push(w: HeldWork, last: number): number {
    if (this.freeTop === NO_CELL) this.grow();
    const cell = this.freeTop;
    this.freeTop = this.next[cell];
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
    this.next[cell] = this.freeTop;
    this.freeTop = cell;
  }

  /** Doubles the cells (only when none is free); the new ones are free, the lowest taken first. */
  private grow(): void {
    const size = this.next.length;
    const next = WorkQueues.freeCells(size, 2 * size);
    next.set(this.next);
    this.next = next;
    this.freeTop = size;
    for (let c = size; c < 2 * size; c++) this.works.push(undefined);
  }

  /** Links for `size` cells whose cells from `from` on are a free stack in increasing order. */
  private static freeCells(from: number, size: number): Int32Array<ArrayBuffer> {
    const next = new Int32Array(size);
    for (let c = from; c < size; c++) next[c] = c + 1 < size ? c + 1 : NO_CELL;
    return next;
  }
}
