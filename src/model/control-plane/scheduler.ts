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
  const mineOn = (node: Node) => {
    let mine = 0;
    for (const p of node.pods) if (p.deployment === deployment) mine++;
    return mine;
  };
  const inZone: number[] = [];
  for (const node of nodes) if (node.zone >= 0 && node.alive) inZone[node.zone] = (inZone[node.zone] ?? 0) + mineOn(node);
  let best: Node | null = null;
  let bestZone = Infinity;
  let bestMine = Infinity;
  let bestAll = Infinity;
  for (const node of nodes) {
    if (!node.alive || node.unschedulable) continue;
    const zone = node.zone >= 0 ? inZone[node.zone] : 0;
    const mine = mineOn(node);
    if (zone < bestZone || (zone === bestZone && (mine < bestMine || (mine === bestMine && node.pods.size < bestAll)))) {
      best = node;
      bestZone = zone;
      bestMine = mine;
      bestAll = node.pods.size;
    }
  }
  return best;
}
