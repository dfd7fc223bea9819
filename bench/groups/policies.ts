/**
 * Each balancing policy's pick on its own, at 4, 40, 400 and 4,000 endpoints, through the policy
 * registry the model uses. One operation is what a new connection costs the balancer: pick, then
 * opened and closed (the bookkeeping of the connection-counting schedulers), with the clock moving
 * 1 ms per connection so IPVS's inactive-connection timeouts come and go as in a run.
 */
import { RandomStreams } from "../../src/random/index.js";
import { CLOSE_NORMAL } from "../../src/model/node/kube-proxy/balancer.js";
import type { Pod } from "../../src/model/node/kubelet/pod.js";
import { createBalancer } from "../../src/model/policies.js";
import { POLICY_ALIASES, POLICY_NAMES, type PolicyName } from "../../src/scenario/types.js";
import { cpuNowMs, type RateTask } from "../lib/in-process.js";

/** An iteration lasts about this long, whatever a pick costs (from 10 ns to a scan of 4,000 endpoints). */
const ITERATION_MS = 10;
export const ENDPOINT_COUNTS = [4, 40, 400, 4_000] as const;

/** Every distinct balancer: an alias (ipvs-rr for round-robin) is the same code. */
export function distinctPolicies(): PolicyName[] {
  return POLICY_NAMES.filter((p) => !(p in POLICY_ALIASES));
}

function picker(policy: PolicyName, endpoints: number): { iteration: () => void; ops: number } {
  const clock = { now: 0 };
  const ctx = {
    streams: new RandomStreams(1),
    clock,
    powerOfTwo: { choiceCount: 2, sampling: "with-replacement" as const },
    podAddress: (p: Pod) => 0x0af40000 + p.id,
  };
  const b = createBalancer(policy, "node-0:web", ctx);
  // Balancers read a pod's id (and name in messages) only.
  b.update(Array.from({ length: endpoints }, (_, id) => ({ id, name: `web-${id}` }) as unknown as Pod));
  // Client addresses, for the hashing schedulers (sh, mh); the others ignore them.
  const sources = Int32Array.from({ length: 1024 }, (_, i) => 0x0a000000 + i * 7);
  let k = 0;
  const picks = (count: number) => {
    for (let i = 0; i < count; i++) {
      const podId = b.pick(sources[k++ & 1023]);
      b.opened(podId, true);
      b.closed(podId, CLOSE_NORMAL);
      clock.now += 0.001;
    }
  };
  // Size the iteration from a trial run.
  const t = cpuNowMs();
  picks(500);
  const perPick = Math.max(cpuNowMs() - t, 0.05) / 500;
  const ops = Math.min(200_000, Math.max(100, Math.round(ITERATION_MS / perPick)));
  return { iteration: () => picks(ops), ops };
}

export function policyTasks(endpointCounts: readonly number[] = ENDPOINT_COUNTS): RateTask[] {
  return distinctPolicies().flatMap((policy) =>
    endpointCounts.map((n) => ({
      spec: {
        id: `policy.${policy}.n${n}`,
        title: `${policy}: pick + opened + closed, ${n.toLocaleString("en")} endpoints`,
        unit: "picks/cpu-s",
        better: "higher" as const,
      },
      setup: () => picker(policy, n),
    })),
  );
}
