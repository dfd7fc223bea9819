/**
 * SipHash (Aumasson and Bernstein, 2012) with a choice of compression and finalisation rounds, on
 * 64-bit words held as BigInt. The Linux kernel's hsiphash on 64-bit machines is SipHash-1-3
 * truncated to 32 bits (lib/siphash.c), which IPVS's maglev scheduler hashes addresses with.
 */

const MASK = (1n << 64n) - 1n;

const rotl = (x: bigint, b: bigint) => ((x << b) | (x >> (64n - b))) & MASK;

/** SipHash-c-d of `data` under the key (k0, k1): the 64-bit result. */
export function siphash(c: number, d: number, k0: bigint, k1: bigint, data: Uint8Array): bigint {
  let v0 = 0x736f6d6570736575n ^ k0;
  let v1 = 0x646f72616e646f6dn ^ k1;
  let v2 = 0x6c7967656e657261n ^ k0;
  let v3 = 0x7465646279746573n ^ k1;
  const round = () => {
    v0 = (v0 + v1) & MASK;
    v1 = rotl(v1, 13n) ^ v0;
    v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & MASK;
    v3 = rotl(v3, 16n) ^ v2;
    v0 = (v0 + v3) & MASK;
    v3 = rotl(v3, 21n) ^ v0;
    v2 = (v2 + v1) & MASK;
    v1 = rotl(v1, 17n) ^ v2;
    v2 = rotl(v2, 32n);
  };
  const compress = (m: bigint) => {
    v3 ^= m;
    for (let i = 0; i < c; i++) round();
    v0 ^= m;
  };
  const full = data.length - (data.length % 8);
  for (let off = 0; off < full; off += 8) {
    let m = 0n;
    for (let i = 7; i >= 0; i--) m = (m << 8n) | BigInt(data[off + i]);
    compress(m);
  }
  let b = BigInt(data.length & 255) << 56n;
  for (let i = data.length - 1; i >= full; i--) b |= BigInt(data[i]) << BigInt(8 * (i - full));
  compress(b);
  v2 ^= 0xffn;
  for (let i = 0; i < d; i++) round();
  return (v0 ^ v1 ^ v2 ^ v3) & MASK;
}

/** The kernel's hsiphash of one u32 as a 64-bit machine computes it (SipHash-1-3, low 32 bits). */
export function hsiphash32(value: number, k0: bigint, k1: bigint): number {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
  return Number(siphash(1, 3, k0, k1, bytes) & 0xffffffffn);
}
