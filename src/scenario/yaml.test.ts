import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ScenarioError } from "./errors.js";
import { parseScenario } from "./load.js";
import { MAX_SCENARIO_BYTES, parseYaml, readScenarioFile } from "./yaml.js";

const dir = mkdtempSync(join(tmpdir(), "svcsim-yaml-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).problems;
  }
  throw new Error("expected a ScenarioError");
}

/** "Billion laughs": `levels` levels of 9 aliases each, 9^levels strings once expanded. */
function aliasBomb(levels: number): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(",")}]`);
  return `${lines.join("\n")}\n`;
}

describe("hostile YAML", () => {
  it("refuses an alias bomb (9 levels of 9 aliases) without expanding it", () => {
    expect(problemsOf(() => parseScenario(aliasBomb(9), "bomb.yaml"))).toEqual([
      'bomb.yaml: YAML aliases: too many alias expansions (a "billion laughs" document?): found more than 100; allowed: at most 100, counting the aliases inside aliased nodes',
    ]);
  });

  it("still allows ordinary anchors and merge keys", () => {
    const s = parseScenario(
      `
services: [{name: web, selector: &sel {app: web}}]
deployments:
  - {name: web, labels: *sel, pod: &pod {concurrency: 8}}
  - {name: api, labels: {app: web, tier: api}, pod: {<<: *pod, queueLimit: 5}}
workload: [{service: web, arrivals: {type: poisson, rate: 10}}]
`,
      "a.yaml",
    );
    expect(s.deployments[0].labels).toEqual({ app: "web" });
    expect(s.deployments[1].pod).toMatchObject({ concurrency: 8, queueLimit: 5 });
  });

  it("refuses an alias without its anchor", () => {
    expect(problemsOf(() => parseYaml("a: *nowhere\n", "x.yaml"))[0]).toMatch(/^x\.yaml: YAML aliases: an alias without its anchor: found .*nowhere/);
  });

  it("refuses deep nesting, whether the parser or the depth check catches it", () => {
    for (const text of ["[".repeat(10_000) + "]".repeat(10_000), `a: ${"[".repeat(40)}1${"]".repeat(40)}\n`, "- ".repeat(5_000) + "1\n"]) {
      expect(problemsOf(() => parseYaml(text, "deep.yaml"))[0]).toMatch(/^deep\.yaml(:\d+:\d+)?: nested too deeply: found .+; allowed: at most 32 levels of nesting$/);
    }
  });

  it("refuses duplicate keys and several documents, with the position once", () => {
    expect(problemsOf(() => parseYaml("seed: 1\nname: x\nseed: 2\n", "d.yaml"))).toEqual(['d.yaml:3:1: duplicate key: found "seed: 2"; allowed: each key once in a mapping']);
    expect(problemsOf(() => parseYaml("seed: 1\n---\nseed: 2\n", "m.yaml"))).toEqual([
      'm.yaml:2:1: more than one YAML document (a --- line): found "---"; allowed: one document per scenario file',
    ]);
  });

  it("treats a __proto__ key as an unknown field, not as a prototype", () => {
    const lines = problemsOf(() => parseScenario("__proto__: {polluted: 1}\nservices: []\n", "p.yaml"));
    expect(lines).toContainEqual(expect.stringMatching(/^p\.yaml: __proto__: unknown field "__proto__": found \{"polluted":1\}; allowed: name, description, seed, /));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("scenario files", () => {
  it("refuses a file over the size cap before reading it", () => {
    const big = join(dir, "big.yaml");
    writeFileSync(big, Buffer.alloc(MAX_SCENARIO_BYTES + 1, 0x20));
    expect(problemsOf(() => readScenarioFile(big))).toEqual([`${big}: the file is too large for a scenario: found 4,194,305 bytes; allowed: at most 4,194,304 bytes`]);
  });

  it("refuses binary data and text that is not UTF-8", () => {
    const bin = join(dir, "bin.yaml");
    writeFileSync(bin, Buffer.from([0x73, 0x65, 0x65, 0x64, 0x3a, 0x00, 0xff]));
    expect(problemsOf(() => readScenarioFile(bin))).toEqual([`${bin}: binary data, not a YAML text file: found a NUL byte at byte 5; allowed: a UTF-8 text file`]);
    const latin1 = join(dir, "latin1.yaml");
    writeFileSync(latin1, Buffer.from("description: caf\xe9\n", "latin1"));
    expect(problemsOf(() => readScenarioFile(latin1))[0]).toBe(`${latin1}: not UTF-8 text: found bytes that are not UTF-8; allowed: a UTF-8 text file`);
  });

  it("refuses a device or a FIFO instead of blocking on it", () => {
    expect(problemsOf(() => readScenarioFile("/dev/zero"))).toEqual(["/dev/zero: not a regular file: found a device, pipe or socket; allowed: a YAML file"]);
    const fifo = join(dir, "fifo.yaml");
    execFileSync("mkfifo", [fifo]);
    expect(problemsOf(() => readScenarioFile(fifo))[0]).toContain("not a regular file");
  });

  it("reads UTF-8 with a byte-order mark", () => {
    const bom = join(dir, "bom.yaml");
    writeFileSync(bom, "\ufeffseed: 3\n");
    expect(parseYaml(readScenarioFile(bom), bom)).toEqual({ seed: 3 });
  });
});
