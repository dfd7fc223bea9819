/** The topology columns appear only in the scenarios that use zones or internalTrafficPolicy Local, swept or not. */
import { describe, expect, it } from "vitest";
import { scenarioFrom } from "../model/test-support.js";
import { reportedMetrics, summaryColumns, SUMMARY_COLUMNS } from "./columns.js";

const base = (extra = "", service = "") => `
cluster: { nodes: 3${extra} }
services: [{ name: web, selector: { app: web }${service} }]
deployments: [{ name: web, replicas: 2, labels: { app: web } }]
workload: [{ service: web, arrivals: { type: poisson, rate: 10 } }]
`;
const extraNames = (yaml: string) => summaryColumns(scenarioFrom(yaml)).slice(SUMMARY_COLUMNS.length).map((c) => c.name);

describe("summaryColumns and reportedMetrics", () => {
  it("add nothing to a scenario without zones or a Local policy", () => {
    const s = scenarioFrom(base());
    expect(summaryColumns(s)).toEqual(SUMMARY_COLUMNS);
    expect(reportedMetrics(s)).not.toContain("cross_zone_share");
  });

  it("add the zone columns with zones, and the drop count with internalTrafficPolicy Local", () => {
    expect(extraNames(base(", zones: [a, b]"))).toEqual(["cross_zone_requests", "cross_zone_share"]);
    expect(extraNames(base("", ", internalTrafficPolicy: Local"))).toEqual(["no_local_endpoint_drops"]);
    expect(reportedMetrics(scenarioFrom(base(", zones: [a, b]")))).toContain("cross_zone_share");
  });

  it("add them when a sweep sets them at some point", () => {
    const sweep = (path: string, values: string) => `${base()}sweep: [{ path: "${path}", values: ${values} }]\n`;
    expect(extraNames(sweep("services[0].internalTrafficPolicy", "[Cluster, Local]"))).toEqual(["no_local_endpoint_drops"]);
    expect(extraNames(sweep("services[0].internalTrafficPolicy", "[Cluster]"))).toEqual([]);
    expect(extraNames(sweep("cluster.zones", "[[], [a, b]]"))).toEqual(["cross_zone_requests", "cross_zone_share"]);
  });
});
