/**
 * Property tests (fast-check) of what a user may type: random malformed scenarios are refused with
 * one `<file>: <field path>: ...: found ...; allowed: ...` line per problem, never a crash (and,
 * through the command line, exit status 2, no stack trace, nothing written); random valid small
 * scenarios run, conserve requests and give the same numbers twice. Bounded in runs and simulated
 * time to keep `npm test` short.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { resolveExperiment } from "../experiment/experiment.js";
import { Cluster } from "../model/cluster.js";
import { total } from "../model/test-support.js";
import { ScenarioError } from "./errors.js";
import { parseScenario } from "./load.js";
import type { PolicyName } from "./types.js";

const FILE = "prop.yaml";

/** A valid small scenario, as a user writes it. */
const base = () => ({
  name: "prop",
  duration: "10s",
  warmup: "1s",
  policies: ["random"],
  cluster: { nodes: 2 },
  services: [{ name: "web", selector: { app: "web" } }],
  deployments: [{ name: "web", replicas: 2, labels: { app: "web" }, pod: { concurrency: 2, serviceTime: { type: "exponential", mean: "10ms" } } }],
  workload: [{ service: "web", arrivals: { type: "poisson", rate: 50 }, timeout: "1s" }],
});
type Doc = ReturnType<typeof base> & Record<string, unknown>;

/** One mistake applied to a scenario: each is invalid whatever else is in the document. */
type Mistake = (d: Doc) => void;

const wrongValue = fc.oneof(fc.constant(true), fc.constant(null), fc.constant([1, 2]), fc.constant({ x: 1 }), fc.constantFrom("many", "-", "1e"));
const objectAt = (d: Doc): Record<string, Record<string, unknown>> => ({
  "": d,
  cluster: d.cluster,
  "services[0]": d.services[0],
  "deployments[0]": d.deployments[0],
  "deployments[0].pod": d.deployments[0].pod,
  "workload[0]": d.workload[0],
  "workload[0].arrivals": d.workload[0].arrivals,
});
const OBJECTS = ["", "cluster", "services[0]", "deployments[0]", "deployments[0].pod", "workload[0]", "workload[0].arrivals"];

const mistakes: fc.Arbitrary<Mistake> = fc.oneof(
  // A field of the wrong type (or shape).
  fc.tuple(fc.constantFrom("replicas", "concurrency", "nodes", "rate", "duration", "selector", "policies"), wrongValue).map(([field, v]): Mistake => (d) => {
    if (field === "replicas") d.deployments[0].replicas = v as never;
    else if (field === "concurrency") d.deployments[0].pod.concurrency = v as never;
    else if (field === "nodes") d.cluster.nodes = v as never;
    else if (field === "rate") d.workload[0].arrivals.rate = v as never;
    else if (field === "duration") d.duration = (typeof v === "string" ? `${v}x` : v) as never;
    else if (field === "selector") d.services[0].selector = (v === null || typeof v === "object" ? 5 : v) as never;
    else d.policies = [typeof v === "string" ? v : "nope"];
  }),
  // A required field left out.
  fc.constantFrom<Mistake>(
    (d) => delete (d.services[0] as Partial<Doc["services"][0]>).name,
    (d) => delete (d.workload[0] as Partial<Doc["workload"][0]>).service,
    (d) => delete (d.workload[0] as Partial<Doc["workload"][0]>).arrivals,
    (d) => delete (d.deployments[0] as Partial<Doc["deployments"][0]>).name,
  ),
  // A field the schema does not know, anywhere.
  fc.tuple(fc.constantFrom(...OBJECTS), fc.stringMatching(/^[a-z][a-zA-Z]{2,8}$/)).map(([at, key]): Mistake => (d) => {
    objectAt(d)[at][`${key}Typo`] = 1;
  }),
  // A value with a unit svcsim does not know, or none where one is needed.
  fc.constantFrom<Mistake>(
    (d) => (d.workload[0].timeout = "2 fortnights"),
    (d) => (d.workload[0].arrivals.rate = "400/sec" as never),
    (d) => (d.warmup = "-1s"),
    (d) => (d.deployments[0].pod.serviceTime.mean = "10 parsecs"),
  ),
  // A reference to something that does not exist.
  fc.constantFrom<Mistake>(
    (d) => (d.workload[0].service = "nosuch"),
    (d) => (d.services[0].selector = { app: "nosuch" }),
    (d) => (d.events = [{ at: "5s", action: "crash", pods: ["nosuch-0"] }]),
    (d) => (d.events = [{ at: "5s", action: "scale", deployment: "nosuch", replicas: 3 }]),
  ),
);

/** The base scenario with the mistakes made in turn (one that finds its field gone is skipped: the first always applies). */
function spoil(ms: readonly Mistake[]): Doc {
  const d = base() as Doc;
  for (const m of ms) {
    try {
      m(d);
    } catch {
      // e.g. an unknown field under workload[0].arrivals after arrivals was left out
    }
  }
  return d;
}

/** Every problem line: the file, a field path, what is wrong, what was found and what is allowed. */
const LINE = new RegExp(`^${FILE}(:\\d+:\\d+)?: [\\w.\\[\\]-]+: .+: found .+; allowed: .+$`);

