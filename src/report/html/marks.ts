/**
 * The timeline's events as marked lines on the time charts: the scheduled events from run.json's
 * scenario (crash, scale, node down/up, readiness failure, the start of a random crash process)
 * and the rollout starts and ends recorded in timeseries.csv's `marks` column. Only events that
 * touch a Service's pods are marked on its charts.
 */
import type { ScenarioJson, TableRow } from "../folder.js";
import { formatSeconds } from "./format.js";
import { serviceSelects } from "./runs.js";
import type { MarkSpec } from "./spec.js";


/** The deployment of a pod named `<deployment>-<n>`, from pods.csv or else from the name. */
function deploymentOfPod(pod: string, pods: readonly TableRow[]): string {
  const row = pods.find((r) => r.pod === pod);
  return row ? String(row.deployment) : pod.replace(/-\d+$/, "");
}

function label(ev: { action: string } & Record<string, unknown>): string | null {
  const who = Array.isArray(ev.pods) ? (ev.pods as string[]).join(", ") : `${ev.count} of ${ev.deployment}`;
  switch (ev.action) {
    case "crash":
      return `crash ${who}`;
    case "crashes":
      return `random crashes of ${ev.deployment} begin (mean ${formatSeconds(Number(ev.mtbf))} between crashes per pod)`;
    case "scale":
      return `scale ${ev.deployment} to ${ev.replicas}`;
    case "rollout":
      return null; // timeseries.csv marks its start and end
    case "readiness-failure":
      return `readiness failure ${who} for ${formatSeconds(Number(ev.for))}`;
    case "node-down":
      return `node ${ev.node} down`;
    case "node-up":
      return "node up";
    default:
      return ev.action;
  }
}

/**
 * Marks for one Service's charts, in time order. `series` is the Service's time-series rows (any
 * policies and replications): a rollout mark appears once per distinct time it was recorded at.
 */
export function serviceMarks(scenario: ScenarioJson | null, service: string, series: readonly TableRow[], pods: readonly TableRow[]): MarkSpec[] {
  const marks: MarkSpec[] = [];
  const seen = new Set<string>();
  const add = (x: number, text: string) => {
    const key = `${x}\u0000${text}`;
    if (seen.has(key)) return;
    seen.add(key);
    marks.push({ x, label: text });
  };
  for (const ev of scenario?.events ?? []) {
    const text = label(ev);
    if (text === null) continue;
    const deployments = Array.isArray(ev.pods)
      ? (ev.pods as string[]).map((p) => deploymentOfPod(p, pods))
      : typeof ev.deployment === "string"
        ? [ev.deployment]
        : [];
    if (scenario && deployments.length > 0 && !deployments.some((d) => serviceSelects(scenario, service, d))) continue;
    add(ev.at, text);
  }
  for (const r of series) {
    if (typeof r.marks !== "string" || r.marks === "") continue;
    for (const m of r.marks.split(";")) add(Number(r.t_start_s), m.replace(/^rollout-(start|end)/, "rollout $1:"));
  }
  return marks.sort((a, b) => a.x - b.x || a.label.localeCompare(b.label));
}
