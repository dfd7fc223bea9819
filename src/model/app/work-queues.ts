/**
 * The FIFO queues of every app server in a cluster, kept in one set of cells: a queued request or
 * probe takes a cell (the most recently freed first, still in cache), its server keeps the first
 * and last cell of its queue, and each cell holds the next one's number. Putting a new arrival
 * behind the last one writes the last cell's link here, not the last request's own record: with
 * thousands of pods that record was out of cache by then, one miss on every request that waited.
 * Beside each link a cell keeps a small tag of its server's, so that the server can start the work
 * at the head of its queue without reading the work's own record (see AppServer).
 */

/** A cell number's value for "none" (an empty queue's first and last cell, the last cell's next). */
export const NO_CELL = -1;

/**
 * Cells to start with: few, so that the first doublings come while a run's first requests queue up.
 * V8 compiles `push` (inlined into the app server's admit and the clients' send) after a few hundred
 * requests; a first `grow` after that (64 cells filled, rare at moderate load) had no type feedback,
 * and replacing `links` made V8 drop the code that took it for a constant too: five functions
 * thrown away and compiled again in the middle of a run.
 */
const FIRST_CELLS = 4;

export class WorkQueues {
  private works: unknown[] = new Array<unknown>(FIRST_CELLS).fill(undefined);
  /**
   * Per cell c, side by side (one cache line for both): at 2c the next cell in its queue, or the
   * next free cell while c is free (the free cells are a stack); at 2c + 1 the tag of its work.
   */
  private links = WorkQueues.freeCells(0, FIRST_CELLS);
  /** The most recently freed cell, taken first (NO_CELL: none is free). */
  private freeTop = 0;

  /** Puts `w`, tagged `tag`, in a new cell behind cell `last` (NO_CELL: the queue was empty); returns the cell. */
  push(w: unknown, tag: number, last: number): number {
    if (this.freeTop === NO_CELL) this.grow();
    const cell = this.freeTop;
    const links = this.links;
    this.freeTop = links[2 * cell];
    this.works[cell] = w;
    links[2 * cell] = NO_CELL;
    links[2 * cell + 1] = tag;
    if (last !== NO_CELL) links[2 * last] = cell;
    return cell;
  }

  /** The work in `cell`. */
  work(cell: number): unknown {
    return this.works[cell];
  }

  /** The tag its work was pushed with. */
  tag(cell: number): number {
    return this.links[2 * cell + 1];
  }

  /** The cell after `cell` in its queue, NO_CELL for the last. */
  after(cell: number): number {
    return this.links[2 * cell];
  }

  /** Frees `cell` once its work has left the queue. */
  release(cell: number): void {
    this.works[cell] = undefined;
    this.links[2 * cell] = this.freeTop;
    this.freeTop = cell;
  }

  /** Doubles the cells (only when none is free); the new ones are free, the lowest taken first. */
  private grow(): void {
    const size = this.works.length;
    const links = WorkQueues.freeCells(size, 2 * size);
    links.set(this.links);
    this.links = links;
    this.freeTop = size;
    for (let c = size; c < 2 * size; c++) this.works.push(undefined);
  }

  /** Links for `size` cells whose cells from `from` on are a free stack in increasing order. */
  private static freeCells(from: number, size: number): Int32Array<ArrayBuffer> {
    const links = new Int32Array(2 * size);
    for (let c = from; c < size; c++) links[2 * c] = c + 1 < size ? c + 1 : NO_CELL;
    return links;
  }
}
