/**
 * Per-pod load as bars, one small chart per policy: requests received per second the pod was a
 * Ready endpoint (pods.csv), with the skew figures of summary.csv in the title. Pods Ready for less
 * than half the measured window are drawn grey: the skew figures leave them out.
 */
import type { ScenarioJson, TableRow } from "../folder.js";
import { formatEstimate } from "./format.js";
import { MUTED, seriesColor } from "./palette.js";
import { estimate } from "./replications.js";
import { serviceSelects } from "./runs.js";
import type { ChartSpec, Value } from "./spec.js";

/** The load column: renamed from received_per_ready_s (read both, for older folders). */
export function podLoad(r: TableRow): number | null {
  const v = r.received_per_ready_rps ?? r.received_per_ready_s;
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}


export interface PodChartInput {
  id: string;
  service: string;
  scenario: ScenarioJson | null;
  policies: string[];
  /** pods.csv rows of this point. */
  pods: readonly TableRow[];
  /** summary.csv rows of this point and Service. */
  summary: readonly TableRow[];
}

export function podCharts(input: PodChartInput): ChartSpec[] {
  const duration = input.scenario?.duration;
  const charts: ChartSpec[] = [];
  const ofService = input.pods.filter((r) => serviceSelects(input.scenario, input.service, String(r.deployment)));
  input.policies.forEach((policy, p) => {
    const rows = ofService.filter((r) => r.policy === policy);
    if (rows.length === 0) return;
    const names: string[] = [];
    const byPod = new Map<string, TableRow[]>();
    for (const r of rows) {
      const name = String(r.pod);
      let list = byPod.get(name);
      if (!list) {
        byPod.set(name, (list = []));
        names.push(name);
      }
      list.push(r);
    }
    const inSkew: Value[] = [];
    const outSkew: Value[] = [];
    const counted: number[] = [];
    for (const name of names) {
      const list = byPod.get(name) as TableRow[];
      const load = estimate(list.map(podLoad)).mean;
      const ready = estimate(list.map((r) => (typeof r.ready_s === "number" ? r.ready_s : null))).mean;
      const value = Number.isFinite(load) ? load : null;
      const counts = duration === undefined || ready >= duration / 2;
      inSkew.push(counts ? value : null);
      outSkew.push(counts ? null : value);
      if (counts && value !== null) counted.push(value);
    }
    const summary = input.summary.filter((r) => r.policy === policy);
    const fig = (column: string) => formatEstimate(estimate(summary.map((r) => (typeof r[column] === "number" ? (r[column] as number) : null))), "ratio");
    const reps = new Set(rows.map((r) => r.replication)).size;
    const chart: ChartSpec = {
      id: `${input.id}-pods-${policy}`,
      title: `${policy}: load per pod (max/mean ${fig("load_max_over_mean")}, CV ${fig("load_cv")}, Jain ${fig("jain_index")})`,
      caption:
        "Requests each pod received per second it was a Ready endpoint, over the measured window." +
        (reps > 1 ? ` Mean of ${reps} replications.` : "") +
        (outSkew.some((v) => v !== null) ? " Grey: Ready for less than half the window, left out of the skew figures." : "") +
        (names.some((_, i) => inSkew[i] === null && outSkew[i] === null) ? " A pod without a bar was never a Ready endpoint in the window." : "") +
        " The dashed line is the mean load of the pods in the skew figures.",
      kind: "bars",
      x: { label: "pod", values: names.map((_, i) => i), categories: names },
      y: { label: "requests / Ready s", min: 0 },
      series: [{ label: "load (req/s)", color: seriesColor(p), values: inSkew }],
      bands: [],
      marks: [],
      rules: counted.length > 0 ? [{ y: counted.reduce((a, b) => a + b, 0) / counted.length, label: "mean" }] : [],
      wide: false,
    };
    if (outSkew.some((v) => v !== null)) chart.series.push({ label: "Ready < half the window (req/s)", color: MUTED, values: outSkew });
    charts.push(chart);
  });
  return charts;
}
