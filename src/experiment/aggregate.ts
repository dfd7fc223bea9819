/**
 * From summary rows to what a decision needs: aggregate.csv (per point, policy and Service, each
 * headline metric's (and the scenario's topology metrics') mean, standard deviation and Student-t interval over the replications) and
 * paired.csv (each policy's per-replication difference from the baseline, with its paired-t
 * interval: the policies of one replication share their random numbers, so the pairs cancel noise).
 */
import type { Row } from "../report/columns.js";
import { HEADLINE_METRICS, type PolicyName } from "../scenario/types.js";
import { estimate, excludesZero, pairedInterval } from "../stats/compare.js";
import type { StopReason } from "./tasks.js";

/** The summary rows of one point, grouped by policy and Service in first-seen order. */
interface Group {
  key: Row;
  policy: string;
  service: string;
  /** Summary rows by replication number. */
  byReplication: Map<number, Row>;
}

/** The key cells shared by a point's rows: scenario, point and the setting columns. */
function pointKey(row: Row, settingColumns: readonly string[]): Row {
  const key: Row = { scenario: row.scenario, point: row.point };
  for (const c of settingColumns) key[c] = row[c];
  return key;
}

function groupRows(summary: readonly Row[], settingColumns: readonly string[]): Map<number, Group[]> {
  const points = new Map<number, Map<string, Group>>();
  for (const row of summary) {
    const point = Number(row.point);
    let groups = points.get(point);
    if (!groups) points.set(point, (groups = new Map()));
    const k = `${row.policy}\u0000${row.service}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { key: pointKey(row, settingColumns), policy: String(row.policy), service: String(row.service), byReplication: new Map() }));
    g.byReplication.set(Number(row.replication), row);
  }
  return new Map([...points].map(([p, groups]) => [p, [...groups.values()]]));
}

/**
 * aggregate.csv rows: one per point, policy and Service (in the order of `summary`, which is grid
 * order), each headline metric as `<metric>_mean`, `_sd`, `_ci_low`, `_ci_high` over the replications
 * where the value exists.
 */
export function aggregateRows(
  summary: readonly Row[],
  settingColumns: readonly string[],
  stopReasons: readonly StopReason[],
  confidence: number,
  metrics: readonly string[] = HEADLINE_METRICS,
): Row[] {
  const out: Row[] = [];
  for (const [point, groups] of groupRows(summary, settingColumns)) {
    for (const g of groups) {
      const rows = [...g.byReplication.values()];
      const row: Row = { ...g.key, policy: g.policy, service: g.service, replications: rows.length, stop_reason: stopReasons[point] ?? "fixed", confidence };
      for (const m of metrics) {
        const e = estimate(rows.map((r) => Number(r[m])), confidence);
        row[`${m}_mean`] = e.mean;
        row[`${m}_sd`] = e.sd;
        row[`${m}_ci_low`] = e.lower;
        row[`${m}_ci_high`] = e.upper;
      }
      out.push(row);
    }
  }
  return out;
}

/**
 * paired.csv rows: per point, Service and headline metric, each other policy against the baseline,
 * over the replications both ran: the mean difference (policy - baseline), its paired-t interval
 * and whether that excludes 0.
 */
export function pairedRows(
  summary: readonly Row[],
  settingColumns: readonly string[],
  policies: readonly PolicyName[],
  baseline: PolicyName,
  confidence: number,
  metrics: readonly string[] = HEADLINE_METRICS,
): Row[] {
  const out: Row[] = [];
  for (const groups of groupRows(summary, settingColumns).values()) {
    const services = [...new Set(groups.map((g) => g.service))];
    for (const service of services) {
      const of = (policy: string) => groups.find((g) => g.policy === policy && g.service === service);
      const base = of(baseline);
      if (!base) continue;
      for (const m of metrics) {
        for (const policy of policies) {
          const other = of(policy);
          if (policy === baseline || !other) continue;
          const reps = [...base.byReplication.keys()].filter((r) => other.byReplication.has(r));
          const a = reps.map((r) => Number(base.byReplication.get(r)![m]));
          const b = reps.map((r) => Number(other.byReplication.get(r)![m]));
          const d = pairedInterval(a, b, confidence);
          const baseMean = estimate(a).mean;
          out.push({
            ...base.key,
            service,
            metric: m,
            policy,
            baseline,
            pairs: d.n,
            policy_mean: estimate(b).mean,
            baseline_mean: baseMean,
            diff_mean: d.mean,
            diff_sd: d.sd,
            diff_ci_low: d.lower,
            diff_ci_high: d.upper,
            diff_relative: baseMean !== 0 ? d.mean / baseMean : NaN,
            excludes_zero: excludesZero(d),
            confidence,
          });
        }
      }
    }
  }
  return out;
}
