/**
 * The busy-time integrals of every app server in a cluster, side by side in one typed array indexed
 * by server. Each request changes its server's integral twice (when a worker takes it and when it is
 * answered); kept on the server object, the two doubles would be two heap boxes per server, and with
 * thousands of pods each request would touch them in scattered memory. Here a server's two numbers
 * sit next to each other (one cache line, where two arrays cost two misses per touch at 4,000 pods).
 */
export class ServerTimes {
  /**
   * Per server i: at 2i its busy worker-seconds since its measured window started (the whole run
   * before that), at 2i + 1 when its busy count last changed.
   */
  private slots: Float64Array<ArrayBuffer> = new Float64Array(128);
  private count = 0;

  /** A new server's index, its integral at zero. */
  add(): number {
    if (2 * this.count === this.slots.length) {
      const grown = new Float64Array(this.slots.length * 2);
      grown.set(this.slots);
      this.slots = grown;
    }
    return this.count++;
  }

  /** Server i's busy worker-seconds (see `slots`). */
  busyTime(i: number): number {
    return this.slots[2 * i];
  }

  /** When server i's busy count last changed. */
  lastChange(i: number): number {
    return this.slots[2 * i + 1];
  }

  /** Server i had `busy` workers busy since its last change: its integral is brought up to `now`. */
  advance(i: number, busy: number, now: number): void {
    const slots = this.slots;
    slots[2 * i] += busy * (now - slots[2 * i + 1]);
    slots[2 * i + 1] = now;
  }

  /** Server i's integral restarts from zero (its measured window starts). */
  resetBusy(i: number): void {
    this.slots[2 * i] = 0;
  }
}
