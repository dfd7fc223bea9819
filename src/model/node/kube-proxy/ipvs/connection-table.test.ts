/**
 * The IPVS connection table's counts against a plain list of connections: a closed connection
 * stays inactive until its state's timeout, whatever the order closes of different kinds come in.
 */
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../../../random/index.js";
import type { Pod } from "../../kubelet/pod.js";
import { CLOSE_NORMAL, CLOSE_REFUSED, CLOSE_RESET, CLOSE_UNANSWERED, type CloseKind } from "../balancer.js";
import { IPVS_CLOSE_TIMEOUT, IPVS_INACTIVE_TIMEOUT, IPVS_SYN_TIMEOUT, IpvsConnectionTable } from "./connection-table.js";

const TIMEOUT: Record<number, number> = {
  [CLOSE_NORMAL]: IPVS_INACTIVE_TIMEOUT,
  [CLOSE_RESET]: IPVS_CLOSE_TIMEOUT,
  [CLOSE_REFUSED]: IPVS_CLOSE_TIMEOUT,
  [CLOSE_UNANSWERED]: IPVS_SYN_TIMEOUT,
};

describe("IpvsConnectionTable", () => {
  it("counts a closed connection inactive until its state's timeout", () => {
    const r = new RandomStreams(3).stream("table");
    const pods = Array.from({ length: 5 }, (_, id) => ({ id }) as Pod);
    const table = new IpvsConnectionTable();
    // The reference: open connections, and closed ones with the time they leave the table.
    const open: { pod: Pod; established: boolean }[] = [];
    const closed: { pod: Pod; until: number }[] = [];
    let now = 0;
    let maxInactive = 0;
    for (let step = 0; step < 8_000; step++) {
      now += r.exponential(0.02);
      table.expire(now);
      for (let k = closed.length - 1; k >= 0; k--) if (closed[k].until <= now) closed.splice(k, 1);
      if (open.length > 0 && r.random() < 0.5) {
        const c = open.splice(Math.floor(r.random() * open.length), 1)[0];
        const how: CloseKind = c.established ? (r.random() < 0.8 ? CLOSE_NORMAL : CLOSE_RESET) : r.random() < 0.5 ? CLOSE_REFUSED : CLOSE_UNANSWERED;
        table.closed(c.pod.id, how, now);
        closed.push({ pod: c.pod, until: now + TIMEOUT[how] });
      } else {
        const c = { pod: pods[Math.floor(r.random() * pods.length)], established: r.random() < 0.9 };
        table.opened(c.pod.id, c.established);
        open.push(c);
      }
      maxInactive = Math.max(maxInactive, closed.length);
      if (step % 10 !== 0) continue;
      for (const pod of pods) {
        expect(table.active.of(pod.id)).toBe(open.filter((c) => c.pod === pod && c.established).length);
        const notEstablished = open.filter((c) => c.pod === pod && !c.established).length;
        expect(table.inactive.of(pod.id)).toBe(notEstablished + closed.filter((c) => c.pod === pod).length);
      }
    }
    // Thousands inactive at once: the queues grew well past their first size.
    expect(maxInactive).toBeGreaterThan(1_000);
  });
});
