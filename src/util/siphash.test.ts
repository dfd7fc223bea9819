/** SipHash against the reference vectors of the SipHash paper (SipHash-2-4, key 00..0f). */
import { describe, expect, it } from "vitest";
import { hsiphash32, siphash } from "./siphash.js";

const k0 = 0x0706050403020100n;
const k1 = 0x0f0e0d0c0b0a0908n;
const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => i);

describe("siphash", () => {
  it("gives the reference SipHash-2-4 outputs", () => {
    expect(siphash(2, 4, k0, k1, bytes(0))).toBe(0x726fdb47dd0e0e31n);
    expect(siphash(2, 4, k0, k1, bytes(8))).toBe(0x93f5f5799a932462n);
    expect(siphash(2, 4, k0, k1, bytes(15))).toBe(0xa129ca6149be45e5n);
  });

  it("hsiphash32 hashes the u32's little-endian bytes with SipHash-1-3 and keeps the low 32 bits", () => {
    const v = 0x0a_f4_01_02;
    const le = Uint8Array.of(0x02, 0x01, 0xf4, 0x0a);
    expect(hsiphash32(v, 5n, 6n)).toBe(Number(siphash(1, 3, 5n, 6n, le) & 0xffffffffn));
    expect(hsiphash32(v, 5n, 6n)).not.toBe(hsiphash32(v + 1, 5n, 6n));
  });
});
