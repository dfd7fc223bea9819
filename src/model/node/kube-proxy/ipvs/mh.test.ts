/**
 * The Maglev fill's late phase (the nearest free slot solved instead of probed) must build the
 * kernel's table exactly: compared with a fill that probes to the end, on random lists, orders,
 * weights and addresses, before and after changes to the list.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Pod } from "../../kubelet/pod.js";
import { MaglevHashingBalancer, MH_TABLE_SIZE } from "./mh.js";

const pod = (id: number) => ({ id }) as Pod;
const ids = (t: readonly (Pod | null)[]) => t.map((p) => (p === null ? -1 : p.id));

describe("MaglevHashingBalancer's fill", () => {
  it("solving for the last free slots gives the probing fill's table", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 600 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 601, maxLength: 601 }),
        fc.integer({ min: 0, max: 0xffffff }),
        fc.boolean(),
        fc.constantFrom(1, 8, 64, 500, MH_TABLE_SIZE),
        (list, weights, base, weighted, late) => {
          const pods = list.map(pod);
          const address = (p: Pod) => (0x0a000000 + base + p.id * 13) >>> 0;
          const weight = weighted ? (p: Pod) => weights[list.indexOf(p.id)] : () => 1;
          const probing = new MaglevHashingBalancer(address, weight, 0);
          const solving = new MaglevHashingBalancer(address, weight, late);
          probing.update(pods);
          solving.update(pods);
          expect(ids(solving.table)).toEqual(ids(probing.table));
          // A change of the list refills from scratch: the scratch arrays hold no state between fills.
          const fewer = pods.filter((_, i) => i % 3 !== 1);
          probing.update(fewer);
          solving.update(fewer);
          expect(ids(solving.table)).toEqual(ids(probing.table));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("fills every slot, each server about 4093 / n of them", () => {
    const pods = Array.from({ length: 400 }, (_, i) => pod(i));
    const b = new MaglevHashingBalancer((p) => 0x0af40000 + p.id);
    b.update(pods);
    expect(b.table.every((p) => p !== null)).toBe(true);
    for (const p of pods) expect(Math.abs(b.slots(p) - MH_TABLE_SIZE / 400)).toBeLessThanOrEqual(1);
  });
});
