/**
 * The busy-time integrals of every app server in a cluster, side by side in typed arrays indexed by
 * server. Each request changes its server's integral twice (when a worker takes it and when it is
 * answered); kept on the server object, the two doubles would be two heap boxes per server, and with
 * thousands of pods each request would touch them in scattered memory. Here they sit in two dense
 * arrays that stay in cache.
 */
export class ServerTimes {
  /** Busy worker-seconds of server i since its measured window started (the whole run before that). */
  busyTime: Float64Array<ArrayBuffer> = new Float64Array(64);
  /** When server i's busy count last changed. */
  lastChange: Float64Array<ArrayBuffer> = new Float64Array(64);
  private count = 0;

  /** A new server's index, its integral at zero. */
  add(): number {
    if (this.count === this.busyTime.length) {
      this.busyTime = grown(this.busyTime);
      this.lastChange = grown(this.lastChange);
    }
    return this.count++;
  }
}

function grown(a: Float64Array): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}
