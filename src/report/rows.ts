/**
 * Turns a run's metrics into report rows, one object per CSV row keyed by the column names of
 * columns.ts: time series rows one at a time as intervals become final, summary and pod rows at
 * the end. Numbers stay numbers here; the CSV writer formats them.
 */
import type { Cluster } from "../model/cluster.js";
import type { IntervalRecord } from "../model/metrics.js";
import type { Service } from "../model/api/service.js";
import { coefficientOfVariation, jainIndex, maxOverMean } from "../stats/skew.js";
import { TIMESERIES_COLUMNS, type Row } from "./columns.js";

const MS = 1000;
/** summary.csv's count of each way a request fails, in the order of OUTCOMES after `ok`. */
export const DROP_COLUMNS = ["dropped_refused", "dropped_reset", "dropped_overload", "dropped_timeout", "dropped_no_endpoints", "dropped_unreachable"] as const;

/** What identifies a run in every row: scenario, sweep point and its settings, policy, replication, seed. */
export interface RunKey {
  scenario: string;
  point: number;
  /** One cell per setting column (swept and `--set` paths). */
  settings: Row;
  policy: string;
  replication: number;
  seed: number;
}

/** The key cells of a row (the CSV writer puts cells in column order). */
export function keyCells(k: RunKey): Row {
  const row: Row = { scenario: k.scenario, point: k.point };
  for (const name in k.settings) row[name] = k.settings[name];
  row.policy = k.policy;
  row.replication = k.replication;
  row.seed = k.seed;
  return row;
}

/** Per-pod load for skew: requests received per Ready second, over pods Ready at least half the window. */
export function podLoads(cluster: Cluster, service: Service): number[] {
  const half = cluster.scenario.duration / 2;
  const loads: number[] = [];
  for (const pod of cluster.pods) {
    const w = cluster.podWindow.get(pod);
    if (w && service.selects(pod) && w.ready >= half) loads.push(w.received / w.ready);
  }
  return loads;
}

/** One row per Service: totals over the measured window. */
export function summaryRows(cluster: Cluster, key: RunKey): Row[] {
  const duration = cluster.scenario.duration;
  return cluster.services.map((svc, s) => {
    const m = cluster.metrics[s];
    const loads = podLoads(cluster, svc);
    const dropped = m.arrivals - m.outcomes[0];
    const row = Object.assign(keyCells(key), {
      service: svc.name,
      requests: m.arrivals,
      ok: m.outcomes[0],
      dropped,
      drop_rate: m.arrivals > 0 ? dropped / m.arrivals : NaN,
    });
    DROP_COLUMNS.forEach((c, k) => (row[c] = m.outcomes[k + 1]));
    Object.assign(row, {
      retries: m.retries,
      retries_transparent: m.retriesTransparent,
      retries_denied: m.retriesDenied,
      retries_exhausted: m.retriesExhausted,
      rescued: m.rescued,
      latency_mean_ms: m.latency.mean * MS,
      latency_p50_ms: m.latency.quantile(0.5) * MS,
      latency_p90_ms: m.latency.quantile(0.9) * MS,
      latency_p99_ms: m.latency.quantile(0.99) * MS,
      latency_max_ms: m.latency.count > 0 ? m.latency.max * MS : NaN,
      load_max_over_mean: maxOverMean(loads),
      load_cv: coefficientOfVariation(loads),
      jain_index: jainIndex(loads),
      throughput_rps: m.outcomes[0] / duration,
      mean_in_system: m.areaInSystem / duration,
      pods_in_skew: loads.length,
      events: cluster.sim.eventCount,
    });
    // The topology columns (summaryColumns decides which are written).
    if (cluster.zoned) {
      row.cross_zone_requests = m.crossZoneAttempts;
      row.cross_zone_share = m.routedAttempts > 0 ? m.crossZoneAttempts / m.routedAttempts : NaN;
    }
    row.no_local_endpoint_drops = m.noLocalEndpointDrops;
    return row;
  });
}

/** zones.csv: one row per Service and zone (none when the nodes are in no zone). */
export function zoneRows(cluster: Cluster, key: RunKey): Row[] {
  if (!cluster.zoned) return [];
  const rows: Row[] = [];
  cluster.services.forEach((svc, s) => {
    const m = cluster.metrics[s];
    cluster.zoneNames.forEach((zone, z) => {
      let ready = 0;
      let received = 0;
      let pods = 0;
      for (const pod of cluster.pods) {
        if (pod.zone !== z || !svc.selects(pod)) continue;
        pods++;
        const w = cluster.podWindow.get(pod);
        if (w === undefined) continue;
        ready += w.ready;
        received += w.received;
      }
      let clients = 0;
      for (const wl of cluster.workloads) if (wl.service === svc) for (const c of wl.clients) if (c.zone === z) clients++;
      rows.push(
        Object.assign(keyCells(key), {
          service: svc.name,
          zone,
          nodes: cluster.nodes.filter((n) => n.zone === z).length,
          clients,
          pods,
          sent: m.zoneSent[z],
          sent_cross_zone: m.zoneSentAway[z],
          cross_zone_share: m.zoneSent[z] > 0 ? m.zoneSentAway[z] / m.zoneSent[z] : NaN,
          received: m.zoneReceived[z],
          received_share: m.routedAttempts > 0 ? m.zoneReceived[z] / m.routedAttempts : NaN,
          ready_s: ready,
          received_per_ready_rps: ready > 0 ? received / ready : NaN,
        }),
      );
    });
  });
  return rows;
}

