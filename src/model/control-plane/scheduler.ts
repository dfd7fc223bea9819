/**
 * The default scheduler, as far as placement matters here: it spreads a deployment's pods (the
 * PodTopologySpread / SelectorSpread scoring), choosing the live node with the fewest pods of that
 * deployment, then the fewest pods; a cordoned node (spec.unschedulable) is filtered out
 * (the NodeUnschedulable plugin); with no live, uncordoned node the pod stays Pending.
 */
import type { Node } from "../node/node.js";

export function schedule(nodes: readonly Node[], deployment: string): Node | null {
  let best: Node | null = null;
  let bestMine = Infinity;
  let bestAll = Infinity;
  for (const node of nodes) {
    if (!node.alive || node.unschedulable) continue;
    const mine = node.podsOf(deployment);
    if (mine < bestMine || (mine === bestMine && node.pods.size < bestAll)) {
      best = node;
      bestMine = mine;
      bestAll = node.pods.size;
    }
  }
  return best;
}
