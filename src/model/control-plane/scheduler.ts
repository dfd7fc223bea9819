/**
 * The default scheduler, as far as placement matters here: it spreads a deployment's pods (the
 * PodTopologySpread / SelectorSpread scoring), choosing the live node with the fewest pods of that
 * deployment, then the fewest pods; a cordoned node (spec.unschedulable) is filtered out
 * (the NodeUnschedulable plugin); with no live, uncordoned node the pod stays Pending. With zones,
 * the fewest of its pods in the node's zone comes first: the default PodTopologySpread constraints
 * spread over topology.kubernetes.io/zone as well as over hostnames.
 */
import type { Node } from "../node/node.js";

/**
 * Each owner's (Deployment's or DaemonSet's) pods per node that are not gone: the part of the
 * scheduler's cache (NodeInfo) the spreading reads, kept up to date by the nodes as pods come and
 * go. A row per owner, by node index, so that a placement on 1,000 nodes reads one array rather than
 * looking the owner up on every node.
 */
export class PodsPerNode {
  private readonly rows = new Map<string, number[]>();

  /** The owner's row: its pods on node i at [i]; nodes past the row's end have none. */
  row(owner: string): readonly number[] {
    return this.rows.get(owner) ?? NONE;
  }

  change(owner: string, node: number, delta: number): void {
    let row = this.rows.get(owner);
    if (row === undefined) this.rows.set(owner, (row = []));
    while (row.length <= node) row.push(0);
    row[node] += delta;
  }
}

const NONE: readonly number[] = [];

export function schedule(nodes: readonly Node[], deployment: string, placed: PodsPerNode): Node | null {
  const mineByNode = placed.row(deployment);
  const inZone = zoneCounts(nodes, mineByNode);
  let best: Node | null = null;
  let bestZone = Infinity;
  let bestMine = Infinity;
  let bestAll = Infinity;
  for (const node of nodes) {
    if (!node.alive || node.unschedulable) continue;
    const zone = inZone === null || node.zone < 0 ? 0 : inZone[node.zone];
    const mine = node.index < mineByNode.length ? mineByNode[node.index] : 0;
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
function zoneCounts(nodes: readonly Node[], mineByNode: readonly number[]): number[] | null {
  if (nodes.length === 0 || nodes[0].zone < 0) return null;
  const counts: number[] = [];
  for (const node of nodes) {
    if (node.alive) counts[node.zone] = (counts[node.zone] ?? 0) + (node.index < mineByNode.length ? mineByNode[node.index] : 0);
  }
  return counts;
}
