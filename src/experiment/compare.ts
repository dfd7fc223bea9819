/**
 * Comparing two results folders (before and after a change, or two scenarios): for every
 * (point, policy, Service) in both, each headline metric (and topology metric both have) side by side, the difference b - a with
 * Welch's interval (the two folders' runs are independent samples), and a verdict. `--fail-on`
 * rules turn a clear regression into a failing exit status for CI.
 */
import { HEADLINE_METRICS, type HeadlineMetric } from "../scenario/types.js";
import { estimate, welchInterval } from "../stats/compare.js";
import { TOPOLOGY_METRICS, type Row } from "../report/columns.js";

/** Metrics where a higher value is better; for every other headline metric lower is better. */
const HIGHER_IS_BETTER: ReadonlySet<string> = new Set(["jain_index"]);

export type Verdict = "better" | "worse" | "no clear change" | "no value" | "only in a" | "only in b";

/** The summary rows of one folder grouped by (point, policy, service), in file order. */
function groups(summary: readonly Row[]): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const row of summary) {
    const k = `${row.point}\u0000${row.policy}\u0000${row.service}`;
    let g = out.get(k);
    if (!g) out.set(k, (g = []));
    g.push(row);
  }
  return out;
}

/** A cell as a number: an empty cell (as text, null or missing) is a value that does not exist. */
const num = (x: unknown) => (x === "" || x === undefined || x === null ? NaN : Number(x));

/**
 * compare.csv rows: per (point, policy, Service) present in `a` (in a's order, then those only in
 * `b`), one row per headline metric; a key on one side only gives one row saying so.
 */
export function compareRows(a: readonly Row[], b: readonly Row[], confidence: number): Row[] {
  const ga = groups(a);
  const gb = groups(b);
  // The topology metrics where both folders' summary.csv has their column.
  const has = (rows: readonly Row[], m: string) => rows.some((r) => m in r);
  const metrics = [...HEADLINE_METRICS, ...TOPOLOGY_METRICS.filter((m) => has(a, m) && has(b, m))];
  const out: Row[] = [];
  const keyOf = (rows: Row[]) => ({ point: rows[0].point, policy: rows[0].policy, service: rows[0].service });
  for (const [k, ra] of ga) {
    const rb = gb.get(k);
    if (!rb) {
      out.push({ ...keyOf(ra), metric: "", a_replications: ra.length, b_replications: 0, verdict: "only in a" });
      continue;
    }
    for (const m of metrics) {
      const xa = ra.map((r) => num(r[m]));
      const xb = rb.map((r) => num(r[m]));
      const w = welchInterval(xa, xb, confidence);
      const aMean = estimate(xa).mean;
      const bMean = estimate(xb).mean;
      out.push({
        ...keyOf(ra),
        metric: m,
        a_replications: ra.length,
        b_replications: rb.length,
        a_mean: aMean,
        b_mean: bMean,
        diff: bMean - aMean,
        diff_relative: aMean !== 0 ? (bMean - aMean) / aMean : NaN,
        diff_ci_low: w.lower,
        diff_ci_high: w.upper,
        verdict: verdict(m, aMean, bMean, w.lower, w.upper),
      });
    }
  }
  for (const [k, rb] of gb) if (!ga.has(k)) out.push({ ...keyOf(rb), metric: "", a_replications: 0, b_replications: rb.length, verdict: "only in b" });
  return out;
}

/**
 * better / worse when the interval of b - a excludes 0 (or, with no interval because a side has a
 * single replication, when the values differ at all); otherwise no clear change.
 */
export function verdict(metric: string, aMean: number, bMean: number, low: number, high: number): Verdict {
  if (!Number.isFinite(aMean) || !Number.isFinite(bMean)) return aMean === bMean || (Number.isNaN(aMean) && Number.isNaN(bMean)) ? "no clear change" : "no value";
  const diff = bMean - aMean;
  const interval = Number.isFinite(low) && Number.isFinite(high);
  const clear = interval ? low > 0 || high < 0 : diff !== 0;
  if (!clear) return "no clear change";
  const up = interval ? low > 0 : diff > 0;
  return up === HIGHER_IS_BETTER.has(metric) ? "better" : "worse";
}

/** A `--fail-on` rule: `metric>+0.5%`, `latency_p99_ms>+10%`, `latency_p99_ms>+20`, `jain_index<-0.05`. */
export interface FailRule {
  text: string;
  metric: HeadlineMetric | (typeof TOPOLOGY_METRICS)[number];
  op: ">" | "<";
  amount: number;
  percent: boolean;
}

export function parseFailRule(text: string): FailRule | string {
  const m = /^\s*([a-z_0-9]+)\s*([<>])\s*([+-]?(?:\d+\.?\d*|\.\d+))\s*(%?)\s*$/.exec(text);
  const known: readonly string[] = [...HEADLINE_METRICS, ...TOPOLOGY_METRICS];
  const allowed = `allowed: <metric><op><change>, e.g. 'drop_rate>+0.5%' or 'latency_p99_ms>+10%'; metrics: ${known.join(", ")}`;
  if (!m) return `--fail-on ${text}: cannot read the rule: found ${JSON.stringify(text)}; ${allowed}`;
  if (!known.includes(m[1])) return `--fail-on ${text}: unknown metric: found ${JSON.stringify(m[1])}; ${allowed}`;
  return { text: text.trim(), metric: m[1] as FailRule["metric"], op: m[2] as ">" | "<", amount: Number(m[3]), percent: m[4] === "%" };
}

/**
 * The threshold a rule sets for one row's difference b - a: `%` on drop_rate (itself a share of
 * requests) means percentage points; on any other metric, percent of a's value.
 */
export function ruleThreshold(rule: FailRule, aMean: number): number {
  if (!rule.percent) return rule.amount;
  return rule.metric === "drop_rate" ? rule.amount / 100 : (rule.amount / 100) * Math.abs(aMean);
}

/** The rows a rule fails on: the difference passes the threshold and is a clear change (not noise). */
export function violations(rows: readonly Row[], rule: FailRule): Row[] {
  return rows.filter((r) => {
    if (r.metric !== rule.metric || (r.verdict !== "better" && r.verdict !== "worse")) return false;
    const diff = Number(r.diff);
    const t = ruleThreshold(rule, Number(r.a_mean));
    return rule.op === ">" ? diff > t : diff < t;
  });
}
