import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "./errors.js";
import { applySet, loadScenario, nameFromFile, parseScenario, parseSetPath } from "./load.js";

const MIN = `
services: [{name: web, selector: {app: web}}]
deployments: [{name: web, labels: {app: web}}]
workload: [{service: web, arrivals: {type: poisson, rate: 100/s}}]
`;

function errorOf(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error("expected a ScenarioError");
}

describe("loadScenario", () => {
  const dir = mkdtempSync(join(tmpdir(), "svcsim-scenario-"));

  it("reads a file and names the scenario after it", () => {
    const file = join(dir, "canary.yaml");
    writeFileSync(file, MIN);
    const s = loadScenario(file);
    expect(s.name).toBe("canary");
    expect(s.deployments[0].replicas).toBe(3);
    expect(loadScenario(file, { seed: 42 }).seed).toBe(42);
    writeFileSync(file, `name: explicit\n${MIN}`);
    expect(loadScenario(file).name).toBe("explicit");
  });

  it("makes the default name a DNS-1123 label, so results/<name> stays under results/", () => {
    expect(nameFromFile("scenarios/Pod_Crash v2.yaml")).toBe("pod-crash-v2");
    expect(nameFromFile("../..yaml")).toBe("scenario");
    expect(nameFromFile("___.yaml")).toBe("scenario");
    expect(nameFromFile(`${"a".repeat(62)}_b.yaml`)).toBe("a".repeat(62));
    for (const name of ["../src", "a/b", "..", "Web", "-x", "a".repeat(64)]) {
      expect(errorOf(() => parseScenario(`name: ${JSON.stringify(name)}\n${MIN}`, "n.yaml")).problems[0]).toMatch(/^n\.yaml: name: (wrong format|too long): found .*; allowed: a DNS-1123 label/);
    }
  });

  it("says clearly when the file is missing", () => {
    const file = join(dir, "nope.yaml");
    const e = errorOf(() => loadScenario(file));
    expect(e.message).toBe(`${file}: cannot read the scenario file: no such file`);
    expect(e.exitCode).toBe(2);
    expect(errorOf(() => loadScenario(dir)).message).toContain("it is a directory");
  });

  it("reports YAML syntax errors with line and column", () => {
    const e = errorOf(() => parseScenario("seed: 1\nservices: [a, b\ndeployments: []\n", "bad.yaml"));
    // The position once, at the front; the line it points at as what was found.
    expect(e.problems).toEqual([
      'bad.yaml:3:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]: found "deployments: []"; allowed: valid YAML',
    ]);
    const dup = errorOf(() => parseScenario("seed: 1\nseed: 2\n", "dup.yaml"));
    expect(dup.problems).toEqual(['dup.yaml:2:1: duplicate key: found "seed: 2"; allowed: each key once in a mapping']);
  });

  it("reports an empty file as missing required fields", () => {
    const e = errorOf(() => parseScenario("", "empty.yaml"));
    expect(e.problems.map((l) => l.split(":")[1].trim()).sort()).toEqual(["deployments", "services", "workload"]);
  });
});

describe("--set", () => {
  it("overrides nested fields, list entries in both notations, and takes flow values", () => {
    const s = parseScenario(MIN, "m.yaml", {
      set: [
        "cluster.proxy.minSyncPeriod=2s",
        "deployments.0.replicas=7",
        "deployments[0].pod.preStop=5s",
        "policies=[random,round-robin]",
        "workload[0].connections={mode: keep-alive, maxRequests: 0}",
        'deployments[0].labels["app.kubernetes.io/part-of"]=shop',
        "description=hello world",
      ],
    });
    expect(s.cluster.proxy.minSyncPeriod).toBe(2);
    expect(s.deployments[0].replicas).toBe(7);
    expect(s.deployments[0].pod.preStop).toBe(5);
    expect(s.deployments[0].pod.concurrency).toBe(4);
    expect(s.policies).toEqual(["random", "round-robin"]);
    expect(s.workload[0].connections).toEqual({ mode: "keep-alive", maxRequests: Infinity, idleTimeout: 60 });
    expect(s.deployments[0].labels).toEqual({ app: "web", "app.kubernetes.io/part-of": "shop" });
    expect(s.description).toBe("hello world");
  });

  it("applies before validation, and a bad value names the --set that gave it, not the file", () => {
    const e = errorOf(() => parseScenario(MIN, "m.yaml", { set: ["deployments[0].pod.concurrency=-2", "cluster.nodez=4", "workload.0={service: web}"] }));
    expect(e.problems).toEqual([
      '--set cluster.nodez=4: cluster.nodez: unknown field "nodez" (did you mean "nodes"?): found 4; allowed: kubernetesVersion, featureGates, kubelet, nodes, clientWeights, zones, proxy, network, endpointsBatchPeriod, nodeMonitorGracePeriod, horizontalPodAutoscaler, metricsServer',
      "--set deployments[0].pod.concurrency=-2: deployments[0].pod.concurrency: too small: found -2; allowed: an integer >= 1",
      "--set workload.0={service: web}: workload[0].arrivals: missing required field: found nothing; allowed: a mapping {type: poisson|constant|bursty|ramp, ...} (open-loop clients need arrivals)",
    ]);
    // A problem in the file itself still names the file.
    const f = errorOf(() => parseScenario(`${MIN}seed: -1\n`, "m.yaml", { set: ["deployments[0].replicas=2"] }));
    expect(f.problems).toEqual(["m.yaml: seed: too small: found -1; allowed: an integer >= 0"]);
  });

  it("rejects bad paths, all at once", () => {
    const e = errorOf(() =>
      parseScenario(MIN, "m.yaml", {
        set: ["deployments[5].replicas=2", "deployments.x=1", "services[0].name.first=a", "events.0.at=1", "a..b=1", "nodes", "policies=[random"],
      }),
    );
    expect(e.problems).toEqual([
      "--set deployments[5].replicas=2: deployments: index past the end of the list (1 entry): found 5; allowed: an index from 0 to 0",
      '--set deployments.x=1: deployments: a list, so "x" must be an index: found "x"; allowed: an index from 0 to 0',
      '--set services[0].name.first=a: services[0].name: not a mapping or list, so it has no "first": found "web"; allowed: a path through mappings and lists',
      "--set events.0.at=1: events: missing, so it has no entry [0]: found nothing; allowed: an index into an existing list",
      '--set a..b=1: bad path (empty segment at position 2): found "a..b"; allowed: keys joined by "." with [n] list indexes, e.g. deployments[0].pod.preStop',
      '--set nodes: no "=" between the path and the value: found "nodes"; allowed: path=value, e.g. cluster.nodes=5',
      '--set policies=[random: YAML syntax error: Flow sequence must end with a ]: found "[random"; allowed: valid YAML',
    ]);
  });

  it("creates missing intermediate mappings", () => {
    const doc: Record<string, unknown> = {};
    expect(applySet(doc, "cluster.proxy.minSyncPeriod=10s")).toBeUndefined();
    expect(doc).toEqual({ cluster: { proxy: { minSyncPeriod: "10s" } } });
  });

  it("parses paths", () => {
    expect(parseSetPath("a.b[0].c")).toEqual(["a", "b", 0, "c"]);
    expect(parseSetPath("a.0.c")).toEqual(["a", "0", "c"]);
    expect(parseSetPath('labels["x.y/z"]')).toEqual(["labels", "x.y/z"]);
    expect(typeof parseSetPath("a[")).toBe("string");
    expect(typeof parseSetPath("a.")).toBe("string");
    expect(typeof parseSetPath("")).toBe("string");
  });
});
