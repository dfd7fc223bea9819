/**
 * The default scheduler, as far as placement matters here: it spreads a deployment's pods (the
 * PodTopologySpread / SelectorSpread scoring), choosing the live node with the fewest pods of that
 * deployment, then the fewest pods; a cordoned node (spec.unschedulable) is filtered out
 * (the NodeUnschedulable plugin); with no live, uncordoned node the pod stays Pending. With zones,
 * the fewest of its pods in the node's zone comes first: the default PodTopologySpread constraints
 * spread over topology.kubernetes.io/zone as well as over hostnames.
 */
import type { Node } from "../node/node.js";

export function schedule(nodes: readonly Node[], deployment: string): Node | null {
  const inZone = zoneCounts(nodes, deployment);
  let best: Node | null = null;
  let bestZone = Infinity;
  let bestMine = Infinity;
  let bestAll = Infinity;
  for (const node of nodes) {
    if (!node.alive || node.unschedulable) continue;
    const zone = inZone === null || node.zone < 0 ? 0 : inZone[node.zone];
    const mine = node.podsOf(deployment);
    if (zone < bestZone || (zone === bestZone && (mine < bestMine || (mine === bestMine && node.pods.size < bestAll)))) {
      best = node;
      bestZone = zone;
      bestMine = mine;
      bestAll = node.pods.size;
    }
  }
  return best;
}

/** The deployment's pods on the live nodes of each zone; null when the nodes are in no zone. */
function zoneCounts(nodes: readonly Node[], deployment: string): number[] | null {
  if (nodes.length === 0 || nodes[0].zone < 0) return null;
  const counts: number[] = [];
  for (const node of nodes) if (node.alive) counts[node.zone] = (counts[node.zone] ?? 0) + node.podsOf(deployment);
  return counts;
}
