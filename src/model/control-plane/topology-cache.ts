/**
 * Topology Aware Routing's hints (`service.kubernetes.io/topology-mode: Auto`): the EndpointSlice
 * controller gives each zone a share of the Ready endpoints in proportion to its nodes' allocatable
 * CPU, hinting endpoints of the zones with more than their share for the zones with less, and gives
 * no hints at all when that would overload some zone's endpoints by more than 20 %. Source:
 * staging/src/k8s.io/endpointslice/topologycache (topologycache.go AddHints, getAllocations;
 * utils.go getGivingAndReceivingZones, redistributeHints).
 */

/** The most overload any endpoint should see (topologycache.go overloadThreshold). */
export const OVERLOAD_THRESHOLD = 0.2;

interface Allocation {
  minimum: number;
  desired: number;
}

/**
 * Each zone's allocation of `endpoints` Ready endpoints by its CPU `ratios` (one per zone, summing
 * to 1; 0 for a zone without a Ready node), or null when hints must go: fewer than 2 zones with
 * nodes, fewer endpoints than zones, or minimums (desired / 1.2, rounded up) beyond the endpoints.
 */
export function allocations(ratios: readonly number[], endpoints: number): (Allocation | undefined)[] | null {
  const zones = ratios.filter((r) => r > 0).length;
  if (zones < 2 || zones > endpoints) return null;
  let remaining = endpoints;
  const out: (Allocation | undefined)[] = [];
  ratios.forEach((ratio, z) => {
    if (ratio <= 0) return;
    const desired = ratio * endpoints;
    const minimum = Math.ceil(desired * (1 / (1 + OVERLOAD_THRESHOLD)));
    out[z] = { minimum, desired: Math.max(desired, minimum) };
    remaining -= minimum;
  });
  return remaining < 0 ? null : out;
}

/**
 * The zone each endpoint is hinted for, given the zone each Ready endpoint is in (`zones`, in slice
 * order), or null for no hints. Every endpoint starts hinted for its own zone; then, while the zone
 * with the most to give and the one with the most to receive each have at least half an endpoint
 * to move (and one of them a whole one), one endpoint moves between them; the endpoints that move
 * are the giving zones' first ones in slice order. Go walks its maps in a random order where two
 * zones tie or several could receive; svcsim takes them in zone order, so its hints are
 * reproducible.
 */
export function proportionalHints(zones: readonly number[], ratios: readonly number[]): number[] | null {
  const alloc = allocations(ratios, zones.length);
  if (alloc === null) return null;
  const hinted: number[] = ratios.map(() => 0);
  for (const z of zones) {
    // An endpoint in a zone without a Ready node: kube-proxy's zones are the nodes' zones.
    if (alloc[z] === undefined) return null;
    hinted[z]++;
  }
  const give: number[] = ratios.map(() => 0);
  const take: number[] = ratios.map(() => 0);
  ratios.forEach((_, z) => {
    const a = alloc[z];
    if (a === undefined) return;
    if (hinted[z] > a.desired) give[z] = hinted[z] - a.desired;
    else if (hinted[z] < a.desired) take[z] = a.desired - hinted[z];
  });
  const giving: number[] = ratios.map(() => 0);
  const receiving: number[] = ratios.map(() => 0);
  for (;;) {
    const g = most(give);
    const r = most(take);
    if (g < 0 || r < 0 || (give[g] < 1 && take[r] < 1) || give[g] < 0.5 || take[r] < 0.5) break;
    giving[g]++;
    give[g]--;
    receiving[r]++;
    take[r]--;
  }
  const hints = zones.slice();
  for (let i = 0; i < hints.length; i++) {
    const from = zones[i];
    if (giving[from] === 0) continue;
    const to = receiving.findIndex((n) => n > 0);
    if (to < 0) break;
    hints[i] = to;
    giving[from]--;
    receiving[to]--;
  }
  return hints;
}

/** The index of the largest value above 0 (the first on a tie), or -1. */
function most(xs: readonly number[]): number {
  let best = -1;
  for (let i = 0; i < xs.length; i++) if (xs[i] > 0 && (best < 0 || xs[i] > xs[best])) best = i;
  return best;
}
