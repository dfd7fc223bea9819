/**
 * Turns a finished run's metrics into report rows, one object per CSV row keyed by the column
 * names of columns.ts. Numbers stay numbers here; the CSV writer formats them.
 */
import type { Cluster } from "../model/cluster.js";
import type { Service } from "../model/api/service.js";
import { coefficientOfVariation, jainIndex, maxOverMean } from "../stats/skew.js";
import type { Row } from "./columns.js";

const MS = 1000;
const DROP_COLUMNS = ["dropped_refused", "dropped_reset", "dropped_overload", "dropped_timeout", "dropped_no_endpoints", "dropped_unreachable"];

export interface RunRows {
  summary: Row[];
  pods: Row[];
  timeseries: Row[];
}

export function runRows(cluster: Cluster, replication: number): RunRows {
  const key = { scenario: cluster.scenario.name, policy: cluster.policy, replication, seed: cluster.seed };
  return {
    summary: summaryRows(cluster, key),
    pods: podRows(cluster, key),
    timeseries: timeseriesRows(cluster, key),
  };
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

function summaryRows(cluster: Cluster, key: Row): Row[] {
  const duration = cluster.scenario.duration;
  return cluster.services.map((svc, s) => {
    const m = cluster.metrics[s];
    const loads = podLoads(cluster, svc);
    const dropped = m.arrivals - m.outcomes[0];
    const row: Row = {
      ...key,
      service: svc.name,
      requests: m.arrivals,
      ok: m.outcomes[0],
      dropped,
      drop_rate: m.arrivals > 0 ? dropped / m.arrivals : NaN,
    };
    DROP_COLUMNS.forEach((c, k) => (row[c] = m.outcomes[k + 1]));
    Object.assign(row, {
      retries: m.retries,
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
    return row;
  });
}

function podRows(cluster: Cluster, key: Row): Row[] {
  const duration = cluster.scenario.duration;
  return cluster.pods.map((pod) => {
    const w = cluster.podWindow.get(pod) ?? { busy: 0, ready: 0, received: 0 };
    return {
      ...key,
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
    };
  });
}

function timeseriesRows(cluster: Cluster, key: Row): Row[] {
  const rows: Row[] = [];
  const { warmup, interval } = cluster.scenario;
  const end = warmup + cluster.scenario.duration;
  cluster.services.forEach((svc, s) => {
    const series = cluster.metrics[s].series;
    for (let i = 0; i < series.length; i++) {
      const g = series.gauges[i];
      const arrivals = series.arrivals[i];
      const ok = series.outcomes[0][i];
      const row: Row = {
        ...key,
        service: svc.name,
        t_start_s: warmup + i * interval,
        t_end_s: Math.min(end, warmup + (i + 1) * interval),
        arrivals,
        ok,
        dropped: arrivals - ok,
        drop_rate: arrivals > 0 ? (arrivals - ok) / arrivals : NaN,
      };
      DROP_COLUMNS.forEach((c, k) => (row[c] = series.outcomes[k + 1][i]));
      Object.assign(row, {
        retries: series.retries[i],
        latency_mean_ms: series.latencyMean[i] * MS,
        latency_p50_ms: series.latencyP50[i] * MS,
        latency_p99_ms: series.latencyP99[i] * MS,
        ready_endpoints: g.readyEndpoints,
        stale_nodes: g.staleNodes,
        in_flight: g.inFlight,
        load_max_over_mean: g.maxOverMean,
        load_cv: g.cv,
        jain_index: g.jain,
        rollouts_in_progress: g.rolloutsInProgress,
        marks: series.marks[i].join(";"),
      });
      rows.push(row);
    }
  });
  return rows;
}
