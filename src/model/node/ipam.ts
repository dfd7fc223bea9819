/**
 * Pod IP addresses as the CNI's host-local IPAM hands them out (the bridge and flannel plugins of a
 * kubeadm cluster): each node owns a /24 of the cluster CIDR 10.244.0.0/16, the bridge takes .1,
 * and pods get .2 to .254, each allocation continuing after the last one and wrapping round, so a
 * released address is not reused at once. Addresses feed IPVS's hashing schedulers (sh, mh).
 */

/** 10.244.0.0: the cluster CIDR of kubeadm with flannel. */
const CLUSTER_BASE = ((10 << 24) | (244 << 16)) >>> 0;
/** Extra /24 blocks for a node whose own is full, from 10.128.0.0 (as Calico hands out blocks on demand). */
const OVERFLOW_BASE = ((10 << 24) | (128 << 16)) >>> 0;
const FIRST_HOST = 2;
const LAST_HOST = 254;

class NodeRange {
  readonly blocks: number[];
  /** Index into the node's addresses of the last one handed out. */
  private last = -1;
  private readonly used = new Set<number>();

  constructor(first: number) {
    this.blocks = [first];
  }

  private get size(): number {
    return this.blocks.length * (LAST_HOST - FIRST_HOST + 1);
  }

  private addressAt(i: number): number {
    const perBlock = LAST_HOST - FIRST_HOST + 1;
    return (this.blocks[Math.floor(i / perBlock)] + FIRST_HOST + (i % perBlock)) >>> 0;
  }

  /** The next free address after the last one handed out, or null when every one is taken. */
  take(): number | null {
    const n = this.size;
    // A full range (thousands of pods on one node) answers at once instead of scanning every address.
    if (this.used.size >= n) return null;
    for (let k = 1; k <= n; k++) {
      const i = (this.last + k) % n;
      const ip = this.addressAt(i);
      if (!this.used.has(ip)) {
        this.used.add(ip);
        this.last = i;
        return ip;
      }
    }
    return null;
  }

  release(ip: number): void {
    this.used.delete(ip);
  }
}

export class Ipam {
  private readonly ranges: NodeRange[] = [];
  private overflowBlocks = 0;

  /** A new address on `node` for a pod (or a client process). */
  allocate(node: number): number {
    const range = this.range(node);
    let ip = range.take();
    if (ip === null) {
      range.blocks.push((OVERFLOW_BASE + this.overflowBlocks++ * 256) >>> 0);
      ip = range.take()!;
    }
    return ip;
  }

  release(node: number, ip: number): void {
    this.ranges[node]?.release(ip);
  }

  private range(node: number): NodeRange {
    let r = this.ranges[node];
    if (r === undefined) {
      r = new NodeRange((CLUSTER_BASE + node * 256) >>> 0);
      this.ranges[node] = r;
    }
    return r;
  }
}

/** Dotted-quad text of an IPv4 address held as an unsigned 32-bit number. */
export function formatIp(ip: number): string {
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join(".");
}
