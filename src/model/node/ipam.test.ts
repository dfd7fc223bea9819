/** host-local IPAM: a /24 per node, addresses in turn from .2, a released one not reused at once. */
import { describe, expect, it } from "vitest";
import { formatIp, Ipam } from "./ipam.js";

describe("Ipam", () => {
  it("hands out each node's addresses in turn from its own /24", () => {
    const ipam = new Ipam();
    expect([ipam.allocate(0), ipam.allocate(0), ipam.allocate(3)].map(formatIp)).toEqual(["10.244.0.2", "10.244.0.3", "10.244.3.2"]);
  });

  it("continues after the last address handed out, wrapping round and skipping those in use", () => {
    const ipam = new Ipam();
    const first = ipam.allocate(1);
    ipam.release(1, first);
    expect(formatIp(ipam.allocate(1))).toBe("10.244.1.3");
    for (let i = 4; i <= 254; i++) ipam.allocate(1);
    // .2 was released; .3 to .254 are in use.
    expect(formatIp(ipam.allocate(1))).toBe("10.244.1.2");
    // A full /24 gets a second block rather than failing.
    expect(formatIp(ipam.allocate(1))).toBe("10.128.0.2");
  });
});