/** One row per pod ever created. */
export function podRows(cluster: Cluster, key: RunKey): Row[] {
  const duration = cluster.scenario.duration;
  return cluster.pods.map((pod) => {
    const w = cluster.podWindow.get(pod) ?? { busy: 0, ready: 0, received: 0 };
    return Object.assign(keyCells(key), {
      pod: pod.name,
      deployment: pod.deployment,
      version: pod.version,
      node: pod.node,
      created_s: pod.createdAt,
      gone_s: pod.goneAt >= 0 ? pod.goneAt : NaN,
      restarts: pod.restarts,
      received: pod.received,
      served: pod.served,
      dropped: pod.dropped,
      busy_s: w.busy,
      ready_s: w.ready,
      utilization: w.busy / (pod.spec.concurrency * duration),
      received_per_ready_rps: w.ready > 0 ? w.received / w.ready : NaN,
    });
  });
}

/** timeseries.csv's columns after a run's key cells, in order: what timeseriesCells fills. */
export const TIMESERIES_CELLS: readonly string[] = TIMESERIES_COLUMNS.slice(TIMESERIES_COLUMNS.findIndex((c) => c.name === "service")).map((c) => c.name);

/**
 * The cells of a timeseries.csv row from a final interval of Service `service` after the run's key
 * cells (TIMESERIES_CELLS), into `out` (the metrics hand the intervals over as the run goes: see
 * ServiceMetrics.sink). An array, not a row object: a run writes one per interval and Service.
 */
export function timeseriesCells(cluster: Cluster, service: number, r: IntervalRecord, out: (string | number)[]): (string | number)[] {
  const { warmup, interval } = cluster.scenario;
  const end = warmup + cluster.scenario.duration;
  const g = r.gauges;
  let i = 0;
  out[i++] = cluster.services[service].name;
  out[i++] = warmup + r.index * interval;
  out[i++] = Math.min(end, warmup + (r.index + 1) * interval);
  out[i++] = r.arrivals;
  out[i++] = r.outcomes[0];
  out[i++] = r.arrivals - r.outcomes[0];
  out[i++] = r.arrivals > 0 ? (r.arrivals - r.outcomes[0]) / r.arrivals : NaN;
  for (let k = 0; k < DROP_COLUMNS.length; k++) out[i++] = r.outcomes[k + 1];
  out[i++] = r.retries;
  out[i++] = r.latencyMean * MS;
  out[i++] = r.latencyP50 * MS;
  out[i++] = r.latencyP99 * MS;
  out[i++] = g.readyEndpoints;
  out[i++] = g.staleNodes;
  out[i++] = g.inFlight;
  out[i++] = g.maxOverMean;
  out[i++] = g.cv;
  out[i++] = g.jain;
  out[i++] = g.rolloutsInProgress;
  out[i++] = r.marks.join(";");
  return out;
}

/** The e2e test testRollingUpdateLBConnectivityDisruption fails a rollout below this success rate. */
export const E2E_MIN_SUCCESS_RATE = 0.95;

/** One row per rollout and Service whose pods it rolled: the outcome of the requests sent during it. */
export function rolloutRows(cluster: Cluster, key: RunKey): Row[] {
  const rows: Row[] = [];
  for (const r of cluster.rollouts) {
    for (const w of r.windows) {
      const ok = w.outcomes[0];
      const rate = w.requests > 0 ? ok / w.requests : NaN;
      const row = Object.assign(keyCells(key), {
        service: cluster.services[w.service].name,
        owner: r.owner,
        rollout: r.number,
        version: r.version,
        started_s: r.startedAt,
        completed_s: r.completedAt >= 0 ? r.completedAt : NaN,
        duration_s: r.completedAt >= 0 ? r.completedAt - r.startedAt : NaN,
        requests: w.requests,
        ok,
        failed: w.requests - ok,
      });
      DROP_COLUMNS.forEach((c, k) => (row[c] = w.outcomes[k + 1]));
      row.success_rate = rate;
      row.meets_e2e_threshold = w.requests > 0 ? (rate >= E2E_MIN_SUCCESS_RATE ? 1 : 0) : NaN;
      rows.push(row);
    }
  }
  return rows;
}
