/**
 * Every YAML snippet in the README works when pasted into the README's minimal scenario (the
 * snippet's top-level fields replace the minimal scenario's): no error and no warning. A newcomer
 * copies exactly these. A block preceded by `<!-- broken on purpose -->` is an error example.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { parseScenarioChecked } from "./load.js";

const readme = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");
const blocks = [...readme.matchAll(/(<!-- broken on purpose -->\s*)?```yaml\n([\s\S]*?)```/g)].map((m) => ({
  broken: m[1] !== undefined,
  text: m[2],
  line: readme.slice(0, m.index).split("\n").length + 1,
}));
const minimal = blocks.find((b) => !b.broken && b.text.includes("services:") && b.text.split("\n").filter((l) => /^\S/.test(l)).length === 3);

describe("README snippets", () => {
  it("has a minimal scenario and snippets to paste into it", () => {
    expect(minimal).toBeDefined();
    expect(blocks.filter((b) => !b.broken).length).toBeGreaterThan(10);
  });

  for (const block of blocks.filter((b) => !b.broken && b !== minimal)) {
    it(`line ${block.line}: pasted into the minimal scenario, validates without a warning`, () => {
      const merged = { ...YAML.parse(minimal!.text), ...YAML.parse(block.text) };
      const { warnings } = parseScenarioChecked(YAML.stringify(merged), `README.md:${block.line}`);
      expect(warnings).toEqual([]);
    });
  }

  it("the broken example is broken", () => {
    const broken = blocks.filter((b) => b.broken);
    expect(broken.length).toBe(1);
    expect(() => parseScenarioChecked(broken[0].text, "broken.yaml")).toThrow();
  });
});
