/**
 * A set of list positions that answers "which is first?": nq's servers with no active connection,
 * of which it picks the first in the kernel's list order (ip_vs_nq.c's scan). A bit per position and
 * a bit per word of them, so adding and removing cost O(1) and the first is found from the summary
 * word by word (one word per 1,024 positions): a node seeing few connections at a time has most of
 * its servers idle, and every connection opening and closing moves one in or out.
 */
export class PositionSet {
  /** Bit p % 32 of words[p >> 5]: position p is in the set. */
  private words = new Int32Array(0);
  /** Bit w % 32 of summary[w >> 5]: words[w] is not 0. */
  private summary = new Int32Array(0);

  /** Empties the set for positions 0 .. n - 1. */
  reset(n: number): void {
    const words = (n + 31) >>> 5;
    if (this.words.length < words) {
      const cap = Math.max(words, 2 * this.words.length);
      this.words = new Int32Array(cap);
      this.summary = new Int32Array((cap + 31) >>> 5);
    } else {
      this.words.fill(0, 0, words);
      this.summary.fill(0);
    }
  }

  add(p: number): void {
    const w = p >>> 5;
    this.words[w] |= 1 << (p & 31);
    this.summary[w >>> 5] |= 1 << (w & 31);
  }

  delete(p: number): void {
    const w = p >>> 5;
    const word = this.words[w] & ~(1 << (p & 31));
    this.words[w] = word;
    if (word === 0) this.summary[w >>> 5] &= ~(1 << (w & 31));
  }

  /** The least position in the set, -1 when it is empty. */
  first(): number {
    const summary = this.summary;
    for (let s = 0; s < summary.length; s++) {
      const bits = summary[s];
      if (bits === 0) continue;
      const w = (s << 5) + lowestBit(bits);
      return (w << 5) + lowestBit(this.words[w]);
    }
    return -1;
  }
}

/** The index of the lowest set bit of a non-zero 32-bit word. */
const lowestBit = (x: number) => 31 - Math.clz32(x & -x);