describe("a malformed scenario (property)", () => {
  it("is refused with a ScenarioError naming the field path of every problem, never another error", () => {
    fc.assert(
      fc.property(fc.array(mistakes, { minLength: 1, maxLength: 3 }), (ms) => {
        const d = spoil(ms);
        let err: unknown;
        try {
          resolveExperiment(YAML.stringify(d), FILE);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(ScenarioError);
        const lines = (err as ScenarioError).message.split("\n");
        for (const line of lines) {
          expect(line).toMatch(LINE);
          expect(line).not.toMatch(/undefined|\[object Object\]|NaN/);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it("from the command line: exit status 2, a field path, no stack trace, nothing written", () => {
    const bin = join(import.meta.dirname, "../../bin/svcsim.js");
    const tmp = mkdtempSync(join(tmpdir(), "svcsim-prop-"));
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));
    let n = 0;
    fc.assert(
      fc.property(fc.array(mistakes, { minLength: 1, maxLength: 3 }), (ms) => {
        const d = spoil(ms);
        const file = join(tmp, `s${n++}.yaml`);
        writeFileSync(file, YAML.stringify(d));
        const r = spawnSync(process.execPath, [bin, "run", file, "--out", "out"], { cwd: tmp, encoding: "utf8" });
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(new RegExp(`^svcsim: ${file.replace(/[.]/g, "\\.")}(:\\d+:\\d+)?: [\\w.\\[\\]-]+: `));
        expect(r.stderr).not.toMatch(/\n\s+at |Error:/);
        expect(existsSync(join(tmp, "out"))).toBe(false);
        expect(readdirSync(tmp).filter((f) => !f.endsWith(".yaml"))).toEqual([]);
      }),
      { numRuns: 6, seed: 11 },
    );
  });
});

/** A valid small scenario: a few nodes and pods, some load, perhaps a fault; seconds of simulated time. */
const validScenario = fc.record({
  nodes: fc.integer({ min: 1, max: 3 }),
  replicas: fc.integer({ min: 1, max: 4 }),
  concurrency: fc.integer({ min: 1, max: 4 }),
  rate: fc.integer({ min: 5, max: 150 }),
  meanMs: fc.integer({ min: 1, max: 40 }),
  duration: fc.integer({ min: 5, max: 20 }),
  policy: fc.constantFrom<PolicyName>("random", "round-robin", "least-connections", "power-of-two", "static-upstream", "ipvs-wlc"),
  timeout: fc.option(fc.integer({ min: 50, max: 2000 }), { nil: undefined }),
  retries: fc.integer({ min: 0, max: 2 }),
  keepAlive: fc.boolean(),
  event: fc.constantFrom("none", "crash", "rollout", "scale", "node-down", "crashes"),
  seed: fc.integer({ min: 0, max: 1000 }),
});

type Params = typeof validScenario extends fc.Arbitrary<infer T> ? T : never;

function validDoc(p: Params) {
  const at = `${Math.max(1, Math.floor(p.duration / 2))}s`;
  const events = {
    none: [],
    crash: [{ at, action: "crash", deployment: "web", count: 1 }],
    rollout: [{ at, action: "rollout", deployment: "web", version: "v2" }],
    scale: [{ at, action: "scale", deployment: "web", replicas: p.replicas + 1 }],
    "node-down": [{ at, action: "node-down", node: 0 }],
    crashes: [{ at: "1s", action: "crashes", deployment: "web", mtbf: "5s" }],
  }[p.event];
  return {
    name: "valid",
    seed: p.seed,
    duration: `${p.duration}s`,
    warmup: "1s",
    policies: [p.policy],
    cluster: { nodes: p.nodes },
    services: [{ name: "web", selector: { app: "web" } }],
    deployments: [{ name: "web", replicas: p.replicas, labels: { app: "web" }, pod: { concurrency: p.concurrency, serviceTime: { type: "exponential", mean: `${p.meanMs}ms` }, readiness: { period: "1s" } } }],
    workload: [
      {
        service: "web",
        arrivals: { type: "poisson", rate: p.rate },
        ...(p.timeout === undefined ? {} : { timeout: `${p.timeout}ms` }),
        ...(p.retries > 0 ? { retries: { count: p.retries, backoff: "10ms" } } : {}),
        ...(p.keepAlive ? { connections: { mode: "keep-alive" } } : {}),
      },
    ],
    events,
  };
}

describe("a valid small scenario (property)", () => {
  it("runs without throwing, every arrival ends exactly once, and the same seed gives the same numbers", () => {
    fc.assert(
      fc.property(validScenario, (p) => {
        const s = parseScenario(YAML.stringify(validDoc(p)), FILE);
        const run = () => {
          const c = new Cluster(s, p.policy, s.seed);
          c.run();
          const m = c.metrics[0];
          return { arrivals: m.arrivals, outcomes: [...m.outcomes], open: m.open, events: c.sim.eventCount, series: m.series.outcomes.map((o) => o.join(",")) };
        };
        const a = run();
        expect(total(a.outcomes)).toBe(a.arrivals);
        expect(a.open).toBe(0);
        expect(run()).toEqual(a);
      }),
      { numRuns: 25, seed: 3 },
    );
  });
});
