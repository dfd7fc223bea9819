/**
 * A client process on a node: it sends its workload's requests through its node's kube-proxy (or a
 * static proxy) and keeps its connections open: one multiplexed keep-alive connection (HTTP/2,
 * gRPC), or a pool of idle HTTP/1.1 connections. Clients are spread over the nodes by
 * `cluster.clientWeights`; each has a pod IP on its node (node/ipam.ts), the source address
 * IPVS's hashing schedulers see. An external client runs on no node (EXTERNAL_NODE) and has an
 * address outside the cluster.
 */
import type { Connection } from "./connection.js";
import type { Workload } from "./workload.js";

/** The node of a client outside the cluster. */
export const EXTERNAL_NODE = -1;
/** 198.18.0.0/15, the benchmarking range (RFC 2544): external clients' addresses, from 198.18.0.1 on. */
const EXTERNAL_BASE = ((198 << 24) | (18 << 16)) >>> 0;

/** The address of external client number `i`. */
export function externalClientIp(i: number): number {
  return (EXTERNAL_BASE + 1 + i) >>> 0;
}

export class Client {
  /** Its keep-alive connection (HTTP/2, gRPC: one, multiplexed). */
  connection: Connection | null = null;
  /** Its pool's idle connections (HTTP/1.1), the most recently used last. */
  readonly idle: Connection[] = [];
  alive = true;
  /** Source IPv4 address, as an unsigned 32-bit number. */
  ip = 0;
  /** Its requests not yet ended (Envoy's active requests, which a retry budget is a share of). */
  active = 0;
  /** Its requests whose counted retry is pending or under way (Envoy's active retries). */
  retrying = 0;
  /** Its node's zone (index into the cluster's zones), -1 without zones. */
  zone = -1;
  constructor(
    readonly node: number,
    readonly workload: Workload,
  ) {}
}

/** Spreads `count` clients over nodes in proportion to `weights` (largest remainder), interleaved. */
export function spreadClients(count: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (count * w) / total);
  const quota = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0, left = count - quota.reduce((a, b) => a + b, 0); k < left; k++) quota[order[k][1]]++;
  const nodes: number[] = [];
  for (let round = 0; nodes.length < count; round++) {
    for (let n = 0; n < quota.length; n++) if (quota[n] > round) nodes.push(n);
  }
  return nodes;
}
