/**
 * What the reports see of the cluster at the end of each interval, per Service: Ready endpoints in
 * the published slice, live nodes whose rules lag it, requests in flight, the skew of the load the
 * Ready pods received in the interval, and rollouts under way.
 */
import { coefficientOfVariation, jainIndex, maxOverMean } from "../stats/skew.js";
import type { Cluster } from "./cluster.js";

/**
 * Closes interval `i` of every Service's series and starts the pods' next interval counts; read by
 * an event scheduled at `instant` (KubeProxy.isStale), -Infinity after the run's last event.
 */
export function closeInterval(cluster: Cluster, i: number, instant: number): void {
  const now = cluster.sim.now;
  cluster.services.forEach((svc, s) => {
    const slice = cluster.controllers[s].current;
    const loads: number[] = [];
    for (const e of slice.endpoints) if (e.ready) loads.push(e.pod.intervalReceived);
    let stale = 0;
    for (const node of cluster.nodes) if (node.alive && node.proxy.isStale(s, slice.generation, instant)) stale++;
    let inFlight = 0;
    for (const wl of cluster.workloads) if (wl.service === svc) inFlight += wl.open;
    cluster.metrics[s].closeInterval(i, now, {
      readyEndpoints: slice.readyCount,
      staleNodes: stale,
      inFlight,
      maxOverMean: maxOverMean(loads),
      cv: coefficientOfVariation(loads),
      jain: jainIndex(loads),
      rolloutsInProgress: cluster.rolloutsInProgress,
    });
  });
  for (const pod of cluster.pods) pod.intervalReceived = 0;
}
