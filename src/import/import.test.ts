/**
 * `svcsim import`: realistic manifests (a `kubectl get -o yaml` List with status and owned objects,
 * a multi-document file) become a scenario that validates, with each field mapped and a note on
 * what could not be; the command writes it to stdout or a file and refuses to overwrite.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { parseScenarioChecked } from "../scenario/load.js";
import { parseManifests, readManifests } from "./manifests.js";
import { renderScenario } from "./render.js";
import { importManifests, ImportError, quantity } from "./to-scenario.js";

const fixture = (name: string) => join(import.meta.dirname, "fixtures", name);
const imported = (...files: string[]) => renderScenario(importManifests(readManifests(files.map(fixture))));

describe("svcsim import", () => {
  it("maps a kubectl get -o yaml List: replicas, labels and version, strategy, probes, preStop, grace period, budget, HPA", () => {
    const text = imported("shop-list.yaml");
    const { scenario: s, warnings } = parseScenarioChecked(text, "imported.yaml");
    expect(warnings).toEqual([]);
    const d = s.deployments[0];
    expect(d).toMatchObject({ name: "checkout", replicas: 4, labels: { app: "checkout", tier: "backend" }, version: "1.4.2", minReadySeconds: 5 });
    expect(d.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(d.pod.readiness).toMatchObject({ handler: "http", period: 5, timeout: 2, failureThreshold: 2, successThreshold: 1, initialDelay: 0 });
    expect(d.pod.liveness).toMatchObject({ handler: "tcp", initialDelay: 15, period: 20, timeout: 1, failureThreshold: 3 });
    expect(d.pod.startupProbe).toMatchObject({ handler: "http", period: 2, failureThreshold: 30 });
    expect(d.pod.preStop).toBe(10); // exec /bin/sh -c "sleep 10"
    expect(d.pod.terminationGracePeriod).toBe(45);
    expect(s.services.map((v) => [v.name, v.selector])).toEqual([
      ["checkout", { app: "checkout" }],
      ["checkout-public", { app: "checkout" }],
    ]);
    expect(s.services[1]).toMatchObject({ type: "LoadBalancer", externalTrafficPolicy: "Local", sessionAffinity: "ClientIP", sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } });
    expect(s.podDisruptionBudgets[0]).toMatchObject({ name: "checkout", selector: { app: "checkout" }, minAvailable: "75%", unhealthyPodEvictionPolicy: "AlwaysAllow" });
    const hpa = s.horizontalPodAutoscalers[0];
    expect(hpa).toMatchObject({ deployment: "checkout", minReplicas: 4, maxReplicas: 12 });
    expect(hpa.metrics).toEqual([
      { type: "cpu", averageUtilization: 60 },
      { type: "requests-per-second", averageValue: 50 },
    ]);
    expect(hpa.behavior?.scaleDown).toEqual({ stabilizationWindow: 120, selectPolicy: "Max", policies: [{ type: "Pods", value: 1, period: 60 }] });
    // What could not be mapped is said where it applies; owned objects (the ReplicaSet) are not mentioned.
    expect(text).toContain("# Not modelled: ConfigMap checkout-config");
    expect(text).not.toContain("ReplicaSet");
    expect(text).toMatch(/not modelled: istio-proxy/);
    expect(text).toMatch(/# type LoadBalancer: the placeholder workload is of in-cluster clients/);
    expect(text).toMatch(/# metric Resource memory \(Utilization\) not modelled/);
    expect(text).toMatch(/# CPU request 500m/);
  });

  it("maps a multi-document file: a DaemonSet, renamed objects, preStop sleep actions, exec and gRPC probes, autoscaling/v1", () => {
    const text = imported("agents.yaml");
    const { scenario: s, warnings } = parseScenarioChecked(text, "imported.yaml");
    expect(warnings).toEqual([]);
    const ds = s.daemonSets[0];
    expect(ds).toMatchObject({ name: "node-agent", updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: "10%" } } });
    expect(ds.pod).toMatchObject({ preStop: 60, terminationGracePeriod: 60, readiness: { handler: "http", period: 10 } });
    const d = s.deployments[0];
    expect(d).toMatchObject({ name: "api-v2", replicas: 1, strategy: { type: "Recreate" } });
    expect(d.pod.preStop).toBe(5);
    expect(d.pod.liveness?.handler).toBe("tcp");
    expect(s.horizontalPodAutoscalers).toEqual([expect.objectContaining({ name: "api", deployment: "api-v2", minReplicas: 2, maxReplicas: 6, metrics: [{ type: "cpu", averageUtilization: 70 }] })]);
    expect(s.services.map((v) => v.name)).toEqual(["node-agent", "api"]);
    for (const note of [
      "Deployment edge/api.v2 is named api-v2 here",
      "spec.selector.matchExpressions not mapped",
      "spec.replicas not set: Kubernetes' default, 1",
      'preStop exec "/bin/sh -c sleep 5 && nginx -s quit": only its sleep is modelled',
      "an exec probe (/bin/sh -c pgrep nginx), modelled as a TCP probe",
      "a gRPC health check, modelled as an HTTP probe",
      "a headless Service",
      "Service legacy-db skipped: it has no selector",
      "HorizontalPodAutoscaler db skipped: it scales StatefulSet db",
    ]) {
      expect(text).toContain(note);
    }
  });

  it("makes a Service for pods that have none, and keeps a Service that selects nothing as meant to be empty", () => {
    const deployment = `{kind: Deployment, apiVersion: apps/v1, metadata: {name: web}, spec: {replicas: 2, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web}]}}}}`;
    const only = renderScenario(importManifests(parseManifests(deployment, "d.yaml")));
    const s = parseScenarioChecked(only, "x.yaml").scenario;
    expect(s.services).toEqual([expect.objectContaining({ name: "web", selector: { app: "web" } })]);
    expect(only).toContain("no Service in the manifests");
    const stray = renderScenario(importManifests(parseManifests(`${deployment}\n---\n{kind: Service, apiVersion: v1, metadata: {name: other}, spec: {selector: {app: other}}}`, "d.yaml")));
    expect(parseScenarioChecked(stray, "x.yaml").scenario.services[0]).toMatchObject({ name: "other", allowEmpty: true });
    // Topology fields map as they are; PreferSameZone needs v1.34.
    const local = renderScenario(importManifests(parseManifests(`${deployment}\n---\n{kind: Service, apiVersion: v1, metadata: {name: web}, spec: {selector: {app: web}, internalTrafficPolicy: Local, trafficDistribution: PreferSameZone}}`, "d.yaml")));
    const t = parseScenarioChecked(local, "x.yaml").scenario;
    expect(t.services[0]).toMatchObject({ internalTrafficPolicy: "Local", trafficDistribution: "PreferSameZone" });
    expect(t.cluster.kubernetesVersion).toBe("1.34");
  });

  it("says what is wrong with input it cannot use", () => {
    expect(() => importManifests(parseManifests("{kind: Service, apiVersion: v1, metadata: {name: a}, spec: {selector: {app: a}}}", "s.yaml"))).toThrow(ImportError);
    expect(() => parseManifests("kind: Deployment\n  bad: [", "bad.yaml")).toThrow(/^bad\.yaml:\d+:\d+: YAML syntax error/);
    expect(() => parseManifests("- just\n- a list", "l.yaml")).toThrow(/l\.yaml: not a Kubernetes object: found a list/);
    expect(() => readManifests(["/nonexistent/m.yaml"])).toThrow(/no such file/);
    expect(parseManifests("---\n---\n", "empty.yaml")).toEqual([]);
  });

  it("gives the README's worked example as the README shows it", () => {
    const readme = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");
    const m = /Worked example: these manifests[\s\S]*?```text\n([\s\S]*?)```[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme);
    expect(m).not.toBeNull();
    expect(renderScenario(importManifests(parseManifests(m![1], "web.yaml")))).toBe(m![2]);
  });

  it("reads resource quantities", () => {
    expect(quantity("50")).toBe(50);
    expect(quantity("500m")).toBe(0.5);
    expect(quantity("1.5k")).toBe(1500);
    expect(quantity(7)).toBe(7);
    expect(quantity("lots")).toBeUndefined();
  });
});

describe("svcsim import (command)", () => {
  const tmp = mkdtempSync(join(tmpdir(), "svcsim-import-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const bin = join(import.meta.dirname, "../../bin/svcsim.js");
  const svcsim = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });

  it("prints the scenario, or writes it to a file it will not overwrite without --force; the file validates", () => {
    const out = svcsim("import", fixture("shop-list.yaml"), fixture("agents.yaml"));
    expect(out.status).toBe(0);
    expect(YAML.parse(out.stdout).deployments.map((d: { name: string }) => d.name)).toEqual(["checkout", "api-v2"]);
    const file = join(tmp, "imported.yaml");
    expect(svcsim("import", fixture("agents.yaml"), "-o", file).status).toBe(0);
    expect(svcsim("validate", file).status).toBe(0);
    writeFileSync(file, "mine");
    const again = svcsim("import", fixture("agents.yaml"), "-o", file);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain("exists: pass --force to replace it");
    expect(readFileSync(file, "utf8")).toBe("mine");
    expect(svcsim("import", fixture("agents.yaml"), "-o", file, "--force").status).toBe(0);
    const bad = svcsim("import", join(tmp, "missing.yaml"));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/missing\.yaml: cannot read the manifests: no such file/);
  });
});
